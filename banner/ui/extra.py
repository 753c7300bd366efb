"""The extra bundle (consent-extra.js: preferences centre, policy page, embeds, reopen button, Google
Consent Mode, consent log), loaded once and only when needed: every module of the first layer is compiled
in the page at start, so what the first layer does not use waits for the first sign that it will be."""


def reload_keeping_place(app, saved=False):
    """Reload the page (a withdrawal of what ran, the server's language): with the extra bundle in, its
    carry.py first notes the visitor's place for the next page; without it, a plain reload."""
    if app.extra.ready:
        from banner.ui import carry
        carry.reload(app, saved)
    else:
        app.page.window.location.reload()


class ExtraBundle:
    """`run(then)` calls `then` once the bundle is in (at once when it already is). `loaded()` runs first,
    once: e.g. to complete the interface strings that came with the bundle."""

    def __init__(self, load_bundle, report, guard, loaded):
        self.load_bundle = load_bundle      # Page.load_bundle
        self.report = report                # Page.error
        self.guard = guard
        self.loaded = loaded
        self.ready = False
        self.waiting = 0                    # runs waiting for the bundle (App.settled)

    def run(self, then):
        if self.ready:
            return then()

        def arrived():
            self.waiting -= 1
            if not self.ready:
                self.ready = True
                self.loaded()
            then()

        def failed(reason):
            self.waiting -= 1
            self.report("cannot load the preferences centre (%s)" % reason)
        self.waiting += 1
        self.load_bundle("extra", self.guard(arrived), failed)
