"""The DSFR look (`"look": "dsfr"`, docs/theming.md) on a page that loads DSFR's own stylesheet and
JavaScript (the pinned `@gouvfr/dsfr` npm package): the banner, centre and placeholders have the structure
DSFR's consent-manager specification gives (dsfr_spec.py reads it from the package), DSFR's CSS draws
them and its JavaScript drives the centre (its modal, collapses, radios) with no rule of our stylesheet on
them, DSFR's dark mode is followed, and the accessibility guarantees hold in Chromium, Firefox and WebKit:
axe-core finds no WCAG violation, the keyboard reaches and works every control, nothing scrolls sideways
at 320 CSS px, and with text at 200 % every control can still be reached."""

import os
import re

import pytest
from selenium.webdriver.common.keys import Keys

from a11y_kit import axe, emulate, luminance, media, no_horizontal_scroll, parse_colour, press, tab_until, \
    zoom_text  # noqa: F401
from browser_kit import ROOT, consent_value, decode_consent
from dsfr_spec import class_paths, examples
from test_a11y_layout import check_reachable

DIST = os.path.join(ROOT, "node_modules", "@gouvfr", "dsfr", "dist")
DSFR_CSS = os.path.join(DIST, "dsfr.min.css")
DSFR_JS = os.path.join(DIST, "dsfr.module.min.js")
DSFR_HEAD = ('<link rel="stylesheet" href="/t/dsfr/dsfr.min.css">'
             '<script type="module" src="/t/dsfr/dsfr.module.min.js"></script>')
# What of the specification's structure we leave out, and why (docs/reference.md, "The DSFR look"):
# - inside « Voir plus de détails », DSFR's sub-purposes each have their own Accepter / Refuser pair; ours
#   hold the category's partners (providers) and cookies, to read: a choice is made per category (a pair per
#   partner only where the manifest offers a choice per provider: test_provider_choice_centre.py);
# - the placeholder offers two buttons (« Autoriser une fois », « Toujours autoriser ») in a DSFR button
#   group, where DSFR's example has one button alone.
SUB = ("fr-modal", "fr-container.fr-container--fluid.fr-container-md", "fr-grid-row.fr-grid-row--center",
       "fr-col-12.fr-col-lg-8.fr-col-md-10", "fr-modal__body", "fr-modal__content", "fr-consent-manager",
       "fr-consent-service", "fr-fieldset", "fr-collapse.fr-consent-services", "fr-consent-service")
LEFT_OUT = {
    "banner": set(),
    "modal": {SUB, SUB + ("fr-fieldset.fr-fieldset--inline",)} | {
        SUB + ("fr-fieldset.fr-fieldset--inline",) + tail for tail in (
            ("fr-consent-service__desc",), ("fr-consent-service__title",),
            ("fr-consent-service__radios.fr-fieldset--inline",),
            ("fr-consent-service__radios.fr-fieldset--inline", "fr-radio-group"),
            ("fr-consent-service__radios.fr-fieldset--inline", "fr-radio-group", "fr-label"))},
    "placeholder": {("fr-consent-placeholder", "fr-btn")},
}
CONFIG = {"manifest": "/t/cookies.json", "languages": ["fr", "en"], "policyUrl": "/pages/cookies/", "look": "dsfr"}
EMBED = ('<iframe id="map" title="Carte" data-consent="analytics" data-provider="Demo Dashboards" data-src="/t/frame.html" width="640" '
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


def dotted(paths):
    return {tuple(".".join(step) for step in path) for path in paths}


def check_structure(browser, name, css):
    """The specification's class paths for component `name` that our element matching `css` lacks are
    exactly the ones we chose to leave out (LEFT_OUT)."""
    ours = dotted(class_paths(browser.js("return document.querySelector(arguments[0]).outerHTML;", css)))
    spec = dotted(class_paths(examples()[name]))
    missing = spec - ours
    assert missing == LEFT_OUT[name], "%s: the specification's structure differs from ours:\n%s" % (
        name, "\n".join(" > ".join(p) for p in sorted(missing ^ LEFT_OUT[name])))


@pytest.fixture(scope="module")
def dsfr(servers):
    """DSFR's stylesheet, its JavaScript and the fonts and icons the stylesheet names, served under
    /t/dsfr/ as a portal would serve the package."""
    if not os.path.exists(DSFR_CSS):
        pytest.fail("%s is missing: run `npm ci` (make setup)" % DSFR_CSS, pytrace=False)
    with open(DSFR_CSS, "rb") as handle:
        css = handle.read()
    servers.multi.route("/t/dsfr/dsfr.min.css", "text/css", css)
    with open(DSFR_JS, "rb") as handle:
        servers.multi.route("/t/dsfr/dsfr.module.min.js", "text/javascript", handle.read())
    kinds = {"svg": "image/svg+xml", "woff2": "font/woff2", "woff": "font/woff"}
    for ref in set(re.findall(rb'url\("?((?:icons|fonts)/[^")]+)"?\)', css)):
        path = os.path.join(DIST, ref.decode())
        if os.path.exists(path):
            with open(path, "rb") as handle:
                servers.multi.route("/t/dsfr/" + ref.decode(), kinds.get(path.rsplit(".", 1)[-1], "application/octet-stream"),
                                    handle.read())
    return servers.multi


def dsfr_page(site, name, body="", head="", js=True, **config):
    """A page in the DSFR look loading DSFR's stylesheet, and its JavaScript unless `js` is False."""
    return site.page("/t/dsfr-%s.html" % name, dict(CONFIG, **config), body=body, probes=False,
                     head=head + (DSFR_HEAD if js else DSFR_HEAD.split("<script")[0]))


def check_stays_out(browser, where, roots):
    count, found = browser.js(OUR_RULES_ON)
    assert count == roots, "%s: %d DSFR root(s) of ours, expected %d" % (where, count, roots)
    assert found == [], "%s: our stylesheet styles the DSFR look: %s" % (where, "; ".join(found[:5]))


def assert_clean(browser, where):
    found = axe(browser)
    assert found == [], "axe-core on %s (DSFR look):\n%s" % (where, "\n".join(found))


def radio(browser, which):
    return browser.js("return document.getElementById(arguments[0]).checked;", which)


def test_the_dsfr_look_is_the_specification_s_structure_drawn_and_driven_by_dsfr(media, dsfr):
    browser = media
    browser.open(dsfr_page(dsfr, "home", body=EMBED))
    banner = browser.wait_banner()
    check_structure(browser, "banner", "#cb-banner")
    check_structure(browser, "placeholder", "[data-cb-placeholder]")
    # DSFR's accessibility rule: the consent banner is the first element of the page
    assert browser.js("return document.body.firstElementChild.id;") == "cb-banner"
    assert [b.get_attribute("class") for b in banner.find_elements("css selector", ".fr-consent-banner__buttons button")] \
        == ["fr-btn", "fr-btn", "fr-btn fr-btn--secondary"]
    # drawn by DSFR: its primary button blue, its font; none of our rules
    look = browser.js("var b = document.querySelector('#cb-banner [data-cb-action=accept_all]');"
                      "return [getComputedStyle(b).backgroundColor, getComputedStyle(b).fontFamily];")
    assert look[0] == "rgb(0, 0, 145)" and "Marianne" in look[1], look
    check_stays_out(browser, "the first layer and the placeholder", 2)
    assert_clean(browser, "the first layer")

    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    check_structure(browser, "modal", "#cb-prefs")
    check_stays_out(browser, "the centre", 3)
    # DSFR's JavaScript took the centre as one of its modals, and DSFR's CSS draws the radios
    browser.wait_js("return document.getElementById('cb-prefs').hasAttribute('data-fr-js-modal');",
                    "DSFR's JavaScript did not take the centre as a modal")
    assert browser.js("return getComputedStyle(document.getElementById('cb-accept-analytics')).opacity;") == "0"
    assert [radio(browser, r) for r in ("cb-all-accept", "cb-all-refuse", "cb-accept-necessary",
                                        "cb-accept-analytics", "cb-refuse-analytics")] == [False, True, True, False, True]
    assert browser.js("return document.getElementById('cb-refuse-necessary').disabled;")
    # « Voir plus de détails »: DSFR's collapse opens on the partners
    provider = dialog.find_element("css selector", "#cb-details-analytics [data-cb-provider]")
    assert not provider.is_displayed()
    dialog.find_element("css selector", "[aria-controls=cb-details-analytics]").click()
    browser.wait(lambda d: provider.is_displayed(), "« Voir plus de détails » did not show the providers")
    assert dialog.find_element("css selector", "[aria-controls=cb-details-analytics]").get_attribute(
        "aria-expanded") == "true"
    # the header pair sets every category; a category's pair sets the header back
    dialog.find_element("css selector", "label[for=cb-all-accept]").click()
    assert [radio(browser, r) for r in ("cb-accept-analytics", "cb-all-accept")] == [True, True]
    dialog.find_element("css selector", "label[for=cb-refuse-analytics]").click()
    assert [radio(browser, r) for r in ("cb-all-accept", "cb-all-refuse")] == [False, True]
    dialog.find_element("css selector", "label[for=cb-accept-analytics]").click()
    assert_clean(browser, "the centre, details open")
    # another language: the centre is built again in the same modal, DSFR keeps it open, choices kept
    dialog.find_element("css selector", "#cb-prefs [data-cb-language=en]").click()
    browser.wait_js("return document.querySelector('label[for=cb-accept-analytics]').textContent.trim() === 'Accept';",
                    "the centre did not change language")
    assert browser.js("return document.getElementById('cb-prefs').classList.contains('fr-modal--opened');")
    assert [radio(browser, r) for r in ("cb-accept-analytics", "cb-all-accept")] == [True, True]
    dialog.find_element("css selector", "#cb-prefs [data-cb-language=fr]").click()
    browser.wait_js("return document.querySelector('label[for=cb-accept-analytics]').textContent.trim() === 'Accepter';",
                    "the centre did not come back to French")
    # Escape: DSFR's modal conceals, our <dialog> closes with it, nothing saved
    browser.find("#cb-prefs-title").click()
    press(browser, Keys.ESCAPE)
    browser.wait_no_dialog()
    assert browser.cookie("cookies_preferences") is None and browser.banner() is not None
    browser.click_banner("Personnaliser")
    browser.wait_dialog()
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    browser.wait_no_banner()
    assert list(decode_consent(browser.cookie("cookies_preferences")["value"]).accepted) == []


def test_the_dsfr_placeholder_and_its_keyboard_path(media, dsfr):
    browser = media
    browser.set_cookie("cookies_preferences", consent_value([]))
    browser.open(dsfr_page(dsfr, "embed", body=EMBED))
    placeholder = browser.wait(lambda d: browser.find_all("[data-cb-placeholder]"), "no placeholder")[0]
    assert "fr-consent-placeholder" in placeholder.get_attribute("class")
    assert browser.js("return document.querySelector('[data-cb-placeholder] .fr-h6').textContent;") \
        == "Demo Dashboards est désactivé"
    check_stays_out(browser, "the placeholder", 1)
    assert_clean(browser, "the placeholder")
    assert tab_until(browser, "el.getAttribute('data-cb-embed') === 'once'") is not None
    press(browser, Keys.ENTER)
    browser.wait_js("var f = document.getElementById('map'); return f.getAttribute('src') && !f.hidden;",
                    "Autoriser une fois did not load the embed")


def test_without_dsfr_s_javascript_the_dsfr_centre_works_alone(media, dsfr):
    """DSFR's JavaScript is optional: the centre opens and closes as a native modal dialog, and its
    collapses open by our code; « Liste des prestataires » opens it on the partners."""
    browser = media
    browser.open(dsfr_page(dsfr, "no-js", js=False))
    browser.wait_banner()
    browser.click_banner("Liste des prestataires")
    dialog = browser.wait_dialog()
    provider = dialog.find_element("css selector", "#cb-details-analytics [data-cb-provider]")
    browser.wait(lambda d: provider.is_displayed(), "the partners are not shown")
    assert not browser.js("return document.documentElement.hasAttribute('data-fr-js');")
    button = dialog.find_element("css selector", "[aria-controls=cb-details-analytics]")
    button.click()
    assert button.get_attribute("aria-expanded") == "false" and not provider.is_displayed()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    browser.wait(lambda d: provider.is_displayed(), "« Voir plus de détails » did not open again")
    assert_clean(browser, "the centre without DSFR's JavaScript")
    dialog.find_element("css selector", "label[for=cb-all-accept]").click()
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    browser.wait_no_banner()
    assert list(decode_consent(browser.cookie("cookies_preferences")["value"]).accepted) == ["analytics"]


def test_a_choice_saved_before_dsfr_takes_the_centre_closes_it(media, dsfr):
    """« Enregistrer » pressed the moment the centre is in the page, before DSFR's JavaScript has taken it
    as its modal: the choice is saved and the centre goes for good (DSFR's taking does not reopen it)."""
    browser = media
    browser.open(dsfr_page(dsfr, "early-save"))
    browser.wait_banner()
    browser.js("""new MutationObserver(function (changes, watch) {
        var centre = document.getElementById('cb-prefs');
        if (centre) { watch.disconnect(); centre.querySelector('[data-cb-action=save]').click(); }
      }).observe(document.body, {childList: true});""")
    browser.click_banner("Personnaliser")
    browser.wait_no_dialog()
    browser.wait_no_banner()
    assert browser.cookie("cookies_preferences") is not None
    assert browser.find_all("[aria-controls=cb-prefs]") == []      # DSFR's primary button of ours is gone too


@pytest.mark.journey
@pytest.mark.parametrize("size", ["320px", "text-200"])
def test_the_dsfr_look_by_keyboard_with_axe_at_320_px_and_200_percent_text(browser, dsfr, size):
    """One page load per engine and size: reflow, reach, axe, then the whole keyboard path (banner,
    centre, a radio pair, DSFR's collapse, « Enregistrer »)."""
    width = browser.viewport(320 if size == "320px" else 1280, 640)
    try:
        browser.open(dsfr_page(dsfr, "keys-" + size))
        banner = browser.wait_banner()
        if size == "text-200":
            zoom_text(browser, 200)
        where = "the DSFR look in %s at %dpx, %s" % (browser.engine.name, width, size)
        ok, scroll, client = no_horizontal_scroll(browser)
        assert ok, "%s: the page is %dpx wide in %dpx" % (where, scroll, client)
        check_reachable(browser, banner, "the banner, " + where)
        assert_clean(browser, "the banner, " + where)

        assert tab_until(browser, "el.getAttribute('data-cb-action') === 'customise'") is not None, where
        press(browser, Keys.ENTER)
        dialog = browser.wait_dialog()
        ok, scroll, client = no_horizontal_scroll(browser)
        assert ok, "%s with the centre: the page is %dpx wide in %dpx" % (where, scroll, client)
        # Tab enters the analytics pair on its checked radio (« Refuser »); an arrow picks « Accepter »
        assert tab_until(browser, "el.name === 'cb-choice-analytics'") is not None, where
        assert browser.js("return document.activeElement.id;") == "cb-refuse-analytics"
        press(browser, Keys.ARROW_UP)
        assert [radio(browser, r) for r in ("cb-accept-analytics", "cb-all-accept")] == [True, True], where
        assert tab_until(browser, "el.getAttribute('aria-controls') === 'cb-details-analytics'") is not None
        press(browser, Keys.ENTER)
        browser.wait(lambda d: dialog.find_element("css selector", "#cb-details-analytics [data-cb-provider]")
                     .is_displayed(), "%s: « Voir plus de détails » did not open by keyboard" % where)
        browser.wait_js("var c = document.getElementById('cb-details-analytics');"
                        "return !c.classList.contains('fr-collapsing') && !c.getAnimations({subtree: true}).length;",
                        "%s: DSFR's collapse did not finish opening" % where)
        check_reachable(browser, dialog, "the centre, " + where)     # a closed collapse holds nothing to reach
        assert_clean(browser, "the centre, details open, " + where)
        assert tab_until(browser, "el.getAttribute('data-cb-action') === 'save'") is not None, where
        press(browser, Keys.ENTER)
        browser.wait_no_dialog()
        browser.wait_no_banner()
        assert list(decode_consent(browser.cookie("cookies_preferences")["value"]).accepted) == ["analytics"]
    finally:
        browser.viewport()


def background(browser, css):
    return parse_colour(browser.js("return getComputedStyle(document.querySelector(arguments[0])).backgroundColor;",
                                   css))


def test_dsfr_s_dark_mode_is_followed(media, dsfr):
    """The page asks DSFR for the system's scheme (data-fr-scheme="system"); DSFR's JavaScript resolves it
    to data-fr-theme, which DSFR's CSS colours the banner and centre from, and which our loader follows
    for what our own stylesheet draws (the reopen button)."""
    browser = media
    emulate(browser, dark=True)
    head = "<script>document.documentElement.setAttribute('data-fr-scheme', 'system');</script>"
    browser.open(dsfr_page(dsfr, "dark", head=head, theme="auto", reopenButton="bottom-left"))
    browser.wait_banner()
    browser.wait_js("return document.documentElement.getAttribute('data-fr-theme') === 'dark';",
                    "DSFR did not resolve the system's dark scheme")
    assert luminance(background(browser, "#cb-banner")) < 0.05
    assert browser.js("return document.documentElement.getAttribute('data-cb-scheme');") == "dark"
    assert_clean(browser, "the first layer, dark")
    browser.click_banner("Liste des prestataires")     # the centre opens on the partners, DSFR's JS running
    dialog = browser.wait_dialog()
    provider = dialog.find_element("css selector", "#cb-details-analytics [data-cb-provider]")
    browser.wait(lambda d: provider.is_displayed() and browser.js(
        "return document.getElementById('cb-prefs').classList.contains('fr-modal--opened');"),
        "the partners are not shown")
    assert luminance(background(browser, "#cb-prefs .fr-modal__body")) < 0.05
    assert_clean(browser, "the centre, dark")
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    reopen = browser.wait(lambda d: browser.find_all(".cb-reopen"), "no reopen button")[0]
    dark = background(browser, ".cb-reopen")
    emulate(browser, dark=False)         # the system turns light: DSFR follows it, and so do we
    browser.wait_js("return document.documentElement.getAttribute('data-fr-theme') === 'light'"
                    " && document.documentElement.getAttribute('data-cb-scheme') === 'light';",
                    "the light scheme was not followed")
    assert luminance(background(browser, ".cb-reopen")) != luminance(dark) and reopen.is_displayed()
    assert_clean(browser, "the page with the reopen button, light")
