"""Helpers of the accessibility tests (tests/browser/test_a11y_*.py): axe-core injection, media
emulation through CDP, keyboard journeys, colour contrast from computed styles and layout probes.

Pure Python or thin wrappers around a `conftest.Browser`; nothing here changes the shared fixtures."""

import json
import os
import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
AXE_PATH = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")

# WCAG 2.0, 2.1 and 2.2, levels A and AA (RGAA 4.1 = WCAG 2.1 AA; 2.2 adds 2.4.11 and 2.5.8).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe_source = None


def axe_source():
    global _axe_source
    if _axe_source is None:
        if not os.path.exists(AXE_PATH):
            raise RuntimeError("%s is missing: run `npm ci` (make setup)" % AXE_PATH)
        with open(AXE_PATH, encoding="utf-8") as handle:
            _axe_source = handle.read()
    return _axe_source


def axe(browser, include=None):
    """Run axe-core with the WCAG A/AA rules on the current page (or on the elements matching the CSS
    selectors of `include`), and return its violations as short readable strings."""
    if not browser.js("return !!window.axe;"):
        browser.js(axe_source())
    context = {"include": [[s] for s in include]} if include else None
    result = browser.driver.execute_async_script("""
        var context = arguments[0], done = arguments[arguments.length - 1];
        var options = {runOnly: {type: "tag", values: arguments[1]}, resultTypes: ["violations"]};
        (context ? axe.run(context, options) : axe.run(document, options)).then(function (r) {
          done(r.violations.map(function (v) {
            return {id: v.id, help: v.help, nodes: v.nodes.map(function (n) {
              return n.target.join(" ") + " :: " + (n.failureSummary || "").replace(/\\s+/g, " ");
            })};
          }));
        }, function (e) { done([{id: "axe-error", help: String(e), nodes: []}]); });""", context, WCAG_TAGS)
    return ["%s (%s): %s" % (v["id"], v["help"], "; ".join(v["nodes"][:4])) for v in result]


# -- media emulation ------------------------------------------------------------------------------------
def emulate(browser, dark=False, reduced_motion=True):
    """prefers-color-scheme and prefers-reduced-motion through CDP (conftest's default: light, reduce)."""
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-color-scheme", "value": "dark" if dark else "light"},
        {"name": "prefers-reduced-motion", "value": "reduce" if reduced_motion else "no-preference"}]})


def set_width(browser, width, height=800):
    """A viewport `width` CSS px wide (Emulation.setDeviceMetricsOverride); None restores the window's."""
    if width is None:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    else:
        browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def restore_media(browser):
    emulate(browser)
    set_width(browser, None)


@pytest.fixture
def media(browser):
    """The `browser` fixture, with colour scheme, motion and viewport put back to conftest's defaults
    after the test (they belong to the session's one Chromium). Import it into a test module to use it."""
    yield browser
    restore_media(browser)


def zoom_text(browser, percent=200):
    """Text-only zoom: the root font size at `percent` (everything the banner sizes in rem/em follows),
    unlike --force-device-scale-factor, which zooms the whole page."""
    browser.js("var s = document.createElement('style'); s.id = 'a11y-text-zoom';"
               "s.textContent = 'html { font-size: %d%% !important; }'; document.head.appendChild(s);" % percent)


# -- keyboard --------------------------------------------------------------------------------------------
def press(browser, *keys):
    """Key presses sent to whatever has focus (real key events, no element.click()): ActionChains, or
    BiDi input actions in Firefox."""
    if getattr(browser, "kind", "chromium") == "firefox":
        return browser.driver.type_keys("".join(keys))
    chain = ActionChains(browser.driver)
    for key in keys:
        chain.send_keys(key)
    chain.perform()


def shift_tab(browser):
    if getattr(browser, "kind", "chromium") == "firefox":
        return browser.driver.type_keys(Keys.TAB, held=Keys.SHIFT)
    ActionChains(browser.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()


def focused(browser):
    """A short description of document.activeElement: tag#id.class "name"."""
    return browser.js("""
        var el = document.activeElement;
        if (!el) { return "(none)"; }
        var name = (el.getAttribute("aria-label") || el.textContent || "").replace(/\\s+/g, " ").trim();
        return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " \\"" + name.slice(0, 40) + "\\"";""")


def focus_is_in(browser, css):
    return browser.js("var c = document.querySelector(arguments[0]);"
                      "return !!c && c.contains(document.activeElement);", css)


def tab_until(browser, predicate_js, limit=60, backwards=False):
    """Press Tab (or Shift+Tab) until `predicate_js` (a JS expression about `el`, the focused element)
    holds; return the number of presses, or None."""
    for count in range(1, limit + 1):
        if backwards:
            shift_tab(browser)
        else:
            press(browser, Keys.TAB)
        if browser.js("var el = document.activeElement; return !!(%s);" % predicate_js):
            return count
    return None


def open_centre(browser):
    """Set-up, not a journey: open the centre through the public API and wait for it."""
    browser.js("window.consentBanner.showPreferences();")
    return browser.wait_dialog()


# -- accessibility tree (CDP) ----------------------------------------------------------------------------
def ax_node(browser, css):
    """What Chromium exposes to assistive technology for the element matching `css`: role, name,
    description and properties (checked, disabled...), from Accessibility.getPartialAXTree."""
    found = browser.driver.execute_cdp_cmd("Runtime.evaluate", {
        "expression": "document.querySelector(%s)" % json.dumps(css)})["result"]
    assert found.get("objectId"), "no element matches %s" % css
    nodes = browser.driver.execute_cdp_cmd("Accessibility.getPartialAXTree",
                                           {"objectId": found["objectId"], "fetchRelatives": False})["nodes"]
    node = nodes[0]
    return {"role": node.get("role", {}).get("value"), "name": node.get("name", {}).get("value", ""),
            "description": node.get("description", {}).get("value", ""), "ignored": node.get("ignored", False),
            "properties": {p["name"]: p["value"].get("value") for p in node.get("properties", [])}}


# -- colour ------------------------------------------------------------------------------------------------
_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")


def parse_colour(text):
    """'rgb(1, 2, 3)' / 'rgba(1, 2, 3, 0.5)' -> (r, g, b, alpha)."""
    match = _RGB.search(text or "")
    if not match:
        raise ValueError("not an rgb() colour: %r" % text)
    alpha = match.group(4)
    if alpha is None:
        a = 1.0
    elif alpha.endswith("%"):
        a = float(alpha[:-1]) / 100
    else:
        a = float(alpha)
    return float(match.group(1)), float(match.group(2)), float(match.group(3)), a


def over(top, bottom):
    """Alpha-composite colour `top` over the opaque colour `bottom`."""
    r, g, b, a = top
    return (r * a + bottom[0] * (1 - a), g * a + bottom[1] * (1 - a), b * a + bottom[2] * (1 - a), 1.0)


def luminance(colour):
    def channel(c):
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = colour[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one, two):
    """WCAG contrast ratio of two opaque colours (tuples or rgb() strings)."""
    one = parse_colour(one) if isinstance(one, str) else one
    two = parse_colour(two) if isinstance(two, str) else two
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def effective_background(browser, element):
    """The opaque colour behind `element`: its own and its ancestors' backgrounds composited (white at
    the bottom, or the canvas colour in dark mode when nothing paints)."""
    layers = browser.js("""
        var out = [];
        for (var el = arguments[0]; el && el.nodeType === 1; el = el.parentElement) {
          out.push(getComputedStyle(el).backgroundColor);
        }
        return out;""", element)
    colour = (255.0, 255.0, 255.0, 1.0)
    for layer in reversed(layers):
        colour = over(parse_colour(layer), colour)
    return colour


# -- layout ----------------------------------------------------------------------------------------------
def no_horizontal_scroll(browser):
    """(ok, scrollWidth, clientWidth) of the page."""
    sizes = browser.js("var d = document.documentElement; return [d.scrollWidth, d.clientWidth];")
    return sizes[0] <= sizes[1], sizes[0], sizes[1]
