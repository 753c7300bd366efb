"""Build the files a portal serves, into static/dist/:

    consent.js              the loader (static/src/consent.js, minified with terser when available)
    consent.css             the styles (static/src/consent.css, comments and spaces removed)
    brython.js              the Brython runtime from the pinned `brython` package (pyproject.toml), minified
                            with terser (-18 % gzip; cached in .build-cache/ since it takes seconds)
    consent.brython.js      the start-up bundle: the core, the first layer, French and English strings
    consent-extra.js        loaded when needed: preferences centre, policy page, embeds, reopen button,
                            Google Consent Mode, consent log
    consent-lang-XX.js      the strings of each other built-in language, loaded when data-config lists it

With `--prerender CONFIG.json --manifest MANIFEST.json` (the portal's data-config and manifest), the
first layer is rendered ahead of time by banner.ui.notice in CPython and embedded in consent.js, which
paints it at once on a first visit (tools/prerender.py). `make build` does this for the demo portal.

Bundles are Brython VFS packages (`__BRYTHON__.loadBrythonPackage`), written by our own bundler rather
than `brython-cli make_package`, which needs CPython >= 3.12 and ignores --exclude-dirs. Python source is
shipped without docstrings or comments, indented by one space.
"""

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = os.path.join(ROOT, "static", "dist")
SRC = os.path.join(ROOT, "static", "src")
PACKAGE = "banner"
CPYTHON_ONLY = {"__main__.py", "receiver.py"}
EXTRA = {"banner.ui.preferences", "banner.ui.tables", "banner.ui.policy", "banner.ui.embeds", "banner.ui.reopen",
         "banner.google", "banner.record"}          # plus the French and English `_more` strings
TERSER = os.path.join(ROOT, "node_modules", ".bin", "terser")

sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from banner.lang import SHIPPED, IN_MAIN_BUNDLE  # noqa: E402


class _StripDocstrings(ast.NodeTransformer):
    def _strip(self, node):
        self.generic_visit(node)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:] or [ast.Pass()]
        node.body = body
        return node

    visit_Module = visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _strip


def compact_source(source):
    """Python source without docstrings or comments, indented by one space: what the page compiles.
    ast.unparse writes one statement per line with 4-space indents and escapes newlines inside strings,
    so re-indenting the leading spaces cannot change a string."""
    tree = _StripDocstrings().visit(ast.parse(source))
    lines = ast.unparse(ast.fix_missing_locations(tree)).split("\n")
    out = []
    for line in lines:
        stripped = line.lstrip(" ")
        out.append(" " * ((len(line) - len(stripped)) // 4) + stripped)
    return "\n".join(out) + "\n"


def modules(package_dir=os.path.join(ROOT, PACKAGE)):
    """(module name, compact source, is package) for every module the page may import."""
    for dirpath, dirnames, filenames in os.walk(package_dir):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        rel = os.path.relpath(dirpath, os.path.dirname(package_dir)).split(os.sep)
        for filename in sorted(filenames):
            if not filename.endswith(".py") or filename in CPYTHON_ONLY:
                continue
            with open(os.path.join(dirpath, filename), encoding="utf-8") as handle:
                source = compact_source(handle.read())
            is_package = filename == "__init__.py"
            yield ".".join(rel if is_package else rel + [filename[:-3]]), source, is_package


def bundle_name(module):
    if module in EXTRA:
        return "consent-extra.js"
    if module.startswith("banner.lang."):
        code, _, part = module.split(".")[-1].partition("_")
        if code not in IN_MAIN_BUNDLE:
            return "consent-lang-%s.js" % code
        if part == "more":
            return "consent-extra.js"
    return "consent.brython.js"


def bundles():
    """{file name: JS text} for every Brython bundle."""
    grouped = {}
    stamp = int(time.time() * 1000)
    for name, source, is_package in modules():
        vfs = grouped.setdefault(bundle_name(name), {"$timestamp": stamp})
        vfs[name] = [".py", source, [], 1] if is_package else [".py", source, []]
    return {file: "__BRYTHON__.loadBrythonPackage(%s);\n" % json.dumps(vfs, ensure_ascii=False, separators=(",", ":"))
            for file, vfs in grouped.items()}


def _module_imports(name, source, is_package, known):
    """The banner modules a module imports when it is executed (top-level imports only: imports inside
    functions run later, on demand), parents included."""
    package = name if is_package else name.rsplit(".", 1)[0]
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found.append(base)
            found += [base + "." + alias.name for alias in node.names if base + "." + alias.name in known]
    result = []
    for module in found:
        parts = module.split(".")
        result += [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return [m for m in result if m in known and m != name]


def start_chunks(entry="banner.ui.boot", chunk_chars=1000):
    """The start-up modules in dependency order, grouped into chunks the loader imports one task at a
    time: compiling everything in one go would block the main thread for hundreds of milliseconds."""
    sources = {name: (source, is_package) for name, source, is_package in modules()
               if bundle_name(name) == "consent.brython.js"}
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for dep in _module_imports(name, sources[name][0], sources[name][1], sources):
            visit(dep)
        order.append(name)

    visit(entry)
    chunks, current, size = [], [], 0
    for name in order:
        current.append(name)
        size += len(sources[name][0])
        if size >= chunk_chars:
            chunks.append(current)
            current, size = [], 0
    return chunks + ([current] if current else [])


def loader_source(prerendered=None):
    with open(os.path.join(SRC, "consent.js"), encoding="utf-8") as handle:
        source = handle.read()
    extra_languages = [c for c in SHIPPED if c not in IN_MAIN_BUNDLE]
    source = source.replace("/*EXTRA_LANGUAGES*/[]", json.dumps(extra_languages))
    source = source.replace("/*START_CHUNKS*/[]", json.dumps(start_chunks(), separators=(",", ":")))
    return source.replace("/*PRERENDERED*/null", json.dumps(prerendered, ensure_ascii=False, separators=(",", ":")))


def prerendered(config_path, manifest_path=None):
    """The ahead-of-time first layer for a portal's data-config (whose manifest is inline, or in
    `manifest_path` when data-config names it by URL)."""
    from prerender import prerender
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    if isinstance(config.get("manifest"), dict):
        return prerender(config, config["manifest"])
    if not manifest_path:
        sys.exit("build: %s names its manifest by URL; give the file with --manifest" % config_path)
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    return prerender(config, manifest)


def minify_js(source):
    if not os.path.exists(TERSER):
        print("build: terser not installed (npm ci), consent.js left unminified", file=sys.stderr)
        return source
    result = subprocess.run([TERSER, "--compress", "--mangle", "--comments", "false"], input=source,
                            capture_output=True, text=True, check=True)
    return result.stdout


def minify_css(source):
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"\s+", " ", source)
    source = re.sub(r"\s*([{};,>])\s*", r"\1", source)
    return source.replace(";}", "}").strip() + "\n"


# Brython hands navigator.language to Intl.DateTimeFormat while brython.js is evaluated; a tag the engine
# rejects ("C" in WebKit under LANG=C.UTF-8) threw a RangeError and nothing of ours could start. The
# runtime we ship falls back to the engine's default locale instead.
RUNTIME_LANGUAGE = "$B.language=_window.navigator.userLanguage ||_window.navigator.language"
RUNTIME_LANGUAGE_SAFE = ("$B.language=(function(tag){try{new Intl.DateTimeFormat(tag);return tag}"
                         "catch(e){return undefined}})(_window.navigator.userLanguage ||_window.navigator.language)")


def robust_runtime(source):
    """brython.js with a browser locale it cannot parse made harmless (see RUNTIME_LANGUAGE)."""
    if source.count(RUNTIME_LANGUAGE) != 1:
        sys.exit("build: brython.js no longer reads navigator.language as tools/build.py expects; check that "
                 "start-up still survives an invalid locale (tests/browser/test_loader.py)")
    return source.replace(RUNTIME_LANGUAGE, RUNTIME_LANGUAGE_SAFE)


def minified_runtime(path):
    """brython.js made robust, then through terser, cached by content hash: 287 KB -> 234 KB gzip."""
    import hashlib
    with open(path, encoding="utf-8") as handle:
        source = robust_runtime(handle.read())
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    cached = os.path.join(ROOT, ".build-cache", "brython-%s.min.js" % digest)
    if not os.path.exists(cached):
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        with open(cached + ".src", "w", encoding="utf-8") as handle:
            handle.write(source)
        if not os.path.exists(TERSER):
            print("build: terser not installed (npm ci), brython.js left unminified", file=sys.stderr)
            os.replace(cached + ".src", cached)
            return cached
        subprocess.run([TERSER, cached + ".src", "--compress", "--mangle", "--comments", "false", "-o",
                        cached + ".tmp"], check=True)
        os.remove(cached + ".src")
        os.replace(cached + ".tmp", cached)
    return cached


def brython_runtime():
    try:
        import brython
    except ImportError:
        sys.exit("build: the 'brython' package is missing; run `make build` (it installs it from pyproject.toml)")
    return os.path.join(os.path.dirname(brython.__file__), "data", "brython.js")


def write(directory, name, text):
    with open(os.path.join(directory, name), "w", encoding="utf-8") as out:
        out.write(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build static/dist/.")
    parser.add_argument("--prerender", metavar="CONFIG.json", help="the portal's data-config, as JSON")
    parser.add_argument("--manifest", metavar="MANIFEST.json", help="the portal's cookie manifest (when "
                                                                     "data-config names it by URL)")
    parser.add_argument("--out", default=DIST, help="output directory (default static/dist)")
    args = parser.parse_args(argv)
    if args.manifest and not args.prerender:
        parser.error("--manifest goes with --prerender")
    first_layer = prerendered(args.prerender, args.manifest) if args.prerender else None
    out = os.path.abspath(args.out)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    shutil.copyfile(minified_runtime(brython_runtime()), os.path.join(out, "brython.js"))
    write(out, "consent.js", minify_js(loader_source(first_layer)))
    with open(os.path.join(SRC, "consent.css"), encoding="utf-8") as handle:
        write(out, "consent.css", minify_css(handle.read()))
    for name, text in sorted(bundles().items()):
        write(out, name, text)
    for name in sorted(os.listdir(out)):
        print("  %s/%-22s %9d bytes" % (os.path.relpath(out, ROOT), name, os.path.getsize(os.path.join(out, name))))


if __name__ == "__main__":
    main()
