"""The loader (static/src/consent.js) and Python agree: the facts it uses come from banner/server/loader_facts.py,
and the rules it must apply before Python runs give, under node, the answers Python gives on one shared
table of cases (shared_cases.json)."""

import ast
import json
import os
import re
import shutil
import subprocess

import pytest

from banner.server import loader_facts
from banner.cookies import CONSENT_COOKIE, parse_cookie_header
from banner.fnv import base36, code_points, utf16
from banner.i18n import pick_language
from banner.session import gpc_answers

from core_kit import read, release_step
NODE = shutil.which("node")       # installed with npm, which `make setup` needs anyway

with open(os.path.join(os.path.dirname(__file__), "shared_cases.json"), encoding="utf-8") as handle:
    CASES = json.load(handle)


def loader_source():
    """The loader as written, its rules (rules.js) in their place."""
    return read("static", "src", "consent.js").replace("  /*RULES*/\n", release_step().rules_source("  "))


def run_in_node(calls, prelude=""):
    """Evaluate the loader's rules (static/src/rules.js, whole, with its filled-in facts, after `prelude`)
    and return the JSON value of each JavaScript expression in `calls`."""
    script = "var facts = %s;\n%s\n%s\nconsole.log(JSON.stringify([%s]));" % (
        json.dumps(loader_facts.facts()), prelude, release_step().rules_source(), ",\n".join(calls))
    result = subprocess.run([NODE], input=script, capture_output=True, text=True, timeout=60)
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
        calls.append("fnvPoints(%s)" % js(case["text"]))     # the page's banner.fnv.code_points
        expected.append(case["code_points"])
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
    answers = run_in_node(calls)
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


# --- the early path: a stored choice judged by the loader before Python runs -----------------------------

EARLY = CASES["early"]


def early_manifest():
    from banner.manifest import parse_manifest
    return parse_manifest(EARLY["config"]["manifest"], EARLY["config"]["languages"])


def early_facts():
    """What a portal's build writes into its loader for this data-config (prerendered.early)."""
    return loader_facts.early(EARLY["config"], early_manifest())


def consent_json(consent):
    if consent is None:
        return None
    return {"version": consent.version, "revision": consent.revision, "decided_at": consent.decided_at,
            "consent_id": consent.consent_id, "accepted": list(consent.accepted),
            "fingerprints": consent.fingerprints, "decided": consent.decided, "providers": consent.providers}


def masks(s):
    """The providers masks a Session applies: {category: mask} of the accepted categories offering a choice
    per provider that the visitor accepted for some providers only."""
    return {c: s._mask(c) for c in s.accepted if s._mask(c) is not None}


def session(cookie, now):
    from banner.config import parse_config
    from banner.session import Session
    config, _ = parse_config(EARLY["config"])
    return Session(early_manifest(), config, cookie, now, gpc=True)      # an explicit choice wins over GPC


# decodeConsent's answer under Python's attribute names
AS_PYTHON = ("(function (c) { return c && {version: c.version, revision: c.revision, decided_at: c.decidedAt, "
             "consent_id: c.consentId, accepted: c.accepted, fingerprints: c.fingerprints, decided: c.decided, "
             "providers: c.providers}; })")


def run_early(calls):
    return run_in_node(calls, "var early = %s;" % js(early_facts()))


def test_exempt_measurement_not_yet_answered_is_on_without_gpc_and_off_with_it_as_in_python():
    from banner.config import parse_config
    from banner.session import Session
    config, _ = parse_config(EARLY["config"])
    cookie = [c for c in EARLY["standing"] if c["name"] == "valid"][0]
    answers = run_early(["standingChoice(%s, early, %d, %s).accepted" % (js(cookie["cookie"]), cookie["now"], gpc)
                         for gpc in ("false", "true")])
    expected = [Session(early_manifest(), config, cookie["cookie"], cookie["now"], gpc=gpc).accepted
                for gpc in (False, True)]
    assert answers == expected and "audience" in expected[0] and "audience" not in expected[1]


def test_the_early_cases_cover_what_they_claim():
    kinds = {c["name"].split(" ")[0] for c in EARLY["standing"]}
    assert {"valid", "expired", "tampered", "old", "changed", "format", "garbage"} <= kinds
    assert any(len(c["value"]) > 3800 for c in EARLY["decode"]) and any(c["expected"] for c in EARLY["decode"])
    assert any(c["decided_at"] for c in EARLY["standing"]) and any(c["decided_at"] is None for c in EARLY["standing"])
    assert any(c["expected"] and c["expected"]["providers"] for c in EARLY["decode"])
    assert any("-" in c["value"].split(".")[-1] and c["expected"] is None for c in EARLY["decode"])
    assert any(masks(session(c["cookie"], c["now"])) for c in EARLY["standing"])
    assert {c["expected"] for c in EARLY["verdicts"]} == {"run", "skip", "stop"}


@pytest.mark.parametrize("case", EARLY["decode"], ids=lambda c: c["value"][:40])
def test_python_decodes_the_shared_cookie_values(case):
    from banner.cookies import decode_consent
    assert consent_json(decode_consent(case["value"])) == case["expected"]


@pytest.mark.parametrize("case", EARLY["standing"], ids=lambda c: c["name"])
def test_python_judges_the_shared_stored_choices(case):
    s = session(case["cookie"], case["now"])
    assert (s.consent.decided_at if s.consent else None) == case["decided_at"]
    assert s.accepted == case["accepted"]


def python_runs(case):
    """Whether Python runs a blocked script: a declared third party (Manifest.undeclared) whose provider
    (Manifest.provider_of) the standing choice allows (Session.allows)."""
    manifest, s = early_manifest(), session(case["cookie"], case["now"])
    args = (case["category"], case["named"], case["src"], case["page_host"])
    return manifest.undeclared(*args) is None and s.allows(case["category"], manifest.provider_of(*args))


@pytest.mark.parametrize("case", EARLY["verdicts"], ids=lambda c: "%s %s %s" % (c["category"], c["named"], c["src"]))
def test_python_runs_a_script_of_a_category_with_a_mask_for_its_accepted_providers_only(case):
    if case["expected"] != "stop":                   # "stop": the loader leaves it to Python, either way
        assert python_runs(case) is (case["expected"] == "run")


@pytest.mark.parametrize("case", [c for c in EARLY["plain_hosts"] if c["host"] is not None], ids=lambda c: c["src"])
def test_python_reads_the_host_of_every_url_the_loader_judges(case):
    from banner.text import host_of, is_safe_url
    assert is_safe_url(case["src"]) and host_of(case["src"]) == case["host"]


@pytest.mark.parametrize("case", EARLY["undeclared"], ids=lambda c: "%s %s %s" % (c["category"], c["named"], c["src"]))
def test_python_refuses_the_shared_undeclared_third_parties(case):
    verdict = early_manifest().undeclared(case["category"], case["named"], case["src"], case["page_host"])
    assert (verdict is not None) is case["expected"]


@pytest.mark.parametrize("case", EARLY["clear"], ids=lambda c: "%s %s" % (c["storage"], c["present"]))
def test_python_clears_the_shared_names(case):
    from banner.cookies import names_to_clear
    found = names_to_clear(early_manifest(), case["accepted"], case["present"],
                           lambda pattern, name: re.search(pattern, name) is not None, case["storage"])
    assert found == case["expected"]


def test_the_loader_judges_stored_choices_as_python_does():
    calls, expected = [], []
    for case in EARLY["decode"]:
        calls.append("%s(decodeConsent(%s))" % (AS_PYTHON, js(case["value"])))
        expected.append(case["expected"])
    for case in EARLY["standing"]:
        calls.append("(function (s) { return [s.consent && s.consent.decidedAt, s.accepted, s.masks]; })"
                     "(standingChoice(%s, early, %d, true))" % (js(case["cookie"]), case["now"]))      # as session()
        expected.append([case["decided_at"], case["accepted"], masks(session(case["cookie"], case["now"]))])
    for case in EARLY["verdicts"]:
        calls.append("scriptVerdict(early, earlyPlan(%s, early, %d, true), %s, %s, %s, %s)" % (
            js(case["cookie"]), case["now"], js(case["category"]), js(case["named"]), js(case["src"]),
            js(case["page_host"])))
        expected.append(case["expected"])
    for case in EARLY["plain_hosts"]:
        calls.append("plainHost(%s)" % js(case["src"]))
        expected.append(case["host"])
    for case in EARLY["undeclared"]:
        calls.append("undeclared(early, %s, %s, %s === null ? '' : plainHost(%s), %s)" % (
            js(case["category"]), js(case["named"]), js(case["src"]), js(case["src"]), js(case["page_host"])))
        expected.append(case["expected"])
    for case in EARLY["clear"]:
        calls.append("namesToClear(early, %s, %s, %s, function (p, n) { return new RegExp(p).test(n); })" % (
            js(case["accepted"]), js(case["present"]), js(case["storage"])))
        expected.append(case["expected"])
    answers = run_early(calls)
    assert [(c[:160], a, e) for c, a, e in zip(calls, answers, expected) if a != e] == []


def test_the_loader_reads_a_storage_area_only_where_python_would():
    """The early path reads localStorage or sessionStorage (its first read loads the area) only where
    Manifest.declares says the manifest keeps an entry: on the shared manifest and on copies of it
    keeping entries in one area only."""
    from banner.manifest import parse_manifest
    data, calls, expected = EARLY["config"]["manifest"], [], []
    for kept in (None, "cookie", "local", "session"):
        cookies = [c for c in data["cookies"] if kept is None or c.get("storage", "cookie") == kept]
        manifest = parse_manifest(dict(data, cookies=cookies), EARLY["config"]["languages"])
        facts = loader_facts.early(dict(EARLY["config"], manifest=dict(data, cookies=cookies)), manifest)
        for storage in ("cookie", "local", "session"):
            calls.append("declares(%s, %s)" % (js(facts), js(storage)))
            expected.append(manifest.declares(storage))
    assert expected.count(True) == 6 and expected.count(False) == 6      # each area both kept and not
    assert run_in_node(calls) == expected


def test_the_loader_never_runs_early_what_python_would_not_accept_when_it_starts():
    """The plan runs only categories Python accepts at any moment until the margin has passed (Python
    starts in between), and the named cases give the plans a person expects."""
    margin = loader_facts.facts()["earlyMarginMs"]
    cases = EARLY["standing"]
    plans = run_early(["earlyPlan(%s, early, %d, true)" % (js(c["cookie"]), c["now"]) for c in cases])
    for case, plan in zip(cases, plans):
        if plan is None:
            continue
        for later in (0, 1, margin // 2, margin):
            assert set(plan["run"]) <= set(session(case["cookie"], case["now"] + later).accepted), case["name"]
        assert set(plan["wait"]) <= set(session(case["cookie"], case["now"]).accepted), case["name"]
    by_name = {case["name"]: plan for case, plan in zip(cases, plans)}
    for name, plan in EARLY["plans"].items():
        assert by_name[name] == plan, name


def test_a_script_the_loader_cannot_judge_stops_the_early_queue_there():
    plan = {"run": ["necessary", "analytics"], "wait": ["video"], "masks": {}}
    calls = ["scriptVerdict(early, %s, %s, %s, %s, 'portal.example.fr')" % (js(plan), js(c), js(n), js(s), )
             for c, n, s in [("analytics", None, None), ("analytics", "Matomo", "https://stats.example.org/m.js"),
                             ("analytics", None, "https://evil.example/m.js"), ("analytics", None, "https:\\\\x/y.js"),
                             ("analytics", None, "javascript:alert(1)"), ("video", None, None),
                             ("ads", None, None), ("necessary", None, "/own.js")]]
    assert run_early(calls) == ["run", "run", "skip", "stop", "stop", "stop", "skip", "run"]


def test_the_early_facts_hash_the_config_as_the_loader_does():
    config = dict(EARLY["config"], policyUrl="/pages/cookies/é😀")
    assert run_in_node(["fnv(JSON.stringify(JSON.parse(%s)))" % js(json.dumps(config, indent=2))]) == \
        [loader_facts.config_hash(config)]


def test_the_early_path_is_off_where_python_must_act_first_or_cannot_be_checked():
    manifest = early_manifest()
    assert loader_facts.early(EARLY["config"], manifest) is not None
    google = dict(EARLY["config"], googleConsentMode={"analytics": ["analytics_storage"]})
    assert loader_facts.early(google, manifest) is None          # its "default" signal goes before any tag
    by_url = dict(EARLY["config"], manifest="/cookies.json")
    assert loader_facts.early(by_url, manifest) is None           # a manifest text it cannot compare
    assert loader_facts.early(by_url, manifest, "{}")["manifest"] == loader_facts.text_hash("{}")
