"""Google Consent Mode v2, on the demo's /google/ page (second manifest, cookies-google.json, and
data-config googleConsentMode). Read from window.dataLayer, whose entries are the Arguments objects gtag()
pushes. The demo's gtag stub (a blocked analytics script) stands in for Google's tag."""

import json
import os

import pytest

from browser_kit import ROOT, consent_value
from browser_kit import GOOGLE_MAPPING, GOOGLE_TYPES, READ_DATA_LAYER, STUB_WATCH, document_script

with open(os.path.join(ROOT, "demo", "site", "cookies-google.json"), encoding="utf-8") as _handle:
    GOOGLE_MANIFEST = json.load(_handle)
GOOGLE_MANIFEST.pop("$schema")
DENIED_DEFAULT = dict({t: "denied" for t in GOOGLE_TYPES}, wait_for_update=500)
ADS = ("ad_storage", "ad_user_data", "ad_personalization")


@pytest.fixture
def google(browser):
    with document_script(browser, STUB_WATCH):
        yield browser


def consent_commands(browser, entries=None):
    entries = browser.js(READ_DATA_LAYER) if entries is None else entries
    return [e for e in entries if isinstance(e, list) and e and e[0] == "consent"]


def stub_saw(browser):
    """dataLayer as the gtag stub found it when it ran."""
    return browser.wait_js("return window.__stubSawDataLayer", "the gtag stub never ran")


def assert_default_first(commands):
    assert commands, "no consent command in dataLayer"
    assert commands[0] == ["consent", "default", DENIED_DEFAULT]


def test_every_type_is_denied_by_default_before_any_tag_and_accepting_sends_one_update(google, site):
    browser = google
    browser.open(site.url("/google/"))
    assert browser.js("return typeof window.gtag") == "function"
    assert consent_commands(browser) == [["consent", "default", DENIED_DEFAULT]]
    assert browser.js("return window.__stubSawDataLayer === undefined"), "a Google tag ran before consent"
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    # The tag, once allowed, finds the default already in dataLayer.
    assert_default_first(consent_commands(browser, stub_saw(browser)))
    commands = consent_commands(browser)
    assert_default_first(commands)
    updates = [c for c in commands if c[1] == "update"]
    assert updates == [["consent", "update", dict({t: "granted" for t in ADS}, analytics_storage="granted")]]
    assert browser.find("#gtag-status").text.endswith("analytics_storage=granted")


def test_a_stored_choice_sends_one_update_on_load_after_the_default(google, site):
    browser = google
    browser.set_cookie("cookies_preferences", consent_value(["analytics", "ads"], manifest=GOOGLE_MANIFEST))
    browser.open(site.url("/google/"))
    assert browser.banner() is None
    expected = [["consent", "default", DENIED_DEFAULT],
                ["consent", "update", dict({t: "granted" for t in ADS}, analytics_storage="granted")]]
    # the accepted tag, when it runs, finds the stored choice's update already there, not only the default
    assert consent_commands(browser, stub_saw(browser)) == expected
    assert consent_commands(browser) == expected


INLINE_TAG = ('<script type="text/plain" data-consent="analytics">'
              'window.__inlineSaw = Array.from(window.dataLayer || [], function (e) { return Array.from(e); });'
              '</script>')


def test_an_accepted_inline_google_tag_runs_after_the_stored_choices_update(browser, site):
    """An inline `gtag("config", ...)` runs the moment it is let in: the stored choice's update must
    already be in dataLayer then, not only the default."""
    site.json("/t/google-cookies.json", GOOGLE_MANIFEST)
    url = site.page("/t/google-inline.html", {"manifest": "/t/google-cookies.json", "languages": ["fr"],
                                              "googleConsentMode": GOOGLE_MAPPING}, probes=False, body=INLINE_TAG)
    browser.set_cookie("cookies_preferences", consent_value(["analytics", "ads"], manifest=GOOGLE_MANIFEST))
    browser.open(url)
    saw = browser.wait_js("return window.__inlineSaw", "the accepted inline tag never ran")
    assert consent_commands(browser, saw) == [
        ["consent", "default", DENIED_DEFAULT],
        ["consent", "update", dict({t: "granted" for t in ADS}, analytics_storage="granted")]]


def test_a_custom_choice_of_analytics_only_keeps_ads_denied(google, site):
    browser = google
    browser.open(site.url("/google/"))
    browser.click_banner("Personnaliser")
    browser.switches(browser.wait_dialog())["Mesure d'audience (Google Analytics)"].click()
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    stub_saw(browser)
    updates = [c for c in consent_commands(browser) if c[1] == "update"]
    assert updates == [["consent", "update", dict({t: "denied" for t in ADS}, analytics_storage="granted")]]
