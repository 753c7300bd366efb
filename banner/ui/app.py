"""The controller of one page view: it owns the Session, applies its answers to the page, and forwards
DOM events to it. Browser I/O goes through `Page` (page.py).

Start-up cost matters (every module is compiled in the page), so what the first layer does not need
lives in the "extra" bundle (preferences centre, policy page, embeds, reopen button, Google Consent Mode,
consent log) and is imported only once needed: at start when the page or config uses it, else on the
first sign of intent (pointer or focus on "Personnaliser" or the footer link) and at the latest on click.
"""

from banner.session import Session
from banner.cookies import new_consent_id
from banner.i18n import strings, interface_language, language_cookie, direction
from banner.ui.dom import h, focus_main, closest, EMBED_SELECTOR, POLICY_SELECTOR
from banner.ui import notice, scripts

INTENT_SELECTOR = "[data-cb-action=customise], [data-consent-open]"


class App:
    def __init__(self, page, config, manifest):
        self.page = page
        self.doc = page.document
        self.config = config
        self.manifest = manifest
        available = page.available_languages
        self.lang = interface_language(config.language, available)
        self.direction = direction(config.language)
        self.strings = strings(config.language, available)
        self.session = Session(manifest, config, page.cookie_text, page.now(), page.secure, page.gpc)
        self.banner = None
        self.dialog = None
        self.opener = None
        self.live = None
        self.embeds = None       # embeds.Embeds, once the extra bundle is in
        self.extra_ready = False
        self.ran = []            # categories whose scripts already ran in this page view

    # -- the extra bundle -------------------------------------------------------------------------
    def with_extra(self, then):
        """Run `then` once the extra bundle is loaded (at once when it already is)."""
        if self.extra_ready:
            return then()

        def loaded():
            if not self.extra_ready:
                self.extra_ready = True
                # the centre's, policy page's and embeds' strings came with the extra bundle
                self.strings.update(strings(self.config.language, self.page.available_languages, complete=True))
            then()
        self.page.load_bundle("extra", self.guard(loaded),
                              lambda reason: self.page.error("cannot load the preferences centre (%s)" % reason))

    def needs_extra_at_start(self):
        return bool(self.config.google_consent_mode or self.config.reopen_button or self.config.consent_log
                    or self.doc.querySelector(EMBED_SELECTOR) or self.doc.querySelector(POLICY_SELECTOR))

    # -- start-up -------------------------------------------------------------------------------
    def start(self):
        self.live = self._live_region()
        if self.needs_extra_at_start():
            self.with_extra(self.start_with_extra)
        else:
            self.finish_start()
        self.doc.addEventListener("pointerover", self.guard(self.on_intent))
        self.doc.addEventListener("visibilitychange", self.guard(self.on_visible))
        self.doc.addEventListener("focusin", self.guard(self.on_intent))

    def start_with_extra(self):
        from banner.ui import policy, reopen
        from banner.ui.embeds import Embeds
        self.google_default()
        policy.fill(self.doc, self.strings, self.manifest, self.config, self.lang, self.direction)
        self.embeds = Embeds(self)
        if self.config.reopen_button:
            self.doc.body.appendChild(reopen.build(self.doc, self.strings, self.config.reopen_button, self.lang,
                                                   self.direction))
        self.finish_start()

    def finish_start(self):
        self.apply()
        self.observe_embeds()
        if self.session.needs_banner:
            self.show()
        else:
            self.drop_prerendered()
        self.page.dispatch(self.session.accepted)
        if self.session.decided:
            self.google_update()
        self.replay(self.page.early_actions())

    def replay(self, actions):
        """Clicks made on the ahead-of-time banner while Python was starting, in order, until one of
        them ends the banner."""
        for action in actions:
            if self.banner is None:
                return
            if action.startswith("language:"):
                return self.choose_language(action[len("language:"):])
            if action == "customise":
                return self.show_preferences(self.banner.querySelector("[data-cb-action=customise]"))
            if action in ("accept_all", "reject_all"):
                self.decide(action)

    def drop_prerendered(self):
        painted = self.doc.querySelector("[data-cb-prerendered]")
        if painted is not None:
            had_focus = painted.contains(self.doc.activeElement)
            painted.remove()
            if had_focus:
                focus_main(self.doc)

    def on_intent(self, event):
        if not self.extra_ready and closest(event.target, INTENT_SELECTOR) is not None:
            self.with_extra(lambda: None)

    def _live_region(self):
        region = h(self.doc, "div", {"class": "cb-sr-only", "role": "status", "aria-live": "polite",
                                     "lang": self.lang, "dir": self.direction, "data-cb-ui": True})
        self.doc.body.appendChild(region)
        return region

    def apply(self):
        """Make the page match the session: clear refused categories, run accepted content."""
        accepted = self.session.accepted
        for text in self.session.cookies_to_erase(self.page.cookie_text, self.page.hostname, self.page.regex_test):
            self.page.write_cookie(text)
        for key in self.session.storage_keys_to_remove(self.page.storage_keys(), self.page.regex_test):
            self.page.remove_storage_key(key)
        if self.embeds is not None:
            self.embeds.refresh(accepted)
        self.ran += scripts.activate_scripts(self.doc, accepted, self.page.error, self.page.nonce)

    def observe_embeds(self):
        """Iframes the portal adds after start-up get the same treatment as the first ones."""
        def added(records, observer):
            for record in records:
                nodes = record.addedNodes
                for i in range(nodes.length):
                    node = nodes.item(i)
                    if node.nodeType == 1 and (node.matches(EMBED_SELECTOR) or node.querySelector(EMBED_SELECTOR)):
                        return self.with_extra(self.refresh_embeds)
        observer = self.page.window.MutationObserver.new(self.guard(added))
        observer.observe(self.doc.documentElement, {"childList": True, "subtree": True})

    def refresh_embeds(self):
        if self.embeds is None:
            from banner.ui.embeds import Embeds
            self.embeds = Embeds(self)
        self.embeds.refresh(self.session.accepted)

    def google_default(self):
        mapping = self.config.google_consent_mode
        if not mapping:
            return
        from banner.google import consent_default, unknown_categories
        unknown = unknown_categories(mapping, self.manifest)
        if unknown:
            self.page.error("data-config: googleConsentMode: unknown categories %s" % ", ".join(unknown))
        self.page.gtag("consent", "default", consent_default(mapping))

    def google_update(self):
        if self.config.google_consent_mode:
            from banner.google import consent_update
            self.page.gtag("consent", "update", consent_update(self.config.google_consent_mode,
                                                               self.session.accepted))

    # -- first layer ------------------------------------------------------------------------------
    def show(self):
        if self.banner is not None:
            return
        self.banner = notice.build(self.doc, self.strings, self.manifest, self.config, self.lang, self.direction,
                                   self.session.changed)
        self.banner.addEventListener("click", self.guard(self.on_click))
        painted = self.doc.querySelector("[data-cb-prerendered]")
        if painted is None:
            self.doc.body.insertBefore(self.banner, self.doc.body.firstChild)   # early in the tab order
        else:
            notice.take_place(self.doc, painted, self.banner)     # the loader painted it ahead of time
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
            root.style.removeProperty("padding-bottom")
        else:
            height = str(self.banner.offsetHeight) + "px"
            root.style.setProperty("scroll-padding-bottom", height)
            # scroll-padding alone adds no scroll room: without this, the end of a short page (the footer
            # link "Gestion des cookies") stays under the banner, for the mouse and for keyboard focus.
            root.style.setProperty("padding-bottom", height)

    # -- preferences centre -----------------------------------------------------------------------
    def show_preferences(self, opener=None):
        opener = opener or self.doc.activeElement
        self.with_extra(lambda: self.open_dialog(opener))

    def open_dialog(self, opener):
        if self.dialog is not None:
            return
        from banner.ui import preferences
        self.opener = opener
        self.dialog = preferences.build(self.doc, self.strings, self.manifest, self.config, self.lang,
                                        self.direction, self.session.accepted)
        self.dialog.addEventListener("click", self.guard(self.on_click))
        self.dialog.addEventListener("change", self.guard(self.on_switch))
        self.dialog.addEventListener("close", self.guard(self.on_dialog_closed))
        dialog = self.dialog

        def cycle_focus(event):
            preferences.keep_focus_inside(self.doc, dialog, event)
        self.dialog.addEventListener("keydown", self.guard(cycle_focus))
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
        before, previous = self.session.accepted, self.session.consent
        consent_id = new_consent_id(self.page.random_bytes(16))
        self.page.write_cookie(self.session.decide(action, self.page.now(), consent_id, choices))
        if self.config.consent_log:
            self.with_extra(lambda: self.log(previous, action))
        self.after_change(before)
        self.live.textContent = ""
        self.live.textContent = self.strings["saved"]

    def log(self, previous, action):
        from banner.record import decision_record
        self.page.send(self.config.consent_log, decision_record(
            self.session.consent, previous, action, self.config.language, self.manifest))

    def accept_category(self, category_id):
        """"Toujours autoriser" on an embed: the current choice plus this category."""
        chosen = [c for c in self.session.accepted if c in self.manifest.optional_ids]
        if category_id in self.manifest.optional_ids and category_id not in chosen:
            self.decide("custom", chosen + [category_id])

    def after_change(self, before):
        accepted = self.session.accepted
        self.close_preferences()
        self.hide()
        self.apply()
        self.page.dispatch(accepted)
        self.google_update()
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

    def on_visible(self, event):
        if self.doc.visibilityState == "visible":
            self.resync()

    def resync(self, event=None):
        """Another tab may have decided: re-read the cookie when this one regains focus."""
        before, was = self.session.accepted, self.session.consent
        self.session.load(self.page.cookie_text, self.page.now())
        if self.session.consent == was:
            return
        if self.session.decided and not self.session.changed:
            self.after_change(before)
        elif self.session.needs_banner:
            self.show()

    def guard(self, handler):
        """Exceptions in DOM handlers would only reach the console as "[object Object]"; name them."""
        def run(*args):
            try:
                return handler(*args)
            except Exception as error:
                self.page.error("%s in %s: %s" % (type(error).__name__, getattr(handler, "__name__", "handler"),
                                                  error))
        return run
