"""Global Privacy Control. With navigator.globalPrivacyControl true and no stored choice, optional
categories are refused without a banner (neither the loader's ahead-of-time one nor the live one) and
nothing is written; the footer link still opens the centre, and an explicit choice wins from then on.
`respectGPC: false` in data-config turns this off."""

import pytest

from browser_kit import decode_consent
from browser_kit import BANNER_WATCH, GPC_ON, document_script


@pytest.fixture
def gpc(browser):
    with document_script(browser, GPC_ON + BANNER_WATCH):
        yield browser


def test_gpc_refuses_without_a_banner_and_the_footer_link_still_lets_the_visitor_opt_in(gpc, site):
    browser = gpc
    browser.open(site.url("/"))                # the demo home: its first layer is prerendered in consent.js
    assert browser.js("return navigator.globalPrivacyControl") is True
    assert browser.js("return window.__bannerSeen") is False, "a banner was shown despite GPC"
    assert browser.banner() is None
    assert browser.events()[-1] == ["necessary"]
    assert browser.js("return consentBanner.accepted('analytics')") is False
    assert browser.js("return window.demoAnalytics === undefined")
    assert browser.find("#analytics-status").text == "inactive"
    assert browser.all_cookies() == {}, "something was written under GPC"
    # An explicit choice wins: the footer link opens the centre, and accepting there is kept.
    browser.find("footer [data-consent-open]").click()
    browser.click_dialog("Tout accepter")
    browser.wait_no_dialog()
    browser.wait_js("return !!window.demoAnalytics", "analytics did not start after an explicit opt-in")
    assert decode_consent(browser.cookie("cookies_preferences")["value"]).accepted == ("analytics",)
    browser.reload()
    assert browser.banner() is None
    assert browser.events()[-1] == ["necessary", "analytics"]
    browser.wait_js("return !!window.demoAnalytics", "the explicit choice did not win on the next load")


def test_respect_gpc_false_shows_the_banner_anyway(gpc, site):
    url = site.page("/t/gpc-off.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"],
                                        "respectGPC": False})
    gpc.open(url)
    gpc.wait_banner()
    assert gpc.js("return navigator.globalPrivacyControl") is True
    assert gpc.js("return window.__optional === undefined")
