"""Build the two packages a release publishes, from a checkout (`make package`, which needs only Python with
the `[build]` extra, Node.js and npm with the release step's tools: no browser, no test tools):

    dist/consent_banner-VERSION-py3-none-any.whl    `pip install consent-banner`
    dist/consent-banner-VERSION.tgz                 `npm install consent-banner` (with the manifest's JSON Schema
                                                    and its validator: validate.js, `npx consent-banner-validate`)

Both carry the same built files: first the release step (tools/release.py `release()`) rebuilds
banner/static/consent_banner/ from the sources, then the wheel is built by setuptools (pyproject.toml) and
the npm package by `npm pack` from a staging directory whose package.json is the checkout's, with the
version taken from banner.__version__ (the one place it is written) and without the development
dependencies. Each package is then checked for what a user needs, so a release cannot ship without them.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from banner import __version__  # noqa: E402
from banner.server import build  # noqa: E402
from release import release  # noqa: E402  (tools/release.py, beside this file)

NPM_EXTRA = ["README.md", "LICENSE", "CHANGELOG.md"]
# The npm package's validator (static/src/validate.js, with the rules below written in) and its command.
VALIDATOR = os.path.join(ROOT, "static", "src", "validate.js")
VALIDATOR_CLI = os.path.join(ROOT, "static", "src", "validate-cli.js")
SCHEMA = os.path.join(ROOT, "banner", "manifest.schema.json")
# The page API for ES modules and bundlers (`consent-banner/api`) and the TypeScript declarations.
API = {name: os.path.join(ROOT, "static", "src", name) for name in ("api.mjs", "api.d.ts", "validate.d.ts")}
NPM_TOOLS = dict({"validate.js": None, "bin/consent-banner-validate.js": VALIDATOR_CLI, "manifest.schema.json": SCHEMA},
                 **API)


def manifest_rules():
    """What the JavaScript validator takes from Python: banner.manifest's field names and limits,
    banner.text's alphabets, the JSON depth limit of the tools, the lone-surrogate message and the consent
    cookie's name."""
    from banner import cookies, manifest, text
    from banner.server.host import MAX_JSON_DEPTH
    return {"topKeys": list(manifest.TOP_KEYS), "categoryKeys": list(manifest.CATEGORY_KEYS),
            "providerKeys": list(manifest.PROVIDER_KEYS), "cookieKeys": list(manifest.COOKIE_KEYS),
            "storages": list(manifest.STORAGES), "maxPath": manifest.MAX_PATH, "maxRevision": manifest.MAX_REVISION,
            "maxCategories": manifest.MAX_CATEGORIES, "maxChoiceProviders": manifest.MAX_CHOICE_PROVIDERS, "maxAgeDaysLimit": manifest.MAX_AGE_DAYS_LIMIT,
            "exemptMaxAgeDays": manifest.EXEMPT_MAX_AGE_DAYS, "maxIdentifier": text.MAX_IDENTIFIER, "lower": text.LOWER,
            "digits": text.DIGITS, "idChars": text.ID_CHARS, "tokenChars": text.TOKEN_CHARS,
            "safeSchemes": list(text.SAFE_SCHEMES), "c0AndSpace": text.C0_AND_SPACE, "surrogate": text.SURROGATE,
            "textKeys": ["title", "description", "provider", "lifetime", "purpose"], "maxJsonDepth": MAX_JSON_DEPTH,
            "consentCookie": cookies.CONSENT_COOKIE}


def validator_source():
    """static/src/validate.js with Python's rules written in."""
    with open(VALIDATOR, encoding="utf-8") as handle:
        source = handle.read()
    hole = "/*MANIFEST_RULES*/{}"
    assert source.count(hole) == 1, "validate.js has no single rules hole"
    return source.replace(hole, json.dumps(manifest_rules(), ensure_ascii=True))


def asset_names():
    return sorted(n for n in os.listdir(build.ASSETS) if n.endswith((".js", ".css")))


def expected_wheel_files():
    """Every module of the package, the schemas (manifest, audit report), the loader template, every built asset and the Django app's
    translations (.po and the .mo Django reads)."""
    names = {"banner/manifest.schema.json", "banner/consent.template.js", "banner/audit/report.schema.json"}
    for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, "banner")):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        names |= {os.path.relpath(os.path.join(dirpath, f), ROOT).replace(os.sep, "/")
                  for f in filenames if f.endswith((".py", ".po", ".mo"))}
    return names | {"banner/static/consent_banner/" + n for n in asset_names()}


def build_wheel(out):
    shutil.rmtree(os.path.join(ROOT, "build"), ignore_errors=True)   # setuptools' scratch: no stale modules
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out, ROOT],
                   check=True)
    wheel = os.path.join(out, "consent_banner-%s-py3-none-any.whl" % __version__)
    with zipfile.ZipFile(wheel) as archive:
        missing = sorted(expected_wheel_files() - set(archive.namelist()))
    if missing:
        sys.exit("package: the wheel lacks %s" % ", ".join(missing))
    return wheel


def npm_manifest():
    """The checkout's package.json as published: the version filled in, development keys dropped."""
    with open(os.path.join(ROOT, "package.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    published = {"name": manifest["name"], "version": __version__}
    published.update({k: v for k, v in manifest.items()
                      if k not in ("//", "name", "devDependencies", "optionalDependencies", "private")})
    return published


def build_npm(out):
    with tempfile.TemporaryDirectory() as staging:
        os.makedirs(os.path.join(staging, "dist"))
        for name in asset_names():
            shutil.copyfile(os.path.join(build.ASSETS, name), os.path.join(staging, "dist", name))
        for name in NPM_EXTRA:
            shutil.copyfile(os.path.join(ROOT, name), os.path.join(staging, name))
        os.makedirs(os.path.join(staging, "bin"))
        for name, source in NPM_TOOLS.items():
            if source is None:
                with open(os.path.join(staging, name), "w", encoding="utf-8") as handle:
                    handle.write(validator_source())
            else:
                shutil.copyfile(source, os.path.join(staging, name))
        os.chmod(os.path.join(staging, "bin", "consent-banner-validate.js"), 0o755)
        with open(os.path.join(staging, "package.json"), "w", encoding="utf-8") as handle:
            json.dump(npm_manifest(), handle, indent=2)
        subprocess.run(["npm", "pack", "--silent", "--pack-destination", os.path.abspath(out)], cwd=staging,
                       check=True, stdout=subprocess.DEVNULL)
    tarball = os.path.join(out, "consent-banner-%s.tgz" % __version__)
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
    expected = {"package/dist/" + n for n in asset_names()} | {
        "package/" + n for n in NPM_EXTRA + ["package.json"] + list(NPM_TOOLS)}
    if expected - names:
        sys.exit("package: the npm tarball lacks %s" % ", ".join(sorted(expected - names)))
    return tarball


def listing(path):
    """(name, size) of every file in a wheel or a tarball."""
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as archive:
            return [(i.filename, i.file_size) for i in archive.infolist()]
    with tarfile.open(path) as archive:
        return [(m.name, m.size) for m in archive.getmembers() if m.isfile()]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build the wheel and the npm tarball.")
    parser.add_argument("--out", default=os.path.join(ROOT, "dist"), help="where to write them (default dist/)")
    parser.add_argument("--list", action="store_true", help="print every file of both packages with its size")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    release()
    packages = [build_wheel(args.out), build_npm(args.out)]
    for package in packages:
        print("%s  %d bytes" % (os.path.relpath(package), os.path.getsize(package)))
        if args.list:
            for name, size in listing(package):
                print("    %-60s %9d" % (name, size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
