"""What the audit does in a page and records of it: `Tab`, one state's profile (a DevTools browser context,
so no cookie, storage or cache of another state) and its page, and `Recorder`, what a state stored and
contacted, for banner.audit.judge. The states themselves are banner.audit.run's.

A Tab loads a page and waits for the banner to start (`__consentBoot.ready` and its first
`consent:change`), then for the network to be quiet; it clicks a control as a person does, at its place on
screen, after checking nothing covers it; it hears what its page, frames and workers do (DevTools sessions
auto-attached): each request with its initiator, each `Set-Cookie`, console errors. A recorder installed in
every document before the page's scripts keeps `consent:change` events and who writes `document.cookie`
and Storage keys.

A Recorder takes after each page: every cookie of the profile (`Storage.getCookies`: first- and
third-party, HttpOnly included) with when it was first seen and what set it when known (a script's
`document.cookie` write, a response's `Set-Cookie`), and cookies written but deleted before it looked
(`transient`); localStorage and sessionStorage keys and IndexedDB databases of the page and its frames;
every request to another host than the page's, with the page, the document and the initiating script.
"""

import json
import re
import threading
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urljoin, urlsplit

from .cdp import BrowserError, wait_until

WIDTH, HEIGHT = 1280, 900
LOAD_TIMEOUT = 30            # seconds for a page to load
START_TIMEOUT = 20           # seconds for the banner to start once the page has loaded
QUIET = 0.3                  # the network counts as quiet after this long without a request...
QUIET_MAX = 4.0              # ...or after this long, whatever still runs
STALLED = 2.0                # a request unanswered this long (a long poll, a beacon cut by a reload) waits no more
# The fragment on the audit's own fetches (candidate pages, the sitemap): never sent, but DevTools reports it
# (`urlFragment`), so their requests and Set-Cookie headers are told from the page's.
PROBE_MARK = "#consent-audit-probe"
NOT_PAGES = re.compile(r"\.(pdf|zip|gz|jpe?g|png|gif|svg|webp|ico|css|js|json|xml|csv|xlsx?|docx?|odt|ods|mp[34]|"
                       r"webm|ogg|woff2?|ttf|txt)$", re.I)

# Installed in every document before the page's own scripts: consent:change events, and who writes cookies
# and Storage keys (the first http(s) script of the stack: the writer; an inline script shows as its page).
RECORDER = r"""
(function () {
  if (window.__consentAudit) { return; }
  var audit = window.__consentAudit = {events: [], writes: []};
  document.addEventListener("consent:change", function (event) {
    var accepted = event.detail && event.detail.accepted;
    audit.events.push(accepted ? Array.prototype.slice.call(accepted) : null);
  });
  function writer() {
    var lines = String(new Error().stack || "").split("\n");
    for (var i = 1; i < lines.length; i++) {
      var found = lines[i].match(/(https?:\/\/[^\s()]+?)(?::\d+){1,2}\)?\s*$/);
      if (found) { return found[1]; }
    }
    return null;
  }
  var cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (cookie && cookie.set) {
    Object.defineProperty(Document.prototype, "cookie", {configurable: true, enumerable: cookie.enumerable,
      get: function () { return cookie.get.call(this); },
      set: function (value) {
        try { audit.writes.push({kind: "cookie", text: String(value).slice(0, 400), script: writer()}); } catch (e) {}
        cookie.set.call(this, value);
      }});
  }
  var setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key) {
    try {
      audit.writes.push({kind: this === window.localStorage ? "local" : "session", text: String(key), script: writer()});
    } catch (e) {}
    return setItem.apply(this, arguments);
  };
})();
"""

PAGE_STATE = r"""
(function (categories) {
  var boot = window.__consentBoot, api = window.consentBanner, audit = window.__consentAudit || {events: []};
  // shown: laid out, visible, not transparent (itself or an ancestor: opacity multiplies), and at least SEEN px
  // each way of it left on screen once the clip and clip-path of it and its ancestors have cut it
  var SEEN = 10;
  function px(text, whole) {            // "12px" or "50%%" (of whole) in px; NaN for calc(), keywords, auto
    var found = /^(-?[\d.]+)(px|%%)$/.exec(text || "");
    return found ? parseFloat(found[1]) * (found[2] === "%%" ? whole / 100 : 1) : NaN;
  }
  function or(value, fallback) { return isNaN(value) ? fallback : value; }
  function cut(area, keep) {
    return {left: Math.max(area.left, keep.left), top: Math.max(area.top, keep.top),
            right: Math.min(area.right, keep.right), bottom: Math.min(area.bottom, keep.bottom)};
  }
  // what a node's own box and, when it lets them overflow visibly, its descendants' boxes cover
  function drawn(node, style) {
    var box = node.getBoundingClientRect(), area = {left: box.left, top: box.top, right: box.right, bottom: box.bottom};
    if (style.overflowX !== "visible" && style.overflowY !== "visible") { return area; }
    Array.prototype.forEach.call(node.querySelectorAll("*"), function (inner) {
      var r = inner.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        area = {left: Math.min(area.left, r.left), top: Math.min(area.top, r.top),
                right: Math.max(area.right, r.right), bottom: Math.max(area.bottom, r.bottom)};
      }
    });
    return area;
  }
  // the part of the screen a node's `clip` (positioned boxes only) and `clip-path` leave it and its
  // descendants: a rect (a circle or an ellipse only when too small to leave SEEN px), or null for no cut
  function clipOf(node, style) {
    var box = node.getBoundingClientRect(), w = box.width, h = box.height, keep = null, found, v;
    var all = {left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity}, none = {left: 0, top: 0, right: 0, bottom: 0};
    if ((found = /^rect\((.*)\)$/.exec(style.clip)) && /^(absolute|fixed)$/.test(style.position)) {
      v = found[1].split(/\s*,\s*|\s+/);                  // top, right, bottom, left from the top left corner
      keep = {top: box.top + or(px(v[0]), 0), right: box.left + or(px(v[1]), w),
              bottom: box.top + or(px(v[2]), h), left: box.left + or(px(v[3]), 0)};
    }
    var path = /^(inset|circle|ellipse|polygon)\((.*)\)/.exec(style.clipPath || "");
    if (path && path[1] === "inset") {
      v = path[2].split(" round ")[0].trim().split(/\s+/);
      v = [v[0], v[1] || v[0], v[2] || v[0], v[3] || v[1] || v[0]];
      var inset = {top: box.top + px(v[0], h), right: box.right - px(v[1], w), bottom: box.bottom - px(v[2], h),
                   left: box.left + px(v[3], w)};
      if (![inset.top, inset.right, inset.bottom, inset.left].some(isNaN)) { keep = cut(keep || all, inset); }
    } else if (path && path[1] === "polygon") {
      v = path[2].replace(/^(nonzero|evenodd)\s*,\s*/, "").split(/\s*,\s*/).map(function (point) {
        var xy = point.split(/\s+/);
        return [box.left + px(xy[0], w), box.top + px(xy[1], h)];
      });
      if (!v.some(function (xy) { return isNaN(xy[0]) || isNaN(xy[1]); })) {
        keep = cut(keep || all, {left: Math.min.apply(null, v.map(function (xy) { return xy[0]; })),
                                 right: Math.max.apply(null, v.map(function (xy) { return xy[0]; })),
                                 top: Math.min.apply(null, v.map(function (xy) { return xy[1]; })),
                                 bottom: Math.max.apply(null, v.map(function (xy) { return xy[1]; }))});
      }
    } else if (path) {                                    // circle(R at ...), ellipse(RX RY at ...)
      v = path[2].split(" at ")[0].trim().split(/\s+/);
      var radii = path[1] === "circle" ? [px(v[0], Math.sqrt((w * w + h * h) / 2))] : [px(v[0], w), px(v[1], h)];
      if (radii.some(function (r) { return r * 2 < SEEN; })) { keep = none; }
    }
    return keep;
  }
  function shown(node) {
    if (!node) { return false; }
    var style = getComputedStyle(node);
    if (style.display === "none" || style.visibility !== "visible") { return false; }
    var area = cut(drawn(node, style), {left: 0, top: 0, right: innerWidth, bottom: innerHeight});
    for (var up = node; up; up = up.parentElement) {
      var its = up === node ? style : getComputedStyle(up), keep = clipOf(up, its);
      if (!(parseFloat(its.opacity) > 0)) { return false; }
      if (keep) { area = cut(area, keep); }
    }
    return area.right - area.left >= SEEN && area.bottom - area.top >= SEEN;
  }
  var accepted = {};
  categories.forEach(function (id) {
    try { accepted[id] = !!(api && api.accepted(id)); } catch (e) { accepted[id] = false; }
  });
  var dialog = document.getElementById("cb-prefs");
  return {loader: !!boot, ready: !!(boot && boot.ready), events: audit.events, url: location.href,
          bannerShown: shown(document.getElementById("cb-banner")), centreOpen: !!(dialog && dialog.open),
          api: accepted, build: boot ? boot.build || null : null, version: api ? api.version || null : null,
          config: boot ? boot.config : null, title: document.title};
})(%s)
"""

STATUS = """(performance.getEntriesByType("navigation")[0] || {}).responseStatus || null"""

# Candidate pages read without being rendered (no script of theirs runs, no cookie sent or stored): where
# each ends up, its status, and the data-config of its loader tag, if any.
PROBE = r"""
(async function (urls, mark) {
  var out = [];
  for (var i = 0; i < urls.length; i++) {
    try {
      var answer = await fetch(urls[i] + mark, {credentials: "omit", redirect: "follow", signal: AbortSignal.timeout(10000)});
      var type = answer.headers.get("content-type") || "", html = /html/i.test(type);
      var page = html ? new DOMParser().parseFromString(await answer.text(), "text/html") : null;
      var tag = page && page.querySelector("script[data-config]");
      out.push({url: urls[i], final: answer.url, status: answer.status, html: html, type: type.split(";")[0].trim(),
                config: tag ? tag.getAttribute("data-config") : null});
    } catch (e) {
      out.push({url: urls[i], error: String(e && e.message || e)});
    }
  }
  return out;
})
"""
# /sitemap.xml's text, or "" (fetched as the candidates are)
SITEMAP = r"""
fetch("/sitemap.xml" + %s, {credentials: "omit"}).then(function (r) {
  return r.ok && /xml/.test(r.headers.get("content-type") || "") ? r.text() : "";
}).catch(function () { return ""; })
"""

LINKS = r"""Array.prototype.map.call(document.querySelectorAll("a[href]"), function (a) { return a.href; })"""

STORAGE = r"""
(async function () {
  var out = {origin: location.origin, local: [], session: [], indexeddb: []};
  try { out.local = Object.keys(localStorage); } catch (e) {}
  try { out.session = Object.keys(sessionStorage); } catch (e) {}
  try { if (indexedDB.databases) { out.indexeddb = (await indexedDB.databases()).map(function (d) { return d.name; }); } } catch (e) {}
  return out;
})()
"""

# A control's place on screen, once scrolled into view, and whether a click there reaches it (nothing
# covers it); an input with a label may be reached through its label.
LOCATE = r"""
(function (selector) {
  var node = document.querySelector(selector);
  if (!node) { return null; }
  node.scrollIntoView({block: "center", inline: "center"});
  var box = node.getBoundingClientRect();
  var x = box.left + box.width / 2, y = box.top + box.height / 2;
  var hit = document.elementFromPoint(x, y);
  var reached = !!hit && (hit === node || node.contains(hit) || (node.labels && Array.prototype.some.call(
    node.labels, function (label) { return label === hit || label.contains(hit); })));
  return {x: x, y: y, width: box.width, height: box.height, reached: reached,
          label: ((node.labels && node.labels.length ? node.labels[0].textContent : "") || node.getAttribute("aria-label") ||
                  node.textContent || "").replace(/\s+/g, " ").replace("\u2715", "").trim(),
          checked: node.checked === undefined ? null : node.checked,
          covering: hit && !reached ? hit.tagName.toLowerCase() + (hit.id ? "#" + hit.id : "") : null};
})(%s)
"""


def probe_script(urls):
    """The expression reading candidate pages `urls` (PROBE), its fetches marked as the audit's own."""
    return "(%s)(%s, %s)" % (PROBE.strip(), json.dumps(list(urls)), json.dumps(PROBE_MARK))


def sitemap_script():
    return SITEMAP % json.dumps(PROBE_MARK)


class PageError(Exception):
    """A page could not be loaded or read."""


def now():
    return time.time()


def iso(timestamp):
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def host_of(url):
    return (urlsplit(url).hostname or "").lower()


class Tab:
    """One state's profile (a browser context) and its page, with everything its sessions report."""

    def __init__(self, browser, events):
        self.browser = browser
        self.lock = threading.Lock()
        self.requests = []             # other-host requests, as recorded
        self.request_urls = {}         # requestId -> url (for Set-Cookie attribution)
        self.probes = set()            # requestIds of the audit's own fetches (PROBE_MARK)
        self.inflight = {}             # requestId -> when it was sent
        self.last_activity = now()
        self.set_cookie = {}           # cookie name -> URL of the response that set it
        self.set_cookie_lines = []     # (Set-Cookie line, response URL, page) as they come
        self.early_answers = {}        # requestId -> its Set-Cookie headers, come before the request itself
        self.console = []              # console errors and uncaught exceptions of the page
        self.children = {}             # child session -> target info (frames, workers)
        self.page_url = None           # the page being crawled, for attribution
        self.decision = None           # mark() just before the click that made the last decision
        self.context = browser.send("Target.createBrowserContext", {"disposeOnDetach": True})["browserContextId"]
        target = browser.send("Target.createTarget", {"url": "about:blank", "browserContextId": self.context,
                                                       "width": WIDTH, "height": HEIGHT})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        events[self.session] = self
        self.events = events
        for method, params in (("Page.enable", {}), ("Network.enable", {}), ("Runtime.enable", {}),
                               ("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER}),
                               ("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": HEIGHT,
                                                                       "deviceScaleFactor": 1, "mobile": False}),
                               # no slide-in to chase: the banner is where it stays when clicked
                               ("Emulation.setEmulatedMedia", {"features": [
                                   {"name": "prefers-reduced-motion", "value": "reduce"}]}),
                               ("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True,
                                                         "flatten": True})):
            self.send(method, params)

    def send(self, method, params=None, timeout=None):
        return self.browser.send(method, params, self.session, timeout)

    def mark(self):
        """Where the requests and Set-Cookie headers recorded so far end: a Recorder given it starts there."""
        with self.lock:
            return len(self.requests), len(self.set_cookie_lines)

    # -- events (reader thread: never wait for an answer here) ---------------------------------------------
    def on_event(self, session, method, params):
        if method == "Target.attachedToTarget":
            child = params["sessionId"]
            self.children[child] = params.get("targetInfo", {})
            self.events[child] = self
            for name, args in (("Network.enable", {}), ("Target.setAutoAttach", {
                    "autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}),
                    ("Runtime.runIfWaitingForDebugger", {})):
                self.browser.post(name, args, child)
        elif method == "Target.detachedFromTarget":
            self.children.pop(params.get("sessionId"), None)
        elif method == "Network.requestWillBeSent":
            self._request(params)
        elif method in ("Network.responseReceived", "Network.loadingFinished", "Network.loadingFailed"):
            # answered is enough: a body nobody reads (a fetch's 404, a keepalive POST's 204) may never end
            with self.lock:
                self.inflight.pop(params.get("requestId"), None)
                self.last_activity = now()
        elif method == "Network.responseReceivedExtraInfo":
            self._set_cookies(params)
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error" and session == self.session:
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.console.append(text)
        elif method == "Runtime.exceptionThrown" and session == self.session:
            details = params.get("exceptionDetails", {})
            self.console.append("uncaught " + ((details.get("exception") or {}).get("description")
                                               or details.get("text", "")))

    def _set_cookies(self, params):
        """The cookies a response's Set-Cookie stored: not those of the audit's own fetches (sent without
        credentials, nothing they set is kept), nor those Chromium blocked (`blockedCookies`)."""
        url = self.request_urls.get(params.get("requestId"))
        if not url:
            # a request a script makes while it keeps the page busy (a click handler's) is told of once it
            # returns, by which time a quick answer may have come: its cookies wait for its URL
            with self.lock:
                self.early_answers[params.get("requestId")] = params
            return
        if params.get("requestId") in self.probes:
            return
        headers = {k.lower(): v for k, v in (params.get("headers") or {}).items()}
        blocked = {(b.get("cookieLine") or "").strip() for b in params.get("blockedCookies") or []}
        for line in (headers.get("set-cookie") or "").split("\n"):
            name = line.split("=", 1)[0].strip()
            if name and line.strip() not in blocked:
                self.set_cookie.setdefault(name, url)
                with self.lock:
                    self.set_cookie_lines.append((line, url, self.page_url))

    def _request(self, params):
        url = params.get("request", {}).get("url", "")
        with self.lock:
            self.inflight[params.get("requestId")] = now()
            self.request_urls[params.get("requestId")] = url
            self.last_activity = now()
            early = self.early_answers.pop(params.get("requestId"), None)
        if params.get("request", {}).get("urlFragment") == PROBE_MARK or params.get("requestId") in self.probes:
            self.probes.add(params.get("requestId"))          # the audit's own, redirects included
            return
        if early:
            self._set_cookies(early)
        scheme = url.split(":", 1)[0].lower()
        page = self.page_url
        if scheme not in ("http", "https", "ws", "wss") or not page:
            return
        host = host_of(url)
        if not host or host == host_of(page):
            return
        with self.lock:
            self.requests.append({"host": host, "url": url[:500], "page": page,
                                  "document": (params.get("documentURL") or "")[:500] or None,
                                  "initiator": initiator_of(params.get("initiator") or {}),
                                  "type": params.get("type") or None})

    # -- page ----------------------------------------------------------------------------------------------
    def evaluate(self, expression, timeout=None, session=None):
        result = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                        "awaitPromise": True}, session or self.session, timeout)
        if "exceptionDetails" in result:
            raise PageError(result["exceptionDetails"].get("text", "script error"))
        return result.get("result", {}).get("value")

    def try_evaluate(self, expression, session=None, timeout=5):
        try:
            return self.evaluate(expression, timeout, session)
        except (PageError, BrowserError):
            return None

    def navigate(self, url):
        """Load `url` and wait for its load event; PageError when it does not load."""
        self.try_evaluate("window.__auditStale = true")
        with self.lock:
            self.page_url = url
            self.console = []
            self.inflight.clear()          # the last document's requests: no answer to wait for
        answer = self.send("Page.navigate", {"url": url}, LOAD_TIMEOUT)
        if answer.get("errorText"):
            raise PageError(answer["errorText"])
        if not wait_until(lambda: self.try_evaluate(
                "!window.__auditStale && document.readyState === 'complete'"), LOAD_TIMEOUT):
            raise PageError("the page did not finish loading within %d s" % LOAD_TIMEOUT)
        self.page_url = self.try_evaluate("location.href") or url

    def wait_reload(self, timeout):
        """After a click: whether the page reloaded (then wait for it to finish loading)."""
        if not wait_until(lambda: self.try_evaluate("!window.__auditStale") is True, timeout):
            return False
        with self.lock:
            self.inflight.clear()
        wait_until(lambda: self.try_evaluate("document.readyState === 'complete'"), LOAD_TIMEOUT)
        return True

    def wait_started(self, optional):
        """The page's state once the banner has started (or None when the page has no loader of ours);
        `failed` says why the banner did not start."""
        state = self.state(optional)
        if not state or not state["loader"]:
            return None
        state = wait_until(lambda: (lambda s: s if s and s["ready"] and s["events"] else None)(
            self.state(optional)), START_TIMEOUT) or self.state(optional)
        if not state["ready"] or not state["events"]:
            ours = [m for m in self.console if "consent-banner" in m] or self.console
            state["failed"] = ours[0][:300] if ours else "it did not start within %d s" % START_TIMEOUT
        return state

    def state(self, optional):
        return self.try_evaluate(PAGE_STATE % json.dumps(list(optional)))

    def settle(self):
        """Wait for the network to be quiet: QUIET without a request or an answer, none awaited but for
        longer than STALLED; at most QUIET_MAX."""
        start = now()
        while now() - start < QUIET_MAX:
            with self.lock:
                moment = now()
                quiet = moment - self.last_activity >= QUIET and all(
                    moment - sent >= STALLED for sent in self.inflight.values())
            if quiet:
                return
            time.sleep(0.05)

    def click(self, selector):
        """Click the control `selector` where it is on screen; its label, or an error saying why not."""
        spot = self.try_evaluate(LOCATE % json.dumps(selector))
        if spot is None:
            return None, "no %s on the page" % selector
        if not spot["width"] or not spot["height"]:
            return spot, "« %s » is not visible" % spot["label"]
        if not spot["reached"]:
            return spot, "« %s » is covered by %s" % (spot["label"], spot["covering"] or "another element")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": spot["x"], "y": spot["y"], "button": "left",
                                                   "buttons": 1 if kind == "mousePressed" else 0, "clickCount": 1})
        return spot, None

    def cookies(self):
        return self.browser.send("Storage.getCookies", {"browserContextId": self.context})["cookies"]

    def page_cookie(self, name):
        """The `name` cookie this page sends (its newest copy when there are several)."""
        found = [c for c in self.send("Network.getCookies", {"urls": [self.page_url]})["cookies"]
                 if c["name"] == name]
        return found[-1]["value"] if found else None

    def storage(self):
        """[(origin, kind, name)] of the page and of each of its frames."""
        found = []
        sessions = [self.session] + [s for s, info in list(self.children.items()) if info.get("type") == "iframe"]
        for session in sessions:
            value = self.try_evaluate(STORAGE, session)
            if not value or not value.get("origin") or value["origin"] == "null":
                continue
            for kind in ("local", "session", "indexeddb"):
                found.extend((value["origin"], kind, name) for name in value.get(kind) or [])
        return found

    def writes(self):
        return self.try_evaluate("(window.__consentAudit || {writes: []}).writes.splice(0)") or []

    def screenshot(self):
        return self.send("Page.captureScreenshot", {"format": "jpeg", "quality": 70})["data"]

    def close(self):
        try:
            self.browser.send("Target.disposeBrowserContext", {"browserContextId": self.context}, timeout=10)
        except BrowserError:
            pass
        for session in [s for s, tab in list(self.events.items()) if tab is self]:
            self.events.pop(session, None)


def initiator_of(initiator):
    """The script that caused a request (DevTools' initiator: the top of its stack), else the document and
    line the parser was at (`URL:LINE`: a request made by a script the parser was running, as Chromium
    reports some), else the document."""
    stack = initiator.get("stack")
    while stack:
        for frame in stack.get("callFrames", []):
            if frame.get("url"):
                return frame["url"][:500]
        stack = stack.get("parent")
    url = (initiator.get("url") or "")[:500]
    if url and initiator.get("type") == "parser" and isinstance(initiator.get("lineNumber"), int):
        return "%s:%d" % (url, initiator["lineNumber"] + 1)
    return url or None


class Recorder:
    """What one state stores: cookies, storage keys and requests, each with where it was first seen, from
    its creation on, or from `since` (a Tab.mark()) when given (requests and Set-Cookie headers the tab saw
    before are not its own)."""

    def __init__(self, tab, since=None):
        self.tab = tab
        self.cookies = {}              # (name, domain, path) -> record
        self.storage = {}              # (origin, kind, name) -> record
        self.written = {}              # (kind, cookie or key name) -> script that wrote it
        self.written_cookies = {}      # cookie name -> a record made from what set it (its first setting)
        self.requests_from, self.lines_from = since or tab.mark()
        self.seen_requests = {}
        self.requests = []

    def snapshot(self, page):
        tab = self.tab
        taken = now()
        for write in tab.writes():
            name = write.get("text", "").split("=", 1)[0].strip() if write.get("kind") == "cookie" else write.get("text")
            if name and write.get("script"):
                self.written.setdefault((write.get("kind"), name), write["script"])
            if write.get("kind") == "cookie":
                self._written_cookie(write.get("text", ""), write.get("script"), page, taken)
        with tab.lock:
            lines = tab.set_cookie_lines[self.lines_from:]
            self.lines_from = len(tab.set_cookie_lines)
        for line, url, at in lines:
            self._written_cookie(line, url, at or page, taken, host_of(url))
        for cookie in tab.cookies():
            key = (cookie["name"], cookie.get("domain", ""), cookie.get("path", "/"))
            if key in self.cookies:
                continue
            session = cookie.get("session") or cookie.get("expires", -1) in (-1, None)
            self.cookies[key] = {
                "name": cookie["name"], "domain": cookie.get("domain", ""), "path": cookie.get("path", "/"),
                "expires": None if session else iso(cookie["expires"]),
                "lifetime": None if session else max(0, round(cookie["expires"] - taken)),
                "httpOnly": bool(cookie.get("httpOnly")), "secure": bool(cookie.get("secure")),
                "sameSite": cookie.get("sameSite"), "partitioned": bool(cookie.get("partitionKey")),
                "firstSeen": page,
                "setBy": tab.set_cookie.get(cookie["name"]) or self.written.get(("cookie", cookie["name"])),
            }
        for origin, kind, name in tab.storage():
            key = (origin, kind, name)
            if key not in self.storage:
                self.storage[key] = {"type": kind, "origin": origin, "name": name, "firstSeen": page,
                                     "setBy": self.written.get((kind, name))}
        with tab.lock:
            fresh = tab.requests[self.requests_from:]
            self.requests_from = len(tab.requests)
        for request in fresh:
            key = (request["host"], request["url"], request["page"])
            if key not in self.seen_requests:
                self.seen_requests[key] = request
                self.requests.append(request)
            elif not _is_script(self.seen_requests[key]["initiator"], request["page"]) and request["initiator"]:
                # the parser was named first; the script running when it asked is more precise
                self.seen_requests[key]["initiator"] = request["initiator"]

    def _written_cookie(self, text, by, page, taken, response_host=None):
        """Keep what set a cookie (not a deletion), in case the cookie is gone before a snapshot. A response's
        cookie (`response_host`: the host that answered) belongs to that host, a script's to its page's."""
        cookie = parse_set_cookie(text, taken)
        if cookie is None or cookie["deleted"] or cookie["name"] in self.written_cookies:
            return
        server = response_host is not None
        host = response_host if server else host_of(page)
        if cookie["httpOnly"] and not server or cookie["domain"] and not (
                host == cookie["domain"] or host.endswith("." + cookie["domain"])):
            return                                  # refused: a script's HttpOnly cookie, another site's domain
        self.written_cookies[cookie["name"]] = {
            "name": cookie["name"], "domain": cookie["domain"] or host, "path": cookie["path"] or "/",
            "expires": None if cookie["lifetime"] is None else iso(taken + cookie["lifetime"]),
            "lifetime": cookie["lifetime"], "httpOnly": cookie["httpOnly"], "secure": cookie["secure"],
            "sameSite": cookie["sameSite"], "partitioned": cookie["partitioned"], "firstSeen": page,
            "setBy": by, "transient": True}

    def result(self):
        """What the state recorded: every cookie, key and request seen after its decision. A cookie set (by a
        script or a response) but gone before any snapshot (deleted at once: by the banner's own clean-up of
        a refused category, say) is recorded too, `transient`: it was stored all the same."""
        cookies = list(self.cookies.values())
        seen = {c["name"] for c in cookies}
        cookies += [c for name, c in self.written_cookies.items() if name not in seen]
        return {"cookies": cookies, "storage": list(self.storage.values()), "requests": self.requests}


MAX_COOKIE_AGE = 400 * 86400         # what Chromium keeps at most (RFC 6265bis)


def parse_set_cookie(text, taken):
    """A cookie string (`document.cookie = ...` or a Set-Cookie line) read as Chromium would store it:
    {name, domain, path, lifetime (seconds, None for a session cookie, at most 400 days), deleted, httpOnly,
    secure, sameSite, partitioned}; None when it names no cookie."""
    parts = [part.strip() for part in (text or "").split(";")]
    name = parts[0].split("=", 1)[0].strip() if "=" in parts[0] else ""
    if not name:
        return None
    attributes = {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        attributes[key.strip().lower()] = value.strip()
    lifetime, deleted = None, False
    if "max-age" in attributes:
        try:
            lifetime = int(attributes["max-age"])
        except ValueError:
            lifetime = None
        else:
            deleted = lifetime <= 0
    elif "expires" in attributes:
        try:
            lifetime = round(parsedate_to_datetime(attributes["expires"]).timestamp() - taken)
        except (TypeError, ValueError, OverflowError):
            lifetime = None
        else:
            deleted = lifetime <= 0
    same_site = attributes.get("samesite", "").capitalize() or None
    return {"name": name, "domain": attributes.get("domain", "").lstrip(".").lower() or None,
            "path": attributes.get("path") or None, "deleted": deleted,
            "lifetime": None if lifetime is None else max(0, min(lifetime, MAX_COOKIE_AGE)),
            "httpOnly": "httponly" in attributes, "secure": "secure" in attributes,
            "sameSite": same_site if same_site in ("Strict", "Lax", "None") else None,
            "partitioned": "partitioned" in attributes}


def _is_script(initiator, page):
    """Whether an initiator names a script rather than the page (or the page's line)."""
    return bool(initiator) and not (initiator == page or initiator.startswith(page + ":"))


def same_page(a, b):
    return urldefrag(a)[0] == urldefrag(b)[0]


def candidate_links(links, start):
    """Same-origin page links, in order, once each, without fragments."""
    origin = urlsplit(start)[:2]
    seen, out = {urldefrag(start)[0]}, []
    for link in links:
        url = urldefrag(link)[0]
        parts = urlsplit(url)
        if parts[:2] != origin or url in seen or NOT_PAGES.search(parts.path):
            continue
        seen.add(url)
        out.append(url)
    return out


def sitemap_urls(text, start):
    return candidate_links(re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text or ""), start)


def manifest_ref(config_text, page_url):
    """What a page's data-config names as its manifest: an absolute URL, or the inline manifest's JSON."""
    try:
        config = json.loads(config_text or "null")
    except ValueError:
        return None
    if not isinstance(config, dict):
        return None
    manifest = config.get("manifest")
    if isinstance(manifest, str):
        return urljoin(page_url, manifest.strip())
    if isinstance(manifest, dict):
        return json.dumps(manifest, sort_keys=True)
    return None


def screenshot_record(tab, state_id, caption):
    return {"file": "%s.jpg" % state_id, "page": tab.page_url, "takenAt": iso(now()), "caption": caption,
            "data": tab.screenshot()}

