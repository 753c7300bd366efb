"""The three browser engines a visitor uses, each behind the same small interface, so that one test body
runs in all of them (see conftest.py: the `journey` marker and the `engine` fixture).

- Chromium: Selenium + Debian's chromedriver, with CDP for cookies, storage and media emulation.
- Firefox ESR: bidi.FirefoxDriver (WebDriver BiDi; Debian has no geckodriver).
- WebKitGTK: Selenium's WebKitGTK driver and Debian's WebKitWebDriver, on a private Xvfb display.

Each engine gives: `driver` (the Selenium-like object tests use), `reset(origins, blank_url)` (a new
visitor: no cookies, no storage), `cookies()` (every cookie, in CDP's shape), `set_cookie(...)`,
`console()` (new console entries as {"level": "SEVERE" | "WARNING" | "INFO", "message"}),
`add_document_script(source)` / `remove_document_script(handle)` where the engine can, and `version`.
"""

import os
import subprocess
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import WebDriverException

from browser_kit import EVENT_RECORDER

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--no-first-run",
                  "--disable-sync", "--window-size=1280,900", "--lang=fr-FR")
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
XVFB = "/usr/bin/Xvfb"
WIDTH, HEIGHT = 1280, 900
NAMES = ("chromium", "firefox", "webkit")
# Where each comes from, for the message when it is missing.
PACKAGES = {"chromium": "chromium chromium-driver", "firefox": "firefox-esr", "webkit": "webkit2gtk-driver xvfb"}

# Console entries, in CDP's level names.
LEVELS = {"error": "SEVERE", "warn": "WARNING", "warning": "WARNING", "info": "INFO", "log": "INFO",
          "debug": "INFO"}


def missing(name):
    """The first executable `name` needs that is not installed, or None."""
    needs = {"chromium": (CHROMIUM, CHROMEDRIVER), "firefox": (FIREFOX,), "webkit": (WEBKIT_DRIVER, XVFB)}[name]
    return next((path for path in needs if not os.access(path, os.X_OK)), None)


class Chromium:
    name = "chromium"

    def __init__(self, extra_flags=()):
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in tuple(CHROMIUM_FLAGS) + tuple(extra_flags):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)
        self.prepare_tab()
        self.version = self.driver.capabilities.get("browserVersion", "?")

    def prepare_tab(self):
        """CDP set-up is per tab: the event recorder in every document, and reduced motion (the suite's
        default in Chromium, so clicks never chase a sliding banner; tests of motion turn it off)."""
        self.driver.execute_cdp_cmd("Page.enable", {})
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": EVENT_RECORDER})
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                    {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})

    def reset(self, origins, blank_url):
        self.driver.get("about:blank")
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        for origin in origins:
            self.driver.execute_cdp_cmd("Storage.clearDataForOrigin",
                                        {"origin": origin, "storageTypes": "local_storage"})
        self.driver.get_log("browser")

    def cookies(self):
        return self.driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]

    def set_cookie(self, name, value, url, **extra):
        params = {"name": name, "value": value, "url": url, "path": "/"}
        params.update(extra)
        ok = self.driver.execute_cdp_cmd("Network.setCookie", params)
        assert ok.get("success", True), "could not set cookie %s" % name

    def console(self):
        return [{"level": e["level"], "message": e["message"]} for e in self.driver.get_log("browser")]

    def before_navigation(self):
        pass

    def add_document_script(self, source):
        return self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})["identifier"]

    def remove_document_script(self, handle):
        self.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": handle})

    def quit(self):
        self.driver.quit()


class Firefox:
    name = "firefox"

    def __init__(self, prefs=None):
        from bidi import FirefoxDriver
        self.driver = FirefoxDriver(WIDTH, HEIGHT, prefs=prefs)
        self.driver.add_preload_script(EVENT_RECORDER)
        self.version = subprocess.run([FIREFOX, "--version"], capture_output=True, text=True).stdout.split()[-1]

    def reset(self, origins, blank_url):
        self.driver.new_visitor()

    def cookies(self):
        return self.driver.all_cookies()

    def set_cookie(self, name, value, url, domain=None, **extra):
        host = urlsplit(url).hostname
        self.driver.set_cookie(name, value, (domain or host).lstrip("."), **extra)

    def console(self):
        out = []
        for event in self.driver.drain_events():
            if event.get("method") != "log.entryAdded":
                continue
            params = event["params"]
            text = params.get("text") or " ".join(str(a.get("value", "")) for a in params.get("args", []))
            level = "SEVERE" if params.get("type") == "javascript" else LEVELS.get(params.get("level"), "INFO")
            out.append({"level": level, "message": text})
        return out

    def before_navigation(self):
        pass

    def add_document_script(self, source):
        return self.driver.add_preload_script(source)

    def remove_document_script(self, handle):
        self.driver.remove_preload_script(handle)

    def quit(self):
        self.driver.quit()


# WebKit has no log API: browser_kit.PAGE_RECORDER, injected into every page the test servers send, keeps
# console errors, warnings and uncaught exceptions in sessionStorage (so reloads keep them too).
READ_CONSOLE = """
try {
  var found = JSON.parse(sessionStorage.getItem("__console") || "[]");
  sessionStorage.removeItem("__console");
  return found;
} catch (e) { return []; }"""


class WebKit:
    name = "webkit"

    def __init__(self, lang="fr_FR.UTF-8"):
        from selenium.webdriver.webkitgtk.service import Service
        self.xvfb, display = start_xvfb()
        env = dict(os.environ, DISPLAY=display, LANG=lang, LC_ALL=lang, LANGUAGE="",
                   WEBKIT_DISABLE_COMPOSITING_MODE="1")
        try:
            self.driver = webdriver.WebKitGTK(options=webdriver.WebKitGTKOptions(),
                                              service=Service(WEBKIT_DRIVER, env=env))
        except Exception:
            self.xvfb.terminate()
            raise
        self.driver.set_window_size(WIDTH, HEIGHT)
        self.driver.set_page_load_timeout(30)
        self.version = self.driver.capabilities.get("browserVersion", "?")
        self.entries = []

    def reset(self, origins, blank_url):
        self.entries = []
        self.driver.get(blank_url)
        self.driver.delete_all_cookies()
        self.driver.execute_script("localStorage.clear(); sessionStorage.clear();")

    def cookies(self):
        """The cookies of the current page's URL (classic WebDriver sees no further)."""
        return [{"name": c["name"], "value": c["value"], "domain": c.get("domain", ""), "path": c.get("path", "/"),
                 "secure": c.get("secure", False), "httpOnly": c.get("httpOnly", False),
                 "sameSite": c.get("sameSite"), "expires": c.get("expiry", -1), "session": "expiry" not in c}
                for c in self.driver.get_cookies()]

    def set_cookie(self, name, value, url, domain=None, path="/", **extra):
        here = urlsplit(self.driver.current_url)
        there = urlsplit(url)
        if (here.scheme, here.hostname) != (there.scheme, there.hostname):
            self.before_navigation()
            self.driver.get("%s://%s/t/blank.html" % (there.scheme, there.netloc))
        cookie = {"name": name, "value": value, "path": path}
        if domain:
            cookie["domain"] = domain
        self.driver.add_cookie(cookie)

    def console(self):
        self.before_navigation()
        found, self.entries = self.entries, []
        return found

    def before_navigation(self):
        """Collect what the current document recorded before it goes away."""
        try:
            found = self.driver.execute_script(READ_CONSOLE) or []
        except WebDriverException:
            found = []
        self.entries += [{"level": LEVELS.get(e.get("level"), "INFO"), "message": e.get("message", "")}
                         for e in found]

    def add_document_script(self, source):
        raise NotImplementedError("WebKitWebDriver cannot add a script to every document")

    remove_document_script = add_document_script

    def quit(self):
        try:
            self.driver.quit()
        finally:
            self.xvfb.terminate()
            self.xvfb.wait(10)


def start_xvfb():
    """A private X display for WebKit (a free display number chosen by Xvfb itself)."""
    read, write = os.pipe()
    process = subprocess.Popen([XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                               pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as handle:
        number = handle.readline().strip()
    if not number:
        process.terminate()
        raise WebDriverException("Xvfb did not start")
    return process, ":" + number


def start(name, **options):
    return {"chromium": Chromium, "firefox": Firefox, "webkit": WebKit}[name](**options)

