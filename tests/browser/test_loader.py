"""The loader (static/src/consent.js) in every engine: its start-up runs once per page view, whatever the
engine does with the stylesheet's load event, and it survives a browser locale the runtime cannot parse.
When its own files fail (consent.js itself, the runtime, the bundle) or the runtime on the page is
broken, every data-consent script stays text/plain and every iframe without src, even for a visitor who
had accepted everything, and the portal page keeps working."""

import os

import pytest

import engines
from browser_kit import (ROOT, Browser, assert_failed_closed, assert_nothing_optional, assert_page_still_works,
                         consent_value)

DIST = os.path.join(ROOT, "static", "dist")

# What one start-up leaves in the page: our styles once (adopted as a constructed sheet, or where the
# browser has none, one consent.css switched to all media), one runtime and one bundle script, one
# download of the manifest (Python reads the one the loader started), one banner, styled, and one
# consent:change event.
ONE_START = """
var ours = function (sheet) { return Array.prototype.some.call(sheet.cssRules, function (rule) {
  return rule.selectorText === ".cb-banner"; }); };
var banner = document.getElementById("cb-banner");
return {stylesheets: document.querySelectorAll('link[rel=stylesheet][href*="consent.css"]').length,
        media: (document.querySelector('link[rel=stylesheet][href*="consent.css"]') || {}).media || null,
        adopted: (document.adoptedStyleSheets || []).filter(ours).length,
        position: banner && getComputedStyle(banner).position,
        runtimes: document.querySelectorAll('script[src*="/brython.js"]').length,
        bundles: document.querySelectorAll('script[src*="consent.brython.js"]').length,
        manifests: performance.getEntriesByType("resource").filter(function (e) {
          return /cookies\\.json/.test(e.name); }).length,
        banners: document.querySelectorAll('#cb-banner').length,
        events: window.__events.length};"""


@pytest.mark.journey
@pytest.mark.parametrize("path", ["/", "/t/not-prerendered.html"], ids=["prerendered", "live-only"])
def test_the_start_up_runs_once_per_page_view(browser, site, path):
    """Our styles arrive in the loader, adopted once: no stylesheet request."""
    site.page("/t/not-prerendered.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]})
    browser.open(site.url(path))
    browser.wait_banner()
    assert browser.js(ONE_START) == {"stylesheets": 0, "media": None, "adopted": 1, "position": "fixed",
                                     "runtimes": 1, "bundles": 1, "manifests": 1, "banners": 1, "events": 1}
    assert not browser.js("return performance.getEntriesByType('resource').some(function (e) {"
                          " return /consent\\.css/.test(e.name); });"), "consent.css was requested"
    browser.reload()
    assert browser.js(ONE_START)["events"] == 1
    assert browser.console_errors() == []


@pytest.mark.journey
def test_page_content_named_like_the_hand_off_does_not_stop_the_banner(browser, site):
    """An element whose id is the loader's global (`window.__consentBoot` then names it) is the page's:
    the loader took it for an earlier copy of itself and quit, leaving no banner at all."""
    browser.open(site.page("/t/clobbered.html", {"manifest": "/t/cookies.json", "languages": ["fr"]},
                           body='<div id="__consentBoot">Jeu de données</div>'))
    browser.wait_banner()
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    assert browser.cookie("cookies_preferences") is not None


# A browser without constructed stylesheets (Safari before 16.4, Firefox before 101).
NO_CONSTRUCTED_SHEETS = "<script>window.CSSStyleSheet = undefined;</script>"


@pytest.mark.journey
def test_without_constructed_stylesheets_consent_css_is_loaded_once(browser, site):
    """Firefox and WebKit fire the stylesheet's load handler a second time when its media switches from
    print to all; a second start-up then threw from the loader on every page view. Unread console
    errors fail a journey, so the TypeError alone fails this test."""
    browser.open(site.page("/t/no-constructed-sheets.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]},
                           head=NO_CONSTRUCTED_SHEETS))
    browser.wait_banner()
    assert browser.js(ONE_START) == {"stylesheets": 1, "media": "all", "adopted": 0, "position": "fixed",
                                     "runtimes": 1, "bundles": 1, "manifests": 1, "banners": 1, "events": 1}
    browser.reload()
    assert browser.js(ONE_START)["events"] == 1
    assert browser.console_errors() == []


@pytest.fixture
def webkit_in_c_locale(servers):
    """A second WebKit whose environment has LANG=C.UTF-8 (a server or container default): its
    navigator.language is "C", which Intl.DateTimeFormat rejects."""
    if engines.missing("webkit"):
        pytest.fail("WebKitWebDriver or Xvfb is missing: install Debian's webkit2gtk-driver xvfb (make setup)",
                    pytrace=False)
    engine = engines.WebKit(lang="C.UTF-8")
    yield engine
    engine.quit()


def test_start_up_survives_a_locale_the_runtime_cannot_parse(webkit_in_c_locale, servers):
    browser = Browser(webkit_in_c_locale.driver, servers, webkit_in_c_locale)
    browser.reset()
    browser.open(servers.multi.url("/"))
    assert browser.js("return navigator.language;") == "C"
    banner = browser.wait_banner()
    assert banner.get_attribute("data-cb-prerendered") is None, "Python never replaced the painted banner"
    assert browser.events() == [["necessary"]]
    assert browser.console_errors() == []
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    browser.wait(lambda d: browser.find("#analytics-status").text.startswith("active"),
                 "the accepted analytics script did not run")


# -- the banner's own files failing ------------------------------------------------------------------------
def dist(name):
    with open(os.path.join(DIST, name), "rb") as handle:
        return handle.read()


@pytest.fixture
def accepted_before(browser):
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))


def test_a_missing_loader_leaves_the_page_working_and_everything_inert(browser, site, accepted_before):
    url = site.page("/t/no-loader.html", {"manifest": "/t/cookies.json"}, loader="/t/gone/consent.js")
    browser.open(url, ready=False)
    browser.wait_js("return document.readyState === 'complete';")
    assert_nothing_optional(browser)
    assert_page_still_works(browser)
    assert browser.js("return typeof window.__consentBoot;") == "undefined"
    assert browser.banner() is None
    browser.find("#manage").click()             # a plain link again: it follows its href, nothing breaks
    assert browser.js("return location.href.slice(-1);") == "#"
    assert_page_still_works(browser, clicks=2)


def test_a_missing_runtime_fails_closed_with_one_error_naming_it(browser, site, accepted_before):
    site.route("/t/no-runtime/consent.js", "text/javascript", dist("consent.js"))
    site.route("/t/no-runtime/consent.brython.js", "text/javascript", dist("consent.brython.js"))
    url = site.page("/t/no-runtime.html", {"manifest": "/t/cookies.json"}, loader="/t/no-runtime/consent.js")
    browser.open(url, ready=False)
    assert_failed_closed(browser, "brython.js")
    browser.find("#manage").click()             # no longer held back by the loader: it follows its href
    browser.wait_js("return location.href.slice(-1) === '#';", "the footer link stayed blocked")


def test_a_broken_runtime_on_the_page_fails_closed(browser, site, accepted_before):
    """The portal already defines window.__BRYTHON__, but it is not the runtime build our bundles are
    compiled for (here not a runtime at all): the loader refuses to reuse it and loads nothing."""
    url = site.page("/t/broken-runtime.html", {"manifest": "/t/cookies.json"},
                    head="<script>window.__BRYTHON__ = {broken: true};</script>")
    browser.open(url, ready=False)
    assert_failed_closed(browser, "already runs Brython none")
    browser.find("#manage").click()
    browser.wait_js("return location.href.slice(-1) === '#';", "the footer link stayed blocked")


def test_a_missing_bundle_leaves_blocked_content_inert(browser, site):
    """consent.js is served from a directory holding the Brython runtime but not consent.brython.js."""
    url = site.page("/t/no-bundle.html", {"manifest": "/t/cookies.json"}, loader="/nobundle/consent.js")
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))
    browser.open(url, ready=False)
    assert_failed_closed(browser, "consent.brython.js")
    browser.find("#manage").click()                 # the footer link is no longer held back: no error
    assert len(browser.banner_errors()) == 1


def test_a_large_manifest_is_parsed_across_tasks_and_every_cookie_is_kept(browser, site):
    """Python parses the manifest in tasks of a few milliseconds (boot.py, parse_in_steps): with 150
    cookies it pauses several times, and the live banner still starts, answers its buttons, and lists
    every cookie in the centre."""
    from browser_kit import demo_manifest
    manifest = demo_manifest()
    template = manifest["cookies"][-1]
    manifest["cookies"] += [dict(template, name="stat_%d" % i, match="^stat_%d$" % i) for i in range(150)]
    browser.open(site.page("/t/large-manifest.html", {"manifest": manifest, "languages": ["fr"]}))
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    listed = browser.js("return Array.from(arguments[0].querySelectorAll('td, th')).map(function (c) "
                        "{ return c.textContent.trim(); });", dialog)
    assert all("stat_%d" % i in listed for i in range(150))
    browser.click_dialog("Tout refuser")
    browser.wait_no_dialog()
    assert browser.cookie("cookies_preferences") is not None
    assert browser.console_errors() == []


def test_consent_js_imported_as_a_module_says_it_does_nothing(browser, site):
    """README's `exports` suggested `import "consent-banner/consent.js"`: the loader has no tag then, no
    data-config, and it used to return without a word."""
    url = site.route("/t/imported.html", "text/html; charset=utf-8", (
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>import</title>"
        "<script type='module'>import '/static/dist/consent.js'; window.imported = true;</script>"
        "</head><body><main>Portail</main></body></html>").encode("utf-8"))
    browser.driver.get(url)
    browser.wait_js("return window.imported === true;")
    errors = browser.wait(lambda d: browser.banner_errors(), "the loader said nothing")
    assert errors and "does nothing when imported or bundled" in errors[0]
    assert browser.js("return window.__consentBoot === undefined;")
