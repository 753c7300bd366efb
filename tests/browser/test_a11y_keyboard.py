"""Keyboard-only journeys, driven by real key events (ActionChains, or BiDi input in Firefox; never
element.click()), in Chromium, Firefox and WebKit (the last, which resizes the window, in Chromium): the first
layer comes first in the tab order and does not trap focus; the centre opens with Enter, takes focus,
keeps Tab and Shift+Tab inside, toggles with Space (the state text follows), saves with Enter, closes
with Escape without saving; focus returns to the opener, or to <main> once the opener is gone; the
reopen button and the footer link open the centre with Enter; and the fixed banner never hides the
focused element (RGAA 7.1, 7.3, 7.5, 12.8; WCAG 2.1.1, 2.1.2, 2.4.3, 2.4.11, 4.1.3)."""

import pytest
from selenium.webdriver.common.keys import Keys

from a11y_kit import focus_is_in, focused, media, press, set_width, shift_tab, tab_until  # noqa: F401
from browser_kit import consent_value, decode_consent

DATASET = "/explore/dataset/frequentation-parkings/"
POLICY = "/pages/cookies/"
SAVED = "Vos choix ont été enregistrés."
IN_DIALOG = "#cb-prefs"


def stored(browser):
    cookie = browser.cookie("cookies_preferences")
    return None if cookie is None else ":".join(decode_consent(cookie["value"]).accepted)


def live_region(browser):
    return browser.js("""var r = document.querySelector('[role=status][data-cb-ui]');
        return r && {live: r.getAttribute('aria-live'), text: r.textContent, lang: r.getAttribute('lang')};""")


def focus_on_main(browser):
    return browser.js("return document.activeElement === document.querySelector('main');")


SCROLLER = "return document.activeElement.classList.contains('cb-prefs__body');"


def cycle(browser, backwards=False, presses=20):
    """Focus after each of `presses` Tab (or Shift+Tab) presses, checking it never leaves the centre.
    Firefox also stops on the centre's scrolling body when it overflows (so the keyboard can scroll it);
    that stop is skipped here, not counted as a press."""
    seen = []
    for _ in range(2 * presses):
        if len(seen) == presses:
            break
        shift_tab(browser) if backwards else press(browser, Keys.TAB)
        assert focus_is_in(browser, IN_DIALOG), "focus left the centre (%s) after %s" % (
            focused(browser), " > ".join(seen))
        if browser.kind == "firefox" and browser.js(SCROLLER):
            continue
        seen.append(focused(browser))
    return seen


@pytest.mark.journey
def test_the_first_layer_comes_first_and_does_not_trap_focus(browser, site):
    browser.open(site.url("/"))
    browser.wait_banner()
    assert browser.js("return document.body.firstElementChild.id;") == "cb-banner"
    press(browser, Keys.TAB)
    assert focus_is_in(browser, "#cb-banner"), "the first Tab of the page is not in the banner: %s" % focused(browser)
    left = tab_until(browser, "!document.getElementById('cb-banner').contains(el)")
    assert left == 8, "Tab did not leave the non-modal banner after its 8 controls"
    assert focused(browser) == 'a "Aller au contenu"', "after the banner comes the page: %s" % focused(browser)

    shift_tab(browser)                                      # and back in, to decide from the keyboard
    assert browser.active_element().get_attribute("data-cb-action") == "customise"
    shift_tab(browser)
    assert browser.active_element().get_attribute("data-cb-action") == "reject_all"
    region = live_region(browser)
    assert region == {"live": "polite", "text": "", "lang": "fr"}, "no empty polite live region before: %r" % region
    press(browser, Keys.ENTER)
    browser.wait_no_banner()
    assert stored(browser) == ""
    assert focus_on_main(browser), "focus was lost with the banner: %s" % focused(browser)
    assert live_region(browser)["text"] == SAVED


@pytest.mark.journey
def test_the_centre_from_the_keyboard_alone(browser, site):
    browser.open(site.url("/"))
    browser.wait_banner()
    assert tab_until(browser, "el.getAttribute('data-cb-action') === 'customise'") is not None
    opener = browser.active_element()
    press(browser, Keys.ENTER)
    browser.wait_dialog()
    assert focus_is_in(browser, IN_DIALOG), "focus did not move into the centre: %s" % focused(browser)
    assert focused(browser).startswith("h2#cb-prefs-title")

    # 12 controls (close, 2 languages, switch, a provider's policy link, 4 browser help links, 3 buttons): Tab
    # wraps round, twice over
    forward = cycle(browser, presses=24)
    assert forward[12:24] == forward[:12] and len(set(forward)) == 12, "Tab does not cycle: %r" % forward
    assert forward[0] == 'button "Fermer"' and forward[11] == 'button "Enregistrer mes choix"'
    backward = cycle(browser, backwards=True, presses=24)
    order = forward[:12]
    assert set(backward) == set(order), "Shift+Tab does not visit the same controls: %r" % backward
    for before, after in zip([forward[-1]] + backward, backward):
        assert order.index(after) == (order.index(before) - 1) % 12, "Shift+Tab does not cycle back: %r" % backward

    # Space toggles, the state text follows; Escape closes without saving, focus back on "Personnaliser".
    assert tab_until(browser, "el.id === 'cb-switch-analytics'") is not None
    state = browser.find("#cb-state-analytics")
    assert state.text == "Désactivé"
    press(browser, Keys.SPACE)
    assert browser.active_element().is_selected() and state.text == "Activé"
    press(browser, Keys.SPACE)
    assert not browser.active_element().is_selected() and state.text == "Désactivé"
    press(browser, Keys.SPACE)
    press(browser, Keys.ESCAPE)
    browser.wait_no_dialog()
    assert stored(browser) is None, "Escape saved a choice"
    assert browser.banner() is not None
    assert browser.active_element() == opener, "focus did not return to the opener: %s" % focused(browser)

    # Again, and this time save: exactly the switched-on category; focus to <main>, the opener is gone.
    press(browser, Keys.ENTER)
    browser.wait_dialog()
    assert tab_until(browser, "el.id === 'cb-switch-analytics'") is not None
    assert not browser.active_element().is_selected(), "the change undone by Escape came back"
    press(browser, Keys.SPACE)
    assert tab_until(browser, "el.getAttribute('data-cb-action') === 'save'") is not None
    assert live_region(browser)["text"] == ""
    press(browser, Keys.ENTER)
    browser.wait_no_dialog()
    browser.wait_no_banner()
    assert stored(browser) == "analytics"
    assert live_region(browser) == {"live": "polite", "text": SAVED, "lang": "fr"}
    assert focus_on_main(browser), "focus was lost when the opener went away: %s" % focused(browser)


@pytest.mark.journey
def test_the_reopen_button_and_the_footer_link_open_the_centre_with_enter(browser, site):
    browser.set_cookie("cookies_preferences", consent_value([]))
    browser.open(site.url("/"))
    assert browser.banner() is None
    url = browser.driver.current_url
    for css in ("footer [data-consent-open]", "button.cb-reopen"):
        assert tab_until(browser, "el.matches(%r)" % css) is not None, "Tab never reached %s" % css
        opener = browser.active_element()
        press(browser, Keys.ENTER)
        browser.wait_dialog()
        assert focus_is_in(browser, IN_DIALOG), "focus did not move into the centre opened by %s" % css
        assert browser.find("#cb-switch-analytics").is_selected() is False
        press(browser, Keys.ESCAPE)
        browser.wait_no_dialog()
        assert browser.active_element() == opener, "focus did not return to %s: %s" % (css, focused(browser))
    assert browser.driver.current_url == url, "Enter on the footer link navigated away"
    assert stored(browser) == ""


HIDDEN = """
var el = document.activeElement, banner = document.getElementById('cb-banner');
if (!el || el === document.body || !banner || banner.contains(el)) { return null; }
var r = el.getBoundingClientRect(), b = banner.getBoundingClientRect();
var vw = document.documentElement.clientWidth, vh = innerHeight;
var box = {left: Math.max(r.left, 0), top: Math.max(r.top, 0), right: Math.min(r.right, vw), bottom: Math.min(r.bottom, vh)};
var label = el.tagName.toLowerCase() + ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30) + '"';
if (box.right - box.left < 1 || box.bottom - box.top < 1) { return label + ' is outside the viewport'; }
if (box.left >= b.left && box.right <= b.right && box.top >= b.top && box.bottom <= b.bottom) {
  return label + ' is entirely under the banner';
}
return '';"""


@pytest.mark.parametrize("width, paths", [(None, ["/", DATASET, POLICY]), (320, ["/", DATASET])],
                         ids=["1280px", "320px"])
def test_the_banner_never_hides_the_focused_element(media, site, width, paths):
    """WCAG 2.4.11: Tab through whole pages while the fixed banner shows; no focused element of the page
    is ever entirely covered by the banner (or left out of the viewport)."""
    browser = media
    set_width(browser, width)
    for path in paths:
        browser.open(site.url(path))
        browser.wait_banner()
        checked, problems = 0, []
        for _ in range(60):
            press(browser, Keys.TAB)
            verdict = browser.js(HIDDEN)
            if verdict is None:
                if checked and focus_is_in(browser, "#cb-banner"):
                    break                                     # round the page and back to the banner
                continue
            checked += 1
            if verdict:
                problems.append(verdict)
        assert checked >= 6, "Tab reached only %d elements of %s" % (checked, path)
        assert problems == [], "on %s at %s: %s" % (path, width or 1280, "; ".join(problems))
