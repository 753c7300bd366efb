"""`consent-banner build`: the files a portal serves (CPython only; never bundled for the page).

`build()` (`consent-banner build --config CONFIG.json --manifest MANIFEST.json --out DIR`) copies the
packaged assets (banner/static/consent_banner/, which the wheel and the npm package ship) into DIR and,
given the portal's data-config and manifest, renders the first layer ahead of time with banner.ui.notice
(banner/server/prerender.py) and fills the hole the packaged loader (banner/consent.template.js) keeps for it:
consent.js then paints it at once on a first visit. It writes into DIR only the files it lists in
DIR/.consent-banner-build, removes only files listed there by an earlier build, and refuses a directory
holding anything else: it never deletes what it did not write.

The packaged assets come from the release step, tools/release.py, which contributors run from a checkout
(`make build`, `make package`): it needs Node and Brython's compiler, a portal's build needs neither, and
the release step is not in the wheel.
"""

import argparse
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # the banner package, installed or in a checkout
ASSETS = os.path.join(HERE, "static", "consent_banner")      # the packaged assets (where collectstatic looks)
TEMPLATE = os.path.join(HERE, "consent.template.js")         # the packaged loader with a hole for a prerender
HOLE = "__CB_PRERENDERED__"                  # an undeclared global: terser can neither rename nor fold it
RECORD = ".consent-banner-build"             # in an output directory: the files build() wrote there


def prerendered(config_path, manifest_path=None):
    """The ahead-of-time first layer for a portal's data-config (whose manifest is inline, or in
    `manifest_path` when data-config names it by URL)."""
    from banner.errors import BannerError, ManifestError
    from banner.server.prerender import prerender
    config = read_json(config_path)
    if not isinstance(config, dict):
        raise BuildError("%s: a data-config is a JSON object" % config_path)
    text = None
    if isinstance(config.get("manifest"), dict):
        manifest, manifest_path = config["manifest"], config_path
    elif manifest_path:
        manifest, text = read_json(manifest_path), served_text(manifest_path)
    else:
        raise BuildError("%s names its manifest by URL; give the file with --manifest" % config_path)
    try:
        return prerender(config, manifest, text)
    except BannerError as error:              # the page would refuse it too: say so now, not at the visitor
        raise BuildError("%s: %s" % (manifest_path if isinstance(error, ManifestError) else config_path, error))


class BuildError(Exception):
    """A problem the person running the build can fix (bad input, wrong directory): one line, no traceback."""


def served_text(path):
    """A file's text as a browser's fetch() reads it when it is served as is: UTF-8, a byte-order mark
    dropped, line ends kept (the loader hashes it to know the live manifest is the one built from)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def read_json(path):
    from banner.server.host import load_json
    try:
        with open(path, encoding="utf-8-sig") as handle:      # a byte-order mark, as browsers allow
            return load_json(handle)
    except OSError as error:
        raise BuildError("%s: cannot read: %s" % (path, error.strerror or error))
    except ValueError as error:
        raise BuildError("%s: not valid JSON: %s" % (path, error))


def write(directory, name, text):
    """Write `text` (UTF-8) to directory/name atomically (replace_file)."""
    data = text.encode("utf-8")             # before touching the directory: a text that cannot be encoded
    replace_file(directory, name, lambda handle: handle.write(data))


def copy(source, directory, name):
    """Copy the file `source` to directory/name atomically (replace_file)."""
    with open(source, "rb") as given:
        replace_file(directory, name, lambda handle: shutil.copyfileobj(given, handle))


def replace_file(directory, name, fill):
    """Write directory/name through a new file beside it, filled by `fill(handle)`, flushed to disk, then
    renamed over the old one: whatever fails half-way (a full disk, an error, a kill), directory/name is
    the previous file or the new one whole, never a truncated or empty one, and the temporary file goes.
    The rename replaces the directory entry itself, so a symbolic link found there (which build() and
    `policy` refuse beforehand) is never written through."""
    target = os.path.join(directory, name)
    temp = os.path.join(directory, ".%s.%s.tmp" % (name, os.urandom(6).hex()))
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)  # umask applies
    except OSError as error:
        raise OSError(error.errno, error.strerror, target) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException as error:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(error, OSError) and error.filename != target:       # name the file, not the temporary one
            raise OSError(error.errno, error.strerror, target) from error
        raise


def packaged_assets():
    """{file name: path} of the assets this installation ships."""
    names = sorted(n for n in os.listdir(ASSETS) if n.endswith((".js", ".css"))) if os.path.isdir(ASSETS) else []
    if "consent.js" not in names or not os.path.exists(TEMPLATE):
        raise BuildError("this installation has no built assets in %s (in a checkout, run `make build`)" % ASSETS)
    return {name: os.path.join(ASSETS, name) for name in names}


def claim(out, names):
    """Make `out` ready for `names`: create it, or clear the files an earlier build() listed in its RECORD.
    A directory holding anything else is refused: its files are someone else's."""
    if not os.path.isdir(out):
        if os.path.exists(out):
            raise BuildError("%s exists and is not a directory" % out)
        os.makedirs(out)
        return
    record = os.path.join(out, RECORD)
    refuse_links(out, list(names) + [RECORD])
    ours = set(names)
    if os.path.lexists(record):
        if not os.path.isfile(record):
            raise BuildError("%s is not a file; an earlier build writes its list of files there" % record)
        with open(record, encoding="utf-8") as handle:
            listed = [line.strip() for line in handle if line.strip()]
        for name in listed:
            if not plain_file_name(out, name):
                raise BuildError("%s lists %r, which is not a plain file name in %s (a path, '..', a directory or "
                                 "a symbolic link): no build writes that, so nothing was removed or written; "
                                 "remove that line" % (record, name, out))
        ours |= set(listed)
    foreign = sorted(set(os.listdir(out)) - ours - {RECORD})
    if foreign:
        raise BuildError("%s holds files this build did not write (%s); give a new or empty directory"
                         % (out, ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")))
    for name in ours - set(names):                           # an earlier build's files this one does not write
        path = os.path.join(out, name)
        if os.path.isfile(path):
            os.remove(path)


def plain_file_name(directory, name):
    """Whether `name` names, in `directory`, a regular file or nothing yet: no separator, not "." or "..",
    not absolute, not a directory, not a symbolic link."""
    if name in (".", "..") or os.path.basename(name) != name or "/" in name:
        return False
    path = os.path.join(directory, name)
    return not os.path.islink(path) and (os.path.isfile(path) or not os.path.lexists(path))


def refuse_links(directory, names):
    """A symbolic link where one of our files goes is an error, before anything is written: following it
    would write outside `directory`, and replacing it would remove what we did not write. (The writes
    rename over the directory entry anyway, so a link made after this check is replaced, not followed.)"""
    for name in names:
        path = os.path.join(directory, name)
        if os.path.islink(path):
            raise BuildError("%s is a symbolic link (to %s); the files written there are plain files, never "
                             "written through a link: remove it" % (path, os.readlink(path)))


def build(out, config_path=None, manifest_path=None):
    """The packaged assets, with the portal's prerendered first layer, into `out`. Returns the file names."""
    if manifest_path and not config_path:
        raise BuildError("--manifest goes with --config")
    first_layer = prerendered(config_path, manifest_path) if config_path else None
    assets = packaged_assets()
    out = os.path.abspath(out)
    claim(out, assets)
    for name, path in assets.items():
        if name != "consent.js":
            copy(path, out, name)
    with open(TEMPLATE, encoding="utf-8") as handle:
        template = handle.read()
    write(out, "consent.js", template.replace(HOLE, json.dumps(first_layer, ensure_ascii=False, separators=(",", ":"))))
    write(out, RECORD, "".join(name + "\n" for name in sorted(assets)))
    return sorted(assets)


def main(argv=None):
    """`consent-banner build` (and `python -m banner.server.build`)."""
    parser = argparse.ArgumentParser(prog="consent-banner build", description="Write the files a portal serves "
                                     "into DIR, with the first layer prerendered for its data-config.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


def add_arguments(parser):
    parser.add_argument("--config", "--prerender", dest="config", metavar="CONFIG.json",
                        help="the portal's data-config, as JSON: its first layer is rendered now")
    parser.add_argument("--manifest", metavar="MANIFEST.json", help="the portal's cookie manifest (when "
                                                                     "data-config names it by URL)")
    parser.add_argument("--out", metavar="DIR", help="where to write the files (created if missing)")


def run(args):
    try:
        if args.out is None:
            raise BuildError("give the output directory with --out DIR")
        names = build(args.out, args.config, args.manifest)
    except BuildError as error:
        print("build: %s" % error, file=sys.stderr)
        return 2
    except OSError as error:                  # a full disk, a read-only directory: the earlier files stay
        print("build: %s: %s" % (error.filename or args.out, error.strerror or error), file=sys.stderr)
        return 2
    out = os.path.abspath(args.out)
    for name in names:
        print("  %s/%-22s %9d bytes" % (os.path.relpath(out), name, os.path.getsize(os.path.join(out, name))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
