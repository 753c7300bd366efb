"""The `theme` key (docs/theming.md): "light" by default whatever the visitor's system says, "dark", and
"auto", which follows the page (its dark class, its color-scheme) before the system. Measured on the
rendered page: the banner's and the centre's computed colours, every text's WCAG contrast against what is
really behind it, the policy section showing the page's own background, and the first layer painted
ahead of Python already in the page's scheme (no flash)."""

import json
import os
import subprocess
import sys
import tempfile

import pytest

from selenium.webdriver.common.keys import Keys

from a11y_kit import axe, contrast, emulate, luminance, media, over, parse_colour  # noqa: F401  (media: fixture)
from browser_kit import ROOT, demo_manifest, document_script, render_page
from test_a11y_controls import boundary, check_switch, visible_controls

CONFIG = {"manifest": "/t/cookies.json", "languages": ["fr", "en"], "policyUrl": "/pages/cookies/"}
DARK_PAGE = "<style>:root { color-scheme: dark; background: #121212; color: #eee; }</style>"
CREAM_PAGE = "<style>body { background: #f6efd9; color: #2b2b2b; }</style>"
DARK_CLASS = "<script>document.documentElement.classList.add('theme-dark');</script>"

# Every visible element of `root` holding text of its own: its colour, its font size and weight, and the
# background colours from it up to <html> (composited in Python, over white or the dark canvas).
TEXTS = """
var out = [];
arguments[0].querySelectorAll("*").forEach(function (el) {
  var own = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.data.trim(); });
  if (!own || !el.getClientRects().length || el.closest(".cb-sr-only")) { return; }
  var s = getComputedStyle(el), layers = [];
  for (var a = el; a; a = a.parentElement) { layers.push(getComputedStyle(a).backgroundColor); }
  out.push({text: el.textContent.trim().slice(0, 30), colour: s.color, size: parseFloat(s.fontSize),
            bold: parseInt(s.fontWeight, 10) >= 700, layers: layers});
});
return out;"""


def behind(layers, canvas):
    colour = canvas
    for layer in reversed(layers):
        colour = over(parse_colour(layer), colour)
    return colour


def check_text_contrast(browser, css, where, canvas=(255.0, 255.0, 255.0, 1.0)):
    """Every text of `css` reaches 4.5:1 (3:1 when large) against its real background; returns how many."""
    texts = browser.js(TEXTS, browser.find(css))
    assert texts, "no text in %s" % css
    for item in texts:
        ground = behind(item["layers"], canvas)
        ratio = contrast(over(parse_colour(item["colour"]), ground), ground)
        large = item["size"] >= 24 or (item["bold"] and item["size"] >= 18.5)
        assert ratio >= (3 if large else 4.5), "%s: %r has contrast %.2f:1" % (where, item["text"], ratio)
    return len(texts)


def scheme_of(browser, css):
    """"dark" or "light": the luminance of the element's own computed background."""
    colour = parse_colour(browser.js("return getComputedStyle(document.querySelector(arguments[0])).backgroundColor;",
                                     css))
    assert colour[3] == 1, "%s has no opaque background of its own" % css
    return "dark" if luminance(colour) < 0.2 else "light"


def themed_page(site, name, head="", **config):
    return site.page("/t/theme-%s.html" % name, dict(CONFIG, **config), head=head, probes=False)


@pytest.mark.parametrize("theme, system", [("light", "dark"), ("dark", "light")])
def test_a_fixed_theme_ignores_the_system_and_keeps_every_contrast(media, site, theme, system):
    """The bug: a dark system gave a light portal a dark banner. "light" (the default, so no key here)
    and "dark" are what the portal chose, and every text meets WCAG AA in both."""
    browser = media
    emulate(browser, dark=system == "dark")
    browser.open(themed_page(site, "fixed-" + theme, **({} if theme == "light" else {"theme": theme})))
    browser.wait_banner()
    assert scheme_of(browser, "#cb-banner") == theme
    assert check_text_contrast(browser, "#cb-banner", "the first layer (%s)" % theme) >= 6
    browser.js("window.consentBanner.showPreferences();")
    browser.wait_dialog()
    assert scheme_of(browser, "#cb-prefs") == theme
    assert check_text_contrast(browser, "#cb-prefs", "the centre (%s)" % theme) >= 10
    # non-text contrast (WCAG 1.4.11): buttons' edges, both switch states; and axe-core's own checks
    for element in visible_controls(browser, "#cb-prefs button"):
        boundary(browser, element, "the centre (%s)" % theme)
    assert {check_switch(browser, "#cb-switch-necessary", theme),
            check_switch(browser, "#cb-switch-analytics", theme)} == {"on", "off"}
    browser.find("#cb-switch-analytics").send_keys(Keys.SPACE)
    assert check_switch(browser, "#cb-switch-analytics", theme) == "on"
    assert axe(browser) == []


@pytest.mark.parametrize("head, extra, system, expected", [
    (DARK_PAGE, {}, "light", "dark"),                                # the page's color-scheme first
    (DARK_CLASS, {"darkClass": "theme-dark"}, "light", "dark"),      # the portal's dark class
    ("", {"darkClass": "theme-dark"}, "dark", "light"),              # the class named but absent: light
    ("", {}, "dark", "dark"),                                        # the page says nothing: the system
], ids=["color-scheme", "dark-class", "class-absent", "system"])
def test_auto_follows_the_page_before_the_system(media, site, head, extra, system, expected):
    browser = media
    emulate(browser, dark=system == "dark")
    browser.open(themed_page(site, "auto-%s-%s" % (len(head), system), head, theme="auto", **extra))
    browser.wait_banner()
    assert browser.js("return document.documentElement.getAttribute('data-cb-scheme');") == expected
    assert scheme_of(browser, "#cb-banner") == expected
    canvas = (18.0, 18.0, 18.0, 1.0) if head == DARK_PAGE else (255.0, 255.0, 255.0, 1.0)
    check_text_contrast(browser, "#cb-banner", "the first layer (auto, %s)" % expected, canvas)


def test_auto_follows_a_theme_switch_without_reloading(media, site):
    browser = media
    emulate(browser, dark=False)
    browser.open(themed_page(site, "auto-switch", theme="auto", darkClass="theme-dark"))
    browser.wait_banner()
    assert scheme_of(browser, "#cb-banner") == "light"
    browser.js("document.body.classList.add('theme-dark');")
    browser.wait(lambda d: scheme_of(browser, "#cb-banner") == "dark", "the banner did not follow the dark class")
    browser.js("document.body.classList.remove('theme-dark');")
    browser.wait(lambda d: scheme_of(browser, "#cb-banner") == "light", "the banner did not come back to light")


def test_the_policy_section_shows_the_page_s_own_background_and_colours(media, site):
    """On a cream page, the generated policy has no white box of its own: the page's background and text
    colour show, and its text keeps its contrast on them."""
    browser = media
    url = site.page("/t/theme-policy.html", dict(CONFIG, theme="dark"), head=CREAM_PAGE, probes=False,
                    body='<div data-consent-policy="2"></div>')
    browser.open(url)
    browser.wait(lambda d: browser.find_all("[data-consent-policy] table"), "the policy was not generated")
    policy = browser.js("var s = getComputedStyle(document.querySelector('[data-consent-policy]'));"
                        "return [s.backgroundColor, s.color, getComputedStyle(document.body).color];")
    assert parse_colour(policy[0])[3] == 0, "the policy paints its own background: %s" % policy[0]
    assert policy[1] == policy[2], "the policy's text is not the page's colour"
    check_text_contrast(browser, "[data-consent-policy]", "the policy on a cream page")


def test_the_first_layer_painted_ahead_of_python_is_already_in_the_page_s_scheme(media, site):
    """Built for an "auto" data-config, the loader paints the first layer before Python starts: on a dark
    page it is dark from its first frame, and the live banner replacing it is the same (no flash)."""
    browser = media
    emulate(browser, dark=False)
    config = {"manifest": demo_manifest(), "languages": ["fr", "en"], "theme": "auto"}
    out = tempfile.mkdtemp()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(config, handle, ensure_ascii=False)
    try:
        subprocess.run([sys.executable, "-m", "banner.server.build", "--config", handle.name, "--out", out],
                       check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    finally:
        os.unlink(handle.name)
    for name in os.listdir(out):
        with open(os.path.join(out, name), "rb") as built:
            site.route("/theme-build/" + name, "text/css" if name.endswith(".css") else "text/javascript",
                       built.read())
    url = site.route("/t/theme-painted.html", "text/html; charset=utf-8",
                     render_page(config, loader="/theme-build/consent.js", head=DARK_PAGE, probes=False))
    first_frame = """
      window.__first = null;
      new MutationObserver(function () {
        var b = document.getElementById("cb-banner");
        if (b && !window.__first) {
          window.__first = {painted: b.hasAttribute("data-cb-prerendered"), bg: getComputedStyle(b).backgroundColor,
                            python: !!(window.__consentBoot && window.__consentBoot.ready)};
        }
      }).observe(document, {childList: true, subtree: true});"""
    with document_script(browser, first_frame):
        browser.open(url)
    first = browser.js("return window.__first;")
    assert first["painted"] and not first["python"], first
    assert luminance(parse_colour(first["bg"])) < 0.2, "the painted banner was not dark: %s" % first["bg"]
    assert browser.banner().get_attribute("data-cb-prerendered") is None
    assert browser.js("return getComputedStyle(arguments[0]).backgroundColor;", browser.banner()) == first["bg"]
