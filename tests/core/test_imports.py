"""What each module may import. The core runs in Brython, where no standard library is shipped (no `re`,
`json`, `typing`, `dataclasses`...), and in CPython, where there is no `browser`: so `banner/*.py` import
only each other, and only `banner/ui/` may touch the browser.

The exceptions are the CPython side of the boundary: the CLI (`__main__.py`) and the folders the release
step (tools/release.py) leaves out of the page bundle, CPYTHON_SUBPACKAGES (`server/`, `django/`,
`audit/`): the lists are read from the build script, so a module is exempt here exactly when the page
never loads it, and the page side never imports from those folders."""

import ast
import glob
import os

import pytest

from core_kit import ROOT


def _cpython_only(name="CPYTHON_ONLY"):
    with open(os.path.join(ROOT, "tools", "release.py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [name]:
            return set(ast.literal_eval(node.value))
    raise AssertionError("tools/release.py defines no %s" % name)


CPYTHON_ONLY = _cpython_only()
CPYTHON_SUBPACKAGES = _cpython_only("CPYTHON_SUBPACKAGES")
CORE = sorted(p for p in glob.glob(os.path.join(ROOT, "banner", "*.py")) if os.path.basename(p) not in CPYTHON_ONLY)
LANG = sorted(glob.glob(os.path.join(ROOT, "banner", "lang", "*.py")))
UI = sorted(glob.glob(os.path.join(ROOT, "banner", "ui", "*.py")))
UI_ROOTS = ("banner", "browser", "javascript")


def imports(source):
    """(module, level) for every import in the source, wherever it is (function bodies, try blocks...);
    `__import__(...)` and `importlib` count as an import of "__import__"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
        elif isinstance(node, ast.Name) and node.id == "__import__":
            found.append(("__import__", 0))
    return found


def core_violations(source):
    """Core modules may only import relatively, from inside the banner package."""
    return [module or "." for module, level in imports(source) if level == 0]


def ui_violations(source):
    """UI modules may import the banner package (absolutely or relatively), browser and javascript."""
    return [module for module, level in imports(source)
            if level == 0 and module.split(".")[0] not in UI_ROOTS]


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


NEW_CORE = ("fingerprint.py", "google.py", "record.py")


def test_the_cli_and_the_server_side_are_left_out_of_the_page_bundle_and_the_core_is_not():
    assert CPYTHON_ONLY == {"__main__.py"}
    assert {"server", "django", "audit"} == CPYTHON_SUBPACKAGES
    server = {os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "banner", "server", "*.py"))}
    # json, sqlite3, http.server, the build, the prerender: never in the page
    assert {"receiver.py", "build.py", "prerender.py", "host.py", "document.py"} <= server
    for core in ("__init__.py", "config.py", "consent.py", "cookies.py", "manifest.py", "session.py",
                 "text.py") + NEW_CORE:
        assert os.path.exists(os.path.join(ROOT, "banner", core)) and core not in CPYTHON_ONLY


def _page_side():
    """Every module the page may load: the core, the strings, the shell."""
    return CORE + LANG + UI


def test_the_page_side_imports_nothing_from_the_cpython_side():
    """The boundary, read from the folders: no arrow from the page's modules to the server side, the
    Django app, the audit or the command line."""
    crossing = []
    for path in _page_side():
        package = ["banner"] + [p for p in os.path.relpath(os.path.dirname(path), os.path.join(ROOT, "banner"))
                                .split(os.sep) if p != "."]
        for module, level in imports(read(path)):
            base = package[:len(package) - (level - 1)] if level else []
            absolute = base + (module.split(".") if module else [])
            if absolute[:1] == ["banner"] and len(absolute) > 1 and (
                    absolute[1] in CPYTHON_SUBPACKAGES or absolute[1] == "__main__"):
                crossing.append((os.path.relpath(path, ROOT), module, level))
    assert crossing == []



def test_the_server_side_the_audit_and_the_django_app_are_cpython_only_subpackages_the_page_never_loads():
    from core_kit import release_step
    modules = release_step().modules
    assert {"audit", "django"} <= CPYTHON_SUBPACKAGES     # the audit drives Chromium over a pipe, with the stdlib
    shipped = [name for name, _, _ in modules()]
    assert "banner.session" in shipped
    assert [name for name in shipped if name.startswith(("banner.server", "banner.audit", "banner.django"))] == []


def test_the_core_module_list_covers_the_package():
    names = [os.path.basename(p) for p in CORE]
    for expected in ("__init__.py", "config.py", "consent.py", "cookies.py", "errors.py", "i18n.py",
                     "manifest.py", "session.py", "text.py") + NEW_CORE:
        assert expected in names
    assert "receiver.py" not in names


@pytest.mark.parametrize("path", [p for p in LANG if not p.endswith("__init__.py")],
                         ids=[os.path.basename(p) for p in LANG if not p.endswith("__init__.py")])
def test_a_language_module_imports_nothing(path):
    assert imports(read(path)) == []


def test_the_language_package_imports_only_its_own_language_modules():
    source = read(os.path.join(ROOT, "banner", "lang", "__init__.py"))
    assert imports(source) == [("__import__", 0), ("__import__", 0)]
    calls = [node for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__"]
    assert [ast.unparse(c.args[0]) for c in calls] == ["'banner.lang.' + code", "'banner.lang.' + code + '_more'"]


LAZY_INIT = os.path.join(ROOT, "banner", "__init__.py")


@pytest.mark.parametrize("path", CORE, ids=[os.path.basename(p) for p in CORE])
def test_a_core_module_imports_only_from_the_banner_package(path):
    found = core_violations(read(path))
    if path == LAZY_INIT:                 # its lazy exports are checked just below
        found = [m for m in found if m != "__import__"]
    assert found == []


def test_the_package_init_lazily_imports_only_banner_modules():
    source = read(LAZY_INIT)
    calls = [node for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__"]
    assert [ast.unparse(c.args[0]) for c in calls] == ["'banner.' + _EXPORTS[name]"]


@pytest.mark.parametrize("path", CORE, ids=[os.path.basename(p) for p in CORE])
def test_a_core_module_never_imports_the_ui(path):
    assert not [m for m, level in imports(read(path)) if level >= 1 and m.split(".")[0] == "ui"]


def test_every_ui_module_imports_only_banner_browser_and_javascript():
    violations = {os.path.relpath(p, ROOT): ui_violations(read(p)) for p in UI}
    assert {path: found for path, found in violations.items() if found} == {}


# The checks above pass vacuously if `imports` misses something; these show what they catch.

@pytest.mark.parametrize("source, expected", [
    ("import re", ["re"]),
    ("import json as j", ["json"]),
    ("from typing import List", ["typing"]),
    ("from dataclasses import dataclass", ["dataclasses"]),
    ("import enum, datetime", ["enum", "datetime"]),
    ("from browser import document", ["browser"]),
    ("import javascript", ["javascript"]),
    ("from banner.text import is_identifier", ["banner.text"]),
    ("def f():\n    import re\n    return re", ["re"]),
    ("try:\n    import re\nexcept ImportError:\n    re = None", ["re"]),
    ("m = __import__('re')", ["__import__"]),
    ("from .text import is_identifier\nfrom . import errors", []),
])
def test_the_core_check_catches_every_absolute_import(source, expected):
    assert core_violations(source) == expected


@pytest.mark.parametrize("source, expected", [
    ("from browser import document, window\nimport javascript\nfrom banner.session import Session", []),
    ("from ..session import Session\nimport browser.timer", []),
    ("import re", ["re"]),
    ("from json import loads", ["json"]),
    ("import browserish", ["browserish"]),
])
def test_the_ui_check_allows_only_banner_browser_and_javascript(source, expected):
    assert ui_violations(source) == expected


def test_nothing_in_the_package_imports_the_command_line():
    """The CLI is the top of the CPython side: the Django app, the build and the audit take what they share
    with it (banner/server/host.py) from below, so no import goes up to it and none comes back round."""
    importers = []
    for path in glob.glob(os.path.join(ROOT, "banner", "**", "*.py"), recursive=True):
        if os.path.basename(path) == "__main__.py":
            continue
        for module, _level in imports(read(path)):
            if module.split(".")[-1] == "__main__":
                importers.append(os.path.relpath(path, ROOT))
    assert importers == []


def test_no_two_test_modules_share_a_name():
    """pytest imports test modules by their base name (the test folders are not packages): a second
    test_x.py in another folder stops the whole run at collection, on CI, with nothing tested."""
    names = {}
    for path in glob.glob(os.path.join(ROOT, "tests", "**", "*.py"), recursive=True):
        names.setdefault(os.path.basename(path), []).append(os.path.relpath(path, ROOT))
    shared = {name: paths for name, paths in names.items()
              if len(paths) > 1 and name not in ("__init__.py", "conftest.py")}     # pytest tells conftests apart
    assert shared == {}


def package_modules():
    """{dotted name: path} of every module of the banner package, on both sides of the boundary."""
    found = {}
    for path in glob.glob(os.path.join(ROOT, "banner", "**", "*.py"), recursive=True):
        name = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
        found[name[:-len(".__init__")] if name.endswith(".__init__") else name] = path
    return found


def import_graph(modules):
    """{module: the package modules it imports}, every import counted (those inside functions too: a lazy
    import is still an arrow), `from pkg import mod` pointing at the module it names."""
    graph = {}
    for name, path in modules.items():
        package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(read(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
                targets.update(base + "." + a.name if base + "." + a.name in modules else base for a in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph):
    """Each import circle, as the modules on it (depth-first search for a back edge)."""
    found, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                found.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"
    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_circles_back_not_even_through_an_import_inside_a_function():
    assert cycles(import_graph(package_modules())) == []


def test_the_circle_check_finds_a_circle_through_a_lazy_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
