"""banner.i18n and banner.lang: the page language, the built-in strings and the language cookie."""

import os
import re

import pytest

from banner.i18n import (FALLBACK, LANGUAGE_COOKIE, LANGUAGE_NAMES, direction, interface_language, language_cookie,
                         localize, pick_language, strings)
from banner.lang import IN_MAIN_BUNDLE, RTL, SHIPPED, all_tables, more, table
from banner.text import is_language_code

STRINGS = all_tables()
BUILT_IN = ["ar", "de", "en", "es", "fr", "it", "nl"]


def placeholders(text):
    return sorted(re.findall(r"\{[^{}]*\}", text))


def test_the_built_in_strings_cover_seven_languages_french_and_english_in_the_main_bundle():
    assert sorted(SHIPPED) == sorted(STRINGS) == BUILT_IN
    assert IN_MAIN_BUNDLE == ("fr", "en")
    assert all(dict(table(code), **more(code)) == STRINGS[code] for code in SHIPPED)


@pytest.mark.parametrize("language", BUILT_IN)
def test_the_first_layer_and_the_rest_of_a_language_split_the_keys_as_french_does(language):
    assert sorted(table(language)) == sorted(table("fr"))
    assert sorted(more(language)) == sorted(more("fr"))
    assert not set(table(language)) & set(more(language))


def test_the_first_layer_strings_are_the_ones_the_first_layer_and_the_failure_dialog_use():
    assert sorted(table("fr")) == sorted([
        "banner_title", "banner_purposes", "banner_text", "changed_text", "policy_link", "accept_all", "reject_all", "customise",
        "continue_without", "language_label", "saved", "close", "unavailable_title", "unavailable_text",
        "accept_changed", "reject_changed", "refuse_effect", "providers_link", "exempt_mention"])


def test_every_shipped_language_has_its_own_module():
    folder = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                          "banner", "lang")
    modules = sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".py") and f != "__init__.py")
    assert modules == sorted(BUILT_IN + [code + "_more" for code in BUILT_IN])


@pytest.mark.parametrize("language", BUILT_IN)
def test_every_built_in_language_defines_exactly_the_keys_of_french(language):
    assert sorted(STRINGS[language]) == sorted(STRINGS["fr"])


@pytest.mark.parametrize("language", BUILT_IN)
def test_every_built_in_string_is_non_empty_and_keeps_the_placeholders_of_french(language):
    for key, text in STRINGS[language].items():
        assert isinstance(text, str) and text.strip(), key
        assert placeholders(text) == placeholders(STRINGS["fr"][key]), key


def test_the_placeholder_check_sees_a_missing_renamed_or_extra_placeholder():
    french = "Ce contenu est fourni par {provider} (catégorie « {category} »)."
    assert placeholders("Provided by {provider} ({category}).") == placeholders(french)
    assert placeholders("({category}) provided by {provider}.") == placeholders(french)     # order is free
    for wrong in ("Provided by {provider}.", "Provided by {fournisseur} ({category}).",
                  "Provided by {provider} ({category}, {category}).", "Provided by {Provider} ({category})."):
        assert placeholders(wrong) != placeholders(french)


def test_some_built_in_strings_do_have_placeholders():
    assert placeholders(STRINGS["fr"]["banner_purposes"]) == ["{purposes}"]
    assert placeholders(STRINGS["fr"]["changed_text"]) == ["{categories}"]


@pytest.mark.parametrize("language, expected", [
    ("ar", "rtl"), ("ar-ma", "rtl"), ("fr", "ltr"), ("en", "ltr"), ("de", "ltr"), ("es", "ltr"), ("it", "ltr"),
    ("nl", "ltr"), ("en-gb", "ltr"), ("xx", "ltr"),
])
def test_direction_is_rtl_for_arabic_and_ltr_otherwise(language, expected):
    assert direction(language) == expected
    assert "ar" in RTL


def test_the_arabic_strings_are_written_in_arabic_script():
    assert all(any("\u0600" <= c <= "\u06ff" for c in text) for key, text in STRINGS["ar"].items()
               if not key.startswith("help_"))


def test_the_fallback_language_has_built_in_strings_and_every_built_in_language_a_name():
    assert FALLBACK in STRINGS and FALLBACK in IN_MAIN_BUNDLE
    assert all(code in LANGUAGE_NAMES for code in STRINGS)
    assert all(is_language_code(code) for code in LANGUAGE_NAMES)


def test_pick_language_prefers_the_requested_language():
    assert pick_language(["fr", "en"], "en", "fr") == "en"


def test_pick_language_ignores_a_requested_language_the_portal_does_not_offer():
    assert pick_language(["fr", "en"], "de", "en") == "en"


@pytest.mark.parametrize("html_lang, expected", [
    ("en", "en"), ("en-GB", "en"), ("EN-gb", "en"), ("en_US", "en"), ("fr-CA", "fr"), ("de", "fr"), ("", "fr"),
    (None, "fr"), ("-", "fr"),
])
def test_pick_language_follows_html_lang_exactly_then_by_primary_subtag_else_the_first(html_lang, expected):
    assert pick_language(["fr", "en"], None, html_lang) == expected


def test_pick_language_matches_a_regional_offer_by_its_primary_subtag():
    assert pick_language(["fr", "en-gb"], None, "en") == "en-gb"
    assert pick_language(["fr", "en-gb"], None, "en-US") == "en-gb"


def test_pick_language_prefers_an_exact_regional_match_over_the_primary_one():
    assert pick_language(["fr", "en", "en-gb"], None, "en-GB") == "en-gb"


def test_pick_language_prefers_the_exact_primary_subtag_over_another_region():
    assert pick_language(["fr", "en-us", "en"], None, "en-GB") == "en"
    assert pick_language(["fr", "en", "en-us"], None, "en-GB") == "en"
    assert pick_language(["fr", "en-us", "en-gb"], None, "en-AU") == "en-us"     # else the first of that primary


def test_strings_falls_back_to_the_primary_subtag_then_to_english():
    unshipped = "xx"
    assert unshipped not in STRINGS
    assert strings("fr", complete=True) == STRINGS["fr"]
    assert strings("fr") == table("fr")
    assert strings("fr-ca", complete=True) == STRINGS["fr"]
    assert strings("ar", complete=True) == STRINGS["ar"]
    assert strings(unshipped, complete=True) == STRINGS["en"]
    assert strings(unshipped + "-be") == table("en")
    assert [interface_language(c) for c in ("fr-ca", unshipped, "en", "nl-be")] == ["fr", "en", "en", "nl"]


def test_a_shipped_language_whose_bundle_the_page_has_not_loaded_falls_back_to_english():
    assert interface_language("de", IN_MAIN_BUNDLE) == "en"
    assert strings("de", IN_MAIN_BUNDLE, complete=True) == STRINGS["en"]
    assert interface_language("de", IN_MAIN_BUNDLE + ("de",)) == "de"
    assert interface_language("fr-ca", IN_MAIN_BUNDLE) == "fr"


def test_localize_picks_the_language_else_any_text_else_nothing():
    assert localize({"fr": "Bonjour", "en": "Hello"}, "en") == "Hello"
    assert localize({"fr": "Bonjour"}, "en") == "Bonjour"
    assert localize({}, "en") == ""


def test_the_language_cookie_is_the_one_django_reads():
    assert LANGUAGE_COOKIE == "django_language"
    assert language_cookie("en") == "django_language=en; Path=/; Max-Age=31536000; SameSite=Lax"


def test_the_language_cookie_is_secure_on_https():
    assert language_cookie("fr", secure=True) == "django_language=fr; Path=/; Max-Age=31536000; SameSite=Lax; Secure"
