"""Blocked content: `<script type="text/plain" data-consent>` (inline and data-src) and
`<iframe data-consent data-src>` run or load only once their category is accepted, scripts in document
order, and a javascript: data-src never runs."""

import time

import pytest
from selenium.webdriver.common.keys import Keys

from browser_kit import demo_manifest

ANALYTICS_ORDER = ["a1-inline", "a2-external-slow", "a3-inline", "a4-external", "a5-inline"]
ALL_ORDER = ["a1-inline", "a2-external-slow", "m1-inline", "a3-inline", "a4-external", "a5-inline"]

BODY = """
<script>window.__order = [];</script>
<script type="text/plain" data-consent="analytics">window.__order.push("a1-inline");</script>
<script type="text/plain" data-consent="analytics" data-src="/t/slow.js"></script>
<script type="text/plain" data-consent="marketing">window.__order.push("m1-inline");</script>
<script type="text/plain" data-consent="analytics">window.__order.push("a3-inline");</script>
<script type="text/plain" data-consent="analytics" data-src="/t/fast.js"></script>
<script type="text/plain" data-consent="analytics" data-src="javascript:window.__pwnedScript=1"></script>
<script type="text/plain" data-consent="analytics">window.__order.push("a5-inline");</script>
<iframe id="frame-analytics" title="analytics" data-consent="analytics" data-src="/t/frame.html"></iframe>
<iframe id="frame-marketing" title="marketing" data-consent="marketing" data-src="/t/frame.html?m"></iframe>
<iframe id="frame-js" title="js" data-consent="analytics" data-src="javascript:parent.__pwnedFrame=1"></iframe>
"""


def _slow_script(handler):
    time.sleep(0.4)       # a naive loader would run a3-inline before this one arrives
    return b'window.__order.push("a2-external-slow");'


@pytest.fixture
def blocked_page(site):
    manifest = demo_manifest()
    manifest["categories"].append({"id": "marketing", "title": "Publicité",
                                   "description": "Publicités personnalisées."})
    site.route("/t/slow.js", "text/javascript", _slow_script)
    site.route("/t/fast.js", "text/javascript", b'window.__order.push("a4-external");')
    # The manifest inline in data-config, the other form the contract allows.
    return site.page("/t/blocked.html", {"manifest": manifest, "languages": ["fr"],
                                         "policyUrl": "/pages/cookies/"}, body=BODY, probes=False)


def order(browser):
    return browser.js("return window.__order;")


def frame_src(browser, frame_id):
    return browser.js("return document.getElementById(arguments[0]).getAttribute('src');", frame_id)


def assert_frame_not_loaded(browser, frame_id):
    assert frame_src(browser, frame_id) in (None, "about:blank"), "%s loaded without consent" % frame_id


# Blocked scripts of a category made live so far (their revival is what runs them).
LIVE = "return document.querySelectorAll('script[data-consent=%s]:not([type=\"text/plain\"])').length;"


def assert_marketing_inert(browser):
    """The refused category's script and iframe are untouched: nothing can run or load them later."""
    assert browser.js(LIVE % "marketing") == 0, "the refused marketing script was made live"
    assert_frame_not_loaded(browser, "frame-marketing")


def refusals(browser):
    """The banner's console errors, each of which must be the refusal of a javascript: data-src."""
    errors = browser.banner_errors()
    assert all("refused data-src 'javascript:" in e for e in errors), errors
    return errors


def assert_never_pwned(browser):
    assert browser.js("return [window.__pwnedScript, window.__pwnedFrame];") == [None, None]


@pytest.mark.journey
def test_nothing_runs_or_loads_before_a_choice(browser, blocked_page):
    browser.open(blocked_page)
    browser.wait_banner()
    assert order(browser) == []
    for frame_id in ("frame-analytics", "frame-marketing", "frame-js"):
        assert_frame_not_loaded(browser, frame_id)
    assert browser.js("return window.__frameLoads || 0;") == 0
    assert browser.js("return document.querySelectorAll('script[type=\"text/plain\"][data-consent]').length;") == 7
    assert_never_pwned(browser)


@pytest.mark.journey
def test_accept_all_runs_every_script_in_document_order_and_loads_iframes(browser, blocked_page):
    browser.open(blocked_page)
    browser.click_banner("Tout accepter")
    browser.wait_js("return window.__order.length >= 6;", "the accepted scripts did not all run")
    assert order(browser) == ALL_ORDER
    browser.wait_js("return window.__frameLoads === 2;", "the accepted iframes did not load")
    assert frame_src(browser, "frame-analytics") == "/t/frame.html"
    assert frame_src(browser, "frame-marketing") == "/t/frame.html?m"
    assert_frame_not_loaded(browser, "frame-js")
    assert_never_pwned(browser)
    errors = browser.banner_errors()
    assert len(errors) == 2, errors
    assert all("javascript:" in e for e in errors), errors

    browser.reload()                                  # a later page view runs them at start-up, same order
    browser.wait_js("return window.__order.length >= 6;")
    assert order(browser) == ALL_ORDER
    assert_never_pwned(browser)
    assert len(refusals(browser)) == 4, "the javascript: data-src values were not refused again"


@pytest.mark.journey
def test_a_refused_category_never_runs_and_a_later_acceptance_runs_only_it(browser, blocked_page):
    browser.open(blocked_page)
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    browser.switches(dialog)["Mesure d'audience"].send_keys(Keys.SPACE)
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_js("return window.__order.length >= 5;")
    browser.wait_js("return window.__frameLoads === 1;")
    assert order(browser) == ANALYTICS_ORDER            # in document order: m1 would be there already
    assert_marketing_inert(browser)

    browser.reload()
    browser.wait_js("return window.__order.length >= 5;")
    browser.wait_js("return window.__frameLoads === 1;")
    assert order(browser) == ANALYTICS_ORDER
    assert_marketing_inert(browser)

    browser.find("#manage").click()
    dialog = browser.wait_dialog()
    browser.switches(dialog)["Publicité"].send_keys(Keys.SPACE)
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_js("return window.__order.length >= 6;")
    browser.wait_js("return window.__frameLoads === 2;")
    assert order(browser) == ANALYTICS_ORDER + ["m1-inline"], "accepting marketing ran analytics again"
    assert browser.js(LIVE % "analytics") == 5, "accepting marketing made analytics scripts live again"
    assert_never_pwned(browser)
    assert refusals(browser), "the javascript: data-src values were not refused"


@pytest.mark.journey
def test_refusing_keeps_everything_inert(browser, blocked_page):
    browser.open(blocked_page)
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    browser.reload()
    assert browser.js(LIVE % "analytics") == browser.js(LIVE % "marketing") == 0
    assert order(browser) == []
    for frame_id in ("frame-analytics", "frame-marketing", "frame-js"):
        assert_frame_not_loaded(browser, frame_id)
    assert browser.js("return window.__frameLoads || 0;") == 0
    assert browser.banner_errors() == []


@pytest.mark.journey
def test_demo_dataset_iframe_loads_only_after_acceptance(browser, site):
    browser.open(site.url("/explore/dataset/frequentation-parkings/"))
    frame = browser.find("iframe[data-consent]")
    assert frame.get_attribute("src") in (None, "about:blank", "")
    browser.click_banner("Tout accepter")
    browser.wait(lambda d: frame.get_attribute("src") == site.url("/embed.html"))
    browser.wait(lambda d: browser.cookie("demo_analytics_embed") is not None, "the embed did not load")
