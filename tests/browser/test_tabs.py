"""Concurrency: two tabs on the portal. A decision in one reaches the other when it regains
focus (or becomes visible again) and on its next load, without the banner coming back, and the cookie
both tabs read is always the last decision: nothing is lost, nothing stale is written back."""

from selenium.common.exceptions import WebDriverException

from browser_kit import EVENT_RECORDER, decode_consent
from browser_kit import CONSENT, optional_ran


def consent_in_tab(browser):
    values = [p.split("=", 1)[1] for p in (browser.js("return document.cookie;") or "").split("; ")
              if p.startswith(CONSENT + "=")]
    assert len(values) == 1, "expected one %s, got %r" % (CONSENT, values)
    consent = decode_consent(values[0])
    assert consent is not None, values[0]
    return consent


def refocus(browser, event, analytics):
    """Come back to a tab. Switching windows may already fire focus/visibilitychange (and a withdrawal
    reloads the page); the event is dispatched too, in case it did not. Then wait for the tab to follow."""
    try:
        browser.js("if (document.readyState === 'complete') { %s }" % event)
    except WebDriverException:
        pass                                          # the tab is reloading already
    browser.wait_js("return document.readyState === 'complete' && !!(window.__consentBoot &&"
                    " window.__consentBoot.ready && window.__events && window.__events.length) &&"
                    " window.consentBanner.accepted('analytics') === %s;" % ("true" if analytics else "false"),
                    "the tab did not follow the other tab's decision")


def test_a_decision_in_one_tab_reaches_the_other_on_focus_and_load(browser, site):
    url = site.page("/t/tabs.html", {"manifest": "/t/cookies.json", "languages": ["fr"]})
    driver = browser.driver
    tab_a = driver.current_window_handle
    browser.open(url)
    browser.wait_banner()
    driver.switch_to.new_window("tab")
    tab_b = driver.current_window_handle
    try:
        # CDP set-up is per tab: give B what conftest.driver gave the first one
        driver.execute_cdp_cmd("Page.enable", {})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": EVENT_RECORDER})
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                               {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
        browser.open(url)
        browser.wait_banner()

        # A accepts; B, still showing its banner, regains focus
        driver.switch_to.window(tab_a)
        browser.click_banner("Tout accepter")
        browser.wait_no_banner()
        accepted = consent_in_tab(browser)
        driver.switch_to.window(tab_b)
        refocus(browser, "window.dispatchEvent(new Event('focus'));", analytics=True)
        browser.wait_no_banner()
        assert optional_ran(browser) == ["analytics"], "B did not apply A's acceptance"
        assert browser.events()[-1] == ["necessary", "analytics"]
        assert consent_in_tab(browser) == accepted

        # B withdraws (its analytics script ran: it reloads); A becomes visible again and follows
        browser.find("#manage").click()
        browser.wait_dialog()
        browser.navigating(lambda: browser.click_dialog("Tout refuser"))
        refused = consent_in_tab(browser)
        assert refused.accepted == () and refused.consent_id != accepted.consent_id
        driver.switch_to.window(tab_a)
        refocus(browser, "document.dispatchEvent(new Event('visibilitychange'));", analytics=False)
        assert browser.banner() is None, "the banner came back in A"
        assert browser.js("return window.consentBanner.accepted('analytics');") is False
        assert optional_ran(browser) == []
        assert consent_in_tab(browser) == refused

        # the next load of B, and a third decision from A, still agree
        driver.switch_to.window(tab_b)
        browser.reload()
        assert browser.banner() is None and optional_ran(browser) == []
        assert consent_in_tab(browser) == refused
        driver.switch_to.window(tab_a)
        browser.find("#manage").click()
        browser.wait_dialog()
        browser.click_dialog("Tout accepter")
        browser.wait_no_dialog()
        last = consent_in_tab(browser)
        driver.switch_to.window(tab_b)
        refocus(browser, "window.dispatchEvent(new Event('focus'));", analytics=True)
        assert consent_in_tab(browser) == last
        assert browser.banner() is None
    finally:
        for handle in driver.window_handles:
            if handle != tab_a:
                driver.switch_to.window(handle)
                driver.close()
        driver.switch_to.window(tab_a)
