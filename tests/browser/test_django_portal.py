"""The demo Django portal (demo/portal: the app banner.django), served by Django's own runserver and driven
in headless Chromium: the first layer the server rendered is painted before any script and taken over
by the live banner without a second entrance or a lost click; a consented script is sent live and runs
at parse, before the runtime, once; the server refreshes cookies_preferences with Set-Cookie; the
banner's language choice reaches LocaleMiddleware."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from a11y_kit import emulate
from browser_kit import ROOT, consent_value, demo_manifest, document_script, render_page

DAY = 24 * 3600
LIFETIME = 182 * DAY


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """demo/manage.py runserver on a free port, with a database of its own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, DEMO_DATABASE=str(tmp_path_factory.mktemp("portal") / "portal.sqlite3"),
               PYTHONUNBUFFERED="1")
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "demo", "manage.py"), "runserver", "--noreload",
                               "127.0.0.1:%d" % port], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    base = "http://127.0.0.1:%d" % port
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            break
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                server.kill()
                pytest.fail("the demo Django portal did not start: %s" % server.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(10)


# The first #cb-banner the document ever holds, the moment it appears: whether the loader or Python had
# run then. With sessionStorage "clickEarly", that action is clicked on it as soon as the loader runs and
# before Python has started.
FIRST_BANNER = """
(function () {
  window.__first = null;
  new MutationObserver(function () {
    var banner = document.getElementById("cb-banner");
    if (!banner || window.__first) { return; }
    window.__first = {prerendered: banner.hasAttribute("data-cb-prerendered"), html: null,
                      loaderRan: !!window.__consentBoot, pythonStarted: !!(window.__consentBoot && window.__consentBoot.ready)};
    // the parser may not have added all of its children yet: read it once the document is parsed
    document.addEventListener("DOMContentLoaded", function () { window.__first.html = banner.outerHTML; });
  }).observe(document, {childList: true, subtree: true});
  var early = sessionStorage.getItem("clickEarly");
  if (!early) { return; }
  var timer = setInterval(function () {
    var boot = window.__consentBoot, button = document.querySelector('[data-cb-prerendered] [data-cb-action="' + early + '"]');
    if (boot && !boot.ready && button) { clearInterval(timer); window.__clickedEarly = true; button.click(); }
  }, 2);
})();
"""


def first_banner(browser, url, click=None):
    with document_script(browser, FIRST_BANNER):
        if click:
            browser.open(url, ready=False)
            browser.js("sessionStorage.setItem('clickEarly', arguments[0]);", click)
            browser.driver.delete_all_cookies()
        browser.open(url)
        return browser.js("return window.__first;")


def stripped(html):
    for mark in (' data-cb-prerendered=""', ' data-cb-entered=""'):
        html = html.replace(mark, "")
    return html.split(' data-cb-content="')[0] + html.split(' data-cb-content="')[1].split('"', 1)[1] \
        if ' data-cb-content="' in html else html


def test_the_server_rendered_first_layer_is_in_the_page_before_any_script_and_taken_over_still(browser, portal):
    sent = urllib.request.urlopen(portal + "/").read().decode("utf-8")
    assert sent.index('id="cb-banner"') < sent.index("consent.js")
    emulate(browser, reduced_motion=False)
    try:
        first = first_banner(browser, portal + "/")
        animations = browser.js("return window.__animations;")
        assert browser.js("return matchMedia('(prefers-reduced-motion: no-preference)').matches;"), \
            "motion is not allowed: the check proves nothing"
    finally:
        emulate(browser, reduced_motion=True)
    assert first["prerendered"] and not first["loaderRan"] and not first["pythonStarted"]
    live = browser.banner()
    assert live.get_attribute("data-cb-prerendered") is None and len(browser.find_all("#cb-banner")) == 1
    assert stripped(browser.js("return arguments[0].outerHTML;", live)) == stripped(first["html"])
    # painted with the page, it makes no entrance, and the live one none either
    assert [a for a in animations if a.startswith("cb-slide-in ")] == []


def test_a_click_on_the_server_rendered_layer_before_python_is_replayed(browser, portal):
    first_banner(browser, portal + "/", click="reject_all")
    assert browser.js("return window.__clickedEarly;")
    browser.wait_no_banner()
    from banner.cookies import decode_consent
    stored = decode_consent(browser.cookie("cookies_preferences")["value"])
    assert stored is not None and stored.accepted == ()
    assert browser.events()[-1] == ["necessary"]


def test_a_click_on_a_server_layer_showing_other_content_decides_nothing(browser, site):
    """A layer rendered from another manifest content than the page's live one (say, a server not yet
    restarted after an edit): clicks on it are never consent for what the live banner shows."""
    from banner.django.markup import to_html
    from banner.fingerprint import layer_key
    from banner.manifest import parse_manifest
    from banner.prerender import layer_tree
    other = demo_manifest()
    other["categories"][1]["description"] = {"fr": "Une autre finalité", "en": "Another purpose"}
    config = {"manifest": "/cookies.json", "languages": ["fr", "en"], "language": "fr"}
    manifest = parse_manifest(other, ["fr", "en"])
    layer = to_html(layer_tree(config, manifest, "fr"),
                    {"data-cb-prerendered": "", "data-cb-content": layer_key(manifest)})
    page = render_page(config).decode("utf-8").replace("<body>", "<body>" + layer, 1)
    url = site.route("/t/django-other-content.html", "text/html; charset=utf-8", page.encode("utf-8"))
    first_banner(browser, url, click="accept_all")
    assert browser.js("return window.__clickedEarly;")
    banner = browser.wait_banner()
    assert banner.get_attribute("data-cb-prerendered") is None         # the live one asks
    assert browser.cookie("cookies_preferences") is None
    assert any("another manifest content" in e["message"] for e in browser.console())


def test_a_consented_script_runs_at_parse_before_the_runtime_once_and_withdrawal_reloads(browser, portal):
    browser.set_cookie("cookies_preferences", consent_value(["analytics"]), url=portal + "/")
    browser.set_cookie("django_language", "fr", url=portal + "/")
    hook = """Object.defineProperty(window, "demoAnalytics", {configurable: true,
        set: function (v) { window.__analyticsRan = (window.__analyticsRan || 0) + 1;
                            window.__when = [document.readyState, !!(window.__consentBoot && window.__consentBoot.ready)];
                            window.__analytics = v; },
        get: function () { return window.__analytics; }});"""
    with document_script(browser, hook):
        browser.open(portal + "/")
        # while the document was being parsed, before the banner's Python had started
        assert browser.js("return [window.__analyticsRan, window.__when];") == [1, ["loading", False]]
        assert browser.document_cookies()["demo_analytics_visits"] == "1"        # not run a second time
        assert browser.find("#analytics-status").get_attribute("class") == "badge badge--on"
        assert browser.banner() is None
        browser.find("footer [data-consent-open]").click()
        browser.navigating(lambda: browser.click_dialog("Tout refuser"))   # it ran: only a reload stops it
        assert browser.js("return window.__analyticsRan || 0;") == 0
        assert [n for n in browser.document_cookies() if n.startswith("demo_analytics")] == []
        assert browser.find("script[data-consent=analytics]").get_attribute("type") == "text/plain"


def test_the_server_refreshes_the_cookie_with_its_remaining_lifetime(browser, portal):
    decided = int(time.time()) - 10 * DAY
    value = consent_value([], decided_at=decided * 1000)
    browser.set_cookie("cookies_preferences", value, url=portal + "/", expires=time.time() + 3600)  # as ITP leaves it
    browser.open(portal + "/")
    cookie = browser.cookie("cookies_preferences")
    assert cookie["value"] == value and not cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert abs(cookie["expires"] - (decided + LIFETIME)) < 10
    marker = browser.cookie("cookies_preferences_refreshed")
    assert marker["httpOnly"] and abs(marker["expires"] - (time.time() + DAY)) < 60


def test_the_banners_language_choice_reaches_locale_middleware(browser, portal):
    browser.set_cookie("django_language", "fr", url=portal + "/")     # over the browser's Accept-Language
    browser.open(portal + "/")
    assert browser.js("return document.documentElement.lang;") == "fr"
    english = browser.button(browser.wait_banner(), "English")
    browser.navigating(english.click)
    assert browser.cookie("django_language")["value"] == "en"
    assert browser.js("return document.documentElement.lang;") == "en"
    assert browser.find("h1").text == "Open data portal"
    assert browser.find("#cb-banner .cb-title").text == "This portal uses cookies"
