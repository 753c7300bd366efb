"""The banner's controls as assistive technology and the eye get them: real buttons, links and native
checkboxes whose accessible name (Chromium's accessibility tree, through CDP) contains the visible label;
switches grouped by fieldset/legend, the locked one announced as always active and why, the state given as
text; targets of at least 24x24 CSS px; a visible focus ring on every control; and non-text contrast
(button boundaries, switch track and thumb in both states, focus ring) of at least 3:1 in the light and
the dark scheme (RGAA 3.3, 7.1, 10.7, 11.1, 11.5, 11.9; WCAG 1.4.11, 2.4.7, 2.5.3, 2.5.8, 4.1.2)."""

import json
import re

import pytest
from selenium.webdriver.common.keys import Keys

from a11y_kit import (ax_node, contrast, effective_background, emulate, focused, media,  # noqa: F401
                      open_centre, parse_colour, over, press, tab_until)
from browser_kit import consent_value

CONTROLS = "button, a[href], input, select, textarea, [tabindex]:not([tabindex='-1'])"
NECESSARY = "Cookies strictement nécessaires"
ANALYTICS = "Mesure d'audience"
ALWAYS_ON = "Toujours activé : ces cookies sont nécessaires au fonctionnement du portail"
DATASET = "/explore/dataset/frequentation-parkings/"

VISIBLE_LABEL = """
var el = arguments[0];
if (el.labels && el.labels.length) { return el.labels[0].textContent.replace(/\\s+/g, " ").trim(); }
var copy = el.cloneNode(true);
copy.querySelectorAll("[aria-hidden=true]").forEach(function (n) { n.remove(); });
return copy.textContent.replace(/\\s+/g, " ").trim();"""

RING = """
var s = getComputedStyle(arguments[0]);
return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor,
        offset: parseFloat(s.outlineOffset), shadow: s.boxShadow};"""


def visible_controls(browser, css):
    return [el for el in browser.find_all(css) if el.is_displayed()]


def css_path(browser, element):
    """A unique selector for `element` (for CDP), by id or a data-a11y mark."""
    return "#" + element.get_attribute("id") if element.get_attribute("id") else browser.js(
        "var n = (window.__a11yMark = (window.__a11yMark || 0) + 1); arguments[0].setAttribute('data-a11y', n);"
        "return '[data-a11y=\"' + n + '\"]';", element)


# -- names and switches -----------------------------------------------------------------------------------
def test_every_control_is_native_and_its_accessible_name_contains_its_label(browser, site):
    browser.open(site.url("/"))
    banner = browser.wait_banner()
    assert banner.get_attribute("role") == "region"
    assert ax_node(browser, "#cb-banner")["name"] == "Ce portail utilise des cookies"
    assert ax_node(browser, "#cb-continue")["name"] == "Continuer sans accepter", "the decorative ✕ is announced"
    checked = 0
    for container in ("#cb-banner", None):
        if container is None:
            open_centre(browser)
            container = "#cb-prefs"
            node = ax_node(browser, container)
            assert node["role"] == "dialog" and node["name"] == "Centre de gestion des cookies"
            assert node["properties"].get("modal") is True
        for element in visible_controls(browser, container + " :is(%s)" % CONTROLS):
            tag = element.tag_name.lower()
            assert tag in ("button", "a", "input"), "a control is a <%s>, not a native control" % tag
            label = browser.js(VISIBLE_LABEL, element)
            node = ax_node(browser, css_path(browser, element))
            assert label and label in node["name"], \
                "accessible name %r does not contain the visible label %r" % (node["name"], label)
            checked += 1
    assert checked >= 14

    browser.open(site.url("/pages/cookies/"))           # the generated policy: its links and its button
    browser.wait(lambda d: browser.find_all("[data-consent-policy] table"), "the policy tables were not generated")
    controls = visible_controls(browser, "[data-consent-policy] :is(%s)" % CONTROLS)
    assert len(controls) == 6              # the button opening the centre, a provider's policy, 4 browser help links
    for element in controls:
        label = browser.js(VISIBLE_LABEL, element)
        assert label in ax_node(browser, css_path(browser, element))["name"]
    check_sizes(browser, "[data-consent-policy] :is(%s)" % CONTROLS, "the policy page")
    assert tab_until(browser, "el.matches(%s)" % json.dumps("[data-consent-policy] :is(%s)" % CONTROLS))
    check_focus_ring(browser, "the policy page")
    assert tab_through(browser, "[data-consent-policy]", "the policy page") == 5     # with the provider's policy


def test_switches_are_grouped_checkboxes_announced_with_their_state(browser, site):
    browser.open(site.url("/"))
    dialog = open_centre(browser)
    boxes = dialog.find_elements("css selector", "input[type=checkbox]")
    assert len(boxes) == 2
    for box in boxes:
        assert box.get_attribute("role") == "switch"
        legend = browser.js("var f = arguments[0].closest('fieldset');"
                            "return f && f.querySelector(':scope > legend') ? "
                            "f.querySelector(':scope > legend').textContent.trim() : null;", box)
        assert legend in (NECESSARY, ANALYTICS), "a switch is not in a fieldset with a legend"

    locked = ax_node(browser, "#cb-switch-necessary")
    assert locked["role"] == "switch" and locked["name"] == NECESSARY
    assert locked["properties"].get("checked") == "true" and locked["properties"].get("disabled") is True
    assert ALWAYS_ON in locked["description"], "the locked switch does not say why: %r" % locked["description"]
    assert ALWAYS_ON in browser.find("#cb-state-necessary").text, "the locked state is not shown as text"

    optional = ax_node(browser, "#cb-switch-analytics")
    assert optional["role"] == "switch" and optional["name"] == ANALYTICS
    assert optional["properties"].get("checked") == "false"
    assert optional["description"].endswith("Désactivé")
    state = browser.find("#cb-state-analytics")
    assert state.is_displayed() and state.text == "Désactivé"
    browser.find("#cb-switch-analytics").send_keys(Keys.SPACE)
    assert state.text == "Activé", "the state text did not follow the switch"
    optional = ax_node(browser, "#cb-switch-analytics")
    assert optional["properties"].get("checked") == "true" and optional["description"].endswith("Activé")
    assert optional["name"] == ANALYTICS, "the label changed with the state"


# -- size, focus ring and non-text contrast ---------------------------------------------------------------
def check_sizes(browser, css, where):
    controls = visible_controls(browser, css)
    assert controls, "no control in %s" % where
    for element in controls:
        rect = browser.js("var r = arguments[0].getBoundingClientRect(); return [r.width, r.height];", element)
        assert rect[0] >= 24 and rect[1] >= 24, "%s %r is %.0fx%.0f CSS px, under 24x24" % (
            where, browser.js(VISIBLE_LABEL, element), rect[0], rect[1])
    return len(controls)


def check_focus_ring(browser, where, ratio=3.0):
    """The focused element shows an outline of >= 2px whose colour contrasts >= 3:1 with what surrounds
    it; returns (element, its ring) to compare with the unfocused look later."""
    element = browser.active_element()
    ring = browser.js(RING, element)
    name = focused(browser)
    assert ring["style"] not in ("none", "hidden") and ring["width"] >= 2, \
        "no visible focus ring on %s in %s: %r" % (name, where, ring)
    around = effective_background(browser, browser.js("return arguments[0].parentElement;", element))
    band = re.fullmatch(r"(rgba?\([^)]*\)) 0px 0px 0px ([\d.]+)px", ring["shadow"])
    if band and float(band.group(2)) >= ring["offset"] + ring["width"]:
        around = over(parse_colour(band.group(1)), around)   # a solid band under the whole ring (reopen button)
    value = contrast(parse_colour(ring["colour"]), around)
    assert value >= ratio, "focus ring of %s in %s: contrast %.2f:1 < %.1f:1" % (name, where, value, ratio)
    return element, ring


def check_unfocused(browser, previous, where):
    if previous is None:
        return
    element, ring = previous
    now = browser.js(RING, element)
    assert (now["style"], now["width"], now["shadow"]) != (ring["style"], ring["width"], ring["shadow"]), \
        "%s looks the same focused and unfocused in %s" % (browser.js(VISIBLE_LABEL, element), where)


def tab_through(browser, container_css, where):
    """Tab through the controls of `container_css` (focus is just before the first one), checking the
    focus ring of each; returns how many were visited."""
    previous, first, seen = None, None, 0
    for _ in range(30):
        press(browser, Keys.TAB)
        check_unfocused(browser, previous, where)
        if not browser.js("return document.querySelector(arguments[0]).contains(document.activeElement);",
                          container_css):
            break
        if first is not None and browser.active_element() == first:
            break                                                  # wrapped round (a modal dialog)
        previous = check_focus_ring(browser, where)
        first = first or previous[0]
        seen += 1
    return seen


def boundary(browser, element, where):
    """A control's edge is seen by its fill or by its border: the better of the two contrasts >= 3:1 with
    what is around it."""
    style = browser.js("var s = getComputedStyle(arguments[0]);"
                       "return [s.borderTopColor, parseFloat(s.borderTopWidth), s.backgroundColor];", element)
    around = effective_background(browser, browser.js("return arguments[0].parentElement;", element))
    fill = contrast(over(parse_colour(style[2]), around), around)
    border = contrast(over(parse_colour(style[0]), around), around) if style[1] >= 1 else 1.0
    assert max(fill, border) >= 3, "the edge of %r in %s: fill %.2f:1, border %.2f:1, both < 3:1" % (
        browser.js(VISIBLE_LABEL, element), where, fill, border)


def check_switch(browser, css, where):
    box = browser.find(css)
    styles = browser.js("""var s = getComputedStyle(arguments[0]), t = getComputedStyle(arguments[0], "::before");
        return {border: s.borderTopColor, track: s.backgroundColor, thumb: t.backgroundColor,
                checked: arguments[0].checked};""", box)
    state = "on" if styles["checked"] else "off"
    parent = effective_background(browser, browser.js("return arguments[0].parentElement;", box))
    track = over(parse_colour(styles["track"]), parent)
    outline = contrast(parse_colour(styles["border"]), parent)
    thumb = contrast(over(parse_colour(styles["thumb"]), track), track)
    assert outline >= 3, "%s switch %s (%s): track edge %.2f:1 against the dialog" % (where, css, state, outline)
    assert thumb >= 3, "%s switch %s (%s): thumb %.2f:1 against the track" % (where, css, state, thumb)
    return state


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_targets_focus_rings_and_non_text_contrast(media, site, scheme):
    browser = media
    emulate(browser, dark=scheme == "dark")
    where = "the first layer (%s)" % scheme
    browser.open(site.url("/"))
    banner = browser.wait_banner()
    # 2 languages, "Continuer sans accepter", the providers' list, the policy link and the 3 choices
    assert check_sizes(browser, "#cb-banner :is(%s)" % CONTROLS, where) == 8
    for element in visible_controls(browser, "#cb-banner button"):
        boundary(browser, element, where)
    assert tab_through(browser, "#cb-banner", where) == 8

    where = "the centre (%s)" % scheme
    shift_back = tab_until(browser, "el.getAttribute('data-cb-action') === 'customise'", backwards=True)
    assert shift_back is not None
    press(browser, Keys.ENTER)
    browser.wait_dialog()
    assert check_sizes(browser, "#cb-prefs :is(%s)" % CONTROLS, where) >= 8
    for element in visible_controls(browser, "#cb-prefs button"):
        boundary(browser, element, where)
    assert {check_switch(browser, "#cb-switch-necessary", scheme),
            check_switch(browser, "#cb-switch-analytics", scheme)} == {"on", "off"}
    browser.find("#cb-switch-analytics").send_keys(Keys.SPACE)
    assert check_switch(browser, "#cb-switch-analytics", scheme) == "on"
    browser.js("document.getElementById('cb-prefs-title').focus();")
    assert tab_through(browser, "#cb-prefs", where) == 12     # close, 2 languages, switch, a provider policy link, 4 browser help links, 3 buttons
    press(browser, Keys.ESCAPE)
    browser.wait_no_dialog()
    assert banner.is_displayed()

    # After a choice: the embed placeholder and the reopen button, on the portal's own background.
    where = "the embed placeholder and reopen button (%s)" % scheme
    browser.set_cookie("cookies_preferences", consent_value([]))
    browser.open(site.url(DATASET))
    browser.wait(lambda d: browser.find_all(".cb-embed") and browser.find("button.cb-reopen").is_displayed())
    check_sizes(browser, ".cb-embed button, button.cb-reopen", where)
    for css in (".cb-embed [data-cb-embed=once]", ".cb-embed [data-cb-embed=always]", "button.cb-reopen"):
        assert tab_until(browser, "el.matches(%r)" % css) is not None, "Tab never reached %s" % css
        check_focus_ring(browser, where)
    for element in visible_controls(browser, ".cb-embed button, button.cb-reopen"):
        boundary(browser, element, where)
    assert ax_node(browser, "button.cb-reopen")["name"] == "Gestion des cookies", "the icon is not decorative"
