"""The loader (static/src/consent.js) in every engine: its start-up runs once per page view, whatever the
engine does with the stylesheet's load event, and it survives a browser locale the runtime cannot parse.
(What the loader does when its files fail is test_fail_closed.py.)"""

import pytest

import engines
from browser_kit import Browser

# What one start-up leaves in the page: one stylesheet (switched to all media), one runtime and one
# bundle script, one banner, one consent:change event.
ONE_START = """
return {stylesheets: document.querySelectorAll('link[rel=stylesheet][href*="consent.css"]').length,
        media: (document.querySelector('link[rel=stylesheet][href*="consent.css"]') || {}).media,
        runtimes: document.querySelectorAll('script[src*="/brython.js"]').length,
        bundles: document.querySelectorAll('script[src*="consent.brython.js"]').length,
        banners: document.querySelectorAll('#cb-banner').length,
        events: window.__events.length};"""


@pytest.mark.journey
@pytest.mark.parametrize("path", ["/", "/t/not-prerendered.html"], ids=["prerendered", "live-only"])
def test_the_start_up_runs_once_per_page_view(browser, site, path):
    """Firefox and WebKit fire the stylesheet's load handler a second time when its media switches from
    print to all; a second start-up then threw from the loader on every page view. Unread console
    errors fail a journey, so the TypeError alone fails this test."""
    site.page("/t/not-prerendered.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]})
    browser.open(site.url(path))
    browser.wait_banner()
    assert browser.js(ONE_START) == {"stylesheets": 1, "media": "all", "runtimes": 1, "bundles": 1, "banners": 1,
                                     "events": 1}
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
