"""The controller of one page view: it owns the Session, applies its answers to the page, and forwards
DOM events to it. Page I/O (cookies, clock, randomness, regular expressions) goes through `Page`."""

from banner.session import Session
from banner.cookies import new_consent_id
from banner.i18n import strings, interface_language, language_cookie
from banner.ui.dom import focus_main, closest
from banner.ui import notice, preferences, scripts

EVENT = "consent:change"


class Page:
    """The browser as the core needs it, in one place (tests in CPython never import this module)."""

    def __init__(self, window, document):
        self.window = window
        self.document = document
        self._regexes = {}

    @property
    def cookie_text(self):
        return self.document.cookie

    def write_cookie(self, text):
        self.document.cookie = text

    @property
    def hostname(self):
        return self.window.location.hostname

    @property
    def secure(self):
        return self.window.location.protocol == "https:"

    def now(self):
        return self.window.Date.now()

    def random_bytes(self, count):
        buffer = self.window.Uint8Array.new(count)
        self.window.crypto.getRandomValues(buffer)
        return [buffer[i] for i in range(count)]

    def regex_ok(self, pattern):
        try:
            self.window.RegExp.new(pattern)
        except Exception:
            return False
        return True

    def regex_test(self, pattern, name):
        if pattern not in self._regexes:
            self._regexes[pattern] = self.window.RegExp.new(pattern)
        return bool(self._regexes[pattern].test(name))

    def storage_keys(self):
        try:
            store = self.window.localStorage
            return [store.key(i) for i in range(store.length)]
        except Exception:
            return []     # storage disabled by the visitor: nothing of ours can be there

    def remove_storage_key(self, key):
        self.window.localStorage.removeItem(key)

    def error(self, message):
        self.window.console.error("consent-banner: " + message)

    def warn(self, message):
        self.window.console.warn("consent-banner: " + message)

    def dispatch(self, accepted):
        event = self.window.CustomEvent.new(EVENT, {"detail": {"accepted": list(accepted)}})
        self.document.dispatchEvent(event)


class App:
    def __init__(self, page, config, manifest):
        self.page = page
        self.doc = page.document
        self.config = config
        self.manifest = manifest
        self.lang = interface_language(config.language)
        self.strings = strings(config.language)
        self.session = Session(manifest, config, page.cookie_text, page.now(), page.secure)
        self.banner = None
        self.dialog = None
        self.opener = None
        self.live = None
        self.ran = []            # categories whose scripts already ran in this page view

    # -- start-up -------------------------------------------------------------------------------
    def start(self):
        self.live = self._live_region()
        self.apply()
        if self.session.needs_banner:
            self.show()
        self.page.dispatch(self.session.accepted)

    def _live_region(self):
        from banner.ui.dom import h
        region = h(self.doc, "div", {"class": "cb-sr-only", "role": "status", "aria-live": "polite",
                                     "lang": self.lang, "data-cb-ui": True})
        self.doc.body.appendChild(region)
        return region

    def apply(self):
        """Make the page match the session: clear refused categories, run accepted content."""
        accepted = self.session.accepted
        for text in self.session.cookies_to_erase(self.page.cookie_text, self.page.hostname, self.page.regex_test):
            self.page.write_cookie(text)
        for key in self.session.storage_keys_to_remove(self.page.storage_keys(), self.page.regex_test):
            self.page.remove_storage_key(key)
        scripts.unload_iframes(self.doc, accepted)
        self.ran += scripts.activate_scripts(self.doc, accepted, self.page.error)
        scripts.activate_iframes(self.doc, accepted, self.page.error)

    # -- first layer ------------------------------------------------------------------------------
    def show(self):
        if self.banner is not None:
            return
        self.banner = notice.build(self.doc, self.strings, self.manifest, self.config, self.lang)
        self.banner.addEventListener("click", self.guard(self.on_click))
        self.doc.body.insertBefore(self.banner, self.doc.body.firstChild)   # early in the tab order
        self._reserve_space()

    def hide(self):
        if self.banner is None:
            return
        had_focus = self.banner.contains(self.doc.activeElement)
        self.banner.remove()
        self.banner = None
        self._reserve_space()
        if had_focus:
            focus_main(self.doc)

    def _reserve_space(self):
        """A sticky banner must never hide the focused element (WCAG 2.4.11): pad the page's scroll
        area by the banner's height."""
        root = self.doc.documentElement
        if self.banner is None:
            root.style.removeProperty("scroll-padding-bottom")
        else:
            root.style.setProperty("scroll-padding-bottom", str(self.banner.offsetHeight) + "px")

    # -- preferences centre -----------------------------------------------------------------------
    def show_preferences(self, opener=None):
        if self.dialog is not None:
            return
        self.opener = opener or self.doc.activeElement
        self.dialog = preferences.build(self.doc, self.strings, self.manifest, self.config, self.lang,
                                        self.session.accepted)
        self.dialog.addEventListener("click", self.guard(self.on_click))
        self.dialog.addEventListener("change", self.guard(self.on_switch))
        self.dialog.addEventListener("close", self.guard(self.on_dialog_closed))
        self.doc.body.appendChild(self.dialog)
        self.dialog.showModal()
        self.doc.getElementById("cb-prefs-title").focus()

    def close_preferences(self):
        if self.dialog is not None and self.dialog.open:
            self.dialog.close()          # fires "close" -> on_dialog_closed

    def on_dialog_closed(self, event):
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.remove()
        opener, self.opener = self.opener, None
        if opener is not None and opener.isConnected and opener != self.doc.body:
            opener.focus()
        elif self.banner is not None:
            self.banner.querySelector("button").focus()
        else:
            focus_main(self.doc)

    def on_switch(self, event):
        target = event.target
        category = target.getAttribute("data-cb-category")
        if category is None:
            return
        state = self.dialog.querySelector('[data-cb-state="%s"]' % category)
        state.textContent = self.strings["state_on"] if target.checked else self.strings["state_off"]

    # -- decisions ----------------------------------------------------------------------------------
    def on_click(self, event):
        target = closest(event.target, "[data-cb-action], [data-cb-language]")
        if target is None:
            return
        language = target.getAttribute("data-cb-language")
        if language is not None:
            return self.choose_language(language)
        action = target.getAttribute("data-cb-action")
        if action == "customise":
            self.show_preferences(target)
        elif action == "close":
            self.close_preferences()
        elif action == "save":
            boxes = self.dialog.querySelectorAll("input[data-cb-category]")
            chosen = [b.getAttribute("data-cb-category") for b in boxes if b.checked and not b.disabled]
            self.decide("custom", chosen)
        else:
            self.decide(action)

    def decide(self, action, choices=()):
        before = self.session.accepted
        consent_id = new_consent_id(self.page.random_bytes(16))
        self.page.write_cookie(self.session.decide(action, self.page.now(), consent_id, choices))
        self.after_change(before)
        self.live.textContent = ""
        self.live.textContent = self.strings["saved"]

    def after_change(self, before):
        accepted = self.session.accepted
        self.close_preferences()
        self.hide()
        self.apply()
        self.page.dispatch(accepted)
        withdrawn = [c for c in before if c not in accepted and c in self.ran]
        if withdrawn:
            # Scripts that already ran cannot be unloaded: a reload is the only way to stop them.
            self.page.window.location.reload()

    def choose_language(self, code):
        if code not in self.config.languages:
            return
        self.page.write_cookie(language_cookie(code, self.page.secure))
        self.page.window.location.reload()

    # -- public API and cross-tab -------------------------------------------------------------------
    def reset(self):
        before = self.session.accepted
        for text in self.session.forget(self.page.hostname):
            self.page.write_cookie(text)
        self.after_change(before)
        self.show()

    def resync(self, event=None):
        """Another tab may have decided: re-read the cookie when this one regains focus."""
        before, was = self.session.accepted, self.session.consent
        self.session.load(self.page.cookie_text, self.page.now())
        if self.session.consent == was:
            return
        if self.session.decided:
            self.after_change(before)
        elif self.session.needs_banner:
            self.show()

    def guard(self, handler):
        """Exceptions in DOM handlers would only reach the console as "[object Object]"; name them."""
        def run(event):
            try:
                handler(event)
            except Exception as error:
                self.page.error("%s in %s: %s" % (type(error).__name__, handler.__name__, error))
        return run
