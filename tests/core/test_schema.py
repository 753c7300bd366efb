"""banner/manifest.schema.json against banner.manifest: the editor's view and the banner's view of a
manifest must agree wherever JSON Schema can express the rule."""

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

jsonschema = pytest.importorskip("jsonschema")
from jsonschema import Draft202012Validator, FormatChecker  # noqa: E402

from banner.errors import ManifestError  # noqa: E402
from banner.manifest import MAX_CATEGORIES  # noqa: E402

from core_kit import FIXTURES  # noqa: E402

GOOD = sorted(f[:-5] for f in os.listdir(os.path.join(FIXTURES, "good")) if f.endswith(".json"))


def ecma_anchors(node):
    """The schema with each pattern's final `$` written `\\Z`: JSON Schema patterns are ECMA-262 regular
    expressions, whose `$` matches only at the very end, but jsonschema runs them with Python's `re`,
    whose `$` also matches before a final newline (so "0\\n" would pass as a cookie name)."""
    if isinstance(node, dict):
        return {key: (value[:-1] + "\\Z" if key == "pattern" and isinstance(value, str) and value.endswith("$")
                      and not value.endswith("\\$") else ecma_anchors(value))
                for key, value in node.items()}
    if isinstance(node, list):
        return [ecma_anchors(item) for item in node]
    return node


@pytest.fixture(scope="module")
def validator(schema):
    return Draft202012Validator(ecma_anchors(schema))


def errors(validator, data):
    return list(validator.iter_errors(data))


def parser_accepts(parse, data, languages=("fr",)):
    try:
        parse(data, languages)
    except ManifestError:
        return False
    return True


def test_the_schema_is_a_valid_draft_2020_12_schema(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_describes_every_property_it_declares(schema):
    undocumented = []

    def walk(node, path):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                is_annotation_only = set(sub) <= {"pattern", "const"}   # the else/contains refinements
                if not is_annotation_only and not (sub.get("title") and sub.get("description")):
                    undocumented.append(path + "/" + name)
            for key, sub in node.items():
                walk(sub, path + "/" + key)
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, "%s/%d" % (path, i))
    walk(schema, "#")
    assert undocumented == []


def test_the_schema_description_lists_the_rules_it_cannot_express(schema):
    prose = schema["description"]
    for rule in ("unique", "declared in `categories`", "regular expression", "every language",
                 "lone surrogate", "cookies_preferences", "nested repetition"):
        assert rule in prose


def test_the_demo_manifest_is_valid_against_the_schema(validator, demo_data):
    assert errors(validator, demo_data()) == []


@pytest.mark.parametrize("name", GOOD)
def test_each_good_fixture_is_valid_against_the_schema_and_the_parser(validator, parse, load_fixture, name):
    data = load_fixture("good/" + name)
    assert errors(validator, data) == []
    assert parser_accepts(parse, data, ["fr", "en"])


def test_a_schema_expressible_fault_is_refused_by_both_schema_and_parser(validator, parse, load_fixture,
                                                                       schema_bad_manifest):
    name, languages, path, _ = schema_bad_manifest
    data = load_fixture("bad/" + name)
    assert errors(validator, data) != [], "the schema accepts bad/%s.json" % name
    assert not parser_accepts(parse, data, languages)


def test_a_fault_only_the_prose_describes_leaves_the_fixture_schema_valid(validator, parse, load_fixture,
                                                                        prose_bad_manifest):
    # so each of these fixtures really tests its prose rule, and nothing else is wrong with it
    name, languages, path, _ = prose_bad_manifest
    data = load_fixture("bad/" + name)
    assert errors(validator, data) == []
    assert not parser_accepts(parse, data, languages)


def test_with_format_assertion_the_schema_also_refuses_an_invalid_regex(schema, load_fixture):
    checking = Draft202012Validator(schema, format_checker=FormatChecker())
    assert errors(checking, load_fixture("bad/invalid_regex")) != []
    assert errors(checking, load_fixture("good/full")) == []


def test_the_schema_and_the_parser_agree_on_the_number_of_categories(validator, parse, schema, manifest_data):
    assert schema["properties"]["categories"]["maxItems"] == MAX_CATEGORIES
    for count, accepted in ((MAX_CATEGORIES, True), (MAX_CATEGORIES + 1, False)):
        data = manifest_data(["c%d" % i for i in range(count - 1)])
        assert len(data["categories"]) == count
        assert (errors(validator, data) == []) is accepted
        assert parser_accepts(parse, data) is accepted


def test_the_schema_points_the_editor_at_the_faulty_field(validator, load_fixture):
    found = errors(validator, load_fixture("bad/cookie_name_with_space"))
    assert [list(e.absolute_path) for e in found] == [["cookies", 0, "name"]]


# --- the string rules, drawn at random: the schema's patterns and text.py's loops must agree ------------

SAMPLE = st.text(alphabet=st.sampled_from("aZz09_-.; é\t\"=:,/ß!~|`'"), max_size=40) | st.text(max_size=12)
settings_ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings_
@given(value=SAMPLE)
def test_schema_and_parser_agree_on_which_category_ids_are_valid(validator, parse, manifest_data, value):
    data = manifest_data(["analytics"])
    data["categories"][1]["id"] = data["cookies"][1]["category"] = value
    assert (errors(validator, data) == []) == parser_accepts(parse, data)


@settings_
@given(value=SAMPLE, storage=st.sampled_from([None, "cookie", "local"]))
def test_schema_and_parser_agree_on_which_cookie_names_are_valid(validator, parse, manifest_data, value, storage):
    data = manifest_data(["analytics"])
    data["cookies"][1]["name"] = value
    if storage:
        data["cookies"][1]["storage"] = storage
    assert (errors(validator, data) == []) == parser_accepts(parse, data)


@settings_
@given(value=SAMPLE)
def test_schema_and_parser_agree_on_which_language_codes_are_valid(validator, parse, manifest_data, value):
    data = manifest_data(["analytics"])
    data["categories"][1]["title"] = {"fr": "Statistiques", value: "Statistics"}
    assert (errors(validator, data) == []) == parser_accepts(parse, data)


@settings_
@given(value=st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\u00a0\u2003\u3000ab"), max_size=6))
def test_schema_and_parser_agree_on_which_texts_are_blank(validator, parse, manifest_data, value):
    data = manifest_data(["analytics"])
    data["categories"][1]["description"] = value
    data["cookies"][1]["purpose"] = {"fr": value}
    assert (errors(validator, data) == []) == parser_accepts(parse, data)


@settings_
@given(paths=st.lists(SAMPLE.map(lambda v: "/" + v) | SAMPLE, max_size=3),
       storage=st.sampled_from([None, "cookie", "local", "session"]))
def test_schema_and_parser_agree_on_which_cookie_paths_are_valid(validator, parse, manifest_data, paths, storage):
    data = manifest_data(["analytics"])
    data["cookies"][1]["paths"] = paths
    if storage:
        data["cookies"][1]["storage"] = storage
    assert (errors(validator, data) == []) == parser_accepts(parse, data)


@pytest.mark.parametrize("field", ["category id", "cookie name", "language code"])
def test_a_final_newline_is_refused_by_both_schema_and_parser(validator, parse, manifest_data, field):
    """Regression: Python's `$` let the schema accept "name\n" where the page's RegExp refuses it."""
    data = manifest_data(["analytics"])
    if field == "category id":
        data["categories"][1]["id"] = data["cookies"][1]["category"] = "analytics\n"
    elif field == "cookie name":
        data["cookies"][1]["name"] = "_pk_id\n"
    else:
        data["categories"][1]["title"] = {"fr": "Statistiques", "en\n": "Statistics"}
    assert errors(validator, data) != [], "the schema accepts a %s ending in a newline" % field
    assert not parser_accepts(parse, data)
