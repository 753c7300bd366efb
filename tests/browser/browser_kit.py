"""The helper kit of the browser suite, importable by test modules and conftest.py alike (a11y_kit.py
adds the accessibility measurements):

- test pages and their probes, the demo manifest and variants, cookies_preferences values made and read
  by the product's own CPython code, the built-in strings;
- what every page records (EVENT_RECORDER, PAGE_RECORDER) and the assertions built on it
  (assert_nothing_optional, assert_page_still_works);
- the security set-ups: a private Chromium on real host names and https (Portal), CSP;
- `Browser`: a driver of any engine (engines.py) with the waits, cookie and console helpers tests share.
"""

import contextlib
import copy
import html
import json
import os
import shutil
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)         # the banner package, decoded in CPython as a server would

from demo.server import make_handler, make_server, render  # noqa: E402
DAY = 24 * 3600
TIMEOUT = 15                      # seconds; a cold Brython start on a loaded 2-core machine is ~1-2 s

with open(os.path.join(ROOT, "demo", "site", "cookies.json"), encoding="utf-8") as _handle:
    _DEMO_MANIFEST = json.load(_handle)

# Recorded in every document before any page script runs (Chromium: Page.addScriptToEvaluateOnNewDocument;
# Firefox: a BiDi preload script; WebKit, which has neither: PAGE_RECORDER, injected by the test servers).
# Each `consent:change` event (its `detail.accepted`) goes to window.__events, each CSS animation that
# starts to window.__animations ("name #id"). Running it twice in one document changes nothing.
EVENT_RECORDER = """
(function () {
  if (window.__events) { return; }
  window.__events = [];
  window.__animations = [];
  document.addEventListener("consent:change", function (event) {
    var accepted = event.detail && event.detail.accepted;
    window.__events.push(accepted ? Array.prototype.slice.call(accepted) : null);
  });
  document.addEventListener("animationstart", function (event) {
    window.__animations.push(event.animationName + " #" + (event.target.id || event.target.tagName));
  }, true);
})();
"""

# For WebKit, which has no log API: console errors and warnings, uncaught exceptions and unhandled
# rejections kept in sessionStorage["__console"] (engines.WebKit reads and clears it; reloads keep it).
CONSOLE_RECORDER = """
(function () {
  if (window.__consoleRecorder) { return; }
  window.__consoleRecorder = true;
  function keep(level, message) {
    try {
      var list = JSON.parse(sessionStorage.getItem("__console") || "[]");
      list.push({level: level, message: String(message)});
      sessionStorage.setItem("__console", JSON.stringify(list));
    } catch (e) { /* storage unavailable: nothing to keep it in */ }
  }
  ["error", "warn"].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      keep(level, Array.prototype.map.call(arguments, String).join(" "));
      return original.apply(console, arguments);
    };
  });
  window.addEventListener("error", function (event) {
    if (event instanceof ErrorEvent) { keep("error", "uncaught " + (event.message || event.error)); }
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    keep("error", "unhandled rejection " + (event.reason && event.reason.message || event.reason));
  });
})();
"""
PAGE_RECORDER = "<script>%s%s</script>" % (EVENT_RECORDER, CONSOLE_RECORDER)


def with_recorder(body):
    """An HTML page (bytes) with PAGE_RECORDER as the first thing in its <head>."""
    at = body.lower().find(b"<head>")
    if at < 0:
        return body
    at += len(b"<head>")
    return body[:at] + PAGE_RECORDER.encode("utf-8") + body[at:]


def recording(handler):
    """A subclass of a demo.server handler class that puts PAGE_RECORDER at the top of every HTML page it
    sends (WebKitWebDriver cannot add a script to every document, so the page itself carries it)."""
    class Recording(handler):
        def send_body(self, ctype, body):
            handler.send_body(self, ctype, with_recorder(body) if ctype.startswith("text/html") else body)
    return Recording


HIT_PREFIX = "/t/hit/"      # a request under it (a tool's hit, beacon or script) is recorded and answered 204


def hit_recording(handler, hits):
    """A handler class that records every GET or POST under HIT_PREFIX in `hits` (method, path, query, body,
    time) and answers it with an empty 204: the collection servers of the analytics tools under test."""
    class Recording(handler):
        def _hit(self):
            parts = urlsplit(self.path)
            if not parts.path.startswith(HIT_PREFIX):
                return False
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            hits.append({"method": self.command, "path": parts.path, "query": parts.query, "body": body,
                         "time": time.time()})
            self.send_response(204)
            self.end_headers()
            return True

        def do_GET(self):
            if not self._hit():
                handler.do_GET(self)

        def do_POST(self):
            if not self._hit():
                handler.do_POST(self)
    return Recording


# What every generated test page carries unless told otherwise: a blocked analytics script and iframe
# (probes: they must stay inert without consent) and a page script of the portal's own (must keep working).
OPTIONAL_PROBES = """
<script type="text/plain" data-consent="analytics">window.__optional = (window.__optional || []).concat("analytics");</script>
<iframe id="probe-frame" title="probe" data-consent="analytics" data-src="/t/frame.html"></iframe>
"""
PAGE_SCRIPT = """
<p><button type="button" id="page-button">Compter</button> <output id="page-count">0</output></p>
<script>
  window.__pageScript = "ran";
  document.getElementById("page-button").addEventListener("click", function () {
    var out = document.getElementById("page-count"); out.textContent = String(Number(out.textContent) + 1);
  });
</script>
"""
FRAME_HTML = (b"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>frame</title></head>"
              b"<body><p id='frame-body'>contenu tiers</p><script>try { parent.__frameLoads = "
              b"(parent.__frameLoads || 0) + 1; } catch (e) {}</script></body></html>")


# What running optional content leaves in a page. The causes (a blocked script made live, a blocked iframe
# given its src) are set synchronously, at start-up or on a decision, so once the page has settled there
# is nothing to wait for; the effects are read as well: the test pages' probes (OPTIONAL_PROBES) and the
# demo's analytics tag (its badge, its cookies).
OPTIONAL_TRACES = """
var traces = [];
document.querySelectorAll("script[data-consent]").forEach(function (s) {
  if (s.type !== "text/plain") { traces.push("a blocked " + s.getAttribute("data-consent") + " script was made live"); }
});
document.querySelectorAll("iframe[data-consent]").forEach(function (f) {
  var src = f.getAttribute("src");
  if (src !== null && src !== "about:blank") { traces.push("a blocked iframe got its src " + src); }
});
if (window.__optional) { traces.push("an optional script ran: " + window.__optional); }
if (window.__frameLoads) { traces.push("an optional iframe loaded"); }
if (window.demoAnalytics) { traces.push("the demo's analytics tag ran"); }
var badge = document.getElementById("analytics-status");
if (badge && badge.classList.contains("badge--on")) { traces.push("the analytics badge is on"); }
var cookies = "";
try { cookies = document.cookie; } catch (e) { /* a page whose document.cookie throws has none to show */ }
if (/(^|; )demo_analytics(_visits)?=/.test(cookies)) { traces.push("the analytics cookies are set"); }
return traces;"""


def assert_nothing_optional(browser):
    """Nothing optional ran or loaded in the current page (read once the page has settled)."""
    traces = browser.js(OPTIONAL_TRACES)
    assert traces == [], "; ".join(traces)


def assert_failed_closed(browser, naming):
    """The loader gave up: once it has settled, exactly one console error, naming `naming`; nothing optional
    ran and none is accepted for the page's own code; the portal page still works."""
    browser.wait_loader_settled()
    errors = browser.banner_errors()
    assert len(errors) == 1 and naming in errors[0], errors
    assert_nothing_optional(browser)
    assert_page_still_works(browser)
    assert browser.js("return window.consentBanner.accepted('analytics');") is False


def assert_page_still_works(browser, clicks=1):
    """The portal's own script (PAGE_SCRIPT) ran, and its button works (`clicks` is the count expected
    after this click)."""
    assert browser.js("return window.__pageScript;") == "ran", "the portal's own script did not run"
    browser.find("#page-button").click()
    assert browser.find("#page-count").text == str(clicks), "the portal's own button does not work"


def wait_analytics_active(browser):
    """The demo's analytics tag ran (its badge says so)."""
    browser.wait(lambda d: browser.find("#analytics-status").text.startswith("active"),
                 "the accepted analytics script did not run")


def optional_ran(browser):
    """The optional probes that ran, in order (OPTIONAL_PROBES and pages of the same kind)."""
    return browser.js("return window.__optional || [];")


def demo_manifest(**changes):
    """A deep copy of demo/site/cookies.json with top-level keys replaced."""
    manifest = copy.deepcopy(_DEMO_MANIFEST)
    manifest.pop("$schema", None)
    manifest.update(changes)
    return manifest


def render_page(config, body="", title="Page de test", lang="fr", loader="/static/dist/consent.js",
                probes=True, head=""):
    """A test page: the loader with `config` (a dict, or a raw string for broken JSON), an optional
    body, the probes, the portal's own script and a footer link [data-consent-open]."""
    raw = config if isinstance(config, str) else json.dumps(config, ensure_ascii=False)
    return ("""<!doctype html>
<html lang="%(lang)s"><head><meta charset="utf-8"><title>%(title)s</title>
<script src="%(loader)s" defer data-config="%(config)s"></script>%(head)s
</head><body>
<main id="main"><h1>%(title)s</h1>
%(body)s
%(probes)s
%(page_script)s
</main>
<footer><ul><li><a href="#" id="manage" data-consent-open>Gestion des cookies</a></li></ul></footer>
</body></html>""" % {"lang": lang, "title": html.escape(title), "loader": loader, "head": head,
                     "config": html.escape(raw, quote=True), "body": body,
                     "probes": OPTIONAL_PROBES if probes else "", "page_script": PAGE_SCRIPT}).encode("utf-8")



def consent_value(accepted=(), revision=1, decided_at=None, consent_id="k2m9x0c4a7q1v8z3", version=None,
                  manifest=None):
    """A cookies_preferences value made by the product's own CPython encoder (the module the page runs),
    for `accepted` optional categories of the demo manifest (or `manifest`) at `revision`."""
    from banner.consent import decide
    from banner.cookies import encode_consent
    from banner.manifest import parse_manifest
    parsed = parse_manifest(manifest or demo_manifest(revision=revision), ["fr", "en"])
    if decided_at is None:
        decided_at = int(time.time() * 1000) - 60000
    consent = decide(parsed, "custom", decided_at, consent_id, list(accepted))
    if version is not None:
        consent.version = version
    return encode_consent(consent)


def decode_consent(value):
    """The product's CPython decoder (what a server uses): a Consent, or None."""
    from banner.cookies import decode_consent as decode
    return decode(value)


def format_version():
    from banner.consent import FORMAT_VERSION
    return FORMAT_VERSION


# -- features: manifests, strings, page probes, the consent log -------------------------------------------
GPC_ON = """
Object.defineProperty(Navigator.prototype, "globalPrivacyControl", {get: function () { return true; },
                                                                    configurable: true});
"""

# Records whether a banner (the loader's ahead-of-time one or the live one) was ever in the document.
BANNER_WATCH = """
window.__bannerSeen = false;
new MutationObserver(function () {
  if (document.querySelector("#cb-banner, [data-cb-prerendered]")) { window.__bannerSeen = true; }
}).observe(document, {childList: true, subtree: true});
"""

# The demo's gtag stub sets window.__gtagStubRan: snapshot dataLayer at that moment.
STUB_WATCH = """
Object.defineProperty(window, "__gtagStubRan", {configurable: true, set: function (value) {
  window.__stubSawDataLayer = Array.from(window.dataLayer || [], function (e) { return Array.from(e); });
}, get: function () { return !!window.__stubSawDataLayer; }});
"""

READ_DATA_LAYER = """
return Array.from(window.dataLayer || [], function (entry) {
  return (entry && typeof entry === "object" && "length" in entry) ? Array.from(entry) : entry;
});"""

GOOGLE_MAPPING = {"analytics": ["analytics_storage"], "ads": ["ad_storage", "ad_user_data", "ad_personalization"]}
GOOGLE_TYPES = ("ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
                "functionality_storage", "personalization_storage", "security_storage")


@contextlib.contextmanager
def document_script(browser, source):
    """Run `source` in every new document (before the page's own scripts) while the block lasts
    (Chromium and Firefox)."""
    remove = browser.document_script(source)
    try:
        yield
    finally:
        remove()


def strings(code):
    """The built-in interface strings of a language, as the page has them."""
    from banner.lang import all_tables
    return all_tables()[code]


def _flatten(value, language):
    if isinstance(value, dict) and language in value and all(isinstance(v, str) for v in value.values()):
        return value[language]
    if isinstance(value, dict):
        return {k: _flatten(v, language) for k, v in value.items()}
    if isinstance(value, list):
        return [_flatten(v, language) for v in value]
    return value


def single_text_manifest(language="en", **changes):
    """The demo manifest with every text a plain string (valid whatever the configured languages)."""
    return _flatten(demo_manifest(**changes), language)


VIDEO_CATEGORY = {"id": "video", "title": {"fr": "Vidéos", "en": "Videos"},
                  "description": {"fr": "Lecteurs vidéo intégrés.", "en": "Embedded video players."},
                  "providers": [{"name": "Vidéos Démo", "policyUrl": "/pages/cookies/"}]}
VIDEO_COOKIE = {"provider": "Vidéos Démo", "name": "demo_video", "category": "video",
                "lifetime": {"fr": "6 mois", "en": "6 months"},
                "purpose": {"fr": "Mémorise le volume du lecteur.", "en": "Remembers the player volume."}}


def two_category_manifest():
    """The demo manifest with a second optional category, "video" (after analytics)."""
    manifest = demo_manifest()
    manifest["categories"].append(copy.deepcopy(VIDEO_CATEGORY))
    manifest["cookies"].append(copy.deepcopy(VIDEO_COOKIE))
    return manifest


def resources(browser):
    """Paths of every resource the page requested so far (Resource Timing)."""
    return browser.js("return performance.getEntriesByType('resource').map(function (e) {"
                      " return new URL(e.name).pathname; });")


def log_rows(path):
    """The consent log as stored by the reference receiver: a list of dicts, oldest first."""
    db = sqlite3.connect(path)
    try:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM consent_log ORDER BY id")]
    finally:
        db.close()


class LoggingSite:
    """A demo portal on 127.0.0.1 whose /consent-log/ receiver (banner/server/receiver.py) stores into its own
    SQLite file, `path`, for tests that read the records. `wrap` may subclass the demo's handler."""

    def __init__(self, path, languages=("fr", "en"), routes=None, wrap=None):
        self.path = path
        self.routes = {"/favicon.ico": ("image/x-icon", b"")}
        self.routes.update(routes or {})
        handler = recording(make_handler(list(languages), routes=self.routes, log_path=path))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), wrap(handler) if wrap else handler)
        self.base = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path="/"):
        return self.base + path

    def rows(self, count=0, timeout=15):
        """The records stored so far, once there are `count` of them (or `timeout` seconds have passed)."""
        deadline = time.time() + timeout
        while True:
            rows = log_rows(self.path)
            if len(rows) >= count or time.time() > deadline:
                return rows
            time.sleep(0.05)

    def clear(self):
        with sqlite3.connect(self.path) as db:
            db.execute("DELETE FROM consent_log")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def routes_added(site, added):
    """`added` ({path: (content type, body)}) served by `site` for the duration, then taken away."""
    site.routes.update(added)
    try:
        yield site
    finally:
        for path in added:
            site.routes.pop(path, None)


def serving(site, servers):
    """For a module fixture (`yield from serving(site, servers)`): the site is reset between tests like the
    suite's own portals, and stopped at the end."""
    servers.origins.append(site.base)
    try:
        yield site
    finally:
        servers.origins.remove(site.base)
        site.stop()


def log_columns(path):
    db = sqlite3.connect(path)
    try:
        return [row[1] for row in db.execute("PRAGMA table_info(consent_log)")]
    finally:
        db.close()


# -- security: real host names, https, Content Security Policy -----------------------------------------------
CONSENT = "cookies_preferences"
PORTAL_DOMAIN = "portal.test"
WWW = "www." + PORTAL_DOMAIN
DATA = "data." + PORTAL_DOMAIN


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
PORTAL_FLAGS = ("--host-resolver-rules=MAP *.%s 127.0.0.1" % PORTAL_DOMAIN, "--ignore-certificate-errors",
                # never let Chromium try https first for an http:// URL (HTTPS-Upgrades)
                "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable")


class Portal:
    """www.portal.test and data.portal.test over http, and over https, on one private Chromium.
    `browser` is a Browser on that Chromium (same waits and cookie helpers)."""

    def __init__(self, tmpdir):
        self.routes = base_routes()
        self.http = Served(self.routes)
        self.https = Served(self.routes, certificate=self_signed_certificate(tmpdir))
        self.origins = [server.url(host, "") for server in (self.http, self.https) for host in (WWW, DATA)]
        self.multi = self          # what Browser.set_cookie's default url asks for
        import engines
        self.engine = engines.Chromium(PORTAL_FLAGS)
        self.driver = self.engine.driver
        self.browser = Browser(self.driver, self, self.engine)

    def url(self, path="/", host=WWW, https=False):
        return (self.https if https else self.http).url(host, path)

    def page(self, path, config, **kwargs):
        return add_page(self.routes, path, config, **kwargs)

    def stop(self):
        self.engine.quit()
        self.http.stop()
        self.https.stop()


# -- Content Security Policy -----------------------------------------------------------------------------
NONCE = "c2VjdXJpdHktdGVzdHMtbm9uY2U"
CSP = ("default-src 'self'; script-src 'self' 'nonce-%s'; style-src 'self'; img-src 'self'; "
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
    with open(os.path.join(ROOT, "demo", "site", "config.json"), encoding="utf-8") as handle:
        config = dict(json.load(handle), languages=["fr", "en"])
    return with_nonce(render(path, lang, config)).encode("utf-8")


class Browser:
    """A browser engine's driver plus the waits and inspections the tests share."""

    def __init__(self, driver, servers, engine=None):
        self.driver = driver
        self.servers = servers
        if engine is None:                        # a Chromium started elsewhere (security tests)
            import engines
            engine = engines.Chromium.__new__(engines.Chromium)
            engine.driver = driver
        self.engine = engine
        self.kind = self.engine.name           # "chromium", "firefox" or "webkit"
        self.logs = []
        self.read = set()                         # indexes in self.logs of entries a test has read

    # -- state between tests ---------------------------------------------------------------------------
    def reset(self):
        self.engine.reset(self.servers.origins, self.servers.multi.url("/t/blank.html"))
        self.logs = []
        self.read = set()

    # -- navigation and waits --------------------------------------------------------------------------
    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, condition, message="", timeout=TIMEOUT):
        """Wait until condition(driver) is truthy (script errors during a navigation are retried)."""
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05,
                             ignored_exceptions=(WebDriverException,)).until(condition, message)

    def wait_js(self, script, message="", timeout=TIMEOUT):
        return self.wait(lambda d: d.execute_script(script), message or script, timeout)

    def wait_ready(self):
        """The banner has started (or failed closed): API present, start-up done, first event fired."""
        self.wait_js("return !!(window.consentBanner && window.__consentBoot && window.__consentBoot.ready"
                     " && window.__events && window.__events.length)", "the banner did not finish starting")

    def wait_loader_settled(self):
        """For pages where the Python side never starts: the loader gave up (ready without an API)."""
        self.wait_js("return !!(window.__consentBoot && window.__consentBoot.ready)", "the loader never settled")

    def settled(self):
        """Wait for the banner's own signal that it has treated what the page holds and has nothing in
        flight (consentBanner.settled()): what has not happened by then does not happen."""
        self.js("window.__settled = false;"
                "window.consentBanner.settled().then(function () { window.__settled = true; });")
        self.wait_js("return window.__settled === true;", "the banner never settled")

    def wait_still(self):
        """Nothing in the page is moving: a person clicks a button once it has stopped sliding in (its
        box while it moves is not where it will be)."""
        self.wait_js("return document.getAnimations().every(function (a) { return a.playState !== 'running'; });",
                     "the page never stopped moving")

    def open(self, url, ready=True):
        self.engine.before_navigation()
        self.driver.get(url)
        if ready:
            self.wait_ready()
            self.wait_still()

    def navigating(self, action, ready=True):
        """Run `action` (which makes the page reload or navigate) and wait for the new page."""
        self.js("window.__stale = true;")
        self.engine.before_navigation()
        action()
        # (Firefox may show the new browsing context's initial about:blank, complete and fresh, first)
        self.wait_js("return !window.__stale && document.readyState === 'complete' && location.href !== 'about:blank'",
                     "the page did not reload")
        if ready:
            self.wait_ready()

    def reload(self, ready=True):
        self.navigating(self.driver.refresh, ready)

    # -- page content ----------------------------------------------------------------------------------
    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def banner(self):
        """The first-layer banner element, or None."""
        found = self.find_all("#cb-banner")
        return found[0] if found else None

    def dialog(self):
        found = self.find_all("dialog#cb-prefs")
        return found[0] if found else None

    def wait_banner(self):
        return self.wait(lambda d: self.banner(), "the banner did not appear")

    def wait_no_banner(self):
        self.wait(lambda d: self.banner() is None, "the banner is still shown")

    def wait_dialog(self):
        return self.wait(lambda d: (self.dialog() if self.js(
            "var d = document.getElementById('cb-prefs'); return !!(d && d.open);") else None),
            "the preferences centre did not open")

    def wait_no_dialog(self):
        self.wait(lambda d: self.dialog() is None, "the preferences centre is still open")

    def name(self, element):
        """An element's accessible name as a screen reader user hears it: aria-label, else its text
        without aria-hidden decorations (the "✕" of a close button)."""
        return self.js("""
            var el = arguments[0];
            if (el.getAttribute("aria-label")) { return el.getAttribute("aria-label").trim(); }
            var copy = el.cloneNode(true);
            copy.querySelectorAll("[aria-hidden=true]").forEach(function (n) { n.remove(); });
            return copy.textContent.replace(/\\s+/g, " ").trim();""", element)

    def buttons(self, container):
        """Visible buttons of `container` by accessible name."""
        return {self.name(b): b for b in container.find_elements(By.CSS_SELECTOR, "button") if b.is_displayed()}

    def button(self, container, label):
        """The visible button named exactly `label` inside `container` (an element)."""
        found = self.buttons(container)
        assert label in found, "no button %r in #%s (buttons: %r)" % (
            label, container.get_attribute("id"), sorted(found))
        return found[label]

    def switches(self, dialog):
        """The centre's category switches (checkbox role=switch) by the text of their label."""
        found = {}
        for box in dialog.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
            assert box.get_attribute("role") == "switch", "a category checkbox is not a switch"
            label = self.js("return arguments[0].labels.length ? arguments[0].labels[0].textContent.trim() : '';",
                            box)
            assert label, "a category switch has no label"
            found[label] = box
        return found

    def click_banner(self, label):
        button = self.button(self.wait_banner(), label)
        self.wait_still()
        button.click()

    def click_dialog(self, label):
        button = self.button(self.wait_dialog(), label)
        self.wait_still()
        button.click()

    def viewport(self, width=None, height=900):
        """A viewport `width` CSS px wide (None: the session's 1280x900 again); returns the width given."""
        if self.kind == "chromium":
            if width is None:
                self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            else:
                self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                    "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        elif self.kind == "firefox":
            self.driver.set_viewport(width or 1280, height)
        else:
            # WebKitGTK's window is at least 447 px wide: narrower asks get that (still under 30rem,
            # the narrow layout of consent.css)
            self.driver.set_window_size(width or 1280, height)
            width = max(width or 1280, 447)
        self.wait_js("return innerWidth === %d;" % (width or 1280), "the viewport did not take its width")
        return width or 1280

    def scroll_to_end(self):
        self.js("window.scrollTo(0, document.documentElement.scrollHeight);")

    def events(self):
        return self.js("return window.__events || null;")

    def active_element(self):
        return self.driver.switch_to.active_element

    # -- cookies ---------------------------------------------------------------------------------------
    def all_cookies(self):
        """Every cookie of the browser with all its attributes (CDP's shape), name -> cookie. (WebKit:
        those of the current page's URL.)"""
        return {c["name"]: c for c in self.engine.cookies()}

    def cookie(self, name):
        return self.all_cookies().get(name)

    def document_cookies(self):
        """What the page itself sees in document.cookie, as a dict."""
        text = self.js("return document.cookie;") or ""
        pairs = [part.strip().partition("=") for part in text.split(";") if part.strip()]
        return {name: value for name, _, value in pairs}

    def set_cookie(self, name, value, url=None, **extra):
        """Set a cookie as a server or another page would (before the page under test loads)."""
        self.engine.set_cookie(name, value, url or self.servers.multi.url("/"), **extra)

    # -- console ---------------------------------------------------------------------------------------
    def console(self):
        """Every console entry of this test so far, as {"level", "message"} (SEVERE for errors and
        uncaught exceptions, WARNING, INFO)."""
        self.logs += self.engine.console()
        return self.logs

    def _read_errors(self, keep):
        found = [(i, e["message"]) for i, e in enumerate(self.console()) if e["level"] == "SEVERE" and keep(e)]
        self.read.update(i for i, _ in found)
        return [m for _, m in found]

    def console_errors(self):
        return self._read_errors(lambda e: True)

    def expected_errors(self, text):
        """Console errors a test provokes on purpose (those mentioning `text`, e.g. a 404 it serves), read so
        that the journey's check for unread errors still catches every other one."""
        return self._read_errors(lambda e: text in e["message"])

    def banner_errors(self):
        """console.error messages written by the banner itself."""
        return self._read_errors(lambda e: "consent-banner:" in e["message"])

    def unread_errors(self):
        """Console errors and uncaught exceptions the test never read: in a journey, each one is a bug."""
        return [e["message"] for i, e in enumerate(self.console()) if e["level"] == "SEVERE" and i not in self.read]

    # -- scripts in every new document -----------------------------------------------------------------
    def document_script(self, source):
        """Run `source` in every new document, before the page's own scripts, until the returned
        function is called (Chromium and Firefox; WebKit cannot)."""
        handle = self.engine.add_document_script(source)
        return lambda: self.engine.remove_document_script(handle)
