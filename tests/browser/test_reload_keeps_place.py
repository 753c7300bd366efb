"""When the banner reloads the page for the visitor (withdrawing what already ran: nothing else stops a
script; the Django app's language switch: the server renders the new language), the visitor keeps their
place: focus back on the control they used and the status message saying the choice was saved, or the
centre open again with the switches as they had left them (RGAA 7.5 and 12.8; WCAG 4.1.3 and 2.4.3)."""

import pytest
from selenium.webdriver.common.keys import Keys

from browser_kit import consent_value, decode_consent
from a11y_kit import focused

SAVED = "Vos choix ont été enregistrés."
STATUS = "var s = document.querySelector('[role=status]'); return s ? s.textContent : null;"


@pytest.mark.journey
def test_a_withdrawal_that_reloads_the_page_gives_focus_back_and_says_the_choice_was_saved(browser, site):
    url = site.page("/t/reload-withdraw.html", {"manifest": "/t/cookies.json"})
    browser.set_cookie("cookies_preferences", consent_value(["analytics"]))
    browser.open(url)
    assert browser.js("return window.consentBanner.accepted('analytics');") is True
    browser.find("#manage").send_keys(Keys.ENTER)                # a keyboard user opens the centre
    browser.wait_dialog()
    browser.navigating(lambda: browser.click_dialog("Tout refuser"))   # the analytics script ran: reload
    browser.settled()
    assert decode_consent(browser.cookie("cookies_preferences")["value"]).accepted == ()
    assert browser.js("return document.activeElement && document.activeElement.id;") == "manage", \
        "focus did not come back to the link that opened the centre: %s" % focused(browser)
    assert browser.js(STATUS) == SAVED, "nothing said the choice was saved"
    browser.reload()                                             # said once, for that reload only
    browser.settled()
    assert browser.js(STATUS) == ""


def test_the_language_switch_that_reloads_the_page_reopens_the_centre_as_the_visitor_left_it(browser, site):
    url = site.page("/t/reload-language.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"],
                                                "languageCookie": True})
    browser.open(url)
    browser.wait_banner()
    browser.button(browser.banner(), "Personnaliser").click()
    dialog = browser.wait_dialog()
    browser.wait_still()
    dialog.find_element("css selector", "#cb-switch-analytics").click()        # not saved yet
    assert browser.js("return document.getElementById('cb-switch-analytics').checked;") is True
    browser.navigating(lambda: dialog.find_element("css selector", '[data-cb-language="en"]').click())
    assert browser.cookie("django_language")["value"] == "en"
    browser.wait_dialog()
    assert browser.js("return document.getElementById('cb-switch-analytics').checked;") is True, \
        "the switch the visitor had moved was lost"
    assert browser.js("return document.getElementById('cb-prefs').contains(document.activeElement);"), \
        "focus is not in the centre: %s" % focused(browser)
    assert browser.cookie("cookies_preferences") is None, "moving a switch saved a choice"
    assert browser.js(STATUS) == ""                              # nothing was saved
