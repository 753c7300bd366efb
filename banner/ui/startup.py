"""Start-up once the App exists (boot.py parses data-config and the manifest, builds the App, then runs
this): one sequence of steps, each in a task of its own through the boot's `later(step)`, so that on a
phone, four times slower, each stays under the 50 ms a long task starts at.

1. begin: the live region, the listeners, and the extra bundle when the page needs it at once (Google
   Consent Mode and vendor signals must go out before any tag runs: the sequence waits for them);
2. finish: what ran before us counted, the cookies and keys of refused categories cleared;
3. activate: accepted content let in, content added later watched;
4. show_first: the first layer (or the one painted ahead of time dropped);
5. announce: the categories in force told to the page, the clicks held while starting replayed, the extra
   bundle prefetched once the page is idle.

Start-up ends (`then()`: boot honours the footer-link clicks it held) once the first layer answers its own
clicks and what the page shows from the extra bundle (policy page, reopen button, placeholders) is in, or
could not come."""

from banner.cookies import CONSENT_COOKIE
from banner.fingerprint import layer_key
from banner.ui.blocks import BLOCK_SELECTOR
from banner.ui.dom import h, DECISIONS, EMBED_SELECTOR, LANGUAGE_ACTION, POLICY_SELECTOR
from banner.ui.page import EVENT


def holds_embed_block(doc):
    """A closed block (blocks.py) holding an embed shows its placeholder (embeds.py)."""
    return any(b.content.querySelector(EMBED_SELECTOR) is not None for b in doc.querySelectorAll(BLOCK_SELECTOR))


class StartUp:
    def __init__(self, app, later, then):
        self.app = app
        self.later = later
        self.then = then
        self.activated = False       # accepted content was let in (activate)
        self.waiting_extra = False   # the extra bundle's part (with_extra) is still on its way
        self.announced = False       # the first layer answers its own clicks (announce)
        self.done = False            # start-up has ended (end)

    def end(self):
        self.done = True
        self.then()

    def needs_signals(self):
        """Google Consent Mode and vendor signals must be sent before any tag runs: start-up waits for them."""
        return bool(self.app.config.google_consent_mode or self.app.config.vendors)

    def needs_extra(self):
        """What the page shows from the extra bundle at once (reopen button, policy page, embeds' placeholders)
        or a decision sends (consent log): fetched at start, without holding the first layer back."""
        config, doc = self.app.config, self.app.doc
        return bool(config.reopen_button or config.consent_log or doc.querySelector(EMBED_SELECTOR)
                    or doc.querySelector(POLICY_SELECTOR) or holds_embed_block(doc))

    def begin(self):
        app = self.app
        if app.session.unreadable:
            app.page.error("a stored %s value is not one the banner wrote or can read (%s): it counts as no "
                           "choice, and the visitor is asked again" % (CONSENT_COOKIE, ", ".join(
                               repr(v[:40] + ("…" if len(v) > 40 else "")) for v in app.session.unreadable)))
        app.live = h(app.doc, "div", {"class": "cb-sr-only", "role": "status", "aria-live": "polite",
                                      "lang": app.lang, "dir": app.direction, "data-cb-ui": True})
        app.doc.body.appendChild(app.live)
        if self.needs_signals():
            app.extra.run(self.with_signals)
        else:
            # The first layer's decisions need nothing from the extra bundle: it never holds them back.
            self.later(self.finish)
            if self.needs_extra():
                self.waiting_extra = True
                app.extra.run(self.with_extra)
        app.listen()

    def show_extra(self):
        """What the page shows from the extra bundle: the policy page, the embeds, the reopen button."""
        from banner.ui import policy, reopen
        app = self.app
        policy.fill(app.view)
        policy.follow_choices(app.doc, app.session, EVENT)
        app.content.embeds = app.new_embeds()
        if app.config.reopen_button and app.reopen_button is None:
            app.reopen_button = reopen.build(app.view)
            app.doc.body.appendChild(app.reopen_button)

    def start_signals(self):
        """Google's consent default (and a stored choice's update) and the vendors' signals, before any
        tag runs: a Google tag reads the consent state when it runs."""
        from banner.ui.signals import GoogleSignals, VendorSignals
        app, config, page = self.app, self.app.config, self.app.page
        if config.google_consent_mode:
            app.google = GoogleSignals(page.gtag, page.error, config.google_consent_mode, app.manifest)
            app.google.default(page.consent_default_sent())
            if app.session.decided:      # a stored choice: its update too, before an accepted tag runs
                app.google.update(app.session.accepted)
        if config.vendors:
            app.vendors = VendorSignals(page.signal, page.error, config.vendors, app.manifest)
            app.vendors.start(app.session.accepted, app.session.decided, page.live_script_sources())
            # A tool may run outside the banner's blocking (the DSFR analytics package loads with the DSFR,
            # a server may send its tag live): withdrawing its category reloads the page, as for a tag we ran.
            app.content.ran += [c for c in config.vendors.values() if c in app.session.accepted]

    def with_extra(self):
        """The extra bundle's part of start-up, arriving in parallel with the rest: the policy page, the reopen
        button, the embeds' placeholders (signals, when configured, never come this way: with_signals).
        Embeds are refreshed here only when accepted content was already let in (activate refreshes them
        otherwise): once per start, or a refused embed would be reported twice."""
        self.show_extra()
        if self.activated:
            self.app.content.refresh_embeds()
        self.extra_arrived()

    def with_signals(self):
        self.start_signals()
        self.show_extra()
        self.finish()

    def extra_arrived(self):
        """The extra bundle came, or could not come: start-up may end."""
        if self.waiting_extra:
            self.waiting_extra = False
            if self.announced:
                self.end()

    def finish(self):
        self.app.content.count_sent_live()
        self.app.content.clear_refused()
        self.later(self.activate)

    def activate(self):
        self.app.content.activate()
        # once, blocks opened: what they held is in the page now; later content is reported as the
        # observer brings it (Watch.adopt_nodes), not rescanned after every decision
        self.app.content.report_unknown(self.app.content.roots)
        self.activated = True
        self.app.watch.start()
        self.later(self.show_first)

    def show_first(self):
        app = self.app
        if app.session.needs_banner:
            # a decision clicked before Python ran is written next (announce): its layer stays hidden
            app.first_layer.show(app.session.changed, pending=any(a in DECISIONS for a in app.page.early_actions()))
        else:
            app.first_layer.drop_prerendered()
        self.later(self.announce)

    def announce(self):
        """Tell the page the categories in force, then answer the clicks held while starting (and a
        decision an earlier page of the site kept for Python), then prefetch the extra bundle once the
        page is idle, so that the centre needs no download when it is asked for."""
        app = self.app
        app.page.dispatch(app.session.accepted)
        actions = app.page.early_actions()
        self.replay(actions, app.page.painted_for())
        app.page.forget_kept_choice(actions)
        app.first_layer.reveal()         # a kept decision that was not written: the layer asks again
        if app.page.reload_note():       # the banner reloaded the last page: the visitor's place
            app.extra.run(lambda: restore_place(app))
        if not app.page.save_data:       # the visitor asked for less data: fetched when asked for
            app.page.when_idle(app.guard(lambda: app.extra.run(lambda: None)))
        self.announced = True
        if app.first_layer.shown:
            self.later(app.prepare)      # what a click on it needs, worked out while the visitor reads
        if not self.waiting_extra:
            self.end()

    def replay(self, actions, painted_for):
        """Clicks made on the ahead-of-time banner while Python was starting, in order, until one of
        them ends the banner. A banner painted from other manifest content than the live one (the portal
        edited its manifest and did not rebuild) showed the visitor something else: its clicks decide
        nothing, and the live banner, now in its place, asks."""
        app = self.app
        if actions and painted_for != layer_key(app.manifest):
            app.page.warn("a click on the banner painted ahead of time was ignored: it was built from "
                          "another manifest content than the live one (rebuild to paint the live one)")
            return
        for action in actions:
            if not app.first_layer.shown:
                return
            if action.startswith(LANGUAGE_ACTION):
                if app.choose_language(action[len(LANGUAGE_ACTION):]):
                    return            # to another page: a decision clicked after it is kept for that one
            if action in ("customise", "providers"):
                return app.show_preferences(app.first_layer.button(action))
            if action in ("accept_all", "reject_all"):
                app.decide(action, scope=app.session.first_layer_scope, source="first_layer")


def restore_place(app):
    """The visitor's place after the banner's reload, from the extra bundle's carry.py."""
    from banner.ui import carry
    carry.restore(app)
