"""The first layer on the demo portal: first visit, accept all, reject all / continue without accepting,
and which stored cookies_preferences values count as a choice (tampered values, another revision)."""

import re
import time

import pytest

from browser_kit import (DAY, assert_nothing_optional, decode_consent, demo_manifest, format_version,
                         wait_analytics_active)

CHOICES = ("Tout accepter", "Tout refuser", "Personnaliser")
CONSENT = "cookies_preferences"
# <format version>.<revision>.<decision time ms>.<consent id>.<categories>, all cookie-octet safe.
VALUE = re.compile(r"(\d+)\.(\d+)\.(\d{13})\.([0-9a-z]{8,40})\.([a-z0-9_:=~-]*)")


def stored(browser):
    """The stored choice, read back with the product's CPython decoder as a server would."""
    cookie = browser.cookie(CONSENT)
    assert cookie is not None, "no choice was recorded"
    assert VALUE.fullmatch(cookie["value"]), "unexpected value format %r" % cookie["value"]
    consent = decode_consent(cookie["value"])
    assert consent is not None, "the server-side decoder rejects %r" % cookie["value"]
    return consent


@pytest.mark.journey
def test_first_visit_shows_a_labelled_banner_with_three_equal_choices(browser, site):
    browser.open(site.url("/"))
    banner = browser.wait_banner()
    assert banner.is_displayed()
    assert banner.get_attribute("role") == "region"
    title_id = banner.get_attribute("aria-labelledby")
    assert title_id, "the banner region has no aria-labelledby"
    title = browser.find("#" + title_id)
    assert title.is_displayed() and title.text.strip(), "the banner's label is not a visible title"
    assert browser.js("return arguments[0].contains(arguments[1]);", banner, title)

    buttons = [browser.button(banner, label) for label in CHOICES]
    style = ("return (function (s) { return [s.backgroundColor, s.color, s.borderTopColor, s.borderTopWidth,"
             " s.fontSize, s.fontWeight, s.borderRadius]; })(getComputedStyle(arguments[0]));")
    looks = [(b.get_attribute("class"), tuple(browser.js(style, b))) for b in buttons]
    assert looks[0] == looks[1] == looks[2], "the three choices do not share one style: %r" % looks
    sizes = [(round(b.rect["width"]), round(b.rect["height"])) for b in buttons]
    for width, height in sizes:
        assert abs(width - sizes[0][0]) <= 1 and abs(height - sizes[0][1]) <= 1, "sizes differ: %r" % sizes
    assert sizes[0][1] >= 24

    text = banner.text
    assert 50 < len(text) < 700, "the banner text is not short: %d characters" % len(text)
    links = [a for a in banner.find_elements("css selector", "a[href]") if a.is_displayed()]
    assert site.url("/pages/cookies/") in [a.get_attribute("href") for a in links], "no link to policyUrl"
    assert browser.button(banner, "Continuer sans accepter").is_displayed()

    assert browser.cookie(CONSENT) is None, "cookies_preferences was written before any choice"
    assert CONSENT not in browser.document_cookies()
    assert_nothing_optional(browser)
    assert browser.console_errors() == []

    browser.reload()                       # a visit without a choice still records nothing
    assert browser.wait_banner().is_displayed()
    assert browser.cookie(CONSENT) is None
    assert_nothing_optional(browser)


@pytest.mark.journey
def test_accept_all_records_the_choice_and_runs_blocked_scripts(browser, site):
    browser.open(site.url("/"))
    before = time.time()
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()

    cookie = browser.cookie(CONSENT)
    assert cookie is not None, "accepting wrote no cookies_preferences"
    version, revision, decided_at, consent_id, _ = VALUE.fullmatch(cookie["value"]).groups()
    assert int(version) == format_version()
    consent = stored(browser)
    assert consent.revision == int(revision) == 1
    assert abs(consent.decided_at / 1000 - before) < 60
    assert consent.consent_id == consent_id
    assert list(consent.accepted) == ["analytics"]
    assert cookie["path"] == "/"
    assert cookie["sameSite"] == "Lax"
    assert cookie["secure"] is False                      # the demo is plain http
    assert cookie["domain"] == "127.0.0.1", "not a host-only cookie: %r" % cookie["domain"]
    assert not cookie["session"]
    assert abs(cookie["expires"] - before - 182 * DAY) < 600, "expiry is not 182 days"

    wait_analytics_active(browser)
    assert browser.cookie("demo_analytics") is not None
    assert browser.js("return window.consentBanner.accepted('analytics');") is True

    browser.reload()
    assert browser.banner() is None, "the banner came back after a choice"
    wait_analytics_active(browser)
    assert browser.find("#analytics-status").text == "active (2 pages vues)"   # the script ran again
    assert browser.cookie(CONSENT)["value"] == cookie["value"], "a reload rewrote the stored choice"
    assert browser.console_errors() == []


@pytest.mark.journey
@pytest.mark.parametrize("label", ["Tout refuser", "Continuer sans accepter"])
def test_refusing_records_no_optional_category(browser, site, label):
    browser.open(site.url("/"))
    browser.click_banner(label)
    browser.wait_no_banner()
    assert list(stored(browser).accepted) == [], "the refusal stored an accepted category"
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    assert browser.events()[-1] == ["necessary"]
    assert_nothing_optional(browser)

    browser.reload()
    assert browser.banner() is None, "the banner came back after a refusal"
    assert_nothing_optional(browser)


@pytest.mark.journey
def test_a_new_manifest_revision_asks_again(browser, site):
    """Accept on the demo (revision 1), then visit a page whose manifest is revision 2."""
    browser.open(site.url("/"))
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    page = site.page("/t/revision-2.html", {"manifest": demo_manifest(revision=2), "languages": ["fr"],
                                             "policyUrl": "/pages/cookies/"})
    browser.open(page)
    assert browser.wait_banner().is_displayed(), "a choice made for revision 1 was reused for revision 2"
    assert browser.js("return window.__optional || null;") is None
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    assert stored(browser).revision == 2
    browser.wait_js("return (window.__optional || []).length === 1;")
