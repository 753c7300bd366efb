"""Fail closed: a broken integration (bad data-config, missing or invalid manifest, unsafe URL, missing
bundle) reports one console error naming the problem, runs nothing optional even for a visitor who had
accepted, leaves the page's own scripts working, and the footer link explains instead of doing nothing.
Also: manifest texts are shown as text, never parsed as HTML."""

import time

import pytest
from selenium.webdriver.common.keys import Keys

from browser_kit import consent_value, demo_manifest

INVALID_MANIFEST = demo_manifest()
INVALID_MANIFEST["cookies"].append({"provider": "Régie", "name": "ads_id", "category": "marketing",
                                    "lifetime": "13 mois", "purpose": "Publicité ciblée."})

# name -> (data-config (dict, or raw text), routes to add, words the console error and the explanation name)
BROKEN = {
    "invalid-json": ('{"manifest": "/t/cookies.json", "languages": ["fr"', {}, ["data-config", "JSON"]),
    "missing-manifest": ({"manifest": "/t/missing.json"}, {}, ["/t/missing.json", "404"]),
    "manifest-not-json": ({"manifest": "/t/not-json.json"},
                          {"/t/not-json.json": ("application/json", b"{revision: 1,}")}, ["manifest", "JSON"]),
    "invalid-manifest": ({"manifest": "/t/invalid.json"}, {"/t/invalid.json": INVALID_MANIFEST},
                         ["cookies[5].category", "marketing"]),
    "invalid-inline-manifest": ({"manifest": demo_manifest(revision=0)}, {}, ["revision"]),
    "unsafe-policy-url": ({"manifest": "/t/cookies.json", "policyUrl": "javascript:alert(1)"}, {},
                          ["policyUrl", "javascript:alert(1)"]),
    "unsafe-manifest-url": ({"manifest": "javascript:alert(1)"}, {}, ["manifest", "javascript:alert(1)"]),
    "no-manifest": ({"languages": ["fr"]}, {}, ["manifest"]),
    "bad-languages": ({"manifest": "/t/cookies.json", "languages": "fr"}, {}, ["languages"]),
}


def assert_nothing_optional(browser):
    time.sleep(0.3)                 # what a wrongly activated probe would need to run or load
    assert browser.js("return window.__optional || null;") is None, "an optional script ran"
    assert browser.js("return document.getElementById('probe-frame').getAttribute('src');") in (None, "about:blank")
    assert browser.js("return window.__frameLoads || 0;") == 0
    assert browser.js("return document.querySelector('script[data-consent]').type;") == "text/plain"


def assert_page_still_works(browser):
    assert browser.js("return window.__pageScript;") == "ran"
    browser.find("#page-button").click()
    assert browser.find("#page-count").text == "1"


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_integration_fails_closed_and_explains(browser, site, case):
    config, routes, words = BROKEN[case]
    for path, body in routes.items():
        if isinstance(body, dict):
            site.json(path, body)
        else:
            site.route(path, *body)
    url = site.page("/t/broken-%s.html" % case, config)
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))   # accepted earlier
    browser.open(url)

    errors = browser.banner_errors()
    assert len(errors) == 1, "expected one console error, got %r" % errors
    for word in words:
        assert word in errors[0], "the console error does not name %r: %s" % (word, errors[0])
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    assert "analytics" not in (browser.events()[-1] or [])
    assert browser.banner() is None
    assert_nothing_optional(browser)
    assert_page_still_works(browser)

    link = browser.find("#manage")
    link.click()
    dialog = browser.wait_dialog()
    assert dialog.get_attribute("role") == "dialog" and dialog.get_attribute("aria-modal") == "true"
    title = browser.find("#" + dialog.get_attribute("aria-labelledby"))
    assert title.is_displayed() and title.text.strip()
    for word in words:
        assert word in dialog.text, "the explanation does not name %r: %s" % (word, dialog.text)
    browser.active_element().send_keys(Keys.ESCAPE)
    browser.wait_no_dialog()
    browser.js("window.consentBanner.showPreferences();")          # the API explains too
    browser.wait_dialog()
    assert len(browser.banner_errors()) == 1, "opening the explanation logged more errors"


def test_a_missing_bundle_leaves_blocked_content_inert(browser, site):
    """consent.js is served from a directory holding the Brython runtime but not consent.brython.js."""
    url = site.page("/t/no-bundle.html", {"manifest": "/t/cookies.json"}, loader="/nobundle/consent.js")
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))
    browser.open(url, ready=False)
    browser.wait_loader_settled()
    errors = browser.banner_errors()
    assert len(errors) == 1 and "consent.brython.js" in errors[0], errors
    assert_nothing_optional(browser)
    assert_page_still_works(browser)
    # page code asking the API still gets an answer: nothing optional is accepted
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    browser.find("#manage").click()                 # the footer link is no longer held back: no error
    assert len(browser.banner_errors()) == 1


def test_unknown_config_keys_are_reported_but_not_fatal(browser, site):
    url = site.page("/t/unknown-key.html", {"manifest": "/t/cookies.json", "colour": "blue"})
    browser.open(url)
    warnings = [e["message"] for e in browser.console() if e["level"] == "WARNING"
                and "consent-banner:" in e["message"]]
    assert len(warnings) == 1 and "colour" in warnings[0], warnings
    assert browser.banner_errors() == []
    browser.click_banner("Tout accepter")
    browser.wait_js("return (window.__optional || []).length === 1;", "the banner did not work")


def test_manifest_texts_are_shown_as_text_never_as_markup(browser, site):
    payload = '<img src=x onerror="window.__pwned=1">'
    manifest = demo_manifest()
    analytics = manifest["categories"][1]
    analytics["title"] = "Audience <b>gras</b>"
    analytics["description"] = payload
    manifest["cookies"][-1]["purpose"] = payload
    manifest["cookies"][-1]["provider"] = "<script>window.__pwned=2</script>"
    url = site.page("/t/injection.html", {"manifest": manifest, "languages": ["fr"]})
    browser.open(url)
    banner = browser.wait_banner()
    assert "Audience <b>gras</b>" in banner.text
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    assert dialog.text.count(payload) == 2, dialog.text
    assert "<script>window.__pwned=2</script>" in dialog.text
    assert browser.js("return document.querySelectorAll('img, b').length;") == 0
    time.sleep(0.3)                                  # an <img src=x> would have errored by now
    assert browser.js("return typeof window.__pwned;") == "undefined"
