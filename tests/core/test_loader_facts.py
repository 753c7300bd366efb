"""The loader (static/src/consent.js) and Python agree: the facts it uses come from banner/loader_facts.py,
and the rules it must apply before Python runs give, under node, the answers Python gives on one shared
table of cases (shared_cases.json)."""

import ast
import json
import os
import re
import shutil
import subprocess

import pytest

from banner import loader_facts
from banner.cookies import CONSENT_COOKIE, parse_cookie_header
from banner.fnv import base36, code_points, utf16
from banner.i18n import pick_language
from banner.session import gpc_answers

from core_kit import read
NODE = shutil.which("node")       # installed with npm, which `make setup` needs anyway

with open(os.path.join(os.path.dirname(__file__), "shared_cases.json"), encoding="utf-8") as handle:
    CASES = json.load(handle)


def loader_source():
    return read("static", "src", "consent.js")


def js_function(source, name):
    """The text of `function name(...) { ... }` at the loader's top level (two-space indent)."""
    match = re.search(r"^  function %s\(.*?^  }$" % name, source, re.S | re.M)
    assert match, "the loader defines no function %s" % name
    return match.group(0)


def run_in_node(names, calls):
    """Evaluate the loader's functions `names` (with its filled-in facts) and return the JSON value of
    each JavaScript expression in `calls`."""
    source = loader_source()
    script = "var facts = %s;\n%s\nconsole.log(JSON.stringify([%s]));" % (
        json.dumps(loader_facts.facts()), "\n".join(js_function(source, n) for n in names), ",\n".join(calls))
    result = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def js(value):
    return json.dumps(value, ensure_ascii=False)


# --- the shared table, in Python ------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES["fnv"], ids=lambda c: repr(c["text"]))
def test_fnv_variants_give_the_shared_vectors(case):
    assert code_points(case["text"]) == case["code_points"]
    assert utf16(case["text"]) == case["utf16"]
    assert base36(case["utf16"]) == case["utf16_base36"]
    assert base36(case["code_points"], 6) == case["code_points_base36_6"]


def test_the_two_fnv_variants_differ_beyond_the_basic_plane_only():
    differ = [c["text"] for c in CASES["fnv"] if c["code_points"] != c["utf16"]]
    assert differ == ["x\U0001F600y"]


@pytest.mark.parametrize("case", CASES["pick_language"], ids=lambda c: c["html_lang"] or "none")
def test_python_picks_the_shared_language(case):
    assert pick_language(case["languages"], case["requested"], case["html_lang"]) == case["expected"]


@pytest.mark.parametrize("case", CASES["config_key"], ids=lambda c: c["key"])
def test_python_computes_the_shared_prerender_key(case):
    assert loader_facts.config_key(case["config"]) == case["key"]


@pytest.mark.parametrize("case", CASES["gpc_answers"], ids=str)
def test_python_applies_the_shared_gpc_rule(case):
    respect = case["config"].get("respectGPC", loader_facts.facts()["respectGPC"])
    assert gpc_answers(case["signal"], respect) is case["expected"]


@pytest.mark.parametrize("case", CASES["consent_cookie_present"], ids=lambda c: c["cookie"] or "empty")
def test_python_finds_the_consent_cookie_as_the_table_says(case):
    assert any(name == CONSENT_COOKIE for name, _ in parse_cookie_header(case["cookie"])) is case["expected"]


# --- the same table, in the loader's JavaScript ---------------------------------------------------------

def test_the_loader_gives_the_shared_answers():
    calls, expected = [], []
    for case in CASES["fnv"]:
        calls.append("fnv(%s)" % js(case["text"]))
        expected.append(case["utf16_base36"])
    for case in CASES["pick_language"]:
        calls.append("pickLanguage(%s, %s, %s)" % (js(case["languages"]), js(case["requested"]), js(case["html_lang"])))
        expected.append(case["expected"])
    for case in CASES["config_key"]:
        calls.append("configKey(%s)" % js(case["config"]))
        expected.append(case["key"])
    for case in CASES["gpc_answers"]:
        calls.append("gpcAnswers(%s, %s)" % (js(case["config"]), js(case["signal"])))
        expected.append(case["expected"])
    for case in CASES["consent_cookie_present"]:
        calls.append("consentCookiePresent(%s)" % js(case["cookie"]))
        expected.append(case["expected"])
    answers = run_in_node(["fnv", "pickLanguage", "configKey", "gpcAnswers", "consentCookiePresent"], calls)
    assert [(c, a) for c, a, e in zip(calls, answers, expected) if a != e] == []


# --- the facts ------------------------------------------------------------------------------------------

def test_every_fact_the_loader_reads_is_written_by_python():
    used = set(re.findall(r"\bfacts\.(\w+)", loader_source()))
    assert used <= set(loader_facts.facts()), used - set(loader_facts.facts())


def test_the_loader_has_one_facts_block_and_no_copy_of_a_fact():
    source = loader_source()
    assert source.count(loader_facts.PLACEHOLDER) == 1
    filled = loader_facts.fill(source)
    assert loader_facts.PLACEHOLDER not in filled
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", source, flags=re.S)     # comments may name them
    for value in loader_facts.facts().values():
        if isinstance(value, str) and len(value) > 3:
            assert json.dumps(value) not in code, "%r is written out in the loader" % value


def test_the_api_stand_in_offers_exactly_the_methods_python_installs():
    stand_in = re.search(r"window\.consentBanner = window\.consentBanner \|\| \{(.*?)\n  \};", loader_source(), re.S)
    assert stand_in
    loader_methods = set(re.findall(r"^\s*(\w+):", stand_in.group(1), re.M))     # methods and `version`
    tree = ast.parse(read("banner", "ui", "boot.py"))
    python_methods = {node.targets[0].attr for node in ast.walk(tree) if isinstance(node, ast.Assign)
                      and isinstance(node.targets[0], ast.Attribute) and getattr(node.targets[0].value, "id", "") == "api"}
    assert python_methods and loader_methods == python_methods
