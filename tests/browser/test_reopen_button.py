"""The optional persistent reopen button (`"reopenButton": true` or a corner): a small fixed
<button> named "Gestion des cookies", reachable with the keyboard, that opens the preferences centre."""

import pytest
from selenium.webdriver.common.keys import Keys

from browser_kit import consent_value

READ_BUTTON = """
var b = document.querySelector(".cb-reopen"), r = b.getBoundingClientRect(), s = getComputedStyle(b);
return {position: s.position, left: r.left, top: r.top, right: innerWidth - r.right, bottom: innerHeight - r.bottom,
        width: r.width, height: r.height, tag: b.tagName.toLowerCase(), type: b.type};"""


def reopen_page(site, name, **config):
    return site.page("/t/%s.html" % name, dict({"manifest": "/t/cookies.json", "languages": ["fr", "en"]}, **config),
                     probes=False)


def test_reopen_button_true_is_a_small_labelled_button_in_the_bottom_left_corner_that_opens_the_centre(browser, site):
    browser.set_cookie("cookies_preferences", consent_value(["analytics"]))
    browser.open(reopen_page(site, "reopen-true", reopenButton=True))
    buttons = browser.find_all(".cb-reopen")
    assert len(buttons) == 1
    button = buttons[0]
    assert browser.name(button) == "Gestion des cookies"
    box = browser.js(READ_BUTTON)
    assert (box["tag"], box["type"], box["position"]) == ("button", "button", "fixed")
    assert 24 <= box["width"] <= 64 and 24 <= box["height"] <= 64
    assert box["left"] < 40 and box["bottom"] < 40
    # Keyboard: Tab reaches it, Enter opens the centre, closing gives focus back to it.
    browser.find("body").send_keys(Keys.TAB)
    for _ in range(20):
        if browser.js("return document.activeElement.classList.contains('cb-reopen')"):
            break
        browser.active_element().send_keys(Keys.TAB)
    else:
        pytest.fail("Tab never reached the reopen button")
    browser.active_element().send_keys(Keys.ENTER)
    browser.wait_dialog()
    browser.click_dialog("Fermer")
    browser.wait_no_dialog()
    assert browser.js("return document.activeElement.classList.contains('cb-reopen')")
    # French and English are in the start-up bundle: no language bundle was fetched.
    assert not [p for p in browser.js("return performance.getEntriesByType('resource').map(e => e.name)")
                if "consent-lang-" in p]


@pytest.mark.parametrize("corner", ["top-right", "bottom-right", "top-left"])
def test_the_portal_chooses_the_corner(browser, site, corner):
    browser.set_cookie("cookies_preferences", consent_value([]))
    browser.open(reopen_page(site, "reopen-" + corner, reopenButton=corner))
    box = browser.js(READ_BUTTON)
    vertical, horizontal = corner.split("-")
    assert box[vertical] < 40 and box[horizontal] < 40
    assert box["bottom" if vertical == "top" else "top"] > 300
    assert box["right" if horizontal == "left" else "left"] > 300


def test_there_is_no_reopen_button_by_default(browser, site):
    browser.set_cookie("cookies_preferences", consent_value([]))
    browser.open(reopen_page(site, "reopen-default"))
    assert browser.find_all(".cb-reopen") == []
    assert browser.find_all("[data-consent-open]") == [browser.find("#manage")]
