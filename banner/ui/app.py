"""The controller of one page view: it owns the Session, applies its answers to the page, and forwards
DOM events to it. Browser I/O goes through `Page` (page.py); the first layer, the preferences centre,
the extra bundle, embeds and Google signals each have their own small controller, given only what they use.

Start-up cost matters (every module is compiled in the page), so what the first layer does not need
lives in the extra bundle (extra.py) and is imported only once needed: at start when the page or config
uses it, else on the first sign of intent (pointer or focus on "Personnaliser" or the footer link) and at
the latest on click.
"""

from banner.session import Session
from banner.fingerprint import layer_key
from banner.cookies import new_consent_id
from banner.i18n import strings, interface_language, language_cookie, direction
from banner.ui.dom import (h, closest, opening, EMBED_SELECTOR, POLICY_SELECTOR, OPEN_SELECTOR, ACTION_ATTR,
                           LANGUAGE_ATTR, LANGUAGE_ACTION, DECISIONS)
from banner.ui import notice
from banner.ui.scripts import Scripts, sent_live
from banner.ui.blocks import open_blocks, BLOCK_SELECTOR
from banner.ui import media
from banner.ui.watch import Watch
from banner.ui.extra import ExtraBundle
from banner.ui.first_layer import FirstLayer
from banner.ui.proof import ProofLog

INTENT_SELECTOR = "[%s=customise], %s" % (ACTION_ATTR, OPEN_SELECTOR)
CLICKABLE = "[%s], [%s]" % (ACTION_ATTR, LANGUAGE_ATTR)


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
        self.extra = ExtraBundle(page.load_bundle, self.extra_failed, self.guard, self.complete_strings)
        self.first_layer = FirstLayer(self.doc, self.build_banner, self.guard(self.on_click), self.observe_size)
        self.dialog = None       # preferences.Dialog, embeds.Embeds, signals.GoogleSignals: extra bundle
        self.embeds = None
        self.google = None
        self.vendors = None
        self.live = None
        self.reopen_button = None
        self.activated = False   # start-up has run the accepted content (run_accepted)
        self.waiting_extra = False   # start-up's extra part (with_extra) is still on its way
        self.announced = False
        self.ran = page.early_ran()   # categories whose scripts already ran in this page view (the loader's too)
        self.scripts = Scripts(self.doc, page.error, page.nonce,
                               lambda c, n, u: manifest.undeclared(c, n, u, page.hostname), page.after_early_scripts)
        self.watch = Watch(self)  # content added after start-up, and consentBanner.apply()
        self.proof = ProofLog(page, config, manifest, self.session, self.extra)

    def complete_strings(self):
        """The centre's, policy page's and embeds' strings came with the extra bundle."""
        self.strings.update(strings(self.config.language, self.page.available_languages, complete=True))

    def observe_size(self, node, resized):
        """Call `resized` whenever `node` changes size (a ResizeObserver, where the browser has one)."""
        if not getattr(self.page.window, "ResizeObserver", None):
            return None
        observer = self.page.window.ResizeObserver.new(self.guard(lambda entries, observer: resized()))
        observer.observe(node)
        return observer

    def build_banner(self, changed):
        return notice.build(self.doc, self.strings, self.manifest, self.config, self.lang, self.direction, changed)

    def extra_failed(self, message):
        opening(self.doc, False)
        self.page.error(message)
        self.extra_arrived()

    def extra_arrived(self):
        """Start-up ends (`started`: the held footer-link clicks are honoured) once both the first layer
        answers and what the page shows from the extra bundle is in, or could not come."""
        if self.waiting_extra:
            self.waiting_extra = False
            if self.announced:
                self.started()

    def needs_signals_at_start(self):
        """Google Consent Mode and vendor signals must be sent before any tag runs: start-up waits for them."""
        return bool(self.config.google_consent_mode or self.config.vendors)

    def needs_extra_at_start(self):
        """What the page shows from the extra bundle at once (reopen button, policy page, embeds' placeholders)
        or a decision sends (consent log): fetched at start, without holding the first layer back."""
        return bool(self.config.reopen_button or self.config.consent_log
                    or self.doc.querySelector(EMBED_SELECTOR) or self.doc.querySelector(POLICY_SELECTOR)
                    or self._holds_embed_block())

    def _holds_embed_block(self):
        """A closed block (blocks.py) holding an embed shows its placeholder (embeds.py)."""
        return any(b.content.querySelector(EMBED_SELECTOR) is not None
                   for b in self.doc.querySelectorAll(BLOCK_SELECTOR))

    # -- start-up -------------------------------------------------------------------------------
    def start(self, later, then):
        """Start in tasks of their own, through the boot's `later(step)` (this one; clearing refused
        categories; running accepted content; the first layer; announcing the choice and replaying held
        clicks), and call `then()` once the first layer answers its own clicks: on a phone, four times
        slower, each stays under the 50 ms a long task starts at."""
        self.later = later
        self.started = then
        self.live = h(self.doc, "div", {"class": "cb-sr-only", "role": "status", "aria-live": "polite",
                                        "lang": self.lang, "dir": self.direction, "data-cb-ui": True})
        self.doc.body.appendChild(self.live)
        if self.needs_signals_at_start():
            self.extra.run(self.start_with_extra)
        else:
            # The first layer's decisions need nothing from the extra bundle: it never holds them back.
            self.later(self.finish_start)
            if self.needs_extra_at_start():
                self.waiting_extra = True
                self.extra.run(self.with_extra)
        self.doc.addEventListener("pointerover", self.guard(self.on_intent))
        self.doc.addEventListener("visibilitychange", self.guard(self.on_visible))
        self.page.on_other_tab(self.guard(self.resync))     # a decision in another tab, at once
        self.doc.addEventListener("focusin", self.guard(self.on_intent))

    def with_extra(self):
        """The extra bundle's part of start-up, arriving in parallel with the rest: the policy page, the reopen
        button, the embeds' placeholders (signals, when configured, never come this way: start_with_extra).
        Embeds are refreshed here only when accepted content already ran (activate refreshes them otherwise):
        once per start, or a refused embed would be reported twice."""
        self.show_extra()
        if self.activated:
            self.embeds.refresh(self.session.accepted, self.watch.roots)
        self.extra_arrived()

    def show_extra(self):
        from banner.ui import policy, reopen
        policy.fill(self.doc, self.strings, self.manifest, self.config, self.lang, self.direction)
        self.embeds = self.new_embeds()
        if self.config.reopen_button and self.reopen_button is None:
            self.reopen_button = reopen.build(self.doc, self.strings, self.config, self.lang, self.direction)
            self.doc.body.appendChild(self.reopen_button)

    def start_with_extra(self):
        from banner.ui.signals import GoogleSignals, VendorSignals
        if self.config.google_consent_mode:
            self.google = GoogleSignals(self.page.gtag, self.page.error, self.config.google_consent_mode,
                                        self.manifest)
            self.google.default(self.page.consent_default_sent())
        if self.config.vendors:
            self.vendors = VendorSignals(self.page.signal, self.page.error, self.config.vendors, self.manifest)
            self.vendors.start(self.session.accepted, self.session.decided)
            # A tool may run outside the banner's blocking (the DSFR analytics package loads with the DSFR,
            # a server may send its tag live): withdrawing its category reloads the page, as for a tag we ran.
            self.ran += [c for c in self.config.vendors.values() if c in self.session.accepted]
        self.show_extra()
        self.finish_start()

    def finish_start(self):
        self.ran += sent_live(self.doc)
        self.clear_refused()
        self.later(self.run_accepted)

    def run_accepted(self):
        self.activate()
        self.activated = True
        self.watch.start()
        self.later(self.show_first)

    def show_first(self):
        if self.session.needs_banner:
            # a decision clicked before Python ran is written next (announce): its layer stays hidden
            self.first_layer.show(self.session.changed,
                                  pending=any(a in DECISIONS for a in self.page.early_actions()))
        else:
            self.first_layer.drop_prerendered()
        self.later(self.announce)

    def announce(self):
        """Tell the page the categories in force, then answer the clicks held while starting (and a
        decision an earlier page of the tab kept for Python), then prefetch the extra bundle once the
        page is idle, so that the centre needs no download when it is asked for."""
        self.page.dispatch(self.session.accepted)
        if self.session.decided and self.google is not None:
            self.google.update(self.session.accepted)
        self.replay(self.page.early_actions(), self.page.painted_for())
        self.page.forget_kept_choice()
        self.first_layer.reveal()         # a kept decision that was not written: the layer asks again
        if not self.page.save_data:       # the visitor asked for less data: fetched when asked for
            self.page.when_idle(self.guard(lambda: self.extra.run(lambda: None)))
        self.announced = True
        if not self.waiting_extra:
            self.started()

    def replay(self, actions, painted_for):
        """Clicks made on the ahead-of-time banner while Python was starting, in order, until one of
        them ends the banner. A banner painted from other manifest content than the live one (the portal
        edited its manifest and did not rebuild) showed the visitor something else: its clicks decide
        nothing, and the live banner, now in its place, asks."""
        if actions and painted_for != layer_key(self.manifest):
            self.page.warn("a click on the banner painted ahead of time was ignored: it was built from "
                            "another manifest content than the live one (rebuild to paint the live one)")
            return
        for action in actions:
            if not self.first_layer.shown:
                return
            if action.startswith(LANGUAGE_ACTION):
                if self.choose_language(action[len(LANGUAGE_ACTION):]):
                    return            # to another page: a decision clicked after it is kept for that one
            if action in ("customise", "providers"):
                return self.show_preferences(self.first_layer.button(action))
            if action in ("accept_all", "reject_all"):
                self.decide(action, scope=self.session.first_layer_scope, source="first_layer")

    def on_intent(self, event):
        if not self.extra.ready and closest(event.target, INTENT_SELECTOR) is not None:
            self.extra.run(lambda: None)

    def apply(self, decided=False):
        """Make the page match the session: clear refused categories (after a decision, also their cookies
        declared on other paths, which this page cannot see), run accepted content."""
        self.clear_refused(decided)
        self.activate()

    def clear_refused(self, decided=False):
        for text in self.session.cookies_to_erase(self.page.cookie_text, self.page.hostname, self.page.regex_test,
                                                  self.page.path, decided):
            self.page.write_cookie(text)
        for area, storage in (("localStorage", "local"), ("sessionStorage", "session")):
            for key in self.session.storage_keys_to_remove(self.page.storage_keys(area), self.page.regex_test,
                                                           storage):
                self.page.remove_storage_key(key, area)

    def activate(self):
        self.ran += open_blocks(self.watch.roots, self.session.accepted)
        self.show_media(self.watch.roots)
        if self.embeds is not None:
            self.embeds.refresh(self.session.accepted, self.watch.roots)
        self.run_scripts(self.watch.roots)

    # -- embeds -------------------------------------------------------------------------------------
    def new_embeds(self):
        from banner.ui.embeds import Embeds
        return Embeds(self.doc, self.strings, self.manifest, self.config.language, self.lang, self.direction,
                      self.page.error, self.guard, self.accept_category, self.proof.once, self.page.hostname,
                      self.config)

    def show_media(self, roots):
        """Images and pictures under the static contract (media.py) follow the session."""
        media.apply(roots, self.session.accepted, self.scripts.undeclared, self.page.error)

    def run_scripts(self, roots):
        self.ran += self.scripts.run(roots, self.session.accepted)

    def refresh_embeds(self, nodes=()):
        if self.embeds is None:
            self.embeds = self.new_embeds()
        # nodes not in the document yet (a fragment handed to consentBanner.apply) are treated too
        self.embeds.refresh(self.session.accepted, self.watch.roots + [n for n in nodes if not n.isConnected])

    # -- first layer and preferences centre -----------------------------------------------------------
    def show(self):
        self.first_layer.show(self.session.changed)

    def show_preferences(self, opener=None):
        opener = opener or self.doc.activeElement
        if not self.extra.ready:
            opening(self.doc, True)       # on its way: shown in this click's frame
        self.extra.run(lambda: self.open_dialog(opener))

    def open_dialog(self, opener):
        if self.dialog is None:
            from banner.ui import preferences
            self.dialog = preferences.Dialog(
                self.doc, self.strings,
                lambda accepted, providers: preferences.build(self.doc, self.strings, self.manifest, self.config,
                                                              self.lang, self.direction, accepted, providers),
                self.on_click, self.guard, self.first_layer)
        opening(self.doc, False)
        self.dialog.open(opener, self.session.accepted, self.session.accepted_providers)

    def close_preferences(self):
        if self.dialog is not None:
            self.dialog.close()

    # -- decisions ----------------------------------------------------------------------------------
    def on_click(self, event):
        target = closest(event.target, CLICKABLE)
        if target is None:
            return
        language = target.getAttribute(LANGUAGE_ATTR)
        if language is not None:
            return self.choose_language(language)
        action = target.getAttribute(ACTION_ATTR)
        if action in ("customise", "providers"):
            self.show_preferences(target)
        elif action == "close":
            self.close_preferences()
        elif action == "save":
            self.decide("custom", self.dialog.chosen(), source="centre", providers=self.dialog.chosen_providers())
        elif self.first_layer.shown and self.first_layer.node.contains(target):
            # In the "something changed" state the first layer's buttons say they act on those categories.
            self.decide(action, scope=self.session.first_layer_scope, source="first_layer")
        else:
            self.decide(action, source="centre" if closest(target, "#cb-prefs") is not None else "first_layer")

    def decide(self, action, choices=(), scope=None, source="first_layer", providers=None):
        before, previous = self.session.accepted, self.session.consent
        consent_id = new_consent_id(self.page.random_bytes(16))
        self.page.write_cookie(self.session.decide(action, self.page.now(), consent_id, choices, scope, providers))
        self.page.announce_decision()
        self.proof.decision(previous, action, source)
        self.after_change(before)
        self.live.textContent = ""
        self.live.textContent = self.strings["saved"]

    def accept_category(self, category_id):
        """"Toujours autoriser" on an embed: the current choice plus this category."""
        choices = self.session.choices_with(category_id)
        if choices is not None:
            self.decide("custom", choices, scope=[category_id], source="embed")   # the others keep their answer and its age

    def after_change(self, before):
        accepted = self.session.accepted
        # The tools hear the decision before a newly accepted tag of theirs runs, and before a reload.
        if self.google is not None:
            self.google.update(accepted)
        if self.vendors is not None:
            self.vendors.update(accepted)     # on withdrawal, Matomo deletes what it kept and stops
        if self.embeds is not None:
            self.embeds.end_once(accepted, self.watch.roots)
        self.close_preferences()
        self.first_layer.hide()
        if self.session.needs_banner:
            self.show()             # a decision about some categories leaves others still to ask about
        self.apply(decided=True)
        self.page.dispatch(accepted)
        if self.session.withdrawn(before, self.ran):
            # Scripts that already ran cannot be unloaded: a reload is the only way to stop them.
            self.page.window.location.reload()

    def choose_language(self, code):
        """To the language's own URL when the portal names one (languageUrls); else, when the server reads
        django_language (languageCookie: the Django app), written and reloaded; else in place."""
        if code not in self.config.languages:
            return False
        url = self.config.language_urls.get(code)
        if self.config.language_cookie:
            self.page.write_cookie(language_cookie(code, self.page.secure))
        if url is not None:
            self.page.window.location.assign(url)
        elif self.config.language_cookie:
            self.page.window.location.reload()
        else:
            self.switch_language(code)
            return False
        return True         # the page is going away

    def switch_language(self, code):
        """A static page is the same whatever the banner says: the banner itself speaks `code` from now on
        (its first layer, centre and reopen button; the page's own content stays as it is), writing nothing."""
        available = self.page.available_languages
        self.config.language = code
        self.lang, self.direction = interface_language(code, available), direction(code)
        self.strings = strings(code, available, complete=self.extra.ready)
        for node in [self.live, self.reopen_button]:
            if node is not None:
                node.setAttribute("lang", self.lang)
                node.setAttribute("dir", self.direction)
        if self.reopen_button is not None:
            self.reopen_button.querySelector(".cb-sr-only").textContent = self.strings["reopen_label"]
        chosen = '[%s="%s"]' % (LANGUAGE_ATTR, code)
        self.first_layer.rebuild(self.session.changed, chosen)
        if self.dialog is not None and self.dialog.node is not None:
            self.dialog.rebuild(self.strings, chosen)
        else:
            self.dialog = None                  # built anew, in this language, when next opened

    # -- public API and cross-tab -------------------------------------------------------------------
    def reset(self):
        before, previous = self.session.accepted, self.session.consent
        self.proof.reset(previous)
        for text in self.session.forget(self.page.hostname):
            self.page.write_cookie(text)
        self.page.announce_decision()
        self.after_change(before)
        self.show()

    def on_visible(self, event):
        if self.doc.visibilityState == "visible":
            self.resync()

    def resync(self, event=None):
        """Another tab may have decided: re-read the cookie when it says so, and when this one regains focus."""
        before = self.session.accepted
        todo = self.session.reload(self.page.cookie_text, self.page.now())
        if todo == "apply":
            self.after_change(before)
        elif todo == "ask":
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
