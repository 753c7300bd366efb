"""The release step compiles every module of every bundle with Brython's own compiler (the pinned
runtime's, in Node): same sources give the same bytes, every bundle is stamped with the runtime build
it was compiled by, the loader carries the same stamp, and each bundle holds only generated JavaScript
(no Python source for the page to compile)."""

import importlib
import json
import os
import re
import subprocess

import pytest

# The first line is V8's compile hint (banner/build.py COMPILE_HINT): it only counts there.
STAMP = re.compile(r'^//# allFunctionsCalledOnLoad\n__consentBoot\.bundle\("([^"]+)",(\{.*?\}),(\{.*\})\);\n$', re.S)


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


# Runs a bundle in Node with a stand-in loader: its stamp, VFS entries and modules (each module a
# function, or a one-element list holding the function of a package), as their source text.
BUNDLE_IN_NODE = r"""
globalThis.__consentBoot = {bundle: (stamp, vfs, code) => {
  const out = {};
  for (const name in code) {
    const f = Array.isArray(code[name]) ? code[name][0] : code[name];
    if (typeof f !== "function") { throw new Error(name + " is not a function"); }
    out[name] = Array.isArray(code[name]) ? [String(f)] : String(f);
  }
  process.stdout.write(JSON.stringify([stamp, vfs, out]));
}};
require("vm").runInThisContext(require("fs").readFileSync(0, "utf-8"));
"""


def parsed(text):
    assert STAMP.match(text), text[:200]
    result = subprocess.run(["node", "-e", BUNDLE_IN_NODE], input=text, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


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
            # Brython's scope name for the module: the one argument of the function its precompiled
            # import path calls, which the function returns.
            scope = "locals_" + module.replace(".", "_")
            assert js.startswith("function(%s){" % scope) and js.endswith("return %s}" % scope), module
            assert re.search(r"%s\s*=\s*[\w$]+\.namespace\(%s\)" % (scope, re.escape(json.dumps(module))), js), module
        seen |= set(vfs)
    assert seen == names


def test_generated_code_keeps_no_line_numbers_or_position_tables(bundles):
    """Only a printed traceback read them (the page holds no Python source to underline)."""
    for text in bundles.values():
        for module, js in parsed(text)[2].items():
            js = js[0] if isinstance(js, list) else js
            assert "set_lineno" not in js and "positions=" not in js, module


def test_page_code_using_what_the_shipped_runtime_leaves_out_is_refused(build):
    assert [p for name, source, _ in build.modules() for p in build.left_out_uses(name, source)] == []
    source = 'x = b"a"\ny = "a".encode()\nmatch y:\n case 1:\n  pass\nopen("f")\nz = 1j\nw = eval("1")\n'
    found = " ".join(build.left_out_uses("m", source))
    for what in ("line 1 uses bytes literal", "line 2 uses .encode()", "line 3 uses match", "line 6 uses open",
                 "line 7 uses complex literal", "line 8 uses eval"):
        assert what in found


def test_generated_code_calling_what_the_shipped_runtime_left_out_fails_the_build(build):
    with pytest.raises(build.BuildError, match=r"m uses \$B\.pattern_match"):
        build.compile_modules([("m", "match x:\n case 1:\n  pass\n", False)], unavailable=["pattern_match"])
    with pytest.raises(build.BuildError, match=r"m uses _b_\.open"):
        build.compile_modules([("m", "open('f')\n", False)], unavailable=["_b_.open"])
    assert build.compile_modules([("m", "x = len('f')\n", False)], unavailable=["pattern_match", "_b_.open"])


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


# The runtime in steps (tools/split_runtime.js): brython.js hands all but its first step to the loader,
# which evaluates one per task; loaded on its own it still runs whole.

STEPS_IN_NODE = r"""
const shipped = process.argv[1], steps = [];
globalThis.self = globalThis;
globalThis.location = new URL("http://localhost/");
globalThis.addEventListener = () => {};
globalThis.document = {currentScript: {src: "http://localhost/brython.js"}, addEventListener: () => {},
                       dispatchEvent: () => {}, querySelectorAll: () => [], getElementsByTagName: () => []};
if (process.argv[2] === "loader") { globalThis.__consentBoot = {runtimeSteps: (s) => steps.push(...s)}; }
globalThis.module = {};                      // brython.js exports itself to Node's module system
require("vm").runInThisContext(require("fs").readFileSync(shipped, "utf-8"), {filename: "brython.js"});
const B = globalThis.__BRYTHON__, before = typeof B.resolve_local;
steps.forEach((step) => step());
const probe = B.builtins.str.$factory("naïve").toUpperCase ? "str" : "?";
process.stdout.write(JSON.stringify({steps: steps.length, before, after: typeof B.resolve_local,
  version: B.version_info.slice(0, 3).join("."), timestamp: B.timestamp, stdlib: typeof B.builtins.len,
  docs: typeof globalThis.docs, tokenizer: typeof B.tokenizer, probe, path: B.brython_path,
  typeDocs: Object.values(B.builtin_types).filter((t) => typeof t.tp_doc === "string").length,
  types: Object.keys(B.builtin_types).length, complex: typeof B.make_complex, open: typeof B.builtins.open,
  bytes: typeof B.fast_bytes,
  len: B.builtins.len(B.builtins.str.$factory("abc"))}));
"""


@pytest.fixture(scope="module")
def shipped_runtime(build):
    path = os.path.join(build.ASSETS, "brython.js")
    if not os.path.exists(path):
        pytest.skip("no built runtime (make build)")
    return path


def run_runtime(shipped, mode):
    result = subprocess.run(["node", "-e", STEPS_IN_NODE, shipped, mode], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_shipped_runtime_hands_its_evaluation_to_the_loader_in_steps(build, shipped_runtime):
    stepped = run_runtime(shipped_runtime, "loader")
    assert stepped["steps"] >= 10
    assert stepped["before"] == "undefined", "the runtime ran whole before the loader's steps"
    assert stepped["after"] == "function"
    assert "%s+%s" % (stepped["version"], stepped["timestamp"]) == runtime_build(build)
    assert stepped["path"] == "http://localhost/", "brython_path is the directory brython.js was loaded from"
    with open(shipped_runtime, encoding="utf-8") as handle:
        assert handle.readline() == "//# allFunctionsCalledOnLoad\n", "V8 compiles it off the main thread"


def test_the_docs_give_the_number_of_runtime_steps_the_build_makes(build, shipped_runtime):
    """README and the architecture note say how many steps the runtime is evaluated in: within 15 % of the
    build's count, so that the next change of the cut cannot leave two numbers behind."""
    stepped = run_runtime(shipped_runtime, "loader")["steps"]
    said = []
    for name in ("README.md", os.path.join("docs", "architecture.md")):
        with open(os.path.join(build.ROOT, name), encoding="utf-8") as handle:
            text = " ".join(handle.read().split())
        said += [(name, int(n)) for n in re.findall(r"(?:evaluated in|About) (?:about )?(\d+) (?:short )?steps", text)]
    assert len(said) >= 2, said
    assert all(abs(n - stepped) <= 0.15 * stepped for _, n in said), (stepped, said)


def test_the_shipped_runtime_loaded_on_its_own_runs_whole(shipped_runtime):
    whole = run_runtime(shipped_runtime, "alone")
    assert whole["steps"] == 0 and whole["before"] == "function" and whole["stdlib"] == "function"


def test_the_shipped_runtime_leaves_out_the_tokenizer_the_ast_and_the_builtins_docstrings(shipped_runtime):
    whole = run_runtime(shipped_runtime, "alone")
    assert whole["tokenizer"] == "undefined" and whole["docs"] == "undefined"
    assert whole["types"] > 150 and whole["typeDocs"] == 0, "the built-in types still carry their docstrings"
    assert whole["complex"] == "undefined" and whole["open"] == "undefined" and whole["bytes"] == "undefined"
    assert whole["len"] == 3


def split(build, source, **change):
    request = {"source": source, "pieceChars": 10, "prune": None, "slice": None}
    request.update(change)
    result = subprocess.run(["node", build.SPLITTER], input=json.dumps(request), capture_output=True, text=True)
    return result.returncode, result.stderr


DIST_LIKE = ('"use strict";\nvar __BRYTHON__=globalThis.__BRYTHON__ ||{}\n;\n'
             '(function($B){var this_url=document.currentScript.src\n$B.a=1})(__BRYTHON__)\n;\nvar $B=__BRYTHON__\n$B.b=2\n;\n'
             '(function($B){var _b_=$B.builtins\nfunction helper(){return 3}\n$B.kept=function(){return helper()}\n'
             '$B.gone=function(){return 4}\n$B.tokens=[]})(__BRYTHON__)\n;\n(function($B){$B.c=$B.gone})(__BRYTHON__)\n')


def test_a_dist_of_the_expected_layout_is_cut_into_steps(build):
    assert split(build, DIST_LIKE) == (0, "")
    prune = {"anchors": ["$B.tokens="], "keep": ["kept"], "drop": ["gone"]}
    assert split(build, DIST_LIKE, prune=prune) == (0, "")


@pytest.mark.parametrize("broken, message", [
    (DIST_LIKE.replace("\nvar $B=", "\nlet $B="), "unexpected top-level declaration"),
    (DIST_LIKE.replace('"use strict";\n', ""), "use strict"),
    (DIST_LIKE.replace("(function($B){var this_url=document.currentScript.src\n$B.a=1})", "[$B.a=1].map"),
     "before the first"),
    (DIST_LIKE.replace("this_url=document.currentScript.src", "this_url=location.href"), "currentScript"),
])
def test_a_dist_laid_out_otherwise_fails_the_build(build, broken, message):
    code, error = split(build, broken)
    assert code != 0 and message in error, error


def test_a_loop_to_slice_that_is_not_there_fails_the_build(build):
    loop = {"loop": "for(var x of $B.none){f(x)}}", "item": "f(x)", "into": 2}
    code, error = split(build, DIST_LIKE, slice=loop)
    assert code != 0 and "loop to slice" in error, error


TYPES_LIKE = (';\n(function($B){var _b_=$B.builtins\n$B.builtin_types={}\nfunction init_type(ns,name,data){}\n'
              'var slots=["tp_name","tp_doc","tp_bases"]\ninit_type(_b_,"object",["object",`The base class.\nOf all.`,[]])\n'
              'init_type(_b_,"int",["int",$B.NULL,[_b_.object]])})(__BRYTHON__)\n;\n')


def split_result(build, source, **change):
    request = {"source": source, "pieceChars": 10, "prune": None, "slice": None}
    request.update(change)
    result = subprocess.run(["node", build.SPLITTER], input=json.dumps(request), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_docstrings_of_built_in_types_become_null(build):
    script = split_result(build, DIST_LIKE + TYPES_LIKE, typeDocs="tp_doc")["script"]
    assert "The base class" not in script
    assert 'init_type(_b_,"object",["object",$B.NULL,[]])' in script
    assert 'init_type(_b_,"int",["int",$B.NULL,[_b_.object]])' in script
    code, error = split(build, DIST_LIKE, typeDocs="tp_doc")
    assert code != 0 and "init_type" in error, error
    code, error = split(build, DIST_LIKE + TYPES_LIKE, typeDocs="tp_other")
    assert code != 0 and "tp_other" in error, error


def test_pruning_reports_what_it_removed_and_catches_names_defined_in_chains(build):
    chained = DIST_LIKE.replace("$B.gone=function(){return 4}", "var gone=$B.gone=function(){return 4}\n"
                                "var g=_b_.open=function(){}").replace("$B.c=$B.gone", "$B.c=$B.gone,$B.d=_b_.open")
    prune = {"anchors": ["$B.tokens="], "keep": ["kept"], "drop": ["gone"]}
    code, error = split(build, chained, prune=prune)
    assert code != 0 and "_b_.open" in error and "$B.gone" not in error, error
    prune["drop"].append("_b_.open")
    result = split_result(build, chained.replace("$B.c=$B.gone", "$B.builtin_funcs=['len','open','ord']\n$B.c=$B.gone"),
                          prune=prune)
    assert result["removed"] == ["_b_.open", "gone", "tokens"]
    # the runtime logs every name of that list it cannot find among the builtins
    assert "$B.builtin_funcs=['len','ord']" in result["script"]


def test_a_pruned_file_defining_what_the_runtime_uses_fails_the_build_unless_listed(build):
    code, error = split(build, DIST_LIKE, prune={"anchors": ["$B.tokens="], "keep": ["kept"], "drop": []})
    assert code != 0 and "$B.gone" in error
    code, error = split(build, DIST_LIKE, prune={"anchors": ["$B.nowhere="], "keep": [], "drop": []})
    assert code != 0 and "$B.nowhere=" in error
