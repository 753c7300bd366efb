"""The controller of one page view: it owns the Session, applies its answers to the page, and forwards
DOM events to it. Browser I/O goes through `Page` (page.py); the first layer, the preferences centre,
the extra bundle, embeds and Google signals each have their own small controller, given only what they use.

Start-up cost matters (every module is compiled in the page), so what the first layer does not need
lives in the extra bundle (extra.py) and is imported only once needed: at start when the page or config
uses it, else on the first sign of intent (pointer or focus on "Personnaliser" or the footer link) and at
the latest on click.
"""

from banner.session import Session
from banner.cookies import CONSENT_COOKIE, new_consent_id
from banner.i18n import strings, interface_language, direction
from banner.ui.dom import closest, OPEN_SELECTOR, ACTION_ATTR, LANGUAGE_ATTR
from banner.ui import language, notice
from banner.ui.content import Content
from banner.ui.startup import StartUp
from banner.ui.view import View
from banner.ui.watch import Watch
from banner.ui.extra import ExtraBundle, reload_keeping_place
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
        self.first_layer = FirstLayer(self.doc, self.build_banner, self.guard(self.on_click),
                                      lambda node, resized: page.observe_size(node, self.guard(resized)),
                                      page.painted_layer)
        self.dialog = None       # preferences.Dialog, signals.GoogleSignals: extra bundle
        self.google = self.vendors = None
        self.live = self.reopen_button = None
        self.startup = None      # startup.StartUp, from start() on
        self.next_id = None      # the consent id of the next decision, drawn ahead (prepare)
        self.content = Content(page, self.session, manifest, self.new_embeds)
        # content added after start-up, and consentBanner.apply()
        self.watch = Watch(self.content, page.observer, self.guard, self.extra, self.keep_ui, self.fill_policies)
        self.proof = ProofLog(page, config, manifest, self.session, self.extra)

    def complete_strings(self):
        """The centre's, policy page's and embeds' strings came with the extra bundle."""
        self.strings.update(strings(self.config.language, self.page.available_languages, complete=True))

    @property
    def view(self):
        """What the views need now (view.py): a new one after the visitor switches language."""
        return View(self.doc, self.strings, self.manifest, self.config, self.lang, self.direction)

    def build_banner(self, changed):
        return notice.build(self.view, changed)

    def extra_failed(self, message):
        self.page.opening(False)
        self.page.error(message)
        if self.startup is not None:
            self.startup.extra_arrived()

    # -- start-up (startup.py) --------------------------------------------------------------------------
    def start(self, later, then):
        """Start in tasks of their own through the boot's `later(step)`; `then()` once the first layer
        answers its own clicks (startup.StartUp)."""
        self.startup = StartUp(self, later, then)
        self.startup.begin()

    def listen(self):
        self.doc.addEventListener("pointerover", self.guard(self.on_intent))
        self.doc.addEventListener("visibilitychange", self.guard(self.on_visible))
        self.page.on_other_tab(self.guard(self.resync))     # a decision in another tab, at once
        self.doc.addEventListener("focusin", self.guard(self.on_intent))

    @property
    def settled(self):
        """Nothing of ours in flight (start-up over, the script queue run, the extra bundle in or failed): what
        the page holds is what the answer gives it, until something new happens (consentBanner.settled)."""
        scripts = self.content.scripts
        return bool(self.startup and self.startup.done and not scripts.busy and not scripts.queue
                    and not self.extra.waiting and not self.page.painting)

    def keep_ui(self):
        """A portal that re-renders all of <body> on navigation takes the banner's own nodes with it: put
        back the banner still waiting for an answer, the live region and the reopen button; forget a
        centre removed while open (no "close" event comes), so the footer link opens a new one."""
        self.first_layer.restore()
        for node in (self.live, self.reopen_button):
            if node is not None and not node.isConnected:
                self.doc.body.appendChild(node)
        if self.dialog is not None:
            self.dialog.forget_if_removed()

    def fill_policies(self, nodes):
        """A cookie-policy view rendered in the page ([data-consent-policy]) is filled like a served one."""
        from banner.ui import policy
        policy.fill(self.view, nodes)

    def on_intent(self, event):
        if not self.extra.ready and closest(event.target, INTENT_SELECTOR) is not None:
            self.extra.run(lambda: None)

    # -- embeds -------------------------------------------------------------------------------------
    def new_embeds(self):
        from banner.ui.embeds import Embeds
        return Embeds(self.view, self.page.error, self.guard, self.accept_category, self.proof.once,
                      self.page.hostname, self.content.undeclared, self.content.permits, self.content.opened_once)

    # -- first layer and preferences centre -----------------------------------------------------------
    def show(self):
        self.first_layer.show(self.session.changed)

    def show_preferences(self, opener=None, choices=None):
        opener = opener or self.doc.activeElement
        if self.dialog is not None and self.dialog.node is not None:
            return
        self.page.opening(True)       # on its way: shown in this click's frame, the centre built after it
        self.extra.run(lambda: self.page.after_paint(lambda: self.open_dialog(opener, choices)))

    def open_dialog(self, opener, choices=None):
        if not self.page.opening(False):
            return              # the visitor took the page back while the centre's code downloaded
        if self.dialog is None:
            from banner.ui import preferences
            self.dialog = preferences.Dialog(
                self.doc, self.strings,
                lambda accepted, providers: preferences.build(self.view, accepted, providers),
                self.on_click, self.guard, self.first_layer)
        accepted, providers = choices or (self.session.accepted, self.session.accepted_providers)  # carry.py
        self.dialog.open(opener, accepted, providers)

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

    def prepare(self):
        """While the first layer waits: its click's work done ahead (next consent id, Session.prepare)."""
        self.next_id = self.next_id or new_consent_id(self.page.random_bytes(16))
        self.session.prepare(self.page.now())

    def decide(self, action, choices=(), scope=None, source="first_layer", providers=None):
        """Store the visitor's decision and answer the click in its own frame (the banner and the centre
        gone); what follows from the decision runs once that frame is painted (decided)."""
        before, previous = self.session.accepted, self.session.consent
        consent_id, self.next_id = self.next_id or new_consent_id(self.page.random_bytes(16)), None
        self.page.write_cookie(self.session.decide(action, self.page.now(), consent_id, choices, scope, providers))
        self.page.announce_decision()
        self.close_preferences()
        self.first_layer.hide()
        self.page.after_paint(lambda: self.decided(before, previous, action, source))

    def decided(self, before, previous, action, source):
        self.proof.decision(previous, action, source)
        self.after_change(before, previous)
        self.page.check_written(CONSENT_COOKIE)     # a cookieDomain or a setting the browser refuses
        self.live.textContent = ""
        self.live.textContent = self.strings["saved"]

    def accept_category(self, category_id, provider=None):
        """"Toujours autoriser" on an embed: the current choice plus this category, or, in a category
        offering a choice per provider, plus this embed's provider."""
        providers = self.session.providers_with(category_id, provider) if provider else None
        if providers is not None or self.session.choices_with(category_id) is not None:
            # a decision about this category only: the others keep their answer and its age
            self.decide("custom", [category_id], scope=[category_id], source="embed", providers=providers)

    def after_change(self, before, previous=None):
        accepted = self.session.accepted
        # The tools hear the decision before a newly accepted tag of theirs runs, and before a reload.
        if self.google is not None:
            self.google.update(accepted)
        if self.vendors is not None:
            self.vendors.update(accepted)     # on withdrawal, Matomo deletes what it kept and stops
        self.content.end_once()
        self.close_preferences()
        self.first_layer.hide()
        if self.session.needs_banner:
            self.show()             # a decision about some categories leaves others still to ask about
        self.content.apply(decided=True)
        self.page.dispatch(accepted)
        if self.content.must_reload(before, previous):
            # Scripts that already ran cannot be unloaded: a reload is the only way to stop them.
            reload_keeping_place(self, saved=True)

    def choose_language(self, code):
        """A language button (language.py); True when the page is going away."""
        return language.choose(self, code)

    # -- public API and cross-tab -------------------------------------------------------------------
    def reset(self):
        before, previous = self.session.accepted, self.session.consent
        self.proof.reset(previous)
        for text in self.session.forget(self.page.hostname):
            self.page.write_cookie(text)
        self.page.announce_decision()
        self.after_change(before, previous)
        self.show()

    def on_visible(self, event):
        if self.doc.visibilityState == "visible":
            self.resync()

    def resync(self, event=None):
        """Another tab may have decided: re-read the cookie when it says so, and when this one regains focus."""
        before, previous = self.session.accepted, self.session.consent
        todo = self.session.reload(self.page.cookie_text, self.page.now())
        if todo == "apply":
            self.after_change(before, previous)
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
