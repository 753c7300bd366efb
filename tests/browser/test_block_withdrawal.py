"""A `{% consent_block %}` holding a player the page cannot unload (an `<object>`, an `<embed>`, an iframe's
`srcdoc` document running the third party's script) is stopped by a refusal, whichever way it came in:

- per-visitor pages: the server sent the block live, since the visitor had accepted its category (in the
  page, or in a view a single-page portal fetched later); after a withdrawal in the centre the page
  reloads and the block comes back closed;
- pages the same for every visitor: the block came closed and « Autoriser une fois » on its placeholder
  opened it for this page view; « Tout refuser » on the first layer then reloads the page.

What is measured is what the third party receives: the demo Django portal (tests/browser/django_site.py,
TEST_GATE: the analytics category declares `declared.example`) in a Chromium of its own whose
`declared.example` is a local server playing the provider. Its player and its script report every 200 ms,
as a player's heartbeat or a tracker does; after the refusal, nothing more may reach it.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import engines
from browser_kit import Browser, consent_value, demo_manifest
from django_site import serve

PROVIDER = "declared.example"
PLAYER = (b"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>lecteur</title></head><body>"
          b"<script>setInterval(function () { new Image().src = '/beat?' + Date.now(); }, 200);</script>"
          b"</body></html>")
# Run in the srcdoc document, whose origin is the portal's: it reports to the provider by name.
BEAT = b"setInterval(function () { new Image().src = 'http://declared.example/beat?' + Date.now(); }, 200);"
QUIET = 1.5         # seconds without a request to the provider that say it was stopped


def block_manifest():
    """The manifest the portal runs with here (django_site, TEST_GATE): analytics declares declared.example."""
    manifest = demo_manifest()
    manifest["categories"][1]["providers"] = [{"name": "Demo Dashboards", "hosts": [PROVIDER]}]
    return manifest


class Provider:
    """The third party: its player and script, and every request it receives as (time, path)."""

    def __init__(self):
        provider = self
        self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?")[0]
                provider.requests.append((time.time(), path))
                body, ctype = {"/player.html": (PLAYER, "text/html; charset=utf-8"),
                               "/beat.js": (BEAT, "text/javascript")}.get(path, (b"", "image/gif"))
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def since(self, moment):
        return [path for at, path in self.requests if at > moment]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class BlockSite:
    """The demo Django portal (per visitor or not) and the provider, in a Chromium of its own."""

    def __init__(self, directory, **env):
        self.base, self.process, _ = serve(directory, TEST_GATE="1", **env)
        self.provider = Provider()
        self.engine = engines.Chromium(["--host-resolver-rules=MAP %s 127.0.0.1:%d" % (PROVIDER, self.provider.port)])
        self.browser = Browser(self.engine.driver, self, self.engine)
        self.origins = [self.base]
        self.multi = self

    def url(self, path="/"):
        return self.base + path

    def stop(self):
        self.engine.quit()
        self.process.terminate()
        self.process.wait(10)
        self.provider.stop()


@pytest.fixture(scope="module")
def per_visitor_blocks(tmp_path_factory):
    site = BlockSite(tmp_path_factory.mktemp("live-blocks"), DEMO_PER_VISITOR="1")
    yield site
    site.stop()


@pytest.fixture(scope="module")
def shared_blocks(tmp_path_factory):
    site = BlockSite(tmp_path_factory.mktemp("shared-blocks"))
    yield site
    site.stop()


def open_page(site, path, accepted=None):
    browser = site.browser
    browser.reset()
    browser.set_cookie("django_language", "fr", url=site.url())
    if accepted is not None:
        browser.set_cookie("cookies_preferences", consent_value(accepted, manifest=block_manifest()),
                           url=site.url())
    browser.open(site.url(path))
    return browser


def playing(site):
    """The provider hears from the player (it is running)."""
    started = time.time()
    site.browser.wait(lambda d: site.provider.since(started), "the provider's player is not running")


def after_refusal(site, refuse):
    """`refuse()`, then what the provider still receives once the page has had time to act on it (a
    reload included): the paths asked for during QUIET seconds."""
    browser = site.browser
    browser.js("window.__stale = true;")
    browser.engine.before_navigation()
    refuse()
    time.sleep(1.0)
    browser.wait_js("return document.readyState === 'complete';", "the page did not finish loading")
    if not browser.js("return !!window.__stale;"):
        browser.wait_ready()                        # reloaded: the new page has started
    quiet_from = time.time()
    time.sleep(QUIET)
    return site.provider.since(quiet_from)


@pytest.mark.parametrize("name", ["object", "embed", "srcdoc"])
def test_per_visitor_a_live_block_of_any_player_stops_on_withdrawal(per_visitor_blocks, name):
    site = per_visitor_blocks
    browser = open_page(site, "/t/block/%s/" % name, accepted=["analytics"])
    assert browser.find_all("main template[data-consent=analytics]") == []          # sent live
    playing(site)
    browser.find("footer [data-consent-open]").click()
    late = after_refusal(site, lambda: browser.click_dialog("Tout refuser"))
    assert late == [], "the provider still received %d requests after « Tout refuser »: %s" % (
        len(late), sorted(set(late)))
    assert len(browser.find_all("main template[data-consent=analytics]")) == 1      # closed again
    assert browser.js("return consentBanner.accepted('analytics');") is False


# A single-page portal's navigation (Turbo, htmx): the next view fetched from the server, put in place.
NEXT_VIEW = """return fetch(arguments[0]).then(function (answer) { return answer.text(); }).then(function (html) {
  var view = new DOMParser().parseFromString(html, "text/html").querySelector("main");
  document.querySelector("main").replaceWith(document.importNode(view, true));
});"""


def test_per_visitor_a_live_block_a_single_page_portal_brings_in_later_stops_on_withdrawal(per_visitor_blocks):
    site = per_visitor_blocks
    browser = open_page(site, "/t/block/text/", accepted=["analytics"])
    browser.js(NEXT_VIEW, site.url("/t/block/object/"))
    playing(site)
    browser.find("footer [data-consent-open]").click()
    late = after_refusal(site, lambda: browser.click_dialog("Tout refuser"))
    assert late == [], "the provider still received %d requests after « Tout refuser »: %s" % (
        len(late), sorted(set(late)))
    assert browser.find_all("main object") == []


def test_a_block_allowed_once_stops_with_the_first_layers_refusal(shared_blocks):
    site = shared_blocks
    browser = open_page(site, "/t/block/iframe-and-object/")
    browser.wait_banner()
    holder = browser.wait(lambda d: browser.find_all("[data-cb-placeholder]"), "no placeholder")[0]
    browser.js("arguments[0].scrollIntoView({block: 'center'});", holder)
    allowed = time.time()
    browser.button(holder, "Autoriser une fois").click()
    browser.wait(lambda d: "/player.html" in site.provider.since(allowed), "allow once loaded nothing")
    assert browser.find_all("main object") != []                                   # the whole block opened
    playing(site)
    late = after_refusal(site, lambda: browser.click_banner("Tout refuser"))
    assert late == [], "the provider still received %d requests after « Tout refuser »: %s" % (
        len(late), sorted(set(late)))
    assert browser.find_all("main object") == [] and browser.find_all("[data-cb-placeholder]") != []
