"""banner.fingerprint: what counts as a change of a category's content, and the exact numbers the page and
a server must agree on."""

import copy

import pytest

from banner.fingerprint import WIDTH, category_fingerprint, fingerprints
from banner.fnv import base36, code_points
from banner.manifest import parse_manifest

US, RS = "\x1f", "\x1e"       # the separators between the fields of one cookie, and between cookies

BASE = {
    "revision": 4,
    "categories": [
        {"id": "necessary", "required": True, "title": "Nécessaires", "description": "Toujours actifs"},
        {"id": "analytics", "title": {"fr": "Mesure d'audience", "en": "Audience measurement"},
         "description": {"fr": "Compter les visites", "en": "Counting visits"}},
        {"id": "video", "title": "Vidéos", "description": "Lecteurs intégrés"},
        {"id": "empty", "title": "Vide", "description": "Aucun cookie déclaré"},
    ],
    "cookies": [
        {"name": "sessionid", "provider": "Opendatasoft", "category": "necessary", "lifetime": "2 semaines",
         "purpose": "Authentification"},
        {"name": "_ga", "match": "^_ga(_[A-Z0-9]+)?$", "provider": "Google", "category": "analytics",
         "lifetime": {"fr": "13 mois", "en": "13 months"},
         "purpose": {"fr": "Mesure d'audience", "en": "Audience measurement"}},
        {"name": "_pk_ref", "storage": "local", "provider": {"fr": "Matomo", "en": "Matomo"},
         "category": "analytics", "lifetime": "6 mois",
         "purpose": {"fr": "Provenance des visites", "en": "Where visits come from"}},
        {"name": "VISITOR_INFO1_LIVE", "provider": "YouTube", "category": "video", "lifetime": "6 mois",
         "purpose": "Lecture des vidéos"},
    ],
}

# Computed once by hand (a separate FNV-1a loop over the strings below, then base 36) and pinned: the page
# (Brython) and any server reading the cookie must find these very values.
ANALYTICS_TEXT = ("category" + US + "Mesure d'audience" + US + "Compter les visites" + RS +
                  "cookie" + US + "_ga" + US + "^_ga(_[A-Z0-9]+)?$" + US + "Google" + US + "13 mois" + US +
                  "Mesure d'audience" + RS +
                  "local" + US + "_pk_ref" + US + "" + US + "Matomo" + US + "6 mois" + US + "Provenance des visites")
VIDEO_TEXT = ("category" + US + "Vidéos" + US + "Lecteurs intégrés" + RS +
              "cookie" + US + "VISITOR_INFO1_LIVE" + US + "" + US + "YouTube" + US + "6 mois" + US + "Lecture des vidéos")
PINNED = {"analytics": "kz90dn", "video": "48rvj8", "empty": "a9usol"}


def manifest(data=None, languages=("fr", "en")):
    return parse_manifest(BASE if data is None else data, list(languages))


def edited(edit):
    """The fingerprints of BASE after `edit(data)`."""
    data = copy.deepcopy(BASE)
    edit(data)
    return fingerprints(manifest(data))


def changed(edit):
    """The categories whose fingerprint `edit` changes."""
    after = edited(edit)
    return sorted(c for c in PINNED if after[c] != PINNED[c])


# --- the numbers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("", 0x811C9DC5),           # the offset basis
    ("a", 0xE40C292C),          # published FNV-1a 32-bit test vectors
    ("foobar", 0xBF9CF968),
    ("é", 0x6C0B6C44),          # over code points (233), not UTF-8 bytes, as Brython's ord() gives
    (ANALYTICS_TEXT, 0x4B9C3D2B),
    (VIDEO_TEXT, 0x910A8064),
])
def test_fnv1a_gives_the_32_bit_fnv_1a_hash_of_the_code_points(text, expected):
    assert code_points(text) == expected


@pytest.mark.parametrize("value, expected", [
    (0, "000000"), (35, "00000z"), (36, "000010"), (36 ** 6 - 1, "zzzzzz"), (36 ** 6, "000000"),
    (0x811C9DC5, "ztntfp"), (0xFFFFFFFF, "z141z3"),
])
def test_base36_writes_the_six_low_base_36_digits(value, expected):
    assert WIDTH == 6
    assert base36(value, WIDTH) == expected
    assert int(expected, 36) == value % 36 ** 6


def test_the_fingerprints_of_a_fixed_manifest_are_the_pinned_values():
    assert fingerprints(manifest()) == PINNED
    assert category_fingerprint(manifest(), "analytics") == base36(code_points(ANALYTICS_TEXT), WIDTH)


def test_fingerprints_cover_every_optional_category_in_manifest_order_and_never_the_required_one():
    assert list(fingerprints(manifest())) == ["analytics", "video", "empty"]


def test_fingerprints_do_not_depend_on_the_languages_the_portal_offers():
    assert fingerprints(manifest(languages=["fr"])) == PINNED
    assert fingerprints(manifest(languages=["en", "fr"])) == PINNED


def test_the_order_of_cookies_in_the_manifest_does_not_matter():
    assert changed(lambda d: d["cookies"].reverse()) == []


# --- what changes a fingerprint: that category's only --------------------------------------------------

def add_cookie(data):
    data["cookies"].append({"name": "_pk_id", "provider": "Matomo", "category": "analytics", "lifetime": "13 mois",
                            "purpose": "Provenance des visites"})


def set_field(index, key, value):
    def edit(data):
        data["cookies"][index][key] = value
    return edit


@pytest.mark.parametrize("edit, expected", [
    (add_cookie, ["analytics"]),
    (lambda d: d["cookies"].pop(3), ["video"]),                                       # a cookie removed
    (set_field(3, "name", "YSC"), ["video"]),                                          # renamed
    (set_field(1, "provider", "Google Ireland"), ["analytics"]),                       # another provider
    (set_field(2, "provider", {"fr": "Piwik PRO", "en": "Matomo"}), ["analytics"]),
    (set_field(3, "purpose", "Lecture et statistiques des vidéos"), ["video"]),        # another purpose
    (set_field(1, "purpose", {"fr": "Publicité", "en": "Audience measurement"}), ["analytics"]),
    (set_field(1, "match", "^_ga"), ["analytics"]),                                    # another match
    (set_field(3, "match", "^VISITOR_"), ["video"]),                                   # a match added
    (lambda d: d["cookies"][1].pop("match"), ["analytics"]),                           # a match removed
    (set_field(3, "storage", "local"), ["video"]),                                     # moved to localStorage
    (set_field(3, "category", "empty"), ["empty", "video"]),                           # moved between categories
    (set_field(0, "provider", "Another"), []),                                         # the required category
    (set_field(1, "lifetime", {"fr": "25 mois", "en": "25 months"}), ["analytics"]),  # a lifetime
    (set_field(3, "lifetime", "2 ans"), ["video"]),
    (lambda d: d["categories"][1].update(description={"fr": "Autre texte", "en": "Other text"}), ["analytics"]),
    (lambda d: d["categories"][2].update(title="Contenus vidéo"), ["video"]),          # a title
    (lambda d: d["categories"][3].update(providers=[{"name": "Vimeo"}]), ["empty"]),   # a provider declared
    (lambda d: d["categories"][2].update(providers=[{"name": "YouTube"}]), ["video"]),
    (lambda d: d["categories"][0].update(title="Autre"), []),                          # the required category
])
def test_a_change_of_anything_shown_about_a_category_changes_that_category_only(edit, expected):
    assert changed(edit) == expected


def with_youtube(data):
    data["categories"][2]["providers"] = [{"name": "YouTube", "policyUrl": "https://policies.google.com/privacy",
                                           "hosts": ["www.youtube-nocookie.com"]}]


@pytest.mark.parametrize("edit", [
    lambda d: d["categories"][2]["providers"][0].update(name="Google"),
    lambda d: d["categories"][2]["providers"][0].update(policyUrl="https://example.org/privacy"),
    lambda d: d["categories"][2]["providers"][0].pop("policyUrl"),
    lambda d: d["categories"][2]["providers"][0].update(hosts=["www.youtube.com"]),
    lambda d: d["categories"][2]["providers"].append({"name": "Vimeo"}),
])
def test_any_edit_of_a_declared_provider_changes_its_category_only(edit):
    data = copy.deepcopy(BASE)
    with_youtube(data)
    before = fingerprints(manifest(data))
    edit(data)
    after = fingerprints(manifest(data))
    assert [c for c in before if before[c] != after[c]] == ["video"]


def test_a_cookie_added_to_an_empty_category_changes_it():
    assert changed(set_field(3, "category", "empty"))[0] == "empty"


def add_translation(data):
    """German for every cookie text: plain strings become {"fr", "en", "de"} objects."""
    for cookie in data["cookies"]:
        for key in ("provider", "purpose", "lifetime"):
            value = cookie[key]
            cookie[key] = dict(value, de="Übersetzung") if isinstance(value, dict) else {
                "fr": value, "en": value, "de": "Übersetzung"}


@pytest.mark.parametrize("edit", [
    set_field(1, "purpose", {"fr": "Mesure d'audience", "en": "Audience statistics"}),  # a non-reference translation
    add_translation,                                                                    # a new translation
    set_field(3, "multilingualOnly", True),
    lambda d: d.update(revision=5),
])
def test_translations_and_what_is_not_shown_do_not_change_any_fingerprint(edit):
    assert changed(edit) == []


def test_without_french_the_reference_language_is_english():
    data = copy.deepcopy(BASE)
    data["cookies"][3]["purpose"] = {"en": "Lecture des vidéos", "de": "Videowiedergabe"}
    with_en = fingerprints(manifest(data, ["en"]))["video"]
    assert with_en == PINNED["video"]                                        # "en" is the reference
    data["cookies"][3]["purpose"] = {"en": "Lecture des vidéos", "de": "Etwas anderes"}
    assert fingerprints(manifest(data, ["en"]))["video"] == with_en          # "de" is not
    data["cookies"][3]["purpose"] = {"en": "Something else", "de": "Videowiedergabe"}
    assert fingerprints(manifest(data, ["en"]))["video"] != with_en


def test_without_french_or_english_the_reference_language_is_the_first_code_in_sorted_order():
    from banner.fingerprint import _reference
    assert _reference({"it": "Qualcosa", "de": "Etwas", "nl": "Iets"}) == "Etwas"
    assert _reference({"it": "Qualcosa", "en": "Something"}) == "Something"
    assert _reference({"en": "Something", "fr": "Quelque chose"}) == "Quelque chose"


def test_a_fingerprint_is_six_characters_of_the_cookie_value_alphabet():
    for value in fingerprints(manifest()).values():
        assert len(value) == 6 and all(c in "0123456789abcdefghijklmnopqrstuvwxyz" for c in value)
