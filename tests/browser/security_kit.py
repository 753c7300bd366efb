"""Helpers of the security browser tests (tests/browser/test_security_*.py), issue 4.

- Assertions shared by the fail-closed cases: nothing optional ran or loaded, the portal's own script works.
- `Portal`: a second, private Chromium for what the session driver cannot do: host names that resolve to
  127.0.0.1 (`--host-resolver-rules`, so www.portal.test and data.portal.test share the parent domain
  portal.test) and https with a self-signed certificate made at test time by the `openssl` CLI
  (`--ignore-certificate-errors`). It serves the same pages over http and https from demo.server.
- `csp_handler`, `demo_page_with_nonce`, `CSP_RECORDER`: the demo portal served with a Content-Security-Policy
  header and nonces, and a recorder of `securitypolicyviolation` events.
"""

import json
import os
import shutil
import ssl
import subprocess
import threading
import time

import pytest

from browser_kit import EVENT_RECORDER, FRAME_HTML, demo_manifest, render_page
from demo.server import make_handler, make_server, render
from http.server import ThreadingHTTPServer

CONSENT = "cookies_preferences"
PORTAL_DOMAIN = "portal.test"
WWW = "www." + PORTAL_DOMAIN
DATA = "data." + PORTAL_DOMAIN


# -- assertions ------------------------------------------------------------------------------------------
def assert_nothing_optional(browser, settle=0.3):
    """The probes of browser_kit.OPTIONAL_PROBES stayed inert: no optional script ran, no iframe loaded."""
    time.sleep(settle)               # what a wrongly activated probe would need to run or load
    assert browser.js("return window.__optional || null;") is None, "an optional script ran"
    assert browser.js("return document.getElementById('probe-frame').getAttribute('src');") in (None, "about:blank")
    assert browser.js("return window.__frameLoads || 0;") == 0, "an optional iframe loaded"
    assert browser.js("return Array.prototype.every.call(document.querySelectorAll('script[data-consent]'),"
                      " function (s) { return s.type === 'text/plain'; });"), "a blocked script was revived"


def assert_page_still_works(browser):
    assert browser.js("return window.__pageScript;") == "ran", "the portal's own script did not run"
    browser.find("#page-button").click()
    assert browser.find("#page-count").text == "1", "the portal's own button does not work"


def optional_ran(browser):
    return browser.js("return window.__optional || [];")


# -- https certificate -----------------------------------------------------------------------------------
def self_signed_certificate(directory):
    """(cert path, key path) for *.portal.test and 127.0.0.1, made with the openssl CLI; skips the test
    when openssl is not installed."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed: cannot make a certificate for the https tests")
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=" + WWW, "-addext", "subjectAltName=DNS:*.%s,DNS:%s,IP:127.0.0.1" % (
                        PORTAL_DOMAIN, PORTAL_DOMAIN), "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key


# -- servers ---------------------------------------------------------------------------------------------
class Served:
    """One demo server (http, or https with `certificate`) on a free port of 127.0.0.1, with the live
    route table of its handler."""

    def __init__(self, routes, certificate=None, handler=None, languages=("fr",)):
        self.routes = routes
        if handler is None:
            self.server = make_server(0, languages, routes=routes)
        else:
            self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.scheme = "http"
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, host, path="/"):
        return "%s://%s:%d%s" % (self.scheme, host, self.port, path)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def base_routes():
    return {"/favicon.ico": ("image/x-icon", b""),
            "/t/frame.html": ("text/html; charset=utf-8", FRAME_HTML),
            "/t/cookies.json": ("application/json", json.dumps(demo_manifest()).encode("utf-8"))}


def add_page(routes, path, config, **kwargs):
    routes[path] = ("text/html; charset=utf-8", render_page(config, **kwargs))
    return path


def add_json(routes, path, data):
    routes[path] = ("application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return path


# -- a private Chromium for host names and https ---------------------------------------------------------
def browser_conftest(config):
    """tests/browser/conftest.py as pytest loaded it (the module name "conftest" is shared with
    tests/core/conftest.py, so it cannot simply be imported)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conftest.py")
    for plugin in config.pluginmanager.get_plugins():
        if os.path.abspath(getattr(plugin, "__file__", "") or "") == path:
            return plugin
    raise RuntimeError("tests/browser/conftest.py is not loaded")


def start_chromium(conftest, extra_flags=()):
    """A headless Chromium like the session's (conftest.driver), plus `extra_flags`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = conftest.CHROMIUM
    for flag in tuple(conftest.CHROMIUM_FLAGS) + tuple(extra_flags):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(conftest.CHROMEDRIVER), options=options)
    chrome.set_page_load_timeout(30)
    chrome.execute_cdp_cmd("Page.enable", {})
    chrome.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": EVENT_RECORDER})
    chrome.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    return chrome


PORTAL_FLAGS = ("--host-resolver-rules=MAP *.%s 127.0.0.1" % PORTAL_DOMAIN, "--ignore-certificate-errors",
                # never let Chromium try https first for an http:// URL (HTTPS-Upgrades)
                "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable")


class Portal:
    """www.portal.test and data.portal.test over http, and over https, on one private Chromium.
    `browser` is a conftest.Browser on that Chromium (same waits and cookie helpers)."""

    def __init__(self, conftest, tmpdir):
        self.routes = base_routes()
        self.http = Served(self.routes)
        self.https = Served(self.routes, certificate=self_signed_certificate(tmpdir))
        self.origins = [server.url(host, "") for server in (self.http, self.https) for host in (WWW, DATA)]
        self.multi = self          # what Browser.set_cookie's default url asks for
        self.driver = start_chromium(conftest, PORTAL_FLAGS)
        self.browser = conftest.Browser(self.driver, self)

    def url(self, path="/", host=WWW, https=False):
        return (self.https if https else self.http).url(host, path)

    def page(self, path, config, **kwargs):
        return add_page(self.routes, path, config, **kwargs)

    def stop(self):
        self.driver.quit()
        self.http.stop()
        self.https.stop()


# -- Content Security Policy -----------------------------------------------------------------------------
NONCE = "c2VjdXJpdHktdGVzdHMtbm9uY2U"
CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval' 'nonce-%s'; style-src 'self'; img-src 'self'; "
       "frame-src 'self'; connect-src 'self'" % NONCE)

# Installed before any page script (CDP): every violation of this document, kept across reloads.
CSP_RECORDER = """
(function () {
  function record(e) {
    var list = JSON.parse(sessionStorage.getItem("__csp") || "[]");
    list.push({directive: e.effectiveDirective || e.violatedDirective, blocked: String(e.blockedURI),
               sample: e.sample || "", url: location.pathname, line: e.lineNumber});
    sessionStorage.setItem("__csp", JSON.stringify(list));
  }
  window.addEventListener("securitypolicyviolation", record, true);
})();
"""


def with_nonce(page_html):
    """A demo page's HTML with the nonce on the loader and on every blocked script, as a portal under
    a nonce-based CSP would write it."""
    loader = '<script src="/static/dist/consent.js"'
    return (page_html.replace(loader, loader.replace("<script", '<script nonce="%s"' % NONCE))
            .replace('<script type="text/plain"', '<script nonce="%s" type="text/plain"' % NONCE))


# The embedded dashboard stands for a third-party service: its own server, its own policy (none here).
THIRD_PARTY = ("/embed.html", "/t/frame.html")


def csp_handler(languages, routes):
    """demo.server's handler, sending CSP with every response of the portal itself."""
    base = make_handler(list(languages), routes=routes)

    class Handler(base):
        def end_headers(self):
            if self.path.split("?")[0] not in THIRD_PARTY:
                self.send_header("Content-Security-Policy", CSP)
            base.end_headers(self)

    return Handler


def demo_page_with_nonce(path, lang="fr"):
    """The demo page `path` (rendered by demo.server with demo/site/config.json) with nonces added."""
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           "demo", "site", "config.json"), encoding="utf-8") as handle:
        config = dict(json.load(handle), languages=["fr", "en"])
    return with_nonce(render(path, lang, config)).encode("utf-8")
