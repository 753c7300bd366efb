"""Two manifests that used to pass `validate` and start without a word, now refused as they are read (by the
page's parser, `consent-banner validate` and the npm validator, in the same words):

- the banner's own consent cookie in a category a visitor may refuse, by name or by a `match`: « Tout
  refuser » deleted the refusal with the refused cookies, and the banner asked again on every page;
- a `match` that repeats a group holding a repetition (`^(a+)+$`): tested on a long cookie name that almost
  matches, it froze the page for seconds at start-up.

The clean-up spares the consent cookie even in a manifest that never went through the parser."""

import copy
import glob
import json
import os
import re
import shutil

import pytest

from banner.cookies import CONSENT_COOKIE, names_to_clear, withdrawal_strings
from banner.errors import ManifestError
from banner.manifest import nested_repetition, parse_manifest
from banner.server.host import regex_ok

from core_kit import FIXTURES, ROOT, validator_problems

NODE = shutil.which("node")
DEMO = os.path.join(ROOT, "demo", "site", "cookies.json")
CONSENT_AT, ANALYTICS_AT = 2, 4              # the demo's cookies_preferences and demo_analytics entries


def demo():
    with open(DEMO, encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["cookies"][CONSENT_AT]["name"] == CONSENT_COOKIE
    assert data["cookies"][ANALYTICS_AT]["category"] == "analytics"
    return data


def problems(data, languages=("fr", "en")):
    try:
        parse_manifest(data, languages, regex_ok)
    except ManifestError as error:
        return [tuple(p) for p in error.problems]
    return []


# --- the consent cookie ------------------------------------------------------------------------------------

def consent_cookie_in_analytics():
    data = demo()
    data["cookies"][CONSENT_AT]["category"] = "analytics"
    return data


def consent_cookie_matched():
    data = demo()
    del data["cookies"][CONSENT_AT]
    data["cookies"][ANALYTICS_AT - 1]["match"] = "^(demo_analytics|cookies_).*$"
    return data


def test_the_consent_cookie_declared_in_an_optional_category_is_refused_naming_the_field():
    assert problems(consent_cookie_in_analytics()) == [(
        "cookies[2].category", "'cookies_preferences' is the banner's own consent cookie, which holds the "
        "visitor's choice: it belongs to the required category, not to 'analytics', whose refusal would delete it")]


def test_an_optional_category_whose_match_takes_the_consent_cookie_is_refused_naming_the_field():
    assert problems(consent_cookie_matched()) == [(
        "cookies[3].match", "'^(demo_analytics|cookies_).*$' matches 'cookies_preferences', the banner's own "
        "consent cookie, which holds the visitor's choice: refusing 'analytics' would delete it")]


@pytest.mark.parametrize("pattern", [".*", "_", "preferences$", "^cookies", "^COOKIES_PREF|^cookies_pref"])
def test_any_pattern_finding_the_consent_cookie_name_anywhere_is_refused(pattern):
    data = demo()
    data["cookies"][ANALYTICS_AT]["match"] = pattern
    assert [p[0] for p in problems(data)] == ["cookies[4].match"]


def test_an_exempt_category_may_not_take_the_consent_cookie_either():
    data = demo()
    data["categories"][1]["exempt"] = True
    for entry in data["cookies"]:
        entry["maxAgeDays"] = 182
    assert problems(data) == []
    data["cookies"][CONSENT_AT]["category"] = "analytics"
    assert [p[0] for p in problems(data)] == ["cookies[2].category"]


def test_the_consent_cookie_may_be_declared_in_the_required_category_or_not_at_all():
    assert problems(demo()) == []
    without = demo()
    del without["cookies"][CONSENT_AT]
    assert problems(without) == []
    broad = demo()
    broad["cookies"][0]["match"] = "^(sessionid|cookies_.*)$"     # the required category may name it
    assert problems(broad) == []


def test_a_storage_key_of_the_same_name_in_an_optional_category_is_not_the_cookie():
    data = demo()
    data["cookies"].append({"name": CONSENT_COOKIE, "storage": "local", "provider": "Outil", "category": "analytics",
                            "lifetime": "13 mois", "purpose": "Mesure", "match": "^cookies_"})
    assert problems(data) == []


def unchecked(data):
    """A manifest as the parser would have built it, had it no rule about the consent cookie."""
    categories = data["categories"]
    moved = [e for e in data["cookies"] if e["name"] == CONSENT_COOKIE]
    for entry in moved:
        entry["category"] = "necessary"
    manifest = parse_manifest(data, ["fr", "en"], regex_ok)
    for info in manifest.cookies:
        if info.name == CONSENT_COOKIE:
            info.category = categories[1]["id"]
    return manifest


def regex_test(pattern, name):
    return re.search(pattern, name) is not None


def test_the_clean_up_never_deletes_the_consent_cookie_whatever_the_manifest_says():
    data = demo()
    data["cookies"][CONSENT_AT]["paths"] = ["/explore/"]
    manifest = unchecked(data)
    manifest.cookies[ANALYTICS_AT].match = "^(demo_analytics|cookies_).*$"
    present = [CONSENT_COOKIE, "demo_analytics", "sessionid"]
    assert names_to_clear(manifest, ["necessary"], present, regex_test) == ["demo_analytics"]
    strings = withdrawal_strings(manifest, ["necessary"], present, "portal.example.org", "/explore/x", regex_test,
                                 everywhere=True)
    assert strings and all(s.startswith("demo_analytics=") for s in strings)


def test_the_clean_up_still_deletes_a_local_storage_key_of_the_same_name():
    manifest = unchecked(demo())
    manifest.cookies[CONSENT_AT].storage = "local"
    assert names_to_clear(manifest, ["necessary"], [CONSENT_COOKIE], regex_test, storage="local") == [CONSENT_COOKIE]


# --- nested repetition -------------------------------------------------------------------------------------

REFUSED = [
    ("^(a+)+$", "(a+)+"),
    ("(a*)*", "(a*)*"),
    ("^(?:ab+)*c", "(?:ab+)*"),
    ("(\\d+,?)+x", "(\\d+,?)+"),
    ("^_x(.*)*$", "(.*)*"),
    ("((a)+b)+", "((a)+b)+"),                    # a repetition deeper inside counts too
    ("(a{1,3})+$", "(a{1,3})+"),
    ("(a{2,})*", "(a{2,})*"),
    ("(a+){2,}", "(a+){2,}"),
    ("(a+){2,5}", "(a+){2,5}"),
    ("(a+)+?b", "(a+)+?"),                       # lazy is no faster on a failing name
    ("^x(?=y)(?:[0-9]+)+$", "(?:[0-9]+)+"),
    ("[(]x(y+)+", "(y+)+"),
    ("\\(x(y+)+", "(y+)+"),
]

ACCEPTED = [                                      # none of them finds "cookies_preferences"
    "^_pk_(id|ses)\\.", "^_ga(_.*)?$", "^demo_analytics(_.*)?$", "^_ga_[0-9A-Za-z]+$",
    "^(_pcid|_pctx|_pprv|pa_vid|pa_user|atuserid)$",
    "\\(a+\\)+",                                  # escaped parentheses: no group
    "[(a+)]+",                                    # a class: "(", "+" and ")" are characters there
    "([a+])+",                                    # a group repeated, but nothing repeats inside it
    "(a{2})+", "^x(a{3,3})*",                     # a fixed count is no repetition
    "^x(a+)?", "(a+){1}", "^x(a+){0,1}",          # a group taken at most once
    "^x(a?)+", "x{2,}(ab)+", "a+b*(cd)*",
]


@pytest.mark.parametrize("pattern, group", REFUSED, ids=[p for p, _ in REFUSED])
def test_a_match_repeating_a_group_that_repeats_is_refused_with_the_reason(pattern, group):
    data = demo()
    data["cookies"][ANALYTICS_AT]["match"] = pattern
    assert problems(data) == [("cookies[4].match", "nested repetition can take exponential time: %r repeats a "
                                                   "group that itself holds a repetition" % group)]


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_a_match_without_nested_repetition_is_accepted(pattern):
    data = demo()
    data["cookies"][ANALYTICS_AT]["match"] = pattern
    assert problems(data) == []


def patterns_in_the_repository():
    """Every `match` written in the demo, the good fixtures, the README and the docs."""
    files = [DEMO] + glob.glob(os.path.join(ROOT, "demo", "site", "*.json")) + \
        glob.glob(os.path.join(FIXTURES, "good", "*.json")) + [os.path.join(ROOT, "README.md")] + \
        glob.glob(os.path.join(ROOT, "docs", "*.md")) + [os.path.join(ROOT, "tests", "core", "shared_cases.json")]
    found = set()
    for name in files:
        with open(name, encoding="utf-8") as handle:
            for literal in re.findall(r'"match":\s*("(?:[^"\\]|\\.)*")', handle.read()):
                found.add(json.loads(literal))
    return sorted(found)


def test_every_pattern_the_repository_shows_is_still_accepted():
    found = patterns_in_the_repository()
    assert "^_pk_(id|ses)\\." in found and "^demo_analytics(_.*)?$" in found
    assert [p for p in found if nested_repetition(p) is not None] == []


# --- the npm validator says the same --------------------------------------------------------------------

def with_match(pattern):
    data = demo()
    data["cookies"][ANALYTICS_AT]["match"] = pattern
    return data


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_npm_validator_refuses_and_accepts_the_same_manifests_in_the_same_words():
    manifests = [consent_cookie_in_analytics(), consent_cookie_matched(), demo()]
    manifests += [with_match(p) for p, _ in REFUSED] + [with_match(p) for p in ACCEPTED + patterns_in_the_repository()]
    expected = [problems(copy.deepcopy(m)) for m in manifests]
    assert sum(1 for e in expected if e) == 2 + len(REFUSED)
    found = validator_problems([(m, ["fr", "en"]) for m in manifests])
    assert [[tuple(p) for p in problems_of] for problems_of in found] == expected
