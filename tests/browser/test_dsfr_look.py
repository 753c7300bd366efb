"""The DSFR look (`"look": "dsfr"`, docs/theming.md) on a page that loads DSFR's own stylesheet (the
`@gouvfr/dsfr` npm package): the banner, centre and placeholders carry DSFR's consent-manager structure, no
rule of our stylesheet touches them, and the accessibility guarantees hold: axe-core finds no WCAG
violation, the keyboard reaches and works every control, nothing scrolls sideways at 320 CSS px, and with
text at 200 % every control can still be reached."""

import os

import pytest
from selenium.webdriver.common.keys import Keys

from a11y_kit import axe, media, no_horizontal_scroll, press, set_width, tab_until, zoom_text  # noqa: F401
from browser_kit import ROOT, consent_value, decode_consent
from test_a11y_layout import check_reachable

DSFR_CSS = os.path.join(ROOT, "node_modules", "@gouvfr", "dsfr", "dist", "dsfr.min.css")
CONFIG = {"manifest": "/t/cookies.json", "languages": ["fr", "en"], "policyUrl": "/pages/cookies/", "look": "dsfr"}
EMBED = ('<iframe id="map" title="Carte" data-consent="analytics" data-src="/t/frame.html" width="640" '
         'height="360"></iframe>')

# Every rule of consent.css (nested in @media/@container too) that matches an element of our DSFR roots,
# except the few written for this look ([data-cb-look]) and for the portal's iframes.
OUR_RULES_ON = """
var roots = Array.prototype.slice.call(document.querySelectorAll("[data-cb-look=dsfr]")), found = [];
var sheet = (document.adoptedStyleSheets || []).concat(Array.prototype.slice.call(document.styleSheets)).find(function (s) {
  return Array.prototype.some.call(s.cssRules, function (rule) { return rule.selectorText === ".cb-banner"; });
});
function walk(rules) {
  Array.prototype.forEach.call(rules, function (rule) {
    if (rule.cssRules && !rule.selectorText) { walk(rule.cssRules); return; }
    if (!rule.selectorText || /data-cb-look|^iframe/.test(rule.selectorText)) { return; }
    roots.forEach(function (root) {
      [root].concat(Array.prototype.slice.call(root.querySelectorAll("*"))).forEach(function (el) {
        var hit = false;
        try { hit = el.matches(rule.selectorText); } catch (e) { hit = false; }   // ::backdrop, ::before
        if (hit) { found.push(rule.selectorText + " -> " + el.tagName + "." + el.className); }
      });
    });
  });
}
walk(sheet.cssRules);
return [roots.length, found];"""


@pytest.fixture(scope="module")
def dsfr(servers):
    if not os.path.exists(DSFR_CSS):
        pytest.fail("%s is missing: run `npm ci` (make setup)" % DSFR_CSS, pytrace=False)
    with open(DSFR_CSS, "rb") as handle:
        servers.multi.route("/t/dsfr/dsfr.min.css", "text/css", handle.read())
    return servers.multi


def dsfr_page(site, name, body="", **config):
    return site.page("/t/dsfr-%s.html" % name, dict(CONFIG, **config), body=body, probes=False,
                     head='<link rel="stylesheet" href="/t/dsfr/dsfr.min.css">')


def check_stays_out(browser, where, roots):
    count, found = browser.js(OUR_RULES_ON)
    assert count == roots, "%s: %d DSFR root(s) of ours, expected %d" % (where, count, roots)
    assert found == [], "%s: our stylesheet styles the DSFR look: %s" % (where, "; ".join(found[:5]))


def assert_clean(browser, where):
    found = axe(browser)
    assert found == [], "axe-core on %s (DSFR look):\n%s" % (where, "\n".join(found))


def test_the_dsfr_look_is_dsfr_s_markup_drawn_by_dsfr_and_keyboard_accessible(media, dsfr):
    browser = media
    browser.open(dsfr_page(dsfr, "home", body=EMBED))
    banner = browser.wait_banner()
    assert "fr-consent-banner" in banner.get_attribute("class").split()
    assert [b.get_attribute("class") for b in banner.find_elements("css selector", ".fr-consent-banner__buttons button")] \
        == ["fr-btn", "fr-btn", "fr-btn fr-btn--secondary"]
    # drawn by DSFR: its primary button blue, its font, its banner background; none of our rules
    look = browser.js("var b = document.querySelector('#cb-banner [data-cb-action=accept_all]');"
                      "return [getComputedStyle(b).backgroundColor, getComputedStyle(b).fontFamily];")
    assert look[0] == "rgb(0, 0, 145)" and "Marianne" in look[1], look
    check_stays_out(browser, "the first layer and the placeholder", 2)
    assert_clean(browser, "the first layer")

    # keyboard: Tab reaches "Personnaliser", Enter opens the centre (a modal dialog), Space flips a switch
    assert tab_until(browser, "el.getAttribute('data-cb-action') === 'customise'") is not None
    press(browser, Keys.ENTER)
    dialog = browser.wait_dialog()
    assert "fr-modal" in dialog.get_attribute("class") and browser.find_all("#cb-prefs .fr-consent-manager")
    check_stays_out(browser, "the centre", 3)
    assert tab_until(browser, "el.id === 'cb-switch-analytics'") is not None
    press(browser, Keys.SPACE)
    assert browser.find("#cb-switch-analytics").is_selected()
    assert browser.find("#cb-state-analytics").get_attribute("textContent") == "Activé"
    assert_clean(browser, "the centre with a switch on")
    assert tab_until(browser, "el.getAttribute('data-cb-action') === 'save'") is not None
    press(browser, Keys.ENTER)
    browser.wait_no_dialog()
    browser.wait_no_banner()
    assert list(decode_consent(browser.cookie("cookies_preferences")["value"]).accepted) == ["analytics"]


def test_the_dsfr_placeholder_and_its_keyboard_path(media, dsfr):
    browser = media
    browser.set_cookie("cookies_preferences", consent_value([]))
    browser.open(dsfr_page(dsfr, "embed", body=EMBED))
    placeholder = browser.wait(lambda d: browser.find_all("[data-cb-placeholder]"), "no placeholder")[0]
    assert "fr-consent-placeholder" in placeholder.get_attribute("class")
    check_stays_out(browser, "the placeholder", 1)
    assert_clean(browser, "the placeholder")
    assert tab_until(browser, "el.getAttribute('data-cb-embed') === 'once'") is not None
    press(browser, Keys.ENTER)
    browser.wait_js("var f = document.getElementById('map'); return f.getAttribute('src') && !f.hidden;",
                    "Autoriser une fois did not load the embed")


@pytest.mark.parametrize("width, zoom", [(320, 100), (1280, 200)], ids=["320px", "text-200"])
def test_the_dsfr_look_reflows_at_320_px_and_at_200_percent_text(media, dsfr, width, zoom):
    browser = media
    set_width(browser, width, 640)
    browser.open(dsfr_page(dsfr, "reflow-%d" % width, body=EMBED))
    banner = browser.wait_banner()
    if zoom != 100:
        zoom_text(browser, zoom)
    where = "the DSFR look at %dpx, text at %d%%" % (width, zoom)
    ok, scroll, client = no_horizontal_scroll(browser)
    assert ok, "%s: the page is %dpx wide in %dpx" % (where, scroll, client)
    check_reachable(browser, banner, "the banner, " + where)
    browser.js("window.consentBanner.showPreferences();")
    dialog = browser.wait_dialog()
    ok, scroll, client = no_horizontal_scroll(browser)
    assert ok, "%s with the centre: the page is %dpx wide in %dpx" % (where, scroll, client)
    check_reachable(browser, dialog, "the centre, " + where)
