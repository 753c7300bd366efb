"""On a phone the reopen button never covers a control (the page's footer link, a placeholder's "Toujours
autoriser", any button, link or field), measured from bounding rectangles at every scroll position; and an
embed revealed after consent stays as wide as its container, with its shape (docs/theming.md, Phones)."""

import pytest

from browser_kit import consent_value, render_page

PHONE = 375
EMBED = ('<iframe id="map" title="Carte" data-consent="analytics" data-src="/t/frame.html" width="640" '
         'height="360"></iframe>')
# Enough page for the reopen button's corner to pass over controls while scrolling.
LONG_BODY = "".join('<p>Paragraphe %d. <a href="#p%d">Lien %d</a> <button type="button">Action %d</button></p>'
                    % (i, i, i, i) for i in range(12)) + EMBED + (
    "<p><input aria-label='Recherche' style='width: 100%; box-sizing: border-box'></p>" * 3)  # full width

# Scroll from top to bottom; at each position, each visible control of the page (ours included) whose
# box meets the reopen button's box. Returns ([overlaps], whether the button was ever shown).
OVERLAPS = """
var found = [], shown = false, doc = document.documentElement;
var button = document.querySelector(".cb-reopen");
var controls = "button, a[href], input, select, textarea, summary, iframe, [tabindex]:not([tabindex='-1'])";
for (var y = 0; ; y += Math.max(50, Math.floor(innerHeight / 4))) {
  window.scrollTo(0, y);
  var r = button.getBoundingClientRect();
  if (button.getClientRects().length && r.width && r.bottom > 0 && r.top < innerHeight) {
    shown = true;
    document.querySelectorAll(controls).forEach(function (el) {
      if (el === button || button.contains(el) || !el.getClientRects().length) { return; }
      var c = el.getBoundingClientRect();
      var w = Math.min(r.right, c.right) - Math.max(r.left, c.left), h = Math.min(r.bottom, c.bottom) - Math.max(r.top, c.top);
      if (w > 0.5 && h > 0.5) {
        found.push((el.id || el.textContent.trim().slice(0, 25) || el.tagName) + " at scroll " + Math.round(scrollY));
      }
    });
  }
  if (y >= doc.scrollHeight - innerHeight) { break; }
}
window.scrollTo(0, 0);
return [found, shown];"""


def no_footer_link(page):
    return page.replace(b'<a href="#" id="manage" data-consent-open>Gestion des cookies</a>', b"Pied de page")


@pytest.mark.journey
def test_on_a_phone_the_reopen_button_steps_aside_for_the_footer_link_and_covers_no_control(browser, site):
    browser.viewport(PHONE, 700)
    try:
        browser.set_cookie("cookies_preferences", consent_value([]))
        browser.open(site.page("/t/phone-reopen.html", {"manifest": "/t/cookies.json", "reopenButton": True},
                               body=LONG_BODY, probes=False))
        browser.wait(lambda d: browser.find_all(".cb-embed"), "no placeholder")
        found, shown = browser.js(OVERLAPS)
        assert found == [], "the reopen button covers: %s" % "; ".join(found[:6])
        # the page's own link does the job; it still opens the centre
        assert not shown
        browser.find("#manage").click()
        browser.wait_dialog()
    finally:
        browser.viewport(None)


def test_on_a_phone_without_a_footer_link_the_reopen_button_sits_in_the_page_and_covers_nothing(browser, site):
    browser.viewport(PHONE, 700)
    try:
        browser.set_cookie("cookies_preferences", consent_value([]))
        page = render_page({"manifest": "/t/cookies.json", "reopenButton": "bottom-right"}, body=LONG_BODY,
                           probes=False)
        url = site.route("/t/phone-reopen-alone.html", "text/html; charset=utf-8", no_footer_link(page))
        browser.open(url)
        browser.wait(lambda d: browser.find_all(".cb-embed"), "no placeholder")
        assert not browser.find_all("[data-consent-open]:not(.cb-reopen)")
        found, shown = browser.js(OVERLAPS)
        assert found == [], "the reopen button covers: %s" % "; ".join(found[:6])
        assert shown, "without a footer link, the reopen button must stay reachable"
        browser.find(".cb-reopen").click()
        browser.wait_dialog()
    finally:
        browser.viewport(None)


def test_an_embed_revealed_on_a_phone_keeps_the_placeholder_s_width_and_its_shape(browser, site):
    browser.viewport(PHONE, 700)
    try:
        browser.set_cookie("cookies_preferences", consent_value([]))
        browser.open(site.page("/t/phone-embed.html", {"manifest": "/t/cookies.json"}, body=EMBED, probes=False))
        placeholder = browser.wait(lambda d: browser.find_all(".cb-embed"), "no placeholder")[0]
        before = browser.js("return arguments[0].getBoundingClientRect().width;", placeholder)
        assert before <= PHONE
        browser.button(placeholder, "Toujours autoriser").click()
        browser.wait_js("var f = document.getElementById('map'); return f.getAttribute('src') && !f.hidden;",
                        "the embed was not revealed")
        sizes = browser.js("var d = document.documentElement, r = document.getElementById('map').getBoundingClientRect();"
                           "return {scroll: d.scrollWidth, client: d.clientWidth, width: r.width, height: r.height};")
        assert sizes["scroll"] <= sizes["client"], "the page scrolls sideways after the embed loaded: %r" % sizes
        assert sizes["width"] <= sizes["client"] and abs(sizes["width"] - before) <= 4, sizes
        assert abs(sizes["width"] / sizes["height"] - 640 / 360) < 0.03, "the embed lost its shape: %r" % sizes
    finally:
        browser.viewport(None)
