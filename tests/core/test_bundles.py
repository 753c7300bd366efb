"""The split between the start-up bundle (consent.brython.js) and the extra one (consent-extra.js) is
written by hand in banner/build.py (EXTRA); these tests check it against the import graph, so that a module
landing in the wrong bundle fails here rather than in a visitor's page (an ImportError at start, or
start-up paying to compile what it never runs)."""

import ast
import importlib.util

import pytest

START, EXTRA = "consent.brython.js", "consent-extra.js"


@pytest.fixture(scope="module")
def build():
    return importlib.import_module("banner.build")


@pytest.fixture(scope="module")
def graph(build):
    """{module: (bundle, top-level banner imports, banner imports inside functions)}"""
    sources = {name: (source, is_package) for name, source, is_package in build.modules()}
    result = {}
    for name, (source, is_package) in sources.items():
        top = set(build._module_imports(name, source, is_package, sources))
        everywhere = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):       # wherever it stands
                everywhere |= set(build._module_imports(name, ast.unparse(node), is_package, sources))
        result[name] = (build.bundle_name(name), top, everywhere - top)
    return result


def closure(graph, roots):
    """Every module executing `roots` imports at once (top-level imports, transitively)."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph[name][1])
    return seen


def test_start_up_imports_only_start_up_modules(graph):
    wrong = {m: graph[m][0] for m in closure(graph, ["banner.ui.boot"]) if graph[m][0] != START}
    assert wrong == {}


def test_every_start_up_module_is_imported_at_start(graph, build):
    """Besides the start-up closure of boot, only the first-layer strings of the languages in the start-up
    bundle (imported by name, banner.lang.table) may sit in it."""
    needed = closure(graph, ["banner.ui.boot"] + ["banner.lang." + c for c in build.IN_MAIN_BUNDLE])
    idle = sorted(m for m in graph if graph[m][0] == START and m not in needed)
    assert idle == []


def test_what_start_up_code_imports_later_is_in_the_extra_bundle(graph):
    start = closure(graph, ["banner.ui.boot"])
    lazy = {dep for m in start for dep in graph[m][2]} - start
    assert lazy, "the App imports the preferences centre on demand"
    wrong = {m: graph[m][0] for m in closure(graph, lazy) - start if graph[m][0] != EXTRA}
    assert wrong == {}


def test_every_extra_module_is_reached_from_start_up_code(graph):
    start = closure(graph, ["banner.ui.boot"])
    lazy = {dep for m in start for dep in graph[m][2]}
    extra = {m for m in graph if graph[m][0] == EXTRA and not m.startswith("banner.lang.")}
    assert extra - closure(graph, lazy) == set()
