"""The release step compiles every module of every bundle with Brython's own compiler (the pinned
runtime's, in Node): same sources give the same bytes, every bundle is stamped with the runtime build
it was compiled by, the loader carries the same stamp, and each bundle holds only generated JavaScript
(no Python source for the page to compile)."""

import importlib
import json
import re

import pytest

STAMP = re.compile(r'^__consentBoot\.bundle\("([^"]+)",(\{.*?\}),(\{.*\})\);\n$', re.S)


@pytest.fixture(scope="module")
def build():
    return importlib.import_module("banner.build")


@pytest.fixture(scope="module")
def bundles(build):
    return build.bundles()


def runtime_build(build):
    """The version and build timestamp written in the shipped brython.js itself."""
    with open(build.brython_runtime(), encoding="utf-8") as handle:
        text = handle.read()
    version = re.search(r"^// version \[(\d+), (\d+), (\d+),", text, re.M).groups()
    timestamp = re.search(r"__BRYTHON__\.timestamp=(\d+)", text).group(1)
    return "%s+%s" % (".".join(version), timestamp)


def parsed(text):
    match = STAMP.match(text)
    assert match, text[:200]
    return match.group(1), json.loads(match.group(2)), json.loads(match.group(3))


def test_the_same_sources_give_the_same_bytes(build, bundles):
    again = build.bundles()                      # a second Node process, a fresh runtime
    assert again.keys() == bundles.keys()
    for name in bundles:
        assert again[name] == bundles[name], "%s differs between two builds" % name


def test_every_module_of_every_bundle_is_compiled_for_the_shipped_runtime(build, bundles):
    expected = runtime_build(build)
    names = {name for name, _source, _package in build.modules()}
    seen = set()
    assert {"consent.brython.js", "consent-extra.js", "consent-lang-de.js", "consent-lang-ar.js"} <= set(bundles)
    for file, text in bundles.items():
        stamp, vfs, code = parsed(text)
        assert stamp == expected, file
        assert vfs.keys() == code.keys()
        for module, entry in vfs.items():
            assert entry[1] == "", "%s ships Python source for %s" % (file, module)
            js = code[module][0] if entry[3:] == [1] else code[module]
            # Brython's scope name for the module: what its precompiled import path evaluates.
            scope = r"locals_%s\s*=\s*[\w$]+\.namespace\(%s\)" % (module.replace(".", "_"), re.escape(json.dumps(module)))
            assert re.search(scope, js), module
        seen |= set(vfs)
    assert seen == names


def test_the_loader_expects_the_runtime_its_bundles_are_compiled_for(build):
    source = build.loader_source(runtime=runtime_build(build))
    assert 'var runtime = "%s";' % runtime_build(build) in source


def test_the_shipped_runtime_has_no_compiler_but_keeps_what_generated_code_calls(build):
    with open(build.brython_runtime(), encoding="utf-8") as handle:
        full = handle.read()
    cut = build.without_compiler(full)
    assert len(cut) < len(full) * 0.7
    for gone in ("$B.Parser=", "$B._PySymtable_Build=", "$B._PyPegen="):
        assert gone in full and gone not in cut, gone
    for kept in ("$B.resolve=", "$B.resolve_local=", "$B.scope_name=", "$B.decode_position=", "$B.is_XID_Start=",
                 "__BRYTHON__.timestamp="):
        assert kept in cut, kept


def test_a_runtime_that_does_not_mark_its_compiler_is_refused(build):
    with pytest.raises(build.BuildError):
        build.without_compiler("var __BRYTHON__ = {};\n")
