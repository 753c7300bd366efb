"""Content Security Policy: the demo portal served with the policy README's "Security" section
documents (browser_kit.CSP: no 'unsafe-inline' and no 'unsafe-eval' anywhere, a nonce) works with
no violation reported through a whole visit, and a blocked inline script without a nonce of its own gets
the loader's nonce when it is revived, so it runs under that policy."""

import pytest

from browser_kit import render_page
from browser_kit import (CSP, CSP_RECORDER, NONCE, Served, base_routes, csp_handler, demo_page_with_nonce,
                          with_nonce)

DEMO_PAGES = ["/", "/explore/dataset/frequentation-parkings/", "/pages/cookies/"]


@pytest.fixture(scope="module")
def csp_site(servers):
    routes = base_routes()
    for path in DEMO_PAGES:
        routes[path] = ("text/html; charset=utf-8", demo_page_with_nonce(path))
    routes["/t/blank.html"] = ("text/html; charset=utf-8", b"<!doctype html><title>blank</title>")
    running = Served(routes, handler=csp_handler(["fr", "en"], routes))
    running.url_of = lambda path: running.url("127.0.0.1", path)
    yield running
    running.stop()


@pytest.fixture
def csp_browser(browser, csp_site):
    """The session's browser, recording every CSP violation (in sessionStorage, so reloads keep them)."""
    script = browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_RECORDER})
    browser.driver.get(csp_site.url_of("/t/blank.html"))
    browser.js("sessionStorage.clear();")
    yield browser
    browser.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


def violations(browser):
    return browser.js("return JSON.parse(sessionStorage.getItem('__csp') || '[]');")


def assert_no_violation(browser, step):
    found = violations(browser)
    assert found == [], "CSP violations %s: %r" % (step, found)
    console = [e["message"] for e in browser.console() if "Content Security Policy" in e["message"]]
    assert console == [], "CSP messages in the console %s: %r" % (step, console)


def test_the_policy_is_the_one_the_readme_documents():
    with open(__file__.rsplit("tests", 1)[0] + "README.md", encoding="utf-8") as handle:
        readme = handle.read()
    assert CSP.replace(NONCE, "RANDOM") in readme, "README's Security section must show the tested policy"


def test_the_demo_portal_runs_under_a_strict_csp_without_violations(csp_browser, csp_site):
    browser = csp_browser
    browser.open(csp_site.url_of("/"))
    assert browser.js("return document.querySelector('script[src*=\"consent.js\"]').nonce;") == NONCE
    banner = browser.wait_banner()
    assert browser.js("return getComputedStyle(arguments[0]).position;", banner) == "fixed", \
        "our styles were refused: the banner is unstyled"
    assert_no_violation(browser, "on the first visit")

    browser.click_banner("Tout accepter")
    browser.wait_js("return !!window.demoAnalytics;", "the demo's analytics tag did not run")
    browser.wait_js("return performance.getEntriesByType('resource').some(function (e) {"
                    " return e.name.indexOf('/consent-log/') >= 0; });", "the consent log beacon was not sent")
    assert_no_violation(browser, "after accepting")

    browser.open(csp_site.url_of("/"))       # a return visit: the loader runs the tag early, with its nonce
    browser.wait_js("return !!window.demoAnalytics;", "the demo's analytics tag did not run on a return visit")
    assert browser.js("return window.__consentBoot.ran;") == ["analytics"], "the loader did not run it early"
    assert_no_violation(browser, "on a return visit")

    browser.find("footer [data-consent-open]").click()
    browser.wait_dialog()
    assert_no_violation(browser, "with the centre open")
    browser.navigating(lambda: browser.click_dialog("Tout refuser"))   # the tag ran: withdrawal reloads
    assert browser.banner() is None
    assert_no_violation(browser, "after refusing")

    browser.open(csp_site.url_of("/explore/dataset/frequentation-parkings/"))
    placeholder = browser.wait(lambda d: browser.find_all("[data-cb-placeholder]"), "no embed placeholder")[0]
    assert browser.js("return arguments[0].style.minHeight;", placeholder) == "200px", "placeholder not sized"
    browser.find("[data-cb-embed=once]").click()
    browser.wait_js("return document.querySelector('iframe[data-consent]').getAttribute('src') === '/embed.html';")
    browser.wait(lambda d: browser.cookie("demo_analytics_embed"), "the embed did not load")
    assert_no_violation(browser, "on the dataset page")

    browser.open(csp_site.url_of("/pages/cookies/"))
    browser.wait_js("return document.querySelectorAll('[data-consent-policy] table').length >= 2;",
                    "the policy page was not generated")
    browser.find("[data-consent-policy] [data-consent-open]").click()
    browser.wait_dialog()
    browser.click_dialog("Tout accepter")
    browser.wait_no_dialog()
    browser.wait_js("return !!window.demoAnalytics;")
    assert_no_violation(browser, "on the policy page")


NONCE_BODY = """
<script data-consent="analytics" type="text/plain">window.__inlineWithoutNonce = "ran";</script>
<script nonce="%(nonce)s" type="text/plain" data-consent="analytics">window.__inlineWithNonce = "ran";</script>
<script type="text/plain" data-consent="analytics" data-src="/t/external.js"></script>
""" % {"nonce": NONCE}


def test_a_revived_inline_script_gets_the_loader_nonce_and_runs_under_the_csp(csp_browser, csp_site):
    browser = csp_browser
    csp_site.routes["/t/external.js"] = ("text/javascript", b'window.__external = "ran";')
    # The loader carries the nonce; the first blocked script has none of its own. PAGE_SCRIPT, the page's
    # own inline script, has no nonce either: CSP blocks it, which shows the policy and the recorder work.
    html = with_nonce(render_page({"manifest": "/t/cookies.json", "languages": ["fr"]}, body=NONCE_BODY,
                                  probes=False).decode("utf-8"))
    csp_site.routes["/t/nonce.html"] = ("text/html; charset=utf-8", html.encode("utf-8"))
    browser.open(csp_site.url_of("/t/nonce.html"))
    browser.wait_banner()
    control = violations(browser)
    assert len(control) == 1 and control[0]["directive"] == "script-src-elem", control
    assert browser.js("return window.__pageScript || null;") is None

    browser.click_banner("Tout accepter")
    browser.wait_js("return window.__external === 'ran';", "the external blocked script did not run")
    assert browser.js("return window.__inlineWithNonce || null;") == "ran"
    assert browser.js("return window.__inlineWithoutNonce || null;") == "ran", \
        "a revived inline script without its own nonce was blocked by the CSP"
    assert violations(browser) == control, "reviving the blocked scripts violated the CSP"
    assert browser.banner_errors() == []
