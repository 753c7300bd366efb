"""Command line, `consent-banner` once installed (or `python -m banner`; CPython only, never bundled for the page):

    consent-banner validate [FILE] [--languages fr,en | --config CONFIG.json] [--pages PATH ...] [--host HOST]
    consent-banner decode VALUE
    consent-banner build [--config CONFIG.json [--manifest MANIFEST.json]] --out DIR
    consent-banner serve-log [--db consent-log.sqlite3] [--port 8001] [--path /consent-log/] [--allow-origin ORIGIN]
    consent-banner policy CONFIG.json [--manifest MANIFEST.json] [--out DIR] [--level 2]
    consent-banner audit URL [--manifest FILE] [--pages N] [--out DIR] [--chromium PATH] [--resolve HOST=ADDRESS]
    consent-banner --version

`validate` applies the same rules as the page (banner.manifest) with Python's `re` standing in for the
browser's RegExp, and prints one line per problem with its field path; with `--pages`, it also reads the
portal's pages and templates for blocked content whose third party is not declared (banner/server/pages.py).
Exit status: 0 valid, 1 invalid (or undeclared content found), 2 unreadable file or bad usage.
"""

import argparse
import json
import os
import sys

from . import __version__
from .errors import BannerError, ManifestError
from .manifest import parse_manifest, text_languages
from .cookies import decode_consent
from .server.host import load_json, regex_ok


def _origin(value):
    from .server.receiver import origin_arg
    try:
        return origin_arg(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def read_json(path, out):
    """(data, None) from a JSON file, or (None, exit status) once the reason is printed."""
    try:
        with open(path, encoding="utf-8") as handle:
            return load_json(handle), None
    except OSError as error:
        print("%s: cannot read: %s" % (path, error.strerror or error), file=out)
        return None, 2
    except ValueError as error:
        print("%s: not valid JSON: %s" % (path, error), file=out)
        return None, 1


def validate(path, languages, out, pages=None, host=None, config_path=None):
    config = None
    if config_path:
        config, status = read_config(config_path, path, languages, out)
        if config is None:
            return status
        languages = config.languages
    if path:
        data, status = read_json(path, out)
        if status:
            return status
    else:
        path, data = "%s (its manifest)" % config_path, config.manifest
    langs = languages or text_languages(data) or ["fr"]
    try:
        manifest = parse_manifest(data, langs, regex_ok)
    except ManifestError as error:
        for field, message in error.problems:
            print("%s: %s: %s" % (path, field or "(top level)", message), file=out)
        return 1
    if config is not None and not config_fits(config, manifest, config_path, path, out):
        return 1
    print("%s: valid (revision %d, %d categories, %d cookies, languages: %s)" % (
        path, manifest.revision, len(manifest.categories), len(manifest.cookies), ", ".join(langs)), file=out)
    return check_pages(manifest, pages, host, out) if pages else 0


def read_config(config_path, manifest_path, languages, out):
    """--config: the portal's data-config, checked as the page checks it, or (None, exit status) once the
    reason is printed. Its `languages` are the ones offered, so --languages may not say otherwise."""
    from .config import parse_config
    from .errors import ConfigError
    if languages:
        print("validate: give the languages once: --config's data-config names them", file=out)
        return None, 2
    data, status = read_json(config_path, out)
    if status:
        return None, status
    try:
        config, warnings = parse_config(data)
    except ConfigError as error:
        print("%s: %s" % (config_path, error), file=out)
        return None, 1
    for warning in warnings:
        print("%s: %s" % (config_path, warning), file=out)
    if not manifest_path and not isinstance(config.manifest, dict):
        print("%s: its manifest is a URL (%s): give the manifest file too" % (config_path, config.manifest),
              file=out)
        return None, 2
    if manifest_path and isinstance(config.manifest, dict):
        print("%s: its manifest is inline, and the page reads that one: leave out %s" % (config_path, manifest_path),
              file=out)
        return None, 2
    return config, None


def config_fits(config, manifest, config_path, path, out):
    """Whether the data-config and the manifest agree, each problem printed as the page would log it: the
    categories `googleConsentMode` and `vendors` name, and the language cookie."""
    from . import google, vendors
    found = google.problems(config.google_consent_mode or {}, manifest) + vendors.problems(config.vendors or {},
                                                                                           manifest)
    for problem in found:
        print("%s: %s" % (config_path, problem), file=out)
    return language_cookie_declared(config, manifest, path, out) and not found


def language_cookie_declared(config, manifest, path, out):
    """Whether the cookie the banner's language choice writes (languageCookie, several languages) is in the
    manifest: the cookie policy names every cookie the portal sets (the Django app's check W010 says the
    same)."""
    from .cookies import matches
    from .i18n import LANGUAGE_COOKIE
    if not config.language_cookie or len(config.languages) < 2 or any(
            k.storage == "cookie" and matches(k, LANGUAGE_COOKIE, regex_ok) for k in manifest.cookies):
        return True
    print("%s: cookies: %r is not declared: the banner's language choice writes it (data-config: "
          "languageCookie, languages %s), so the cookie policy must name it: add it to the required category"
          % (path, LANGUAGE_COOKIE, ", ".join(config.languages)), file=out)
    return False


def check_pages(manifest, paths, host, out):
    """--pages: the blocked content of the portal's pages and templates that its category does not declare
    (banner/server/pages.py), each with the manifest entry that would let it run."""
    from .server.pages import files, report, scan
    try:
        found = scan(manifest, paths, host)
    except OSError as error:
        print("%s: cannot read: %s" % (error.filename, error.strerror or error), file=out)
        return 2
    report(manifest, found, out)
    print("pages: %d file%s read, %s" % (
        len(files(paths)), "" if len(files(paths)) == 1 else "s",
        "every blocked element's third party is declared" if not found else
        "%d blocked element%s cannot run as written" % (len(found), "" if len(found) == 1 else "s")),
        file=out)
    return 1 if found else 0


def make_parser():
    """The command line's parser: its sub-commands are the ones README's command table lists
    (tests/core/test_docs.py)."""
    parser = argparse.ArgumentParser(prog="consent-banner", description="consent-banner tools")
    parser.add_argument("--version", action="version", version="consent-banner " + __version__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check a cookie manifest against its schema rules")
    check.add_argument("file", nargs="?", help="the manifest (may be left out when --config holds it inline)")
    check.add_argument("--languages", help="comma-separated codes the portal offers (default: every "
                                           "language the manifest's texts use)")
    check.add_argument("--config", metavar="CONFIG.json",
                       help="the portal's data-config: checked as the page checks it, its languages used, and "
                            "the cookie its language choice writes (languageCookie) required in the manifest")
    check.add_argument("--pages", nargs="+", metavar="PATH",
                       help="the portal's HTML pages or Django templates (files or directories): name each "
                            "blocked element (script, iframe, image, player) or {%% consent_block %%} whose third "
                            "party its category does not declare, with the manifest entry to add")
    check.add_argument("--host", help="with --pages: the portal's own host name (its absolute URLs need no "
                                      "declaration)")
    dec = sub.add_parser("decode", help="show what a cookies_preferences value holds")
    dec.add_argument("value")
    from .server.build import add_arguments as build_arguments
    build_arguments(sub.add_parser("build", help="write the files a portal serves into --out DIR, with the "
                                                  "first layer prerendered for its data-config"))
    # The static policy page command (`policy`) registers its sub-parser here.
    log = sub.add_parser("serve-log", help="run the reference receiver for consent records (SQLite)")
    log.add_argument("--db", default="consent-log.sqlite3")
    log.add_argument("--port", type=int, default=8001)
    log.add_argument("--path", default="/consent-log/")
    log.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN", type=_origin,
                     help="accept records posted by pages of this origin too (e.g. https://portal.example, when "
                          "the receiver is served behind the portal); repeat for several")
    page = sub.add_parser("policy", help="write the cookie policy page as static HTML, one file per language")
    page.add_argument("config", help="the portal's data-config, as a JSON file")
    page.add_argument("--manifest", help="the manifest file, when data-config names it by URL")
    page.add_argument("--out", default=".", help="directory receiving cookie-policy.LANG.html (default: .)")
    page.add_argument("--level", type=int, choices=range(1, 6), default=2, help="level of the top headings")
    check = sub.add_parser("audit", help="prove in a real Chromium that the portal does what its manifest says")
    check.add_argument("url", help="the portal's start page")
    check.add_argument("--manifest", help="judge against this manifest file (default: the one the page's "
                                          "data-config names)")
    check.add_argument("--pages", type=int, default=5, help="pages visited in each state (default: 5)")
    check.add_argument("--out", help="directory receiving report.json, report.html and the screenshots")
    check.add_argument("--chromium", help="the Chromium executable (default: $CONSENT_BANNER_CHROMIUM, else "
                                          "/usr/bin/chromium, else chromium or google-chrome on PATH)")
    check.add_argument("--resolve", action="append", default=[], metavar="HOST=ADDRESS",
                       help="send Chromium's requests for HOST to ADDRESS (a staging server under the portal's "
                            "name); repeat for several")
    return parser


def subcommands():
    """The names of the sub-commands, in the order `--help` lists them."""
    return list(next(a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices)


def main(argv=None, out=None, err=None):
    """Run one sub-command; `out` and `err` stand for standard output and error (the audit's errors go to
    `err`, so that its summary on `out` can be kept apart from them)."""
    out = out or sys.stdout
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command == "audit":
        return run_audit(args, out, err=err)
    if args.command == "build":
        from .server.build import run
        return run(args)
    if args.command == "policy":
        from .server.build import BuildError
        from .server.static_policy import write
        try:
            return write(args.config, args.manifest, args.out, args.level, out)
        except (OSError, ValueError, BannerError, BuildError) as error:   # unreadable, bad JSON/config/manifest, a link
            print("policy: %s" % error, file=out)
            return 1
    if args.command == "serve-log":
        from .server.receiver import serve
        serve(args.db, args.port, args.path, args.allow_origin)
        return 0
    if args.command == "validate":
        langs = [c.strip().lower() for c in args.languages.split(",") if c.strip()] if args.languages else None
        if not args.file and not args.config:
            parser.error("validate: give the manifest file (or --config with the manifest inline)")   # exits 2
        return validate(args.file, langs, out, args.pages, args.host and args.host.lower(), args.config)
    consent = decode_consent(args.value)
    if consent is None:
        print("not a valid cookies_preferences value", file=out)
        return 1
    shown = {"version": consent.version, "revision": consent.revision, "decidedAt": consent.decided_at,
             "consentId": consent.consent_id, "accepted": list(consent.accepted), "fingerprints": consent.fingerprints}
    if consent.providers:       # the positions of the accepted providers among the names in sorted order
        shown["providers"] = {c: [i + 1 for i in range(mask.bit_length()) if (mask >> i) & 1]
                              for c, mask in consent.providers.items()}
    print(json.dumps(shown), file=out)
    return 0


def run_audit(args, out, progress=None, err=None):
    """`audit`: the summary on `out`, the progress and any error on `err` (stderr), as a command's errors go;
    0 clean, 1 violations, 2 could not run."""
    err = err or sys.stderr
    from .audit import audit, AuditError
    resolve = {}
    for item in args.resolve:
        host, _, address = item.partition("=")
        if not host or not address:
            print("audit: --resolve %s: expected HOST=ADDRESS" % item, file=err)
            return 2
        resolve[host.strip().lower()] = address.strip()
    try:
        report = audit(args.url, manifest=args.manifest, pages=args.pages, out=args.out,
                       progress=progress or err, chromium=args.chromium, resolve=resolve)
    except AuditError as error:
        print("audit: %s" % error, file=err)
        return 2
    except KeyboardInterrupt:           # Chromium is closed on the way out
        print("audit: interrupted", file=err)
        return 2
    from .audit.report import summary
    out.write(summary(report))
    if args.out:
        print("Reports: %s" % ", ".join(os.path.join(args.out, n) for n in ("report.html", "report.json")), file=out)
    return 1 if report["summary"]["verdict"] != "clean" else 0


if __name__ == "__main__":
    sys.exit(main())
