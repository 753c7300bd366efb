"""A click on the banner is answered in the click's own frame, whatever has loaded, and Python still makes
every decision: a choice clicked on the painted first layer before Python runs hides the layer at once,
writes nothing, is kept for Python, and is recorded by the next page's Python when the visitor leaves
first, even by closing the tab; nothing optional runs before Python has written it. Page content dressed as
the layer is no choice. The footer link shows at once that the
centre is on its way. A started banner decides without waiting for the extra bundle.

The pages use the demo portal's own data-config (the one static/dist/consent.js is built for), served
from copies of static/dist: in /t/kept-slow/ the runtime arrives late (SLOW_RUNTIME), so "before Python"
is certain; in /t/kept-extra/ the extra bundle does (SLOW_EXTRA)."""

import json
import os
import time

import pytest

from banner.fingerprint import layer_key
from banner.manifest import parse_manifest
from browser_kit import routes_added, CONSENT, ROOT, decode_consent, demo_manifest, render_page

DIST = os.path.join(ROOT, "static", "dist")
SLOW_RUNTIME = 2.0
SLOW_EXTRA = 4.0
PENDING_KEY = "consent-banner:pending"

with open(os.path.join(ROOT, "demo", "site", "config.json"), encoding="utf-8") as handle:
    CONFIG = json.load(handle)            # the data-config static/dist is built for

# The blocked analytics script records, when it runs, whether Python had written a choice by then.
PROBE = ('<script type="text/plain" data-consent="analytics">(window.__probe = window.__probe || []).push('
         '{stored: /(^|; )%s=/.test(document.cookie), runtime: !!window.__BRYTHON__});</script>' % CONSENT)

# Whether a first layer was ever on screen in this page: a painted or live #cb-banner that is displayed.
SHOWN_WATCH = """
window.__shownBanner = false;
new MutationObserver(function () {
  var b = document.getElementById("cb-banner");
  if (b && b.getClientRects().length > 0) { window.__shownBanner = true; }
}).observe(document, {childList: true, subtree: true, attributes: true});
"""


# Page content a contributor wrote (a dataset's description: HTML a sanitizer such as DOMPurify keeps with its
# data-* attributes) dressed as a first layer ahead of Python, with the very content key the real one shows.
FORGED = ('<article class="description"><div data-cb-prerendered data-cb-content="%s">'
          '<a id="forged" href="/t/kept-b.html" data-cb-action="accept_all">Télécharger le jeu de données (CSV)</a>'
          '</div></article>' % layer_key(parse_manifest(demo_manifest(), CONFIG["languages"])))


def slow(seconds, body):
    def answer(handler):
        time.sleep(seconds)
        return body
    return answer


def dist_copy(base, slowed, seconds):
    routes = {}
    for name in os.listdir(DIST):
        with open(os.path.join(DIST, name), "rb") as handle:
            body = handle.read()
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        routes[base + name] = (kind, slow(seconds, body) if name == slowed else body)
    return routes


@pytest.fixture(scope="module")
def kept_site(servers):
    site = servers.multi
    page = "text/html; charset=utf-8"
    added = dist_copy("/t/kept-slow/", "brython.js", SLOW_RUNTIME)
    added.update(dist_copy("/t/kept-extra/", "consent-extra.js", SLOW_EXTRA))
    added.update({
        "/t/kept-a.html": (page, render_page(CONFIG, body=PROBE, probes=False, loader="/t/kept-slow/consent.js",
                                             head="<script>%s</script>" % SHOWN_WATCH)),
        "/t/kept-b.html": (page, render_page(CONFIG, body=PROBE, probes=False, loader="/t/kept-slow/consent.js",
                                             head="<script>%s</script>" % SHOWN_WATCH)),
        "/t/kept-forged.html": (page, render_page(CONFIG, body=FORGED + PROBE, probes=False,
                                                  loader="/t/kept-slow/consent.js")),
        "/t/kept-extra.html": (page, render_page(CONFIG, body=PROBE, probes=False,
                                                 loader="/t/kept-extra/consent.js")),
    })
    with routes_added(site, added):
        yield site


def painted_banner(browser):
    return browser.wait(lambda d: (browser.find_all("#cb-banner[data-cb-prerendered]") or [None])[0],
                        "the first layer was not painted ahead of Python")


def python_started(browser):
    return browser.js("return !!(window.__consentBoot && window.__consentBoot.ready);")


def click_early(browser, site, label):
    """Open page A, click `label` on the painted first layer before Python runs (its runtime is still on
    its way); return what the page looks like right after the click."""
    browser.open(site.url("/t/kept-a.html"), ready=False)
    banner = painted_banner(browser)
    browser.wait_still()
    assert not python_started(browser) and browser.js("return !window.__BRYTHON__;")
    browser.button(banner, label).click()
    return browser.js("""var b = document.getElementById("cb-banner");
        return {visible: !!(b && b.getClientRects().length > 0), cookie: /(^|; )%s=/.test(document.cookie),
                python: !!window.__consentBoot.ready, kept: localStorage.getItem(arguments[0])};""" % CONSENT,
                      PENDING_KEY)


@pytest.mark.journey
def test_an_early_refusal_hides_the_layer_at_once_and_the_next_page_records_it(browser, kept_site):
    after = click_early(browser, kept_site, "Tout refuser")
    assert after["visible"] is False, "the painted layer stayed after the click"
    assert after["cookie"] is False and after["python"] is False, "something other than Python decided"
    assert json.loads(after["kept"])["action"] == "reject_all"

    # The visitor leaves before Python has started: the next page's Python records the choice.
    browser.navigating(lambda: browser.driver.get(kept_site.url("/t/kept-b.html")))
    stored = decode_consent(browser.cookie(CONSENT)["value"])
    assert stored is not None and stored.accepted == ()
    assert browser.events()[-1] == ["necessary"]
    assert browser.js("return window.__shownBanner;") is False, "the next page asked again"
    assert browser.banner() is None
    assert browser.js("return localStorage.getItem(arguments[0]);", PENDING_KEY) is None
    assert browser.js("return window.__probe || [];") == []


def test_an_early_refusal_outlives_its_tab_closed_before_python_started(browser, kept_site):
    """On a slow network the visitor refuses and closes the tab before the runtime has arrived: the site's
    next page, opened in another tab, records the refusal and does not ask again. (Chromium only: the
    suite drives Firefox through one BiDi tab, and WebKitWebDriver does not run a new tab's frames.)"""
    driver = browser.driver
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    try:
        after = click_early(browser, kept_site, "Tout refuser")
    finally:
        driver.close()                   # before Python has started: nothing of that tab is left
        driver.switch_to.window(first)
    assert after["visible"] is False and after["cookie"] is False and after["python"] is False
    assert browser.cookie(CONSENT) is None

    browser.navigating(lambda: driver.get(kept_site.url("/t/kept-b.html")))
    stored = decode_consent(browser.cookie(CONSENT)["value"])
    assert stored is not None and stored.accepted == (), "the refusal was lost with its tab"
    assert browser.js("return window.__shownBanner;") is False, "the next page asked again"
    assert browser.js("return localStorage.getItem(arguments[0]);", PENDING_KEY) is None
    assert browser.js("return window.__probe || [];") == []


def test_a_kept_choice_yields_to_a_choice_stored_meanwhile(browser, kept_site):
    """A refusal kept by a tab that never started Python, and an acceptance made meanwhile in another tab:
    the next page keeps the acceptance and drops the kept refusal."""
    browser.open(kept_site.url("/t/kept-a.html"))
    content = browser.js("return window.__consentBoot.paintedFor;")
    assert content, "no first layer was painted ahead of Python"
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    accepted = browser.cookie(CONSENT)["value"]
    browser.js("localStorage.setItem(arguments[0], JSON.stringify({action: 'reject_all', content: arguments[1], "
               "at: Date.now()}));", PENDING_KEY, content)
    browser.navigating(lambda: browser.driver.get(kept_site.url("/t/kept-b.html")))
    assert browser.cookie(CONSENT)["value"] == accepted, "a kept refusal undid a later acceptance"
    assert decode_consent(accepted).accepted == ("analytics",)
    assert browser.js("return localStorage.getItem(arguments[0]);", PENDING_KEY) is None


def keep_as_another_tab(browser, action, age_ms=0):
    """What another tab's loader keeps when « action » is clicked there before its Python ran."""
    browser.js("localStorage.setItem(arguments[0], JSON.stringify({action: arguments[1], content: "
               "window.__consentBoot.paintedFor, at: Date.now() - arguments[2]}));", PENDING_KEY, action, age_ms)


def test_a_choice_another_tab_kept_after_this_pages_loader_looked_stays_for_the_next_page(browser, kept_site):
    """This page's loader found nothing kept; another tab then keeps a refusal and is closed before its
    Python ran. This page's Python does not write it (it never showed it) and leaves it for the next page."""
    browser.open(kept_site.url("/t/kept-a.html"), ready=False)
    painted_banner(browser)
    assert not python_started(browser)
    keep_as_another_tab(browser, "reject_all")
    browser.wait_js("return !!(window.__consentBoot && window.__consentBoot.ready);", "Python did not start",
                    timeout=SLOW_RUNTIME * 5)
    assert browser.js("return localStorage.getItem(arguments[0]);", PENDING_KEY) is not None, \
        "the other tab's refusal was removed unwritten"
    browser.navigating(lambda: browser.driver.get(kept_site.url("/t/kept-b.html")))
    assert decode_consent(browser.cookie(CONSENT)["value"]).accepted == ()
    assert browser.js("return localStorage.getItem(arguments[0]);", PENDING_KEY) is None


def test_a_kept_refusal_counts_for_a_week_and_a_kept_acceptance_for_the_visit_only(browser, kept_site):
    """An acceptance would be written on a page showing no banner: days later, at a shared computer, it
    could be another person's. A refusal only turns things off."""
    browser.open(kept_site.url("/t/kept-a.html"), ready=False)
    painted_banner(browser)
    keep_as_another_tab(browser, "accept_all", 31 * 60 * 1000)
    browser.navigating(lambda: browser.driver.get(kept_site.url("/t/kept-b.html")))
    assert browser.cookie(CONSENT) is None and browser.banner().is_displayed()
    assert browser.js("return localStorage.getItem(arguments[0]);", PENDING_KEY) is None, "a stale record stayed"
    keep_as_another_tab(browser, "reject_all", 6 * 24 * 3600 * 1000)
    browser.navigating(lambda: browser.driver.get(kept_site.url("/t/kept-a.html")))
    assert decode_consent(browser.cookie(CONSENT)["value"]).accepted == ()
    assert browser.js("return window.__shownBanner;") is False


@pytest.mark.journey
def test_an_early_acceptance_runs_nothing_optional_before_the_next_pages_python_has_written_it(
        browser, kept_site):
    after = click_early(browser, kept_site, "Tout accepter")
    assert after["visible"] is False and after["cookie"] is False
    assert browser.js("return window.__probe || [];") == [], "a script ran on the loader's word"

    browser.navigating(lambda: browser.driver.get(kept_site.url("/t/kept-b.html")))
    browser.wait_js("return (window.__probe || []).length > 0;", "the accepted script never ran")
    assert browser.js("return window.__probe;") == [{"stored": True, "runtime": True}], \
        "the accepted script ran before Python had written the choice"
    assert decode_consent(browser.cookie(CONSENT)["value"]).accepted == ("analytics",)
    assert browser.js("return window.__shownBanner;") is False


@pytest.mark.journey
def test_page_content_dressed_as_the_first_layer_decides_nothing_before_python(browser, kept_site):
    """Only the first layer the loader painted (or the one the server wrote with the loader's tag) holds the
    clicks it keeps for Python: a link in the page's content carrying the layer's marks and « accept_all »,
    clicked before Python runs, is only a link. Nothing is kept, the next page asks, nothing optional runs."""
    browser.open(kept_site.url("/t/kept-forged.html"), ready=False)
    painted_banner(browser)
    browser.wait_still()
    assert not python_started(browser)
    link = browser.find("#forged")
    browser.js("arguments[0].scrollIntoView({block: 'center'});", link)
    browser.navigating(link.click, ready=False)
    assert browser.js("return location.pathname;") == "/t/kept-b.html"
    assert not python_started(browser)
    assert browser.js("return localStorage.getItem(arguments[0]);", PENDING_KEY) is None, \
        "the loader kept a decision clicked on page content"
    assert browser.js("return window.__consentBoot.actions.length;") == 0
    browser.wait_ready()
    assert browser.banner().is_displayed(), "the next page did not ask"
    assert browser.cookie(CONSENT) is None
    assert browser.js("return window.__probe || [];") == [], "a script ran without a choice"


def test_a_choice_kept_from_another_manifest_content_is_not_written_and_the_layer_asks(browser, kept_site):
    """The choice was clicked on a layer showing other content than the live manifest's: Python does not
    write it; the next page's first layer asks again."""
    browser.open(kept_site.url("/t/kept-a.html"), ready=False)
    browser.js("localStorage.setItem(arguments[0], JSON.stringify({action: 'accept_all', content: 'other', "
               "at: Date.now()}));", PENDING_KEY)
    browser.navigating(lambda: browser.driver.get(kept_site.url("/t/kept-b.html")))
    assert browser.cookie(CONSENT) is None
    assert browser.banner().is_displayed()
    assert browser.js("return localStorage.getItem(arguments[0]);", PENDING_KEY) is None


@pytest.mark.journey
def test_the_footer_link_before_python_shows_the_centre_is_opening_then_opens_it(browser, kept_site):
    browser.open(kept_site.url("/t/kept-a.html"), ready=False)
    painted_banner(browser)
    assert not python_started(browser)
    browser.find("#manage").click()
    assert browser.js("var v = document.querySelector('.cb-opening'); return !!(v && v.getClientRects().length);"), \
        "nothing showed that the centre is opening"
    browser.wait_dialog()
    assert browser.find_all(".cb-opening") == []


@pytest.mark.journey
def test_a_started_banner_decides_without_waiting_for_the_extra_bundle(browser, kept_site):
    """The demo's data-config uses the extra bundle at start (reopen button, consent log): it arrives
    SLOW_EXTRA seconds late, and « Tout refuser » on Python's live first layer is written and the layer gone
    long before (start-up as a whole, `ready`, ends once the extra bundle is in: held footer-link clicks
    then open the centre)."""
    browser.open(kept_site.url("/t/kept-extra.html"), ready=False)
    browser.wait_js("return !!(document.querySelector('#cb-banner:not([data-cb-prerendered])') && window.__events "
                    "&& window.__events.length);", "Python's first layer did not start")
    browser.wait_still()
    browser.click_banner("Tout refuser")
    browser.wait(lambda d: browser.cookie(CONSENT) is not None, "the refusal waited", timeout=SLOW_EXTRA / 2)
    assert browser.banner() is None
    assert browser.js("return !('banner.record' in window.__BRYTHON__.VFS);"), \
        "the extra bundle was in before the decision: this page proves nothing"
    assert decode_consent(browser.cookie(CONSENT)["value"]).accepted == ()
    assert browser.js("return window.__probe || [];") == []
