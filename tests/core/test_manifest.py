"""banner.manifest: what an integrator sees when the cookie manifest is right, and when it is wrong."""

import json
import os

import pytest

from banner.errors import BannerError, ManifestError
from banner.manifest import MAX_CATEGORIES, Manifest, parse_manifest, text_languages
from core_kit import FIXTURES


def problems_of(parse, data, languages=("fr",)):
    with pytest.raises(ManifestError) as caught:
        parse(data, languages)
    return caught.value.problems


# --- good manifests -------------------------------------------------------------------------------------

@pytest.mark.parametrize("languages", [["fr", "en"], ["fr"]])
def test_the_demo_manifest_parses_for_the_languages_the_demo_offers(parse, demo_data, languages):
    manifest = parse(demo_data(), languages)
    assert isinstance(manifest, Manifest)
    assert manifest.revision == 1
    assert [c.id for c in manifest.categories] == ["necessary", "analytics"]
    assert [c.id for c in manifest.categories if c.required] == ["necessary"]
    assert manifest.optional_ids == ["analytics"]
    assert manifest.languages == languages
    assert [k.name for k in manifest.cookies] == [
        "sessionid", "csrftoken", "cookies_preferences", "django_language", "demo_analytics"]


def test_the_demo_manifest_keeps_both_translations_of_a_text(parse, demo_data):
    analytics = parse(demo_data(), ["fr", "en"]).category("analytics")
    assert analytics.title == {"fr": "Mesure d'audience", "en": "Audience measurement"}


def test_a_plain_string_text_serves_every_configured_language(parse, load_fixture):
    manifest = parse(load_fixture("good/basic"), ["fr", "en", "de"])
    title = manifest.category("analytics").title
    assert title == {"fr": "Mesure d'audience", "en": "Mesure d'audience", "de": "Mesure d'audience"}


def test_the_basic_fixture_parses_with_defaults_filled_in(parse, load_fixture):
    manifest = parse(load_fixture("good/basic"))
    stats = manifest.cookies[1]
    assert (stats.name, stats.category, stats.storage, stats.match, stats.multilingual_only) == (
        "stats", "analytics", "cookie", None, False)
    assert manifest.category("necessary").required is True
    assert manifest.category("analytics").required is False


def test_the_full_fixture_keeps_order_regexes_storage_and_flags(parse, load_fixture):
    manifest = parse(load_fixture("good/full"), ["fr", "en"])
    assert manifest.revision == 7
    assert [c.id for c in manifest.categories] == ["analytics", "necessary", "video", "social_media-2"]
    assert [c.id for c in manifest.categories if c.required] == ["necessary"]
    assert manifest.optional_ids == ["analytics", "video", "social_media-2"]
    by_key = {(k.storage, k.name): k for k in manifest.cookies}
    assert by_key[("cookie", "_ga")].match == "^_ga(_[A-Z0-9]+)?$"
    assert by_key[("local", "_ga")].match is None
    assert by_key[("local", "yt-player-quality")].category == "video"
    assert by_key[("cookie", "django_language")].multilingual_only is True
    assert by_key[("cookie", "VISITOR_INFO1_LIVE")].multilingual_only is False


def test_a_cookie_and_a_local_storage_key_may_share_a_name(parse, load_fixture):
    names = [(k.storage, k.name) for k in parse(load_fixture("good/full"), ["fr", "en"]).cookies]
    assert ("cookie", "_ga") in names and ("local", "_ga") in names


def test_category_returns_none_for_an_unknown_id(parse, load_fixture):
    assert parse(load_fixture("good/basic")).category("marketing") is None


def test_cookies_of_lists_a_category_table_in_manifest_order(parse, demo_data):
    manifest = parse(demo_data(), ["fr", "en"])
    assert [k.name for k in manifest.cookies_of("necessary")] == [
        "sessionid", "csrftoken", "cookies_preferences", "django_language"]
    assert [k.name for k in manifest.cookies_of("analytics")] == ["demo_analytics"]


def test_cookies_of_leaves_out_multilingual_only_cookies_on_a_single_language_portal(parse, demo_data):
    manifest = parse(demo_data(), ["fr"])
    assert [k.name for k in manifest.cookies_of("necessary", multilingual=False)] == [
        "sessionid", "csrftoken", "cookies_preferences"]
    assert [k.name for k in manifest.cookies_of("analytics", multilingual=False)] == ["demo_analytics"]


def test_the_schema_reference_is_allowed_at_the_top_level(parse, demo_data):
    data = demo_data()
    assert data["$schema"]
    assert parse(data).revision == 1


def test_a_revision_of_fifteen_digits_is_accepted(parse, load_fixture):
    data = load_fixture("good/basic")
    data["revision"] = 999999999999999
    assert parse(data).revision == 999999999999999


def test_without_a_regex_checker_a_pattern_is_not_compiled(load_fixture):
    data = load_fixture("good/basic")
    data["cookies"][1]["match"] = "^stats(_"
    assert parse_manifest(data, ["fr"]).cookies[1].match == "^stats(_"


def test_the_regex_checker_is_called_with_the_pattern_then_with_the_consent_cookie_name(load_fixture):
    # the page's checker is built on RegExp: once to compile, once more, for an optional category's
    # pattern, to test it on the consent cookie's name
    data = load_fixture("good/basic")
    data["cookies"][1]["match"] = "^stats_\\d+$"
    seen = []
    parse_manifest(data, ["fr"], lambda pattern, name=None: seen.append((pattern, name)) or name is None)
    assert seen == [("^stats_\\d+$", None), ("^stats_\\d+$", "cookies_preferences")]


# --- bad manifests --------------------------------------------------------------------------------------

def test_each_bad_fixture_is_rejected_with_a_problem_naming_the_field(parse, load_fixture, bad_manifest):
    name, languages, path, message = bad_manifest
    problems = problems_of(parse, load_fixture("bad/" + name), languages)
    assert problems[0][0] == path
    assert message in problems[0][1]
    assert len(problems) == 1, problems                # one fault, one problem


def test_every_bad_fixture_file_has_an_expectation_and_vice_versa(bad_manifest_names):
    files = sorted(f[:-5] for f in os.listdir(os.path.join(FIXTURES, "bad")) if f.endswith(".json"))
    assert files == bad_manifest_names


def test_a_manifest_error_is_a_banner_error_whose_message_lists_each_problem(parse, load_fixture):
    with pytest.raises(BannerError) as caught:
        parse(load_fixture("bad/unknown_cookie_category"))
    assert str(caught.value) == "manifest: cookies[0].category: unknown category 'marketing'"


def test_every_problem_is_reported_at_once(parse, load_fixture):
    data = load_fixture("good/basic")
    data["revision"] = "2"
    data["categories"][1]["title"] = 5
    data["cookies"][0]["category"] = "marketing"
    data["cookies"][1]["storage"] = "indexeddb"
    paths = [p for p, _ in problems_of(parse, data)]
    assert paths == ["revision", "categories[1].title", "cookies[0].category", "cookies[1].storage"]


@pytest.mark.parametrize("where, index, field", [
    ("categories", 1, "title"), ("categories", 1, "description"), ("cookies", 1, "provider"),
    ("cookies", 1, "lifetime"), ("cookies", 1, "purpose"),
])
def test_a_missing_text_field_is_reported_once_as_missing(parse, load_fixture, where, index, field):
    data = load_fixture("good/basic")
    del data[where][index][field]
    assert problems_of(parse, data, ["fr", "en"]) == [("%s[%d]" % (where, index), "missing field %r" % field)]


def categories(count):
    result = [{"id": "c%d" % i, "title": "T", "description": "D"} for i in range(count)]
    result[0]["required"] = True
    return result


def test_a_manifest_may_have_64_categories(parse):
    assert MAX_CATEGORIES == 64
    manifest = parse({"revision": 1, "categories": categories(64), "cookies": []})
    assert len(manifest.optional_ids) == 63


def test_a_manifest_with_65_categories_is_rejected(parse):
    assert problems_of(parse, {"revision": 1, "categories": categories(65), "cookies": []}) == [
        ("categories", "at most 64 categories (found 65)")]


def test_a_duplicate_category_id_names_the_second_occurrence(parse, load_fixture):
    data = load_fixture("good/basic")
    data["categories"][1]["id"] = "necessary"
    data["cookies"][1]["category"] = "necessary"
    assert problems_of(parse, data) == [("categories[1].id", "duplicate id 'necessary'")]


def test_a_manifest_without_a_required_category_is_rejected(parse, load_fixture):
    data = load_fixture("good/basic")
    data["categories"][0]["required"] = False
    assert problems_of(parse, data) == [
        ("categories", "exactly one category must have \"required\": true (found 0)")]


def test_a_manifest_with_two_required_categories_is_rejected(parse, load_fixture):
    data = load_fixture("good/basic")
    data["categories"][1]["required"] = True
    assert problems_of(parse, data) == [
        ("categories", "exactly one category must have \"required\": true (found 2)")]


@pytest.mark.parametrize("where, key", [("top", "version"), ("category", "titre"), ("cookie", "expires")])
def test_an_unknown_field_is_rejected_wherever_it_is(parse, load_fixture, where, key):
    data = load_fixture("good/basic")
    target = {"top": data, "category": data["categories"][1], "cookie": data["cookies"][1]}[where]
    target[key] = "x"
    path = {"top": "", "category": "categories[1]", "cookie": "cookies[1]"}[where]
    assert problems_of(parse, data) == [(path, "unknown field %r" % key)]


def test_whole_numbers_written_with_a_decimal_point_read_as_the_page_reads_them(parse, load_fixture):
    """JSON has one number type: the page's JSON.parse reads `2.0` as 2, so Python must too, or the Django
    app would refuse a manifest the page runs, and write a revision the page's cookie does not carry."""
    data = load_fixture("good/basic")
    text = json.dumps(data).replace('"revision": 1', '"revision": 2.0', 1)
    data = json.loads(text)
    data["cookies"][0]["maxAgeDays"] = 30.0
    manifest = parse(data)
    assert (manifest.revision, type(manifest.revision)) == (2, int)
    assert (manifest.cookies[0].max_age_days, type(manifest.cookies[0].max_age_days)) == (30, int)


@pytest.mark.parametrize("revision", ["1", 1.5, True, 0, -3, None, 10 ** 15])
def test_a_revision_that_is_not_an_integer_from_1_to_15_digits_is_rejected(parse, load_fixture, revision):
    data = load_fixture("good/basic")
    data["revision"] = revision
    assert [p for p, _ in problems_of(parse, data)] == ["revision"]


@pytest.mark.parametrize("value", ["yes", 1, None, "true"])
def test_a_required_flag_that_is_not_a_boolean_is_rejected(parse, load_fixture, value):
    data = load_fixture("good/basic")
    data["categories"][1]["required"] = value
    assert problems_of(parse, data) == [("categories[1].required", "must be true or false")]


@pytest.mark.parametrize("value", [None, "", 3, ["^a"]])
def test_a_match_that_is_not_a_non_empty_string_is_rejected(parse, load_fixture, value):
    data = load_fixture("good/basic")
    data["cookies"][1]["match"] = value
    assert problems_of(parse, data) == [("cookies[1].match", "must be a non-empty string")]


def test_a_match_that_is_not_a_valid_regular_expression_is_rejected(parse, load_fixture):
    data = load_fixture("good/basic")
    data["cookies"][1]["match"] = "[a-"
    assert problems_of(parse, data) == [("cookies[1].match", "invalid regular expression '[a-'")]


def test_a_cookie_in_an_undeclared_category_is_rejected(parse, load_fixture):
    data = load_fixture("good/basic")
    data["cookies"][1]["category"] = "ads"
    assert problems_of(parse, data) == [("cookies[1].category", "unknown category 'ads'")]


@pytest.mark.parametrize("name", ["a b", "a;b", "a=b", "é", "", "x" * 257, 5])
def test_a_cookie_name_a_browser_would_not_accept_is_rejected(parse, load_fixture, name):
    data = load_fixture("good/basic")
    data["cookies"][1]["name"] = name
    assert [p for p, _ in problems_of(parse, data)] == ["cookies[1].name"]


def test_a_local_storage_key_may_contain_what_a_cookie_name_may_not(parse, load_fixture):
    data = load_fixture("good/basic")
    data["cookies"][1].update(name="my key: é", storage="local")
    assert parse(data).cookies[1].name == "my key: é"


def test_an_empty_local_storage_key_is_rejected(parse, load_fixture):
    data = load_fixture("good/basic")
    data["cookies"][1].update(name="", storage="local")
    assert problems_of(parse, data) == [("cookies[1].name", "must be a non-empty string")]


def test_the_same_cookie_name_twice_in_one_storage_is_rejected(parse, load_fixture):
    data = load_fixture("good/full")
    data["cookies"][3]["name"] = "yt-player-quality"
    assert problems_of(parse, data, ["fr", "en"]) == [("cookies[4].name", "duplicate cookie 'yt-player-quality'")]


def test_a_text_missing_a_configured_language_is_rejected(parse, demo_data):
    data = demo_data()
    del data["categories"][0]["title"]["en"]
    assert problems_of(parse, data, ["fr", "en"]) == [("categories[0].title", "no text for language 'en'")]
    assert parse(data, ["fr"]).category("necessary").title == {"fr": "Cookies strictement nécessaires"}


def test_a_text_missing_every_language_names_each_of_them(parse, load_fixture):
    data = load_fixture("good/basic")
    data["cookies"][1]["purpose"] = {}
    assert problems_of(parse, data, ["fr", "en"]) == [
        ("cookies[1].purpose", "no text for language 'fr'"), ("cookies[1].purpose", "no text for language 'en'")]


@pytest.mark.parametrize("value", ["", "  \n", 12, None, ["fr"]])
def test_a_text_that_is_empty_or_of_the_wrong_type_is_rejected(parse, load_fixture, value):
    data = load_fixture("good/basic")
    data["categories"][1]["title"] = value
    assert [p for p, _ in problems_of(parse, data)] == ["categories[1].title"]


def test_a_translation_that_is_blank_names_its_language(parse, load_fixture):
    data = load_fixture("good/basic")
    data["categories"][1]["description"] = {"fr": "Statistiques", "en": " "}
    assert problems_of(parse, data, ["fr", "en"]) == [("categories[1].description.en", "must be a non-empty string")]


@pytest.mark.parametrize("data", [None, [], "manifest", 3])
def test_a_manifest_that_is_not_an_object_is_rejected(data):
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data, ["fr"])
    assert caught.value.problems == [("", "must be an object")]


@pytest.mark.parametrize("index", [0, 1])
def test_a_category_or_cookie_that_is_not_an_object_is_rejected(parse, load_fixture, index):
    data = load_fixture("good/basic")
    data["categories" if index == 0 else "cookies"][1] = "analytics"
    path = "categories[1]" if index == 0 else "cookies[1]"
    problems = problems_of(parse, data)
    assert (path, "must be an object") in problems



@pytest.mark.parametrize("where, value, path", [
    (("cookies", 1, "purpose"), {"fr": "Compter \ud800", "en": "Count"}, "cookies[1].purpose.fr"),
    (("cookies", 1, "purpose"), "\ud800", "cookies[1].purpose"),
    (("cookies", 1, "provider"), "Opendata\ud800soft", "cookies[1].provider"),
    (("categories", 1, "title"), "Mesure\ud800", "categories[1].title"),
    (("categories", 1, "providers"), [{"name": "Matomo", "policyUrl": "/privacy\ud800"}],
     "categories[1].providers[0].policyUrl"),
    (("$schema",), "https://example.org/\ud800", "$schema"),
])
def test_a_lone_surrogate_anywhere_is_named_with_its_field(parse, load_fixture, where, value, path):
    """A "\\ud800" escape without its pair is not a character: a server cannot encode it, so the page and
    the CLI refuse it where it is, as they refuse any other fault."""
    data = load_fixture("good/basic")
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    problems = problems_of(parse, data, ["fr", "en"] if isinstance(value, dict) else ["fr"])
    assert [(p, m.split(",")[0]) for p, m in problems] == [(path, "holds U+D800")]


@pytest.mark.parametrize("surrogate", ["\udfff", "\udc00"])
def test_a_low_surrogate_without_its_pair_is_refused_too(parse, load_fixture, surrogate):
    data = load_fixture("good/basic")
    data["cookies"][1]["lifetime"] = "13 mois" + surrogate
    assert [p for p, _ in problems_of(parse, data)] == ["cookies[1].lifetime"]


def test_a_pair_of_surrogates_is_one_character_and_is_accepted(parse, load_fixture):
    data = load_fixture("good/basic")
    data["cookies"][1]["purpose"] = json.loads('"Compter les pages vues \\ud83d\\ude00"')
    assert parse(data).cookies[1].purpose == {"fr": "Compter les pages vues \U0001f600"}

# --- text_languages ---------------------------------------------------------------------------------------

def test_text_languages_lists_every_language_the_demo_uses_in_order_of_appearance(demo_data):
    assert text_languages(demo_data()) == ["fr", "en"]


def test_text_languages_is_empty_when_every_text_is_a_plain_string(load_fixture):
    assert text_languages(load_fixture("good/basic")) == []


def test_text_languages_finds_a_language_used_once_deep_in_the_manifest(load_fixture):
    assert text_languages(load_fixture("good/full")) == ["fr", "en", "en-gb"]


def test_text_languages_ignores_keys_that_are_not_language_codes(load_fixture):
    assert text_languages(load_fixture("bad/uppercase_language_key")) == ["fr"]


def test_session_storage_keys_and_other_cookie_paths_are_declared(parse, load_fixture):
    data = load_fixture("good/basic")
    data["cookies"].append(dict(data["cookies"][-1], name="draft: é", storage="session"))
    data["cookies"][-2]["paths"] = ["/explore/", "/api/v2"]
    manifest = parse(data, ["fr", "en"])
    assert [(k.storage, k.paths) for k in manifest.cookies[-2:]] == [("cookie", ["/explore/", "/api/v2"]),
                                                                      ("session", [])]


@pytest.mark.parametrize("paths, storage", [
    ([], "cookie"), ("/explore/", "cookie"), (["explore/"], "cookie"), (["/a;b"], "cookie"), (["/a b"], "cookie"),
    (["/" + "a" * 256], "cookie"), (["/a", "/a"], "cookie"), (["/a"], "local"), (["/a"], "session"),
])
def test_a_bad_paths_field_is_named(parse, load_fixture, paths, storage):
    data = load_fixture("good/basic")
    data["cookies"][-1].update(paths=paths, storage=storage)
    with pytest.raises(ManifestError) as caught:
        parse(data, ["fr", "en"])
    assert [p for p, _ in caught.value.problems] == ["cookies[%d].paths" % (len(data["cookies"]) - 1)]


def test_parsing_in_steps_pauses_after_each_category_and_cookie_and_gives_the_same_manifest(demo_data):
    """The page parses in tasks (boot.py): a pause point per category and per cookie, the Manifest last,
    and the same problems raised at the end."""
    from banner.manifest import parse_in_steps
    demo_data = demo_data()
    steps = list(parse_in_steps(demo_data, ("fr", "en")))
    assert steps[:-1] == [None] * (len(demo_data["categories"]) + len(demo_data["cookies"]))
    assert isinstance(steps[-1], Manifest)
    whole = parse_manifest(demo_data, ("fr", "en"))
    assert [c.id for c in steps[-1].categories] == [c.id for c in whole.categories]
    assert [c.name for c in steps[-1].cookies] == [c.name for c in whole.cookies]
    bad = dict(demo_data, cookies=demo_data["cookies"] + [{"name": "x"}])
    with pytest.raises(ManifestError):
        list(parse_in_steps(bad, ("fr", "en")))
