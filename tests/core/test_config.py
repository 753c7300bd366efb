"""banner.config: the data-config attribute as an integrator writes it."""

import pytest

from banner.config import check_cookie_domain, parse_config
from banner.errors import BannerError, ConfigError


def refused(data, html_lang=""):
    with pytest.raises(ConfigError) as caught:
        parse_config(data, html_lang)
    return caught.value


# --- defaults and languages ------------------------------------------------------------------------------

def test_a_config_with_only_a_manifest_url_gets_the_defaults():
    config, warnings = parse_config({"manifest": "/cookies.json"})
    assert warnings == []
    assert config.manifest == "/cookies.json"
    assert config.languages == ["fr"]
    assert config.language == "fr"
    assert config.policy_url is None
    assert config.cookie_domain is None
    assert config.multilingual is False
    assert config.respect_gpc is True
    assert config.google_consent_mode is None
    assert config.consent_log is None
    assert config.reopen_button is None


def test_the_new_keys_are_known_and_raise_no_warning():
    _, warnings = parse_config({"manifest": "/m.json", "respectGPC": False, "consentLog": "/log/",
                                "googleConsentMode": {"analytics": ["analytics_storage"]}, "reopenButton": True})
    assert warnings == []


def test_an_inline_manifest_object_is_kept_as_is(demo_data):
    data = demo_data()
    config, _ = parse_config({"manifest": data})
    assert config.manifest is data


def test_language_urls_say_where_each_offered_language_lives_and_the_cookie_is_off_by_default():
    config, warnings = parse_config({"manifest": "/m.json", "languages": ["fr", "en"],
                                     "languageUrls": {"fr": "/", "EN": "https://portal.example/en/"}})
    assert warnings == []
    assert config.language_urls == {"fr": "/", "en": "https://portal.example/en/"}
    assert config.language_cookie is False
    assert parse_config({"manifest": "/m.json", "languageCookie": True})[0].language_cookie is True
    assert parse_config({"manifest": "/m.json"})[0].language_urls == {}


@pytest.mark.parametrize("urls, key, words", [
    ({"de": "/de/"}, "languageUrls.de", "is not one of the languages (fr, en)"),
    ({"en": "javascript:alert(1)"}, "languageUrls.en", "must be an http(s) or relative URL"),
    ({"en": 3}, "languageUrls.en", "must be an http(s) or relative URL"),
    (["/en/"], "languageUrls", "must map language codes to URLs"),
])
def test_a_language_url_for_a_language_not_offered_or_unsafe_is_an_error_naming_it(urls, key, words):
    error = refused({"manifest": "/m.json", "languages": ["fr", "en"], "languageUrls": urls})
    assert error.field == key and words in str(error)


def test_a_language_cookie_that_is_not_a_boolean_is_an_error_naming_the_key():
    assert refused({"manifest": "/m.json", "languageCookie": "yes"}).field == "languageCookie"


def test_several_languages_make_the_portal_multilingual():
    config, _ = parse_config({"manifest": "/m.json", "languages": ["fr", "en"]})
    assert config.languages == ["fr", "en"]
    assert config.multilingual is True


def test_language_codes_are_lower_cased():
    config, _ = parse_config({"manifest": "/m.json", "languages": ["FR", "en-GB"]})
    assert config.languages == ["fr", "en-gb"]


@pytest.mark.parametrize("html_lang, expected", [
    ("en", "en"),            # exact
    ("EN", "en"),            # case-insensitive
    ("en-GB", "en"),         # by primary subtag
    ("en_GB", "en"),         # as some CMSs write it
    ("de", "fr"),            # not offered: the portal's first language
    ("", "fr"),              # no lang attribute
    ("  ", "fr"),
])
def test_the_page_language_follows_the_html_lang_attribute_when_offered(html_lang, expected):
    config, _ = parse_config({"manifest": "/m.json", "languages": ["fr", "en"]}, html_lang)
    assert config.language == expected


def test_an_html_lang_with_a_region_matches_an_offered_regional_code_exactly():
    config, _ = parse_config({"manifest": "/m.json", "languages": ["fr", "en", "en-gb"]}, "en-GB")
    assert config.language == "en-gb"


def test_an_explicit_language_wins_over_the_html_lang_attribute():
    config, _ = parse_config({"manifest": "/m.json", "languages": ["fr", "en"], "language": "EN"}, "fr")
    assert config.language == "en"


def test_an_explicit_language_the_portal_does_not_offer_is_an_error_naming_the_key():
    error = refused({"manifest": "/m.json", "languages": ["fr", "en"], "language": "de"})
    assert error.field == "language"
    assert str(error) == "data-config: language: must be one of fr, en (got 'de')"


@pytest.mark.parametrize("languages", ["fr", [], ["fr", 3], ["french"], ["fr", "FR"], None, ["en-"]])
def test_a_languages_value_that_is_not_a_list_of_distinct_codes_is_an_error(languages):
    error = refused({"manifest": "/m.json", "languages": languages})
    assert error.field == "languages"
    assert str(error).startswith("data-config: languages: ")


@pytest.mark.parametrize("language", [3, "", ["en"]])
def test_a_language_of_the_wrong_type_is_an_error(language):
    assert refused({"manifest": "/m.json", "languages": ["fr", "en"], "language": language}).field == "language"


# --- unknown keys, missing and wrong values --------------------------------------------------------------

def test_an_unknown_key_is_a_warning_not_an_error():
    config, warnings = parse_config({"manifest": "/m.json", "langauges": ["en"], "colour": "dark"})
    assert config.languages == ["fr"]
    assert warnings == ["data-config: unknown key 'langauges' ignored", "data-config: unknown key 'colour' ignored"]


@pytest.mark.parametrize("data", [{}, {"languages": ["fr"]}, {"manifest": None}, {"manifest": 42},
                                  {"manifest": ["/m.json"]}])
def test_a_missing_or_mistyped_manifest_is_an_error_naming_the_key(data):
    error = refused(data)
    assert error.field == "manifest"
    assert str(error).startswith("data-config: manifest: ")


@pytest.mark.parametrize("data", [None, [], "/cookies.json", 3])
def test_a_config_that_is_not_a_json_object_is_an_error(data):
    error = refused(data)
    assert error.field == ""
    assert str(error).startswith("data-config: must be a JSON object")


def test_a_config_error_is_a_banner_error():
    with pytest.raises(BannerError):
        parse_config({})


# --- URLs ------------------------------------------------------------------------------------------------

UNSAFE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:application/json,{}",
    "vbscript:msgbox",
    "blob:https://example.org/1",
    "",
    "   ",
]


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_a_policy_url_that_could_run_code_is_refused(url):
    error = refused({"manifest": "/m.json", "policyUrl": url})
    assert error.field == "policyUrl"
    assert str(error).startswith("data-config: policyUrl: must be an http(s) or relative URL")


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_a_manifest_url_that_could_run_code_is_refused(url):
    assert refused({"manifest": url}).field == "manifest"


@pytest.mark.parametrize("url", [
    "/politique-cookies", "politique.html", "../cookies", "?page=cookies", "#cookies",
    "https://example.org/cookies", "HTTP://example.org/cookies", "//example.org/cookies",
    "mailto:dpo@example.org", "/page:with-colon-after-slash",
])
def test_relative_http_and_mailto_policy_urls_are_accepted(url):
    config, _ = parse_config({"manifest": "/m.json", "policyUrl": url})
    assert config.policy_url == url


@pytest.mark.parametrize("url", [3, ["https://example.org"], {"href": "/x"}])
def test_a_policy_url_of_the_wrong_type_is_refused(url):
    assert refused({"manifest": "/m.json", "policyUrl": url}).field == "policyUrl"


def test_an_absolute_https_manifest_url_is_accepted():
    config, _ = parse_config({"manifest": "https://cdn.example.org/cookies.json"})
    assert config.manifest == "https://cdn.example.org/cookies.json"


# --- cookieDomain ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("example.org", "example.org"),
    (".example.org", "example.org"),
    ("Data.Example.ORG", "data.example.org"),
    ("my-portal.gouv.fr", "my-portal.gouv.fr"),
    ("localhost", "localhost"),
])
def test_a_cookie_domain_is_normalised(value, expected):
    config, _ = parse_config({"manifest": "/m.json", "cookieDomain": value})
    assert config.cookie_domain == expected


@pytest.mark.parametrize("value", [
    "", ".", "example..org", "example.org.", "exa mple.org", "example.org; Secure", "example.org/path",
    "https://example.org", "a" * 64 + ".org", 3, ["example.org"], True,
])
def test_a_cookie_domain_that_is_not_a_domain_name_is_an_error_naming_the_key(value):
    error = refused({"manifest": "/m.json", "cookieDomain": value})
    assert error.field == "cookieDomain"
    assert str(error).startswith("data-config: cookieDomain: must be a domain name")



@pytest.mark.parametrize("value", ["bücher.example", "例え.jp", "portail.gouv.fr\u200b", "\u212aelvin.example"])
def test_a_cookie_domain_not_in_ascii_asks_for_its_punycode_form(value):
    """A cookie's Domain attribute is a host name as DNS writes it (RFC 6265), ASCII: what a browser does
    with another is not the portal's to guess."""
    error = refused({"manifest": "/m.json", "cookieDomain": value})
    assert error.field == "cookieDomain"
    assert str(error).startswith("data-config: cookieDomain: must be ASCII: give an internationalised domain in "
                                 "its punycode form, e.g. \"xn--bcher-kva.example\"")

def test_a_null_cookie_domain_means_host_only():
    config, _ = parse_config({"manifest": "/m.json", "cookieDomain": None})
    assert config.cookie_domain is None


@pytest.mark.parametrize("domain, host", [
    ("example.org", "example.org"), ("example.org", "data.example.org"), ("gouv.fr", "portail.gouv.fr"),
    ("localhost", "localhost"), (None, "127.0.0.1"), ("example.org", "DATA.Example.org"),
])
def test_a_cookie_domain_covering_the_page_s_host_is_accepted(domain, host):
    check_cookie_domain(domain, host)


@pytest.mark.parametrize("domain, host, words", [
    ("example.org", "127.0.0.1", "is not this page's host '127.0.0.1' nor a parent domain of it"),
    ("example.org", "badexample.org", "is not this page's host"),
    ("data.example.org", "example.org", "is not this page's host"),
    ("org", "example.org", "is a top-level domain"),
])
def test_a_cookie_domain_the_browser_would_refuse_for_this_host_is_an_error(domain, host, words):
    with pytest.raises(ConfigError) as caught:
        check_cookie_domain(domain, host)
    assert caught.value.field == "cookieDomain" and words in str(caught.value)


# --- respectGPC ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [True, False])
def test_respect_gpc_takes_a_boolean(value):
    assert parse_config({"manifest": "/m.json", "respectGPC": value})[0].respect_gpc is value


@pytest.mark.parametrize("value", ["false", "true", 0, 1, None, [], {}])
def test_a_respect_gpc_that_is_not_a_boolean_is_an_error_naming_the_key(value):
    error = refused({"manifest": "/m.json", "respectGPC": value})
    assert error.field == "respectGPC"
    assert str(error) == "data-config: respectGPC: must be true or false"


# --- googleConsentMode -----------------------------------------------------------------------------------

def test_a_google_consent_mode_mapping_is_kept():
    mapping = {"analytics": ["analytics_storage"], "ads": ["ad_storage", "ad_user_data", "ad_personalization"],
               "necessary": ["security_storage", "functionality_storage"], "prefs": ["personalization_storage"]}
    assert parse_config({"manifest": "/m.json", "googleConsentMode": mapping})[0].google_consent_mode == mapping


def test_a_null_google_consent_mode_means_none():
    assert parse_config({"manifest": "/m.json", "googleConsentMode": None})[0].google_consent_mode is None


@pytest.mark.parametrize("value", [{}, [], ["analytics_storage"], "analytics_storage", True, 3])
def test_a_google_consent_mode_that_is_not_a_mapping_is_an_error_naming_the_key(value):
    error = refused({"manifest": "/m.json", "googleConsentMode": value})
    assert error.field == "googleConsentMode"
    assert str(error).startswith("data-config: googleConsentMode: must map category ids to lists")


@pytest.mark.parametrize("types", [[], "analytics_storage", None, {"analytics_storage": True}])
def test_a_category_mapped_to_something_other_than_a_non_empty_list_is_an_error_naming_it(types):
    error = refused({"manifest": "/m.json", "googleConsentMode": {"analytics": ["analytics_storage"], "ads": types}})
    assert error.field == "googleConsentMode.ads"
    assert "must be a non-empty list of consent types" in str(error)


@pytest.mark.parametrize("item", ["analytics", "ANALYTICS_STORAGE", "ad_storage ", "wait_for_update", 1, None])
def test_an_unknown_google_consent_type_is_an_error_naming_the_category_and_the_type(item):
    error = refused({"manifest": "/m.json", "googleConsentMode": {"analytics": ["analytics_storage", item]}})
    assert error.field == "googleConsentMode.analytics"
    assert "unknown consent type %r" % (item,) in str(error)
    assert "ad_user_data" in str(error)                  # the message lists the known ones


# --- consentLog ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/consent-log/", "https://log.example.org/consent", "consent-log"])
def test_a_consent_log_url_is_kept(url):
    assert parse_config({"manifest": "/m.json", "consentLog": url})[0].consent_log == url


@pytest.mark.parametrize("url", UNSAFE_URLS + [3, ["/log"]])
def test_a_consent_log_url_that_could_run_code_is_refused(url):
    error = refused({"manifest": "/m.json", "consentLog": url})
    assert error.field == "consentLog"
    assert str(error).startswith("data-config: consentLog: must be an http(s) or relative URL")


# --- reopenButton ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (True, "bottom-left"), (False, None), (None, None),
    ("bottom-left", "bottom-left"), ("bottom-right", "bottom-right"), ("top-left", "top-left"),
    ("top-right", "top-right"),
])
def test_reopen_button_is_true_false_or_a_corner(value, expected):
    assert parse_config({"manifest": "/m.json", "reopenButton": value})[0].reopen_button == expected


def test_without_reopen_button_there_is_none():
    assert parse_config({"manifest": "/m.json"})[0].reopen_button is None


@pytest.mark.parametrize("value", ["left", "Bottom-Left", "bottom left", "", "true", 1, 0, ["top-left"], {}])
def test_a_reopen_button_that_is_not_a_boolean_or_a_corner_is_an_error_naming_the_key(value):
    error = refused({"manifest": "/m.json", "reopenButton": value})
    assert error.field == "reopenButton"
    assert str(error) == ("data-config: reopenButton: must be true, false or one of bottom-left, bottom-right, "
                          "top-left, top-right")


# --- theme, darkClass, look --------------------------------------------------------------------------------

def test_the_theme_is_light_by_default_with_our_own_look():
    config = parse_config({"manifest": "/m.json"})[0]
    assert (config.theme, config.dark_class, config.look, config.dsfr) == ("light", None, "default", False)


@pytest.mark.parametrize("theme", ["light", "dark", "auto"])
def test_the_theme_is_light_dark_or_auto(theme):
    assert parse_config({"manifest": "/m.json", "theme": theme})[0].theme == theme


@pytest.mark.parametrize("value", ["Dark", "system", "", None, True, ["dark"]])
def test_another_theme_is_an_error_naming_the_key(value):
    error = refused({"manifest": "/m.json", "theme": value})
    assert error.field == "theme"
    assert str(error).startswith('data-config: theme: must be one of "light", "dark", "auto"')


@pytest.mark.parametrize("value", ["dark", "theme-dark", "is_dark", "Dark2"])
def test_the_dark_class_is_a_class_name(value):
    assert parse_config({"manifest": "/m.json", "theme": "auto", "darkClass": value})[0].dark_class == value


@pytest.mark.parametrize("value", ["", "2dark", "--x", ".dark", "dark mode", "[data-theme=dark]", "sombre\u00e9", 1, True])
def test_a_dark_class_that_is_not_a_class_name_is_an_error_naming_the_key(value):
    assert refused({"manifest": "/m.json", "darkClass": value}).field == "darkClass"


def test_the_look_is_default_or_dsfr():
    assert parse_config({"manifest": "/m.json", "look": "dsfr"})[0].dsfr
    error = refused({"manifest": "/m.json", "look": "DSFR"})
    assert (error.field, str(error)) == ("look", 'data-config: look: must be one of "default", "dsfr" (got \'DSFR\')')


# --- lone surrogates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, field", [
    ({"policyUrl": "/cookies/\ud800"}, "policyUrl"),
    ({"consentLog": "/consent-log/\udfff"}, "consentLog"),
    ({"manifest": "/cookies\ud800.json"}, "manifest"),
    ({"googleConsentMode": {"analytics": ["analytics_storage"], "ads": ["x\ud800"]}}, "googleConsentMode.ads[0]"),
    ({"brand": {"name": "Portail \ud800"}}, "brand.name"),          # an unknown key too: Django writes it out
])
def test_a_lone_surrogate_in_any_string_is_an_error_naming_its_key(changes, field):
    """A "\\ud800" escape without its pair is not a character: the page would pass it on, and a server
    writing this data-config into a page cannot encode it."""
    error = refused(dict({"manifest": "/m.json"}, **changes))
    assert error.field == field
    assert "lone surrogate" in str(error) and "\ud800" not in str(error) and "\udfff" not in str(error)


def test_a_lone_surrogate_in_a_key_is_refused_without_printing_it():
    error = refused({"manifest": "/m.json", "googleConsentMode": {"\ud800": ["ad_storage"]}})
    assert error.field == "googleConsentMode" and "\ud800" not in str(error)
