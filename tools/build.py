"""Build the files a portal serves, into static/dist/:

    consent.js          the loader (static/src/consent.js)
    consent.css         the styles (static/src/consent.css)
    brython.js          the Brython runtime, copied from the pinned `brython` package (pyproject.toml)
    consent.brython.js  our `banner` package as one Brython VFS bundle (docstrings and comments removed)

Our own bundler instead of `brython-cli make_package`: that one needs CPython >= 3.12 and ignores
--exclude-dirs; ours runs on 3.11 and leaves out CPython-only modules (the CLI).
"""

import ast
import json
import os
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = os.path.join(ROOT, "static", "dist")
PACKAGE = "banner"
CPYTHON_ONLY = {"__main__.py"}


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
    """Python source without docstrings or comments (ast round trip): what the page compiles."""
    tree = _StripDocstrings().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def bundle(package_dir=os.path.join(ROOT, PACKAGE)):
    vfs = {"$timestamp": int(time.time() * 1000)}
    for dirpath, dirnames, filenames in os.walk(package_dir):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        rel = os.path.relpath(dirpath, os.path.dirname(package_dir)).split(os.sep)
        for filename in sorted(filenames):
            if not filename.endswith(".py") or filename in CPYTHON_ONLY:
                continue
            with open(os.path.join(dirpath, filename), encoding="utf-8") as handle:
                source = compact_source(handle.read())
            if filename == "__init__.py":
                vfs[".".join(rel)] = [".py", source, [], 1]
            else:
                vfs[".".join(rel + [filename[:-3]])] = [".py", source, []]
    return "__BRYTHON__.loadBrythonPackage(%s);\n" % json.dumps(vfs, ensure_ascii=False, separators=(",", ":"))


def brython_runtime():
    try:
        import brython
    except ImportError:
        sys.exit("build: the 'brython' package is missing; run `make build` (it installs it from pyproject.toml)")
    return os.path.join(os.path.dirname(brython.__file__), "data", "brython.js")


def main():
    os.makedirs(DIST, exist_ok=True)
    shutil.copyfile(brython_runtime(), os.path.join(DIST, "brython.js"))
    for name in ("consent.js", "consent.css"):
        shutil.copyfile(os.path.join(ROOT, "static", "src", name), os.path.join(DIST, name))
    with open(os.path.join(DIST, "consent.brython.js"), "w", encoding="utf-8") as out:
        out.write(bundle())
    for name in sorted(os.listdir(DIST)):
        print("  static/dist/%-20s %9d bytes" % (name, os.path.getsize(os.path.join(DIST, name))))


if __name__ == "__main__":
    main()
