"""End-to-end tests of the built bundle in headless Chromium (Selenium).

Infrastructure, shared by every test module of this directory (pure helpers that test modules import,
such as the demo manifest, test page HTML and cookies_preferences values, live in browser_kit.py):

- `servers` (session): two demo portals on 127.0.0.1, both from `demo.server.make_server`:
  `servers.multi` serves the demo pages in ["fr", "en"] plus the test pages this suite generates
  (`servers.multi.page(...)`, `servers.multi.route(...)`), `servers.mono` the demo pages in ["fr"] only.
  Both run on the same host, so they share cookies (cookies ignore the port): that is fine, since
  every test starts from an empty cookie jar.
- `driver` (session): ONE headless Chromium for the whole run. A script installed for every new
  document records each `consent:change` event in `window.__events` (list of `detail.accepted`).
- `browser` (function): the driver wrapped in `Browser`, reset before each test (cookies, storage,
  about:blank, console log drained), with the waits and cookie helpers tests need.

Nothing here builds the bundle: run `make build` first (the suite stops with that advice otherwise).
"""

import json
import os
import sys
import threading

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DIST = os.path.join(ROOT, "static", "dist")
for _path in (ROOT, HERE):          # demo.server and banner from the repository; browser_kit from here
    if _path not in sys.path:
        sys.path.insert(0, _path)

from demo.server import make_server  # noqa: E402
from browser_kit import EVENT_RECORDER, FRAME_HTML, demo_manifest, render_page  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--no-first-run",
                  "--disable-sync", "--window-size=1280,900", "--lang=fr-FR")
TIMEOUT = 15                      # seconds; a cold Brython start on a loaded 2-core machine is ~1-2 s


class Site:
    """One running demo server; `routes` is the live table its handler reads, so pages can be added
    while it runs."""

    def __init__(self, languages, extra_routes=None):
        self.routes = {"/favicon.ico": ("image/x-icon", b"")}
        self.routes.update(extra_routes or {})
        self.server = make_server(0, languages, routes=self.routes)
        self.base = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/"):
        return self.base + path

    def route(self, path, content_type, body):
        self.routes[path] = (content_type, body)
        return self.url(path)

    def json(self, path, data):
        return self.route(path, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def page(self, path, config, **kwargs):
        return self.route(path, "text/html; charset=utf-8", render_page(config, **kwargs))

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Servers:
    def __init__(self):
        with open(os.path.join(DIST, "consent.js"), "rb") as handle:
            loader = handle.read()
        with open(os.path.join(DIST, "brython.js"), "rb") as handle:
            runtime = handle.read()
        self.multi = Site(["fr", "en"], {
            "/t/frame.html": ("text/html; charset=utf-8", FRAME_HTML),
            "/t/cookies.json": ("application/json", json.dumps(demo_manifest()).encode("utf-8")),
            # A copy of the loader next to the runtime but without our package: consent.brython.js 404s.
            "/nobundle/consent.js": ("text/javascript", loader),
            "/nobundle/brython.js": ("text/javascript", runtime),
        })
        self.mono = Site(["fr"])
        self.origins = [self.multi.base, self.mono.base]

    def stop(self):
        self.multi.stop()
        self.mono.stop()


@pytest.fixture(scope="session")
def servers():
    missing = [n for n in ("consent.js", "consent.css", "brython.js", "consent.brython.js")
               if not os.path.exists(os.path.join(DIST, n))]
    if missing:
        pytest.fail("static/dist/%s is missing: run `make build` before the browser tests" % missing[0],
                    pytrace=False)
    running = Servers()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def driver(servers):
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            pytest.fail("%s is missing: install Debian's chromium and chromium-driver (make setup)" % path,
                        pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    chrome.set_page_load_timeout(30)
    chrome.execute_cdp_cmd("Page.enable", {})
    chrome.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": EVENT_RECORDER})
    # The banner slides in unless the visitor asks for reduced motion: ask, so clicks never chase it.
    chrome.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    yield chrome
    chrome.quit()


class Browser:
    """The session's driver plus the waits and inspections the tests share."""

    def __init__(self, driver, servers):
        self.driver = driver
        self.servers = servers
        self.logs = []

    # -- state between tests ---------------------------------------------------------------------------
    def reset(self):
        self.driver.get("about:blank")
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        for origin in self.servers.origins:
            self.driver.execute_cdp_cmd("Storage.clearDataForOrigin",
                                        {"origin": origin, "storageTypes": "local_storage"})
        self.driver.get_log("browser")          # drain what earlier tests left
        self.logs = []

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

    def open(self, url, ready=True):
        self.driver.get(url)
        if ready:
            self.wait_ready()

    def navigating(self, action, ready=True):
        """Run `action` (which makes the page reload or navigate) and wait for the new page."""
        self.js("window.__stale = true;")
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
        self.button(self.wait_banner(), label).click()

    def click_dialog(self, label):
        self.button(self.wait_dialog(), label).click()

    def scroll_to_end(self):
        self.js("window.scrollTo(0, document.documentElement.scrollHeight);")

    def events(self):
        return self.js("return window.__events || null;")

    def active_element(self):
        return self.driver.switch_to.active_element

    # -- cookies ---------------------------------------------------------------------------------------
    def all_cookies(self):
        """Every cookie of the browser with all its attributes (CDP), name -> cookie."""
        return {c["name"]: c for c in self.driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]}

    def cookie(self, name):
        return self.all_cookies().get(name)

    def document_cookies(self):
        """What the page itself sees in document.cookie, as a dict."""
        text = self.js("return document.cookie;") or ""
        pairs = [part.strip().partition("=") for part in text.split(";") if part.strip()]
        return {name: value for name, _, value in pairs}

    def set_cookie(self, name, value, url=None, **extra):
        """Set a cookie as a server or another page would (before the page under test loads)."""
        params = {"name": name, "value": value, "url": url or self.servers.multi.url("/"), "path": "/"}
        params.update(extra)
        ok = self.driver.execute_cdp_cmd("Network.setCookie", params)
        assert ok.get("success", True), "could not set cookie %s" % name

    # -- console ---------------------------------------------------------------------------------------
    def console(self):
        """Every console entry of this test so far (the driver's log is drained on each read)."""
        self.logs += self.driver.get_log("browser")
        return self.logs

    def console_errors(self):
        return [e["message"] for e in self.console() if e["level"] == "SEVERE"]

    def banner_errors(self):
        """console.error messages written by the banner itself."""
        return [m for m in self.console_errors() if "consent-banner:" in m]


@pytest.fixture
def browser(driver, servers):
    b = Browser(driver, servers)
    b.reset()
    return b


@pytest.fixture
def site(servers):
    """The multilingual demo portal, which also serves the generated test pages."""
    return servers.multi


@pytest.fixture
def mono(servers):
    """The demo portal offering French only."""
    return servers.mono
