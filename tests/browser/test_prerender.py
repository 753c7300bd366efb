"""The first layer painted ahead of Python (banner/server/prerender.py + the loader): shown at once on a first
visit, identical to the live banner that replaces it, clicks made on it meanwhile replayed, and never
shown when it would be wrong (a stored choice, another data-config)."""

import json
import os
import subprocess
import sys
import tempfile

import pytest

from a11y_kit import emulate
from browser_kit import ROOT, consent_value, demo_manifest, render_page
from demo.server import render
from browser_kit import document_script

# Records the first #cb-banner the page ever shows, the moment it appears, and whether Python had
# started then; with window.__clickEarly it also clicks that banner's button at once.
FIRST_BANNER = """
(function () {
  window.__first = null;
  new MutationObserver(function () {
    var banner = document.getElementById("cb-banner");
    if (!banner || window.__first) { return; }
    window.__first = {prerendered: banner.hasAttribute("data-cb-prerendered"), html: banner.outerHTML,
                      pythonStarted: !!(window.__consentBoot && window.__consentBoot.ready)};
    window.__firstNode = banner;
    if (sessionStorage.getItem("alterPainted")) { banner.querySelector("h2").textContent = "Altered"; }
    var early = sessionStorage.getItem("clickEarly");
    if (early) { banner.querySelector('[data-cb-action="' + early + '"]').click(); }
  }).observe(document, {childList: true, subtree: true});
})();
"""


def first_banner(browser, url, click=None, alter=False):
    with document_script(browser, FIRST_BANNER):
        if click or alter:
            browser.open(url, ready=False)          # an origin for sessionStorage, then the real visit
            if click:
                browser.js("sessionStorage.setItem('clickEarly', arguments[0]);", click)
            if alter:
                browser.js("sessionStorage.setItem('alterPainted', '1');")
            browser.driver.delete_all_cookies()
        browser.open(url)
        return browser.js("return window.__first;")


def test_a_first_visit_paints_the_prerendered_banner_before_python_and_python_keeps_it(browser, site):
    """Python builds the same tree, so it keeps the painted element itself (no second layout, no late
    largest contentful paint), unmarked, and answers its buttons."""
    first = first_banner(browser, site.url("/"))
    assert first["prerendered"] and not first["pythonStarted"]
    live = browser.banner()
    assert live.get_attribute("data-cb-prerendered") is None
    assert len(browser.find_all("#cb-banner")) == 1
    assert browser.js("return window.__firstNode === arguments[0];", live)
    assert browser.js("return arguments[0].outerHTML;", live) == first["html"].replace(' data-cb-prerendered=""', "")
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    assert browser.cookie("cookies_preferences") is not None


def test_a_painted_banner_that_differs_from_the_live_one_is_replaced(browser, site):
    """Whatever changed the painted tree (here a script edits its title), the live banner is Python's:
    the live tree replaces it, without a second entrance."""
    first = first_banner(browser, site.url("/"), alter=True)
    assert first["prerendered"]
    live = browser.banner()
    assert not browser.js("return window.__firstNode === arguments[0];", live)
    assert browser.js("return window.__firstNode.isConnected;") is False
    assert live.find_element("css selector", "h2").text != "Altered"
    assert live.get_attribute("data-cb-entered") == ""
    assert len(browser.find_all("#cb-banner")) == 1


def test_a_click_on_the_prerendered_banner_is_replayed_once_python_starts(browser, site):
    first = first_banner(browser, site.url("/"), click="reject_all")
    assert first["prerendered"] and not first["pythonStarted"]
    browser.wait_no_banner()
    from banner.cookies import decode_consent
    stored = decode_consent(browser.cookie("cookies_preferences")["value"])
    assert stored is not None and stored.accepted == ()
    assert browser.events()[-1] == ["necessary"]


def test_a_visitor_with_a_stored_choice_never_sees_a_prerendered_banner(browser, site):
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]), url=site.url("/"))
    assert first_banner(browser, site.url("/")) is None


def test_a_page_whose_config_differs_from_the_build_waits_for_python(browser, site):
    url = site.page("/t/other-config.html", {"manifest": "/cookies.json", "languages": ["fr"]})
    first = first_banner(browser, url)
    assert first is not None and not first["prerendered"]


def test_an_inline_manifest_is_recognised_by_its_hash_even_with_non_ascii_text(browser, site):
    """Built for a data-config holding its manifest inline (accents, an emoji: UTF-16 surrogates), the
    loader matches the page by the manifest's hash and paints at once."""
    manifest = demo_manifest()
    manifest["categories"][1]["description"] = {"fr": "Compter les visites 📊 — données anonymes",
                                                "en": "Counting visits 📊 — anonymous data"}
    config = {"manifest": manifest, "languages": ["fr", "en"], "policyUrl": "/pages/cookies/"}
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
            kind = "text/css" if name.endswith(".css") else "text/javascript"
            site.route("/inline-build/" + name, kind, built.read())
    url = site.route("/t/inline.html", "text/html; charset=utf-8",
                     render_page(config, loader="/inline-build/consent.js"))
    first = first_banner(browser, url)
    assert first["prerendered"] and not first["pythonStarted"]
    assert browser.banner().get_attribute("data-cb-prerendered") is None


# -- entering once, in every engine -----------------------------------------------------------------------
@pytest.fixture
def moving(browser):
    """The browser with motion allowed (prefers-reduced-motion: no-preference): Firefox's and WebKit's
    default here; the session's Chromium asks for reduced motion, so it is lifted for the test."""
    if browser.kind == "chromium":
        emulate(browser, reduced_motion=False)
    yield browser
    if browser.kind == "chromium":
        emulate(browser, reduced_motion=True)


def demo_home_with(site, path, script):
    """The demo's home page (its data-config matches the build's, so its first layer is painted ahead
    of Python) at `path`, with `script` run before anything else."""
    with open(os.path.join(ROOT, "demo", "site", "config.json"), encoding="utf-8") as handle:
        config = dict(json.load(handle), languages=["fr", "en"])
    page = render("/", "fr", config).replace("<head>", "<head><script>%s</script>" % script, 1)
    return site.route(path, "text/html; charset=utf-8", page.encode("utf-8"))


# A keyboard user has reached the painted banner's "English" button before Python starts.
FOCUS_PAINTED = """
new MutationObserver(function (records, observer) {
  var button = document.querySelector("[data-cb-prerendered] [data-cb-language=en]");
  if (button) { observer.disconnect(); button.focus(); window.__focusedPainted = document.activeElement === button; }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.journey
def test_the_first_layer_slides_in_once(moving, site):
    """The painted banner slides in; the live one takes its place where it stands. (A second slide,
    1-4 s after navigation, made clicks aimed at the moving buttons miss.)"""
    browser = moving
    browser.open(site.url("/"))
    assert browser.js("return matchMedia('(prefers-reduced-motion: no-preference)').matches;"), \
        "motion is not allowed: the check proves nothing"
    assert browser.banner().get_attribute("data-cb-prerendered") is None
    slides = [a for a in browser.js("return window.__animations;") if a.startswith("cb-slide-in ")]
    assert slides == ["cb-slide-in #cb-banner"], "the banner entered %d times: %r" % (len(slides), slides)
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()


# Where the banner stands, in the viewport, at the very moment it is put in the page.
ON_ENTRY = """
new MutationObserver(function (records, observer) {
  var banner = document.getElementById("cb-banner");
  if (!banner) { return; }
  observer.disconnect();
  var box = banner.getBoundingClientRect();
  var style = getComputedStyle(banner);
  window.__entry = {top: box.top, bottom: box.bottom, height: innerHeight, animation: style.animationName,
                    position: style.position, painted: banner.hasAttribute("data-cb-prerendered")};
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.journey
def test_the_entering_banner_is_on_screen_from_its_first_frame(moving, site):
    """Styled, and on screen: the entrance is a short rise. A banner that started wholly below the edge
    stayed unseen until the animation's clock started, 2-3 frames (60-100 ms measured) after it was in
    the page; in WebKit it entered unstyled at the top of the page, its stylesheet not yet applied."""
    browser = moving
    browser.open(demo_home_with(site, "/t/on-entry.html", ON_ENTRY))
    entry = browser.js("return window.__entry;")
    assert entry["painted"], "Python's banner came first: the check is about the painted one"
    assert entry["position"] == "fixed", "the banner entered unstyled, at the top of the page: %r" % entry
    assert entry["animation"] == "cb-slide-in", "no entrance animation: the check proves nothing"
    assert entry["bottom"] > 0 and entry["top"] < entry["height"] - 24, \
        "the banner entered off-screen: %r" % entry


# When the page's first animation frame ran and when the first banner entered the page (painted or not).
FIRST_FRAME = """
window.__frame = {};
requestAnimationFrame(function () { window.__frame.first = performance.now(); });
new MutationObserver(function (records, observer) {
  var banner = document.getElementById("cb-banner");
  if (!banner) { return; }
  observer.disconnect();
  window.__frame.banner = performance.now();
  window.__frame.painted = banner.hasAttribute("data-cb-prerendered");
}).observe(document, {childList: true, subtree: true});
"""
# When each of our scripts was requested (ms since navigation).
REQUESTED = """return performance.getEntriesByType("resource").filter(function (e) {
  return /\\/(brython|consent\\.brython)\\.js/.test(e.name);
}).map(function (e) { return [e.name.replace(/^.*\\//, ""), e.startTime]; });"""


@pytest.mark.journey
@pytest.mark.parametrize("painted", [True, False], ids=["painted", "live-only"])
def test_our_scripts_are_requested_only_after_the_first_frame(browser, site, painted):
    """The runtime and our bundle are requested once the page's first frame is out, with the painted
    banner in it when there is one. Requested earlier, their download and compilation took a CPU from the
    page's first layout and the banner's, which grew into long tasks on a 2-core machine."""
    if painted:
        url = demo_home_with(site, "/t/first-frame.html", FIRST_FRAME)
    else:
        url = site.page("/t/first-frame-live.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]},
                        head="<script>%s</script>" % FIRST_FRAME)
    browser.open(url)
    frame = browser.js("return window.__frame;")
    requested = dict(browser.js(REQUESTED))
    assert sorted(requested) == ["brython.js", "consent.brython.js"]
    assert frame["painted"] is painted
    since = frame["banner"] if painted else frame["first"]
    early = {name: round(at) for name, at in requested.items() if at < since}
    assert not early, "requested at %r ms, before the %s at %d ms" % (
        early, "painted banner entered" if painted else "page's first frame", since)


@pytest.mark.journey
def test_focus_in_the_painted_banner_stays_on_the_same_control_in_the_live_one(moving, site):
    browser = moving
    browser.open(demo_home_with(site, "/t/focus-painted.html", FOCUS_PAINTED))
    assert browser.js("return window.__focusedPainted;") is True
    assert browser.banner().get_attribute("data-cb-prerendered") is None
    assert browser.js("return document.activeElement === "
                      "document.querySelector('#cb-banner:not([data-cb-prerendered]) [data-cb-language=en]');"), \
        "focus was lost when the live banner took the painted one's place"
    slides = [a for a in browser.js("return window.__animations;") if a.startswith("cb-slide-in ")]
    assert len(slides) == 1, slides
