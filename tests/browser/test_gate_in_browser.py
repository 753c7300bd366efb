"""The hostile corpus (tests/fixtures/hostile_fragments.json: comments, end tags and CDATA read
differently by html.parser and browsers, mXSS shapes, every element and attribute that fetches) through
{% consent_block %} on the demo Django portal, in a Chromium of its own whose every host name resolves to
one of two local servers: `declared.example` (a host the analytics category declares) to one, any other
to the other. What that Chromium contacts is what the page made it contact.

- Refused (a new visitor): nothing in any block is fetched (neither a third party nor the portal itself)
  and nothing runs.
- Accepted (a per-visitor page of a visitor who accepted): nothing undeclared is contacted.
"""

import json
import os
import socket
import threading
import time

import pytest

import engines
from browser_kit import Browser, ROOT, consent_value, demo_manifest
from django_site import serve

with open(os.path.join(ROOT, "tests", "fixtures", "hostile_fragments.json"), encoding="utf-8") as _handle:
    CORPUS = json.load(_handle)
CHUNK = 40
SLICES = [(start, min(start + CHUNK, len(CORPUS))) for start in range(0, len(CORPUS), CHUNK)]
# What the portal's own server serves a page of blocks besides the page: the banner's files and manifest.
OWN = ("/static/consent_banner/", "/consent/cookies.json")


def gate_manifest():
    """The manifest the portal runs with here (django_site, TEST_GATE): analytics declares declared.example."""
    manifest = demo_manifest()
    manifest["categories"][1]["providers"] = [{"name": "Demo Dashboards", "hosts": ["declared.example"]}]
    return manifest


# Chromium's own services (sign-in, component updates), which it contacts however it is started.
BROWSERS_OWN = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")


def host_of(data):
    """The host a connection asked for: an HTTP request's Host header, or a TLS ClientHello's server_name."""
    if data[:1] == b"\x16":
        at = data.find(b"\x00\x00", 43)          # the server_name extension's type, after the fixed fields
        while at >= 0:
            length = int.from_bytes(data[at + 7:at + 9], "big") if len(data) > at + 9 else 0
            name = data[at + 9:at + 9 + length]
            if length and all(32 < c < 127 for c in name):
                return name.decode("ascii").lower()
            at = data.find(b"\x00\x00", at + 1)
        return "(tls)"
    for line in data.split(b"\r\n")[1:]:
        if line.lower().startswith(b"host:"):
            return line[5:].strip().decode("latin-1").split(":")[0].lower()
    return "(%s)" % data[:40].decode("latin-1")


class Listener:
    """Counts the connections made to it (HTTP or TLS alike) and answers HTTP 404."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        self.contacts = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(connection,), daemon=True).start()

    def answer(self, connection):
        with connection:
            connection.settimeout(2)
            try:
                data = connection.recv(8192)
            except OSError:
                data = b""
            host = host_of(data)
            if not host.endswith(BROWSERS_OWN):
                self.contacts.append(host)
            try:
                connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass

    def stop(self):
        self.socket.close()


class GateSite:
    def __init__(self, directory):
        self.requests = os.path.join(str(directory), "requests.log")
        self.base, self.process, _ = serve(directory, DEMO_PER_VISITOR="1", TEST_GATE="1",
                                           TEST_REQUEST_LOG=self.requests)
        self.declared, self.undeclared = Listener(), Listener()
        rules = "MAP declared.example 127.0.0.1:%d, MAP * 127.0.0.1:%d, EXCLUDE 127.0.0.1" % (
            self.declared.port, self.undeclared.port)
        self.engine = engines.Chromium(["--host-resolver-rules=" + rules])
        self.browser = Browser(self.engine.driver, self, self.engine)
        self.origins = [self.base]
        self.multi = self

    def url(self, path="/"):
        return self.base + path

    def asked(self):
        with open(self.requests, encoding="utf-8") as handle:
            return [line.strip() for line in handle]

    def stop(self):
        self.engine.quit()
        self.process.terminate()
        self.process.wait(10)
        for listener in (self.declared, self.undeclared):
            listener.stop()


@pytest.fixture(scope="module")
def gate_site(tmp_path_factory):
    site = GateSite(tmp_path_factory.mktemp("gate"))
    yield site
    site.stop()


def visit(site, path, accepted):
    browser = site.browser
    browser.reset()
    if accepted:
        browser.set_cookie("cookies_preferences", consent_value(["analytics"], manifest=gate_manifest()),
                           url=site.url())
    seen = len(site.asked()), len(site.declared.contacts), len(site.undeclared.contacts)
    browser.open(site.url(path))
    time.sleep(1.0)                             # lazy loads, srcdoc documents, late handlers
    ran = browser.js("return window.__ran;")
    return (site.asked()[seen[0]:], site.declared.contacts[seen[1]:], site.undeclared.contacts[seen[2]:], ran)


@pytest.mark.parametrize("start, stop", SLICES, ids=["%d-%d" % s for s in SLICES])
def test_with_the_category_refused_nothing_in_any_block_is_fetched_or_runs(gate_site, start, stop):
    page = "/gate/%d/%d/" % (start, stop)
    asked, declared, undeclared, ran = visit(gate_site, page, accepted=False)
    assert [p for p in asked if p != page and not p.startswith(OWN)] == []
    assert declared == [] and undeclared == []
    assert ran == []
    assert len(gate_site.browser.find_all("main > template[data-consent=analytics]")) > 0


@pytest.mark.parametrize("start, stop", SLICES, ids=["%d-%d" % s for s in SLICES])
def test_with_the_category_accepted_nothing_undeclared_is_contacted(gate_site, start, stop):
    page = "/gate/%d/%d/" % (start, stop)
    asked, declared, undeclared, ran = visit(gate_site, page, accepted=True)
    assert undeclared == [], undeclared
    assert gate_site.browser.find_all("main > template[data-consent=analytics]") == []   # sent live or refused
