"""Pure helpers of the browser suite, importable by test modules and conftest.py alike: the demo
manifest (copied, to derive variants), test page HTML, and cookies_preferences values."""

import copy
import html
import json
import os
import sys
import time

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)         # the banner package, decoded in CPython as a server would
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
        self.wait_js("return !window.__stale && document.readyState === 'complete'", "the page did not reload")
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
