"""The page-facing API: the `consent:change` event after start-up and after each decision, and
`window.consentBanner.show() / showPreferences() / accepted(id) / reset()`."""

from selenium.webdriver.common.keys import Keys

CONSENT = "cookies_preferences"


def accepted(browser, category):
    return browser.js("return window.consentBanner.accepted(arguments[0]);", category)


def test_consent_change_fires_after_start_up_and_after_each_decision(browser, site):
    browser.open(site.url("/"))
    assert browser.events() == [["necessary"]]
    assert accepted(browser, "necessary") is True
    assert accepted(browser, "analytics") is False
    assert accepted(browser, "no-such-category") is False

    browser.click_banner("Tout refuser")
    browser.wait_js("return window.__events.length === 2;", "no consent:change after refusing")
    assert browser.events()[-1] == ["necessary"]

    browser.js("window.consentBanner.show();")
    browser.click_banner("Tout accepter")
    browser.wait_js("return window.__events.length === 3;", "no consent:change after accepting")
    assert browser.events()[-1] == ["necessary", "analytics"]
    assert accepted(browser, "analytics") is True

    browser.reload()                                  # start-up with a stored choice reports it
    assert browser.events() == [["necessary", "analytics"]]
    assert accepted(browser, "analytics") is True


def test_show_brings_the_banner_back_after_a_decision(browser, site):
    browser.open(site.url("/"))
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    browser.js("window.consentBanner.show();")
    banner = browser.wait_banner()
    assert banner.is_displayed()
    browser.js("window.consentBanner.show();")        # twice: still one banner
    assert len(browser.find_all("[role=region][aria-labelledby]")) == 1
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    assert accepted(browser, "analytics") is True


def test_show_preferences_opens_the_centre_with_the_current_state(browser, site):
    browser.open(site.url("/"))
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    browser.js("window.consentBanner.showPreferences();")
    dialog = browser.wait_dialog()
    assert browser.find("#" + dialog.get_attribute("aria-labelledby")).text == "Centre de gestion des cookies"
    assert browser.switches(dialog)["Mesure d'audience"].is_selected()
    browser.active_element().send_keys(Keys.ESCAPE)
    browser.wait_no_dialog()
    assert accepted(browser, "analytics") is True


def test_reset_forgets_the_choice_clears_optional_cookies_and_asks_again(browser, site):
    browser.open(site.url("/"))
    browser.click_banner("Tout accepter")
    browser.wait(lambda d: browser.cookie("demo_analytics") is not None)
    # The analytics script already ran in this page view: forgetting reloads to stop it.
    browser.navigating(lambda: browser.js("window.consentBanner.reset();"))
    assert browser.wait_banner().is_displayed()
    assert browser.cookie(CONSENT) is None
    assert browser.cookie("demo_analytics") is None and browser.cookie("demo_analytics_visits") is None
    assert accepted(browser, "analytics") is False
    assert browser.events() == [["necessary"]]
    assert browser.find("#analytics-status").text == "inactive"


def test_reset_after_a_refusal_shows_the_banner_at_once(browser, site):
    browser.open(site.url("/"))
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    assert browser.cookie(CONSENT) is not None
    browser.js("window.__still_here = true; window.consentBanner.reset();")
    assert browser.wait_banner().is_displayed()
    assert browser.js("return window.__still_here === true;")
    assert browser.cookie(CONSENT) is None
    assert browser.events()[-1] == ["necessary"]
