"""The fixtures of the CPython tests of the pure core (plain values and helpers are in core_kit.py).

Fixtures are session-scoped, so hypothesis tests may use them too; the bad-manifest table is injected by
`pytest_generate_tests`.
"""

import copy
import json
import os
import re

import pytest

from banner.config import parse_config
from banner.manifest import parse_manifest
from banner.server.host import regex_ok as regex_ok_impl

from core_kit import ROOT, FIXTURES

DEMO_MANIFEST = os.path.join(ROOT, "demo", "site", "cookies.json")
SCHEMA = os.path.join(ROOT, "banner", "manifest.schema.json")

# Every fixture in fixtures/bad/, each broken in exactly one way:
#   name -> (languages to parse for, path of the one problem, words of its message, schema can see it)
# "schema can see it" is False for the rules JSON Schema cannot express (listed in the schema's
# top-level description): those fixtures must still be valid under the schema.
BAD_MANIFESTS = {
    "category_id_uppercase": (["fr", "en"], "categories[1].id", "must be 1-32 characters", True),
    "category_id_too_long": (["fr", "en"], "categories[1].id", "must be 1-32 characters", True),
    "duplicate_category_id": (["fr", "en"], "categories[2].id", "duplicate id 'analytics'", False),
    "no_required_category": (["fr", "en"], "categories", "exactly one category", True),
    "two_required_categories": (["fr", "en"], "categories", "(found 2)", True),
    "required_yes": (["fr", "en"], "categories[1].required", "must be true or false", True),
    "unknown_category_field": (["fr", "en"], "categories[0]", "unknown field 'colour'", True),
    "unknown_cookie_field": (["fr", "en"], "cookies[0]", "unknown field 'expires'", True),
    "unknown_top_level_field": (["fr", "en"], "", "unknown field 'version'", True),
    "revision_string": (["fr", "en"], "revision", "must be an integer", True),
    "revision_zero": (["fr", "en"], "revision", "must be an integer", True),
    "revision_too_large": (["fr", "en"], "revision", "must be an integer", True),
    "missing_revision": (["fr", "en"], "", "missing field 'revision'", True),
    "empty_categories": (["fr", "en"], "categories", "must be a non-empty list", True),
    "cookies_not_a_list": (["fr", "en"], "cookies", "must be a list", True),
    "schema_not_a_string": (["fr", "en"], "$schema", "must be a string", True),
    "unknown_cookie_category": (["fr", "en"], "cookies[0].category", "unknown category 'marketing'", False),
    "cookie_missing_purpose": (["fr", "en"], "cookies[0]", "missing field 'purpose'", True),
    "cookie_name_with_space": (["fr", "en"], "cookies[0].name", "must be a cookie name", True),
    "duplicate_cookie_name": (["fr", "en"], "cookies[1].name", "duplicate cookie 'sessionid'", False),
    "bad_storage": (["fr", "en"], "cookies[0].storage", 'must be "cookie", "local" or "session"', True),
    "empty_match": (["fr", "en"], "cookies[0].match", "must be a non-empty string", True),
    "null_match": (["fr", "en"], "cookies[0].match", "must be a non-empty string", True),
    "invalid_regex": (["fr", "en"], "cookies[0].match", "invalid regular expression", False),
    "nested_repetition_match": (["fr", "en"], "cookies[1].match", "nested repetition can take exponential time",
                                False),
    "consent_cookie_in_optional_category": (["fr", "en"], "cookies[2].category",
                                            "'cookies_preferences' is the banner's own consent cookie", False),
    "consent_cookie_matched_by_optional_match": (["fr", "en"], "cookies[1].match",
                                                 "matches 'cookies_preferences', the banner's own consent cookie",
                                                 False),
    "multilingual_only_string": (["fr", "en"], "cookies[0].multilingualOnly", "must be true or false", True),
    "blank_description": (["fr", "en"], "categories[0].description", "must not be empty", True),
    "text_not_a_string": (["fr", "en"], "cookies[0].lifetime", "must be a string or an object", True),
    "uppercase_language_key": (["fr"], "categories[0].title", "'EN' is not a language code", True),
    "empty_translation": (["fr", "en"], "categories[0].title.en", "must be a non-empty string", True),
    "missing_english_title": (["fr", "en"], "categories[0].title", "no text for language 'en'", False),
    "lone_surrogate": (["fr", "en"], "cookies[1].purpose.fr", "holds U+D800, a lone surrogate", False),
}


def pytest_generate_tests(metafunc):
    """`bad_manifest` parametrizes over every bad fixture; `schema_bad_manifest` / `prose_bad_manifest`
    over those the schema can / cannot see. Each value is (name, languages, path, message)."""
    for argname, keep in (("bad_manifest", lambda seen: True),
                          ("schema_bad_manifest", lambda seen: seen),
                          ("prose_bad_manifest", lambda seen: not seen)):
        if argname in metafunc.fixturenames:
            names = sorted(n for n, spec in BAD_MANIFESTS.items() if keep(spec[3]))
            metafunc.parametrize(argname, [(n,) + BAD_MANIFESTS[n][:3] for n in names], ids=names)


@pytest.fixture(scope="session")
def bad_manifest_names():
    return sorted(BAD_MANIFESTS)


def _regex_test(pattern, name):
    return re.search(pattern, name) is not None


@pytest.fixture(scope="session")
def regex_ok():
    """What the CLI passes to parse_manifest: does Python's `re` compile this pattern?"""
    return regex_ok_impl


@pytest.fixture(scope="session")
def regex_test():
    """What the page's RegExp.test does, with Python's `re.search`: (pattern, name) -> bool."""
    return _regex_test


def _read_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="session")
def fixture_path():
    """fixture_path("good/basic") -> absolute path of tests/core/fixtures/good/basic.json."""
    return lambda name: os.path.join(FIXTURES, name + ".json")


@pytest.fixture(scope="session")
def load_fixture():
    """load_fixture("good/full") -> a fresh decoded copy of that fixture (tests may mutate it)."""
    cache = {}

    def load(name):
        if name not in cache:
            cache[name] = _read_json(os.path.join(FIXTURES, name + ".json"))
        return copy.deepcopy(cache[name])
    return load


@pytest.fixture(scope="session")
def demo_path():
    return DEMO_MANIFEST


@pytest.fixture(scope="session")
def demo_data():
    """The demo site's manifest, decoded (a fresh copy per call)."""
    data = _read_json(DEMO_MANIFEST)
    return lambda: copy.deepcopy(data)


@pytest.fixture(scope="session")
def schema():
    return _read_json(SCHEMA)


@pytest.fixture(scope="session")
def parse():
    """parse(data, languages=("fr",)) -> Manifest, with the CLI's regex check."""
    return lambda data, languages=("fr",): parse_manifest(data, languages, regex_ok_impl)


@pytest.fixture(scope="session")
def manifest_data():
    """manifest_data(optional_ids, required_id="necessary", revision=1) -> a minimal valid manifest whose
    categories are the required one followed by the given optional ones, one exact-name cookie each."""
    def build(optional_ids=("analytics",), required_id="necessary", revision=1):
        ids = [required_id] + list(optional_ids)
        categories = [{"id": cid, "title": "T " + cid, "description": "D " + cid} for cid in ids]
        categories[0]["required"] = True
        cookies = [{"name": "c_" + cid, "provider": "P", "category": cid, "lifetime": "1 an", "purpose": "X"}
                   for cid in ids]
        return {"revision": revision, "categories": categories, "cookies": cookies}
    return build


@pytest.fixture(scope="session")
def config():
    """config(**data_config) -> Config, with manifest "/cookies.json" unless given."""
    def build(**data):
        data.setdefault("manifest", "/cookies.json")
        return parse_config(data)[0]
    return build


@pytest.fixture
def demo(parse, demo_data):
    """The demo portal's manifest, parsed for French and English."""
    return parse(demo_data(), ["fr", "en"])
