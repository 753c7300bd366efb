"""`consent-banner audit` in Debian's Chromium on pages that try its judgement at the edges: a banner present
but invisible (transparent, off screen, clipped away, shrunk to a dot), a page the audit reads and skips whose server sets a cookie, a
cookie Chromium refuses, and start URLs that are no page at all (an error, a JSON or CSS file).

One audit of 6 pages shared by the module's tests (about 30 s on 2 cores).
"""

import json
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from banner.audit import AuditError, audit

from browser_kit import demo_manifest, render_page
from demo.server import make_handler

CONFIG = {"manifest": "/t/cookies.json", "languages": ["fr", "en"]}
LINKS = "".join("<a href='%s'>%s</a> " % (path, path) for path in ("/not-ours/", "/feed/", "/transparent/",
                                                                        "/off-screen/", "/clipped/", "/clip-path/",
                                                                        "/dot/"))
# a rounded clip that leaves the whole banner in sight: still shown
ROUNDED = "<style>#cb-banner { clip-path: inset(0 round 12px) }</style>"
HTML = "text/html; charset=utf-8"
ROUTES = {
    "/": (HTML, render_page(CONFIG, body=LINKS, probes=False, head=ROUNDED)),
    # present and laid out, but nobody sees it: its parent transparent, or below the bottom of the screen
    "/transparent/": (HTML, render_page(CONFIG, probes=False, head="<style>body { opacity: 0 }</style>")),
    "/off-screen/": (HTML, render_page(CONFIG, probes=False,
                                       head="<style>#cb-banner { transform: translateY(100vh) }</style>")),
    # clipped to nothing (the old `clip` a screen-reader-only text uses, or `clip-path`), or a 1 px box
    "/clipped/": (HTML, render_page(CONFIG, probes=False, head="<style>#cb-banner { clip: rect(0 0 0 0) }</style>")),
    "/clip-path/": (HTML, render_page(CONFIG, probes=False, head="<style>#cb-banner { clip-path: inset(50%) }</style>")),
    "/dot/": (HTML, render_page(CONFIG, probes=False, head="<style>#cb-banner { width: 1px; height: 1px; "
                                                           "overflow: hidden; white-space: nowrap }</style>")),
    "/not-ours/": (HTML, b"<!doctype html><html lang='fr'><title>Autre</title><p>Pas de banni\xc3\xa8re.</p></html>"),
    "/t/cookies.json": ("application/json", json.dumps(demo_manifest()).encode("utf-8")),
    "/data.json": ("application/json", b'{"not": "a page"}'),
    "/feed/": ("application/json", b'{"not": "a page"}'),
    "/style.css": ("text/css", b"body { color: black }"),
}
SET_COOKIE = {
    "/not-ours/": ["fx_probed=1; Path=/; Max-Age=600"],           # read by the audit, never rendered: not stored
    "/": ["fx_insecure=1; SameSite=None; Path=/"],                # refused by Chromium: SameSite=None needs Secure
}


class Portal:
    """The pages above on a free port of 127.0.0.1, with their Set-Cookie headers."""

    def __init__(self):
        base = make_handler(["fr", "en"], routes=ROUTES)

        class Handler(base):
            def end_headers(self):
                for line in SET_COOKIE.get(urlsplit(self.path).path, ()):
                    self.send_header("Set-Cookie", line)
                base.end_headers(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def portal(servers):
    running = Portal()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def audited(portal):
    return audit(portal.url, pages=6)


def test_a_banner_nobody_can_see_is_not_shown(audited, portal):
    assert audited["pages"] == [portal.url + path for path in ("", "transparent/", "off-screen/", "clipped/",
                                                                 "clip-path/", "dot/")]
    hidden = [f for f in audited["findings"] if f["kind"] == "banner_not_shown"]
    assert sorted(p for f in hidden for p in f["pages"]) == [portal.url + path for path in (
        "clip-path/", "clipped/", "dot/", "off-screen/", "transparent/")]


def test_a_page_the_audit_only_read_leaves_no_cookie_in_the_report(audited, portal):
    assert audited["skipped"][0] == {"url": portal.url + "not-ours/", "reason": "no consent-banner loader on this page"}
    names = {c["name"] for state in audited["states"] for c in state["cookies"]}
    assert "fx_probed" not in names and "fx_insecure" not in names
    assert [f["kind"] for f in audited["findings"]] == ["banner_not_shown"] * 5


def test_a_page_skipped_for_not_being_html_says_what_it_is(audited, portal):
    assert audited["skipped"][1:] == [{"url": portal.url + "feed/", "reason": "not an HTML page (application/json)"}]


@pytest.mark.parametrize("path, reason", [
    ("missing/", "HTTP 404"),
    ("data.json", "not an HTML page (application/json)"),
    ("style.css", "not an HTML page (text/css)"),
])
def test_a_start_url_that_is_no_page_is_refused_saying_what_it_is(portal, path, reason):
    with pytest.raises(AuditError) as refused:
        audit(portal.url + path)
    assert str(refused.value) == "cannot audit %s%s: %s" % (portal.url, path, reason)


def test_an_html_page_without_our_loader_is_out_of_the_audit_s_scope(portal):
    with pytest.raises(AuditError) as refused:
        audit(portal.url + "not-ours/")
    assert str(refused.value) == (
        "%snot-ours/ has no consent-banner loader (window.__consentBoot is absent). The audit knows only this banner: "
        "it acts through its buttons and API. A page with another banner is out of its scope." % portal.url)
