"""Every browser call the banner makes, in one object: cookies, clock, randomness, regular expressions,
storage, events, Google's gtag, beacons and lazily loaded bundles. The core receives what it needs from
here as plain values and callables; nothing else in banner/ui touches `window` directly."""

from banner.lang import SHIPPED, IN_MAIN_BUNDLE
from banner.cookies import parse_cookie_header
from banner.errors import CONSOLE_PREFIX
from banner.ui.dom import PENDING_KEY, PENDING_MAX_AGE_MS, PRERENDERED_ATTR, RELOAD_NOTE_KEY
from banner.ui.scripts import UNMARKED_SELECTOR

EVENT = "consent:change"
IDLE_TIMEOUT_MS = 2000             # when_idle: the page is never idle enough, prefetch anyway after this
PAINT_WAIT_MS = 100                 # after_paint: a frame that does not come this soon is not coming
IDLE_FALLBACK_MS = 200              # when_idle without requestIdleCallback (WebKit before 18)
CHANNEL = "consent-banner"          # the BroadcastChannel the loader opens: every tab of the site hears it
# The hand-off with the loader: `window.__consentBoot`, declared whole in one object literal at the top of
# static/src/consent.js. Python reads and sets only these names (tests/core/test_handoff.py keeps the two
# declarations equal and checks every use on both sides).
HANDOFF = (                    # the names, each with what it holds (comments: they cost the page nothing)
    "config",            # the raw data-config text (boot.py)
    "manifestText",      # a promise of the manifest's text, fetched while the runtime loads (boot.py)
    "pending",           # footer-link clicks held until `ready` (boot.py)
    "roots",             # shadow roots handed to consentBanner.apply() before start-up (boot.py)
    "ready",             # set by Python (or a failure): clicks are answered from now on
    "later",             # later(step): the step in a task of its own (boot.py)
    "nonce",             # the loader's CSP nonce, given to live copies of blocked scripts
    "build",             # the hash of the shipped code, for the consent log's records
    "actions",           # clicks on the painted first layer, replayed by Python
    "paintedFor",        # the manifest content the painted layer was built from (fingerprint.layer_key)
    "layer",             # the one first layer shown ahead of Python: the loader's, or the server's beside its tag
    "ran",               # categories whose scripts the loader ran early
    "afterEarly",        # afterEarly(then): Python's script queue waits for the loader's
    "announce",          # announce(): tell the other tabs a decision was stored
    "otherTab",          # set by Python: called when another tab announces a decision
    "signal",            # signal(signals): run vendor signals (banner/vendors.py) on the tools' globals
    "observer",          # observer(selector, callback): a MutationObserver filtering its records natively
    "load",              # load(name): a promise of a lazily loaded bundle (consent-NAME.js)
    "opening",           # opening(on): the veil saying the centre is on its way, shown or lifted
    "openLink",          # set by Python: openLink(link), a footer link clicked once `ready` (boot.py)
    "hash",              # hash(text): FNV-1a over code points in JavaScript, for banner.fnv (boot.py)
    "runtimeSteps",      # runtimeSteps(steps): the runtime's evaluation, in tasks (brython.js calls it)
    "bundle",            # bundle(stamp, vfs, modules): a compiled bundle registers itself (tools/release.py)
)


class Page:
    """The browser as the core needs it, in one place (tests in CPython never import this module)."""

    def __init__(self, window, document, handoff):
        self.window = window
        self.document = document
        self.handoff = handoff          # window.__consentBoot (HANDOFF)
        self._regexes = {}
        self.painting = []              # after_paint's work still waiting, in the order asked

    @property
    def cookie_text(self):
        return self.document.cookie

    def write_cookie(self, text):
        self.document.cookie = text

    def check_written(self, name):
        """Say so when the browser dropped the cookie `name` just written (a `cookieDomain` that is a public
        suffix, cookies blocked for the site): the choice then holds on this page only."""
        if not any(found == name for found, _ in parse_cookie_header(self.cookie_text)):
            self.error("the choice could not be stored: the browser refused the %s cookie (a cookieDomain it "
                       "will not set, or cookies blocked for this site); it holds on this page only" % name)

    @property
    def hostname(self):
        return self.window.location.hostname

    @property
    def path(self):
        return self.window.location.pathname

    @property
    def secure(self):
        return self.window.location.protocol == "https:"

    def now(self):
        return self.window.Date.now()

    def random_bytes(self, count):
        buffer = self.window.Uint8Array.new(count)
        self.window.crypto.getRandomValues(buffer)
        return [buffer[i] for i in range(count)]

    def regex_ok(self, pattern, name=None):
        """Whether `pattern` compiles as a RegExp; given a `name`, whether it also finds a match in it
        (banner.manifest's contract)."""
        try:
            compiled = self.window.RegExp.new(pattern)
        except Exception:
            return False
        return name is None or bool(compiled.test(name))

    def regex_test(self, pattern, name):
        if pattern not in self._regexes:
            self._regexes[pattern] = self.window.RegExp.new(pattern)
        return bool(self._regexes[pattern].test(name))

    def storage_keys(self, area="localStorage"):
        """The keys of localStorage or sessionStorage."""
        try:
            store = getattr(self.window, area)
            return [store.key(i) for i in range(store.length)]
        except Exception:
            return []     # storage disabled by the visitor: nothing of ours can be there

    def remove_storage_key(self, key, area="localStorage"):
        getattr(self.window, area).removeItem(key)

    def live_script_sources(self):
        """The `src` of the page's scripts the banner did not run (neither blocked nor sent live by a server)."""
        found = self.document.querySelectorAll(UNMARKED_SELECTOR)
        return [found.item(i).getAttribute("src") for i in range(found.length)]

    def error(self, message):
        self.window.console.error(CONSOLE_PREFIX + message)

    def warn(self, message):
        self.window.console.warn(CONSOLE_PREFIX + message)

    @property
    def gpc(self):
        return getattr(self.window.navigator, "globalPrivacyControl", False) is True

    def consent_default_sent(self):
        """Whether dataLayer already holds gtag("consent", "default", ...) (the server's consent-mode.js)."""
        layer = getattr(self.window, "dataLayer", None)
        if not layer:
            return False
        for i in range(layer.length):
            entry = layer[i]
            if getattr(entry, "length", 0) >= 2 and entry[0] == "consent" and entry[1] == "default":
                return True
        return False

    def gtag(self, *args):
        """Google's gtag(): dataLayer needs the Arguments object itself, which only a JS function makes."""
        if not getattr(self.window, "gtag", None):
            self.window.eval("window.dataLayer = window.dataLayer || [];"
                             "window.gtag = function () { dataLayer.push(arguments); };")
        self.window.gtag(*args)

    def signal(self, signals):
        """Vendor signals (banner/vendors.py), run by the loader's copy of static/src/signals.js."""
        if signals:
            self.handoff.signal(signals)

    RETRY_DELAYS = (500, 2000, 6000)      # ms: three more attempts within the page view

    def send(self, url, record, attempt=0):
        """POST a JSON record without ever delaying the visitor. fetch keepalive first, since its answer
        says whether the record was stored: a network error, a 5xx, 408 or 429 is retried after each of
        RETRY_DELAYS; a record still unsent when the page goes away leaves by sendBeacon. sendBeacon
        alone (no fetch) can only tell that it queued the record."""
        window = self.window
        body = window.JSON.stringify(record)
        if not getattr(window, "fetch", None):
            return self._beacon(url, body) or self.warn("consent log not sent (no fetch, no sendBeacon)")
        waiting = []                      # the retry timer, while one is set

        def later():
            waiting.clear()
            self.send(url, record, attempt + 1)

        def unload(event):                # only while waiting: a fetch in flight outlives the page itself
            if waiting:
                window.clearTimeout(waiting.pop())
                self._beacon(url, body)

        def retry(reason):
            if attempt < len(self.RETRY_DELAYS):
                waiting.append(window.setTimeout(later, self.RETRY_DELAYS[attempt]))
                window.addEventListener("pagehide", unload, {"once": True})
            else:
                self.warn("consent log not sent after %d attempts (%s)" % (attempt + 1, reason))

        def answered(response):
            if response.ok:
                return
            if response.status >= 500 or response.status in (408, 429):
                retry("HTTP %s" % response.status)
            else:
                self.warn("consent log refused the record (HTTP %s)" % response.status)

        try:
            window.fetch(url, {"method": "POST", "body": body, "keepalive": True, "credentials": "same-origin",
                               "headers": {"Content-Type": "application/json"}}).then(
                answered, lambda reason: retry(str(reason)))
        except Exception as error:
            retry(str(error))

    def _beacon(self, url, body):
        try:
            blob = self.window.Blob.new([body], {"type": "application/json"})
            beacon = getattr(self.window.navigator, "sendBeacon", None)
            return bool(beacon and self.window.navigator.sendBeacon(url, blob))
        except Exception:
            return False

    @property
    def build(self):
        """The build hash the loader carries (tools/release.py), "" in a loader built without one."""
        return getattr(self.handoff, "build", None) or ""

    def dispatch(self, accepted):
        event = self.window.CustomEvent.new(EVENT, {"detail": {"accepted": list(accepted)}})
        self.document.dispatchEvent(event)

    @property
    def available_languages(self):
        """Built-in languages whose strings this page has: the start-up bundle's, plus each language
        bundle the loader added because data-config lists that language."""
        vfs = self.window.__BRYTHON__.VFS
        return [c for c in SHIPPED if c in IN_MAIN_BUNDLE or getattr(vfs, "banner.lang." + c, None) is not None]

    @property
    def nonce(self):
        """The CSP nonce of the banner's own script tag ("" without one)."""
        return getattr(self.handoff, "nonce", None) or ""

    def early_actions(self):
        """Actions clicked on the loader's ahead-of-time banner before Python started."""
        actions = getattr(self.handoff, "actions", None)
        return [actions[i] for i in range(actions.length)] if actions else []

    def reload_note(self):
        """Whether the banner left a note of the visitor's place when it reloaded the last page (carry.py)."""
        try:
            return bool(self.window.sessionStorage.getItem(RELOAD_NOTE_KEY))
        except Exception:
            return False

    def forget_kept_choice(self, actions):
        """Remove the decision the loader kept in localStorage for Python (clicked before it ran) once
        judged: the one this page carried or kept (its action among `actions`, the clicks Python has just
        replayed), or one too old or unreadable to count. Another tab's, kept after this page's loader
        looked, stays for the site's next page."""
        try:
            storage = self.window.localStorage
            text = storage.getItem(PENDING_KEY)
            if not text:
                return
            try:
                kept = self.window.JSON.parse(text)
                action, age = kept.action, self.now() - kept.at
                limit = PENDING_MAX_AGE_MS.get(action)
                judged = action in actions or limit is None or not 0 <= age <= limit
            except Exception:
                judged = True                   # not a record of ours any more
            if judged:
                storage.removeItem(PENDING_KEY)
        except Exception:
            pass            # storage disabled: the loader could not keep one either

    def painted_layer(self):
        """The first layer shown ahead of Python that the live banner takes over: the one the loader painted,
        or the one the server wrote with the loader's tag (the loader's `layer`), while it is in the page
        and still marked; else None. Never another element with its marks: the page's content can have them."""
        layer = getattr(self.handoff, "layer", None)
        if not layer or not layer.isConnected or not layer.hasAttribute(PRERENDERED_ATTR):
            return None
        return layer

    def painted_for(self):
        """The manifest content (fingerprint.layer_key) the loader's ahead-of-time banner was built from,
        or None when it painted none."""
        return getattr(self.handoff, "paintedFor", None)

    def announce_decision(self):
        """Tell the site's other tabs that the stored choice changed (the loader's BroadcastChannel)."""
        announce = getattr(self.handoff, "announce", None)
        if announce:
            announce()

    def on_other_tab(self, handler):
        """`handler()` when another tab of the site announces a decision."""
        self.handoff.otherTab = lambda *args: handler()

    def early_ran(self):
        """Categories whose blocked scripts the loader ran before Python started (its early path)."""
        ran = getattr(self.handoff, "ran", None)
        return [ran[i] for i in range(ran.length)] if ran else []

    def after_early_scripts(self, then):
        """True when the loader is still running blocked scripts early: it calls `then()` once done."""
        return bool(getattr(self.handoff, "afterEarly", None) and self.handoff.afterEarly(lambda: then()))

    def opening(self, on):
        """The veil saying the preferences centre is on its way (consent.css .cb-opening): shown in the
        click's own frame while the centre's code downloads, lifted once it opens or cannot. The loader's
        drawing, the one it shows for clicks made before Python runs; none without a loader. Lifting it
        answers False when the visitor dismissed it meanwhile (Escape, a click on it): no centre then."""
        veil = getattr(self.handoff, "opening", None)
        return veil(bool(on)) is not False if veil else True

    def observer(self, selector, callback):
        """A MutationObserver calling `callback(found, removed)` only for added nodes matching `selector`
        or removals (the loader's filter: one Python call per relevant batch, not one per added node)."""
        return self.handoff.observer(selector, callback)

    @property
    def save_data(self):
        """The visitor's browser asks sites to use less data (Save-Data, navigator.connection.saveData)."""
        connection = getattr(self.window.navigator, "connection", None)
        return bool(connection and getattr(connection, "saveData", False) is True)

    def observe_size(self, node, resized):
        """Call `resized()` whenever `node` changes size (a ResizeObserver, where the browser has one)."""
        if not getattr(self.window, "ResizeObserver", None):
            return None
        observer = self.window.ResizeObserver.new(lambda entries, observer: resized())
        observer.observe(node)
        return observer

    def after_paint(self, then):
        """`then()` in a task after the page's next frame is painted: what a click shows (the banner gone,
        the veil) reaches the screen before the work that follows it (Interaction to Next Paint). In the
        order asked: a centre asked for just after a decision opens once that decision is applied. A
        page that paints no frame (hidden, or hidden meanwhile) gets it in a task at once, or after
        PAINT_WAIT_MS at the latest."""
        self.painting.append(then)
        if len(self.painting) > 1:
            return
        window, done = self.window, []

        def run(*args):
            if not done:
                done.append(True)
                while self.painting:
                    then = self.painting.pop(0)
                    try:
                        then()
                    except Exception as error:      # reported here (callers need no guard); the rest runs
                        self.error("after a click: %s: %s" % (type(error).__name__, error))
        if self.document.visibilityState != "visible":
            window.setTimeout(run, 0)
            return
        window.requestAnimationFrame(lambda *args: window.setTimeout(run, 0))
        window.setTimeout(run, PAINT_WAIT_MS)

    def when_idle(self, then):
        """`then()` once the page is idle (requestIdleCallback, at the latest after IDLE_TIMEOUT_MS; a
        timeout where the browser has none): low-priority work such as prefetching the extra bundle."""
        idle = getattr(self.window, "requestIdleCallback", None)
        if idle:
            self.window.requestIdleCallback(lambda *args: then(), {"timeout": IDLE_TIMEOUT_MS})
        else:
            self.window.setTimeout(lambda *args: then(), IDLE_FALLBACK_MS)

    def load_bundle(self, name, then, failed):
        """Fetch a lazily loaded part of the banner (consent-NAME.js) once, then call `then()`."""
        self.handoff.load(name).then(  # (a plain attribute would be name-mangled)
           lambda _: then(), lambda reason: failed(str(reason)))
