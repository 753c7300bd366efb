"""Firefox driven over WebDriver BiDi, with the part of Selenium's WebDriver API the journeys use.

Debian ships Firefox ESR but no geckodriver, and Firefox speaks BiDi itself: started with
`--remote-debugging-port`, it accepts a BiDi session on ws://127.0.0.1:PORT/session. `FirefoxDriver`
wraps that session so that a test body written for Selenium (driver.get, execute_script, find_element,
element.click/send_keys/text, WebDriverWait) runs unchanged. What Selenium would do through classic
WebDriver is done here with the same user-visible effect:

- clicks are real pointer events at the element's centre, after scrolling it into view, and raise
  ElementClickInterceptedException when something else is on top (as Selenium does);
- keys are real key events sent to the focused element;
- each test gets a fresh user context (a container: its own cookies and storage), so nothing leaks
  from one test to the next;
- console messages and uncaught exceptions arrive as `log.entryAdded` events.
"""

import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import websocket
from selenium.common.exceptions import (ElementClickInterceptedException, JavascriptException,
                                        NoSuchElementException, WebDriverException)
from selenium.webdriver.common.by import By

FIREFOX = "/usr/bin/firefox-esr"
PREFS = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "extensions.update.enabled": False,
    "browser.aboutConfig.showWarning": False,
    "intl.accept_languages": "fr-FR, fr",
    "remote.prefs.recommended": True,
    "dom.disable_beforeunload": True,
}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- values between Python and the page (BiDi "local" and "remote" values) ------------------------------------
def _local(value):
    if isinstance(value, FirefoxElement):
        return {"sharedId": value.id}
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean", "value": value}
    if isinstance(value, (int, float)):
        return {"type": "number", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, (list, tuple)):
        return {"type": "array", "value": [_local(v) for v in value]}
    if isinstance(value, dict):
        return {"type": "object", "value": [[str(k), _local(v)] for k, v in value.items()]}
    raise TypeError("cannot pass %r to the page" % (value,))


def _python(remote, driver):
    kind = remote.get("type")
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "boolean"):
        return remote["value"]
    if kind == "number":
        value = remote["value"]
        if isinstance(value, str):                       # NaN, Infinity, -0
            return float(value.replace("Infinity", "inf")) if value != "-0" else 0
        return value
    if kind in ("array", "nodelist", "htmlcollection", "set"):
        return [_python(v, driver) for v in remote.get("value", [])]
    if kind in ("object", "map"):
        return {(k if isinstance(k, str) else _python(k, driver)): _python(v, driver)
                for k, v in remote.get("value", [])}
    if kind == "node":
        return FirefoxElement(driver, remote["sharedId"])
    if kind == "window":
        return None
    return remote.get("value")


class FirefoxElement:
    """A DOM node of the page, by its BiDi shared id."""

    def __init__(self, driver, shared_id):
        self._driver = driver
        self.id = shared_id

    def __eq__(self, other):
        return isinstance(other, FirefoxElement) and other.id == self.id

    def __hash__(self):
        return hash(self.id)

    def __repr__(self):
        return "<FirefoxElement %s>" % self.id

    def _js(self, body, *args):
        return self._driver.execute_script(body, self, *args)

    # reading
    @property
    def text(self):
        return self._js("var t = arguments[0].innerText;"
                        "return t === undefined ? '' : t.replace(/\\u00a0/g, ' ').replace(/[ \\t]+\\n/g, '\\n').trim();")

    @property
    def tag_name(self):
        return self._js("return arguments[0].tagName.toLowerCase();")

    @property
    def rect(self):
        return self._js("var r = arguments[0].getBoundingClientRect();"
                        "return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height};")

    def get_attribute(self, name):
        """Selenium's rule: the property when the element has one of a simple type (resolved URLs, live
        state; booleans as "true" or None), else the attribute."""
        return self._js("""var el = arguments[0], n = arguments[1], v = el[n];
            if (typeof v === 'boolean') { return v ? 'true' : null; }
            if (n in el && (typeof v === 'string' || typeof v === 'number')) {
              return (n === 'href' || n === 'src') && !el.hasAttribute(n) ? null : String(v);
            }
            return el.getAttribute(n);""", name)

    def get_property(self, name):
        return self._js("return arguments[0][arguments[1]];", name)

    def is_displayed(self):
        return self._js("""var el = arguments[0];
            if (!el.isConnected || !el.getClientRects().length) { return false; }
            return el.checkVisibility({opacityProperty: true, visibilityProperty: true});""")

    def is_selected(self):
        return bool(self._js("return !!(arguments[0].checked || arguments[0].selected);"))

    def is_enabled(self):
        return not self._js("return !!arguments[0].disabled;")

    def find_element(self, by, value):
        found = self.find_elements(by, value)
        if not found:
            raise NoSuchElementException("no element matches %s" % value)
        return found[0]

    def find_elements(self, by, value):
        return self._driver._find(by, value, self)

    # acting
    def click(self):
        self._driver._click(self)

    def send_keys(self, *keys):
        self._js("arguments[0].focus();")
        self._driver.type_keys("".join(keys))


class _SwitchTo:
    def __init__(self, driver):
        self._driver = driver

    @property
    def active_element(self):
        return self._driver.execute_script("return document.activeElement;")


class FirefoxDriver:
    """A headless Firefox ESR and one BiDi session on it."""

    def __init__(self, width=1280, height=900, prefs=None):
        self.profile = tempfile.mkdtemp(prefix="cb-firefox-")
        with open(os.path.join(self.profile, "user.js"), "w") as handle:
            for key, value in dict(PREFS, **(prefs or {})).items():
                handle.write("user_pref(%s, %s);\n" % (json.dumps(key), json.dumps(value)))
        port = _free_port()
        env = dict(os.environ, MOZ_HEADLESS="1", MOZ_CRASHREPORTER_DISABLE="1")
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--remote-debugging-port=%d" % port, "--profile", self.profile,
             "--width=%d" % width, "--height=%d" % height, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        self.size = (width, height)
        self._ids = itertools.count(1)
        self._events = []
        self.ws = self._connect(port)
        self.command("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True,
                                                                       "unhandledPromptBehavior": "ignore"}}})
        self.command("session.subscribe", {"events": ["log.entryAdded"]})
        self.user_context = None
        self.context = None
        self.switch_to = _SwitchTo(self)
        self.new_visitor()

    def _connect(self, port):
        deadline = time.time() + 60
        while True:
            try:
                return websocket.create_connection("ws://127.0.0.1:%d/session" % port, suppress_origin=True,
                                                   timeout=120)
            except (OSError, websocket.WebSocketException):
                if time.time() > deadline or self.process.poll() is not None:
                    raise WebDriverException("Firefox did not open its BiDi port %d" % port)
                time.sleep(0.2)

    # -- protocol --------------------------------------------------------------------------------------------
    def command(self, method, params=None):
        ident = next(self._ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params or {}}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if message.get("type") == "error" or "error" in message:
                    raise WebDriverException("%s: %s: %s" % (method, message.get("error"), message.get("message")))
                return message["result"]
            if message.get("type") == "event" or "method" in message:
                self._events.append(message)

    def drain_events(self):
        """Events received so far (those that arrived between commands included)."""
        self.ws.settimeout(0.01)
        try:
            while True:
                try:
                    message = json.loads(self.ws.recv())
                except (websocket.WebSocketTimeoutException, TimeoutError):
                    break
                if "method" in message:
                    self._events.append(message)
        finally:
            self.ws.settimeout(120)
        events, self._events = self._events, []
        return events

    # -- visitors --------------------------------------------------------------------------------------------
    def new_visitor(self):
        """A new tab in a new user context: no cookies, no storage, nothing from the previous test."""
        old_context, old_user = self.context, self.user_context
        self.user_context = self.command("browser.createUserContext")["userContext"]
        self.context = self.command("browsingContext.create", {"type": "tab", "userContext": self.user_context})[
            "context"]
        self.command("browsingContext.setViewport", {"context": self.context,
                                                     "viewport": {"width": self.size[0], "height": self.size[1]}})
        if old_context is not None:
            self.command("browsingContext.close", {"context": old_context})
        else:
            for context in self.command("browsingContext.getTree")["contexts"]:
                if context["context"] != self.context:
                    self.command("browsingContext.close", {"context": context["context"]})
        if old_user is not None:
            self.command("browser.removeUserContext", {"userContext": old_user})
        self.drain_events()

    def add_preload_script(self, source):
        return self.command("script.addPreloadScript",
                            {"functionDeclaration": "() => {\n%s\n}" % source})["script"]

    def remove_preload_script(self, script):
        self.command("script.removePreloadScript", {"script": script})

    def set_viewport(self, width, height):
        self.command("browsingContext.setViewport", {"context": self.context,
                                                     "viewport": {"width": width, "height": height}})

    # -- navigation ------------------------------------------------------------------------------------------
    def get(self, url):
        self.command("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def refresh(self):
        self.command("browsingContext.reload", {"context": self.context, "wait": "complete"})

    def back(self):
        """Selenium's back(): one step back in the session history (the caller waits for the page)."""
        self.command("browsingContext.traverseHistory", {"context": self.context, "delta": -1})

    @property
    def current_url(self):
        return self.execute_script("return location.href;")

    # -- scripts ---------------------------------------------------------------------------------------------
    def execute_script(self, script, *args):
        result = self.command("script.callFunction", {
            "functionDeclaration": "function () {\n%s\n}" % script,
            "arguments": [_local(a) for a in args], "target": {"context": self.context},
            "awaitPromise": False, "resultOwnership": "none",
            "serializationOptions": {"maxObjectDepth": 8, "maxDomDepth": 0}})
        if result.get("type") == "exception":
            details = result["exceptionDetails"]
            raise JavascriptException(details.get("text") or json.dumps(details)[:500])
        return _python(result["result"], self)

    def execute_async_script(self, script, *args):
        """Selenium's contract: the script calls its last argument with the result."""
        wrapped = ("var args = Array.prototype.slice.call(arguments);"
                   " return new Promise(function (resolve) { args.push(resolve);"
                   " (function () {\n%s\n}).apply(null, args); });" % script)
        result = self.command("script.callFunction", {
            "functionDeclaration": "function () {\n%s\n}" % wrapped,
            "arguments": [_local(a) for a in args], "target": {"context": self.context},
            "awaitPromise": True, "resultOwnership": "none",
            "serializationOptions": {"maxObjectDepth": 8, "maxDomDepth": 0}})
        if result.get("type") == "exception":
            raise JavascriptException(result["exceptionDetails"].get("text"))
        return _python(result["result"], self)

    # -- elements --------------------------------------------------------------------------------------------
    def _find(self, by, value, within=None):
        if by not in (By.CSS_SELECTOR, "css selector"):
            raise WebDriverException("FirefoxDriver finds elements by CSS selector only, not %r" % by)
        if within is None:
            return self.execute_script("return Array.from(document.querySelectorAll(arguments[0]));", value)
        return self.execute_script("return Array.from(arguments[0].querySelectorAll(arguments[1]));", within, value)

    def find_element(self, by, value):
        found = self._find(by, value)
        if not found:
            raise NoSuchElementException("no element matches %s" % value)
        return found[0]

    def find_elements(self, by, value):
        return self._find(by, value)

    def _click(self, element):
        point = self.execute_script("""var el = arguments[0];
            el.scrollIntoView({block: 'end', inline: 'nearest'});
            var r = el.getClientRects()[0];
            if (!r) { return 'not displayed'; }
            var x = r.left + r.width / 2, y = r.top + r.height / 2;
            var hit = document.elementFromPoint(x, y);
            if (!hit || !(el === hit || el.contains(hit) || (el.labels && Array.from(el.labels).indexOf(hit) >= 0))) {
              return 'covered by ' + (hit ? hit.outerHTML.slice(0, 120) : 'nothing');
            }
            return [Math.floor(x), Math.floor(y)];""", element)
        if isinstance(point, str):
            raise ElementClickInterceptedException("element click intercepted: %s is %s" % (element, point))
        self.command("input.performActions", {"context": self.context, "actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
                {"type": "pointerMove", "x": point[0], "y": point[1]},
                {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}]})
        self.command("input.releaseActions", {"context": self.context})

    def type_keys(self, text, held=""):
        """Each character of `text` pressed and released (WebDriver key codes such as Keys.TAB included),
        while the keys of `held` (e.g. Keys.SHIFT) are held down."""
        actions = [{"type": "keyDown", "value": key} for key in held]
        for char in text:
            actions += [{"type": "keyDown", "value": char}, {"type": "keyUp", "value": char}]
        actions += [{"type": "keyUp", "value": key} for key in reversed(held)]
        self.command("input.performActions", {"context": self.context, "actions": [
            {"type": "key", "id": "keyboard", "actions": actions}]})
        self.command("input.releaseActions", {"context": self.context})

    # -- cookies ---------------------------------------------------------------------------------------------
    def _partition(self):
        return {"type": "storageKey", "userContext": self.user_context}

    def all_cookies(self):
        """Every cookie of this visitor, in the shape Chromium's CDP gives (name, value, domain, path,
        secure, httpOnly, sameSite, expires, session)."""
        found = self.command("storage.getCookies", {"partition": self._partition()})["cookies"]
        out = []
        for c in found:
            out.append({"name": c["name"], "value": c["value"].get("value", ""), "domain": c["domain"],
                        "path": c["path"], "secure": c["secure"], "httpOnly": c["httpOnly"],
                        "sameSite": {"lax": "Lax", "strict": "Strict", "none": "None"}.get(c.get("sameSite"),
                                                                                          c.get("sameSite")),
                        "expires": c.get("expiry", -1), "session": "expiry" not in c})
        return out

    def set_cookie(self, name, value, domain, path="/", **extra):
        cookie = {"name": name, "value": {"type": "string", "value": value}, "domain": domain, "path": path}
        cookie.update(extra)
        self.command("storage.setCookie", {"cookie": cookie, "partition": self._partition()})

    def delete_all_cookies(self):
        self.command("storage.deleteCookies", {"partition": self._partition()})

    # -- end -------------------------------------------------------------------------------------------------
    def quit(self):
        try:
            self.command("session.end")
        except Exception:
            pass
        try:
            self.ws.close()
        except Exception:
            pass
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)
