"""Equal prominence on a small phone. At 320x568 and 375x667 CSS px, in the light and
dark themes, "Tout accepter" and "Tout refuser" are both on screen without any scrolling, the first layer
takes at most half the viewport height (its text scrolls inside it), and no element of the page that
takes keyboard focus is ever entirely hidden behind it, even after the viewport changes size (a phone
turned, the browser's toolbar shown) while the banner is up (CNIL equal prominence; WCAG 2.4.11)."""

import pytest
from selenium.webdriver.common.keys import Keys

from a11y_kit import emulate, media, press, set_width  # noqa: F401

PHONES = [(320, 568), (375, 667)]
DATASET = "/explore/dataset/frequentation-parkings/"

# Where the two first choices are, with nothing scrolled: inside the viewport and the topmost element there.
ON_SCREEN = """
var banner = document.getElementById("cb-banner"), out = {};
banner.querySelectorAll(".cb-actions [data-cb-action]").forEach(function (b) {
  var r = b.getBoundingClientRect(), hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  out[b.textContent.trim()] = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth &&
                               !!hit && (hit === b || b.contains(hit));
});
return {buttons: out, scrolled: [scrollY, banner.scrollTop, banner.querySelector(".cb-banner__body") ?
        banner.querySelector(".cb-banner__body").scrollTop : 0],
        height: banner.getBoundingClientRect().height, viewport: innerHeight};"""

# The focused element is "entirely hidden" when no part of it inside the viewport is outside the banner.
HIDDEN = """
var el = document.activeElement, banner = document.getElementById("cb-banner");
if (!el || el === document.body || (banner && banner.contains(el))) { return null; }
var r = el.getBoundingClientRect(), top = banner ? banner.getBoundingClientRect().top : innerHeight;
var visible = Math.min(r.bottom, top, innerHeight) - Math.max(r.top, 0);
var label = el.tagName.toLowerCase() + " " + (el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 30);
return [label, visible > 0.5 || r.height === 0, [r.top, r.bottom, top, innerHeight]];"""


def check_choices_on_screen(browser, where):
    found = browser.js(ON_SCREEN)
    assert found["scrolled"] == [0, 0, 0], "%s: something is already scrolled %r" % (where, found["scrolled"])
    for label in ("Tout accepter", "Tout refuser"):
        assert found["buttons"].get(label), "%s: %r is not fully on screen without scrolling (%r)" % (
            where, label, found["buttons"])
    assert found["height"] <= found["viewport"] / 2 + 0.5, "%s: the banner is %.0f px high in a %d px viewport" % (
        where, found["height"], found["viewport"])


def check_focus_never_hidden(browser, where, presses=40):
    """Tab through the page from its start: every focused element outside the banner shows in part."""
    browser.js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    seen = 0
    for _ in range(presses):
        press(browser, Keys.TAB)
        found = browser.js(HIDDEN)
        if found is None:
            continue
        seen += 1
        assert found[1], "%s: focused %s is entirely behind the banner %r" % (where, found[0], found[2])
    assert seen >= 5, "%s: too few page elements took focus to prove anything (%d)" % (where, seen)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width, height", PHONES, ids=["%dx%d" % p for p in PHONES])
def test_on_a_small_phone_both_choices_show_without_scrolling_in_half_the_screen(media, site, width, height, dark):
    browser = media
    emulate(browser, dark=dark)
    set_width(browser, width, height)
    browser.open(site.url(DATASET))
    banner = browser.wait_banner()
    assert browser.js("return matchMedia('(prefers-color-scheme: dark)').matches;") is dark
    check_choices_on_screen(browser, "%dx%d" % (width, height))
    # The text that does not fit scrolls inside the banner, and can be scrolled to its end.
    body = browser.find("#cb-banner .cb-banner__body")
    assert browser.js("return getComputedStyle(arguments[0]).overflowY;", body) in ("auto", "scroll")
    assert browser.js("var b = arguments[0]; b.scrollTop = b.scrollHeight; var t = b.lastElementChild || b;"
                      "var r = t.getBoundingClientRect(), o = b.getBoundingClientRect();"
                      "return r.bottom <= o.bottom + 1;", body), "the end of the banner text cannot be scrolled to"
    assert banner.is_displayed()
    check_focus_never_hidden(browser, "%dx%d" % (width, height))


@pytest.mark.parametrize("first, then", [(PHONES[0], PHONES[1]), (PHONES[1], PHONES[0])],
                         ids=["grow", "shrink"])
def test_no_focused_element_is_hidden_after_the_viewport_changes_size(media, site, first, then):
    browser = media
    set_width(browser, *first)
    browser.open(site.url(DATASET))
    browser.wait_banner()
    set_width(browser, *then)
    browser.wait_js("return innerHeight === %d;" % then[1])
    check_choices_on_screen(browser, "%dx%d after %dx%d" % (then + first))
    check_focus_never_hidden(browser, "%dx%d after %dx%d" % (then + first))


# -- what the first layer shows before anything is scrolled --------------------------------------------
SIZES = [(320, 568), (360, 640), (375, 667), (390, 844)]
# Each part fully visible with nothing scrolled: inside the viewport, inside the banner's scrolling body
# (not cut off by it), and on top where it is drawn.
SHOWN = """
var banner = document.getElementById("cb-banner");
function shown(el) {
  if (!el) { return false; }
  var r = el.getBoundingClientRect(), clip = {top: 0, bottom: innerHeight, left: 0, right: innerWidth};
  for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    var s = getComputedStyle(p);
    if (/auto|scroll|hidden/.test(s.overflowY)) {
      var q = p.getBoundingClientRect();
      clip = {top: Math.max(clip.top, q.top), bottom: Math.min(clip.bottom, q.bottom),
              left: Math.max(clip.left, q.left), right: Math.min(clip.right, q.right)};
    }
  }
  if (r.height === 0 || r.top < clip.top - 0.5 || r.bottom > clip.bottom + 0.5 || r.left < clip.left - 0.5 ||
      r.right > clip.right + 0.5) { return false; }
  var hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + Math.min(r.height / 2, 10));
  return !!hit && (hit === el || el.contains(hit));
}
var choices = Array.prototype.filter.call(banner.querySelectorAll("[data-cb-action]"), function (b) {
  return b.id !== "cb-continue"; });
function choice(action) { return choices.filter(function (b) { return b.getAttribute("data-cb-action") === action; })[0]; }
var scrolled = [scrollY].concat(Array.prototype.map.call(banner.querySelectorAll("*"), function (e) { return e.scrollTop; }),
                                [banner.scrollTop]).some(function (v) { return v > 0; });
return {scrolled: scrolled, purposes: shown(banner.querySelector("[data-cb-purposes]")),
        providers: shown(banner.querySelector("[data-cb-action=providers]")),
        accept: shown(choice("accept_all")), refuse: shown(choice("reject_all")),
        height: Math.round(banner.getBoundingClientRect().height), viewport: innerHeight};"""


@pytest.mark.parametrize("engine", ["chromium", "firefox"], indirect=True)   # WebKitGTK: 447 px at the least
@pytest.mark.parametrize("look", ["default", "dsfr"])
def test_a_phone_shows_the_purposes_the_providers_link_and_both_choices_without_scrolling(browser, site, look):
    """Each phone size, text at 100 % and 200 %: one page, its viewport and text size changed in turn."""
    from a11y_kit import zoom_text
    from test_dsfr_look import DSFR_CSS, dsfr_page
    if look == "dsfr":
        with open(DSFR_CSS, "rb") as handle:
            site.route("/t/dsfr/dsfr.min.css", "text/css", handle.read())
        url = dsfr_page(site, "phone")
    else:
        url = site.url(DATASET)
    failures = []
    try:
        for width, height in SIZES:
            browser.viewport(width, height)
            browser.open(url)
            browser.wait_banner()
            for text in (100, 200):
                if text != 100:
                    zoom_text(browser, text)
                browser.wait_still()
                found = browser.js(SHOWN)
                where = "%s, %dx%d, %s look, text at %d%% (banner %d px of %d)" % (
                    browser.kind, width, height, look, text, found["height"], found["viewport"])
                missing = [part for part in ("purposes", "providers", "accept", "refuse") if not found[part]]
                if found["scrolled"] or missing:
                    failures.append("%s: %s" % (where, "scrolled" if found["scrolled"] else "not on screen: %s" % missing))
    finally:
        browser.viewport(None)
    assert failures == []
