"""Layout and presentation: reflow at 320 CSS px without horizontal scrolling, text at 200% with nothing
clipped (the banner and the centre scroll inside themselves, so every button can be brought into the
viewport), motion only when prefers-reduced-motion allows it, and `lang`/`dir` on the banner's nodes
(RGAA 8.7, 10.4, 10.11, 13.8; WCAG 1.4.4, 1.4.10, 2.3.3, 3.1.2)."""

import pytest

from a11y_kit import (ax_node, axe, emulate, media, no_horizontal_scroll, open_centre, set_width,  # noqa: F401
                      zoom_text)
from browser_kit import demo_manifest
from demo.portal.settings import MANIFEST as PORTAL_MANIFEST     # the Django demo portal's

DATASET = "/explore/dataset/frequentation-parkings/"

# Scroll each control into view (its scrolling ancestors move: the banner, the centre's body, the page),
# then check it lies inside the viewport and is what a pointer at its centre would hit (not clipped).
REACHABLE = """
var out = [];
arguments[0].querySelectorAll("button, a[href], input").forEach(function (el) {
  if (!el.getClientRects().length) { return; }
  el.scrollIntoView({block: "nearest", inline: "nearest"});
  var r = el.getClientRects()[0], vw = document.documentElement.clientWidth;
  var inside = r.top >= -0.5 && r.left >= -0.5 && r.bottom <= innerHeight + 0.5 && r.right <= vw + 0.5;  // subpixel layout
  var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  var label = (el.textContent || el.id).replace(/\\s+/g, " ").trim().slice(0, 30);
  if (!inside) { out.push(label + " outside the viewport " + JSON.stringify([r.left, r.top, r.right, r.bottom])); }
  else if (!hit || !(hit === el || el.contains(hit) || (el.labels && el.labels[0] === hit))) {
    out.push(label + " covered by " + (hit ? hit.tagName + "." + hit.className : "nothing"));
  }
});
return out;"""


def check_reachable(browser, element, where):
    problems = browser.js(REACHABLE, element)
    assert problems == [], "in %s: %s" % (where, "; ".join(problems))


def check_no_horizontal_scroll(browser, where):
    ok, scroll, client = no_horizontal_scroll(browser)
    assert ok, "horizontal scrolling in %s: the page is %dpx wide in a %dpx viewport" % (where, scroll, client)


# A table wrapper that scrolls sideways cuts every line of its table at its edge: each must be scrolled
# back and forth to be read (WCAG 1.4.10), though neither the page nor the centre scrolls.
WIDE_TABLES = """
return Array.from(arguments[0].querySelectorAll(".cb-table-wrap"), function (w) {
  var caption = w.querySelector("caption");
  return [caption ? caption.textContent.trim() : "", w.scrollWidth, w.clientWidth];
}).filter(function (t) { return t[1] > t[2] + 1; });"""


def check_tables_fit(browser, root, where):
    assert browser.js("return arguments[0].querySelectorAll('.cb-table-wrap table').length;", root), \
        "no cookie table in %s: the check proves nothing" % where
    wide = browser.js(WIDE_TABLES, root)
    assert wide == [], "in %s, cookie tables scroll sideways ([caption, scrollWidth, clientWidth]): %r" % (where, wide)


def test_reflow_at_320_css_px(media, site):
    browser = media
    set_width(browser, 320, 640)
    browser.open(site.url("/"))
    banner = browser.wait_banner()
    assert browser.js("return innerWidth;") == 320
    check_no_horizontal_scroll(browser, "the page with the banner at 320px")
    check_reachable(browser, banner, "the banner at 320px")
    dialog = open_centre(browser)
    check_no_horizontal_scroll(browser, "the page with the centre at 320px")
    assert browser.js("var r = arguments[0].getBoundingClientRect(); return r.left >= 0 && r.right <= 320;", dialog)
    assert browser.js("var b = arguments[0].querySelector('.cb-prefs__body'); return b.scrollWidth <= b.clientWidth;",
                      dialog), "the centre scrolls sideways at 320px"
    check_reachable(browser, dialog, "the centre at 320px")
    roles = [ax_node(browser, "#cb-prefs " + css)["role"] for css in ("table", "thead th", "tbody tr", "tbody td")]
    assert roles == ["table", "columnheader", "row", "cell"], "the stacked tables lost their semantics: %r" % roles
    assert axe(browser) == []

    browser.open(site.url(DATASET))                        # an embed placeholder 640px wide in the markup
    browser.wait(lambda d: browser.find_all(".cb-embed"))
    check_no_horizontal_scroll(browser, "the dataset page with its embed placeholder at 320px")
    check_reachable(browser, browser.find(".cb-embed"), "the embed placeholder at 320px")


@pytest.mark.parametrize("height", [640, 256])
def test_cookie_tables_reflow_at_320_css_px(media, site, height):
    """The Django portal's manifest names cookies_preferences_refreshed, wider than a stacked table at
    320 px: in the centre and on the policy page (in the demo's own layout), the name breaks instead of
    every line of its table running past the edge. 320x256 is the audit's short screen."""
    browser = media
    site.json("/t/portal-cookies.json", PORTAL_MANIFEST)
    url = site.page("/t/policy-320.html", {"manifest": "/t/portal-cookies.json", "languages": ["fr", "en"]},
                    head='<link rel="stylesheet" href="/demo.css">', probes=False,
                    body="<h2>Les cookies de ce site</h2><div data-consent-policy></div>")
    set_width(browser, 320, height)
    browser.open(url)
    browser.wait(lambda d: browser.find_all("[data-consent-policy] table"), "the policy tables were not generated")
    where = "the policy page at 320x%d" % height
    check_no_horizontal_scroll(browser, where)
    check_tables_fit(browser, browser.find("[data-consent-policy]"), where)
    dialog = open_centre(browser)
    where = "the centre at 320x%d" % height
    check_no_horizontal_scroll(browser, where)
    check_tables_fit(browser, dialog, where)


@pytest.mark.parametrize("height", [900, 500])
def test_text_at_200_percent_is_never_clipped(media, site, height):
    browser = media
    set_width(browser, 1280, height)
    browser.open(site.url("/"))
    banner = browser.wait_banner()
    before = browser.js("return arguments[0].querySelector('.cb-btn').getBoundingClientRect().height;", banner)
    zoom_text(browser, 200)
    after = browser.js("return arguments[0].querySelector('.cb-btn').getBoundingClientRect().height;", banner)
    assert after > before * 1.5, "the text did not grow (%s -> %s px)" % (before, after)
    box = browser.js("var r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, innerHeight,"
                     " arguments[0].scrollHeight, arguments[0].clientHeight];", banner)
    assert box[0] >= -0.5 and box[1] <= box[2] + 0.5, "the banner does not fit the viewport: %r" % box
    check_no_horizontal_scroll(browser, "the page with the banner, text at 200%")
    check_reachable(browser, banner, "the banner, text at 200%% (%dpx high)" % height)

    dialog = open_centre(browser)
    box = browser.js("var r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, innerHeight];", dialog)
    assert box[0] >= -0.5 and box[1] <= box[2] + 0.5, "the centre does not fit the viewport: %r" % box
    check_no_horizontal_scroll(browser, "the page with the centre, text at 200%")
    check_reachable(browser, dialog, "the centre, text at 200%% (%dpx high)" % height)
    assert axe(browser) == []


def test_text_spacing_overrides_clip_nothing(media, site):
    """WCAG 1.4.12 (RGAA 10.12): line height 1.5, paragraph spacing 2em, letter spacing 0.12em and word
    spacing 0.16em forced on every element: no control is clipped or overlapped, nothing scrolls sideways."""
    browser = media
    browser.open(site.url("/"))
    banner = browser.wait_banner()
    browser.js("var s = document.createElement('style'); s.textContent = '* { line-height: 1.5 !important;"
               " letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
               " p { margin-bottom: 2em !important; }'; document.head.appendChild(s);")
    check_no_horizontal_scroll(browser, "the page with the banner, text spacing overridden")
    check_reachable(browser, banner, "the banner, text spacing overridden")
    dialog = open_centre(browser)
    check_no_horizontal_scroll(browser, "the page with the centre, text spacing overridden")
    check_reachable(browser, dialog, "the centre, text spacing overridden")


def test_motion_only_when_the_visitor_allows_it(media, site):
    """On a page whose banner Python inserts itself (on the demo home, the live banner takes the place of
    the painted one, which already slid in: test_prerender.py)."""
    browser = media
    emulate(browser, reduced_motion=False)
    browser.open(site.page("/t/motion.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]}))
    banner = browser.wait_banner()
    open_centre(browser)
    motion = ("var b = getComputedStyle(arguments[0]), t = getComputedStyle("
              "document.getElementById('cb-switch-analytics'), '::before');"
              "return [b.animationName, parseFloat(t.transitionDuration) > 0];")
    assert browser.js(motion, banner) == ["cb-slide-in", True], "no motion to test: the check proves nothing"
    emulate(browser, reduced_motion=True)
    assert browser.js("return matchMedia('(prefers-reduced-motion: reduce)').matches;")
    assert browser.js(motion, banner) == ["none", False], "the banner still moves under prefers-reduced-motion"
    moving = browser.js("""return Array.from(document.querySelectorAll('[data-cb-ui], [data-cb-ui] *'))
        .filter(function (el) { var s = getComputedStyle(el);
          return s.animationName !== 'none' || s.transitionDuration.split(',').some(function (d) {
            return parseFloat(d) > 0; }); })
        .map(function (el) { return el.tagName + '.' + el.className; });""")
    assert moving == [], "still animated under prefers-reduced-motion: %r" % moving


def test_banner_nodes_carry_their_language_and_direction(browser, site):
    """An English page whose data-config asks for French: every node of the banner says lang="fr". An
    Arabic banner on a French page says dir="rtl" as well."""
    url = site.page("/t/a11y-lang.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"], "language": "fr"},
                    lang="en", title="English page")
    browser.open(url)
    banner = browser.wait_banner()
    assert browser.js("return document.documentElement.lang;") == "en"
    assert banner.get_attribute("lang") == "fr" and banner.get_attribute("dir") == "ltr"
    assert "Tout accepter" in banner.text
    dialog = open_centre(browser)
    assert dialog.get_attribute("lang") == "fr"
    assert browser.find("[role=status][data-cb-ui]").get_attribute("lang") == "fr"
    assert axe(browser) == []

    manifest = demo_manifest()
    for item in manifest["categories"] + manifest["cookies"]:
        for value in item.values():
            if isinstance(value, dict) and "fr" in value:
                value["ar"] = value["fr"]
    manifest["categories"][1]["title"]["ar"] = "قياس الجمهور"
    url = site.page("/t/a11y-rtl.html", {"manifest": manifest, "languages": ["fr", "ar"], "language": "ar"},
                    lang="fr")
    browser.open(url)
    banner = browser.wait_banner()
    assert banner.get_attribute("lang") == "ar" and banner.get_attribute("dir") == "rtl"
    assert browser.js("return getComputedStyle(arguments[0]).direction;", banner) == "rtl"
    assert "قبول الكل" in banner.text
    dialog = open_centre(browser)
    assert dialog.get_attribute("lang") == "ar" and dialog.get_attribute("dir") == "rtl"
    assert browser.find("[role=status][data-cb-ui]").get_attribute("dir") == "rtl"
