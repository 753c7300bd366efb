"""Start-up: the only module the loader calls (`boot.main()`). It turns the loader's hand-off
(`window.__consentBoot`: the raw data-config text, the manifest text promise, clicks made while Brython
was loading) into an App, or, when anything is wrong, fails closed: one console error naming the
problem, nothing optional runs, the footer link opens an explanation instead of doing nothing, and each
blocked embed's box says why it stays empty (failed_embeds.py)."""

import javascript
from browser import window, document

from banner import __version__
from banner.errors import BannerError, ConfigError, ManifestError, fail_closed
from banner.config import check_cookie_domain, parse_config
from banner.manifest import parse_in_steps
from banner.i18n import strings, interface_language, pick_language
from banner.ui.app import App
from banner.ui.page import Page
from banner.ui.unavailable import build_unavailable
from banner.ui.blocks import BLOCK_SELECTOR
from banner.ui.dom import closest, EMBED_SELECTOR
from banner.lang import IN_MAIN_BUNDLE
from banner.fnv import use_native


SETTLE_POLL_MS = 20     # consentBanner.settled(): how often an unsettled banner is asked again
STEP_MS = 5        # a start-up task pauses after this long (Lighthouse counts a task over 50 ms on a phone, 4x slower)


def _parse_json(text, error_for):
    """The JSON value of `text`; else the error `error_for(message)` builds (data-config or manifest)."""
    try:
        return javascript.JSON.parse(text)
    except Exception as error:
        raise error_for("is not valid JSON (%s)" % (getattr(error, "args", [""])[0] or error))


def _config_error(message):
    return ConfigError("", message)


def _manifest_error(url):
    return lambda message: ManifestError([("", "%s %s" % (url, message))])


def _reason(reason):
    """Why a download failed, readable: the loader's "HTTP 404", or a JavaScript error's message (a
    network failure's TypeError would print as Brython's "<Javascript object: ...>")."""
    message = getattr(reason, "message", None)
    return str(message) if isinstance(message, str) and message else str(reason)


# What in a JSON text can decode to a lone surrogate: an unpaired one in the text itself (a "u" regex
# reads a valid pair as one character, outside the class) or the escape of any surrogate ("\ud800").
SURROGATE_SOURCE = "[\\ud800-\\udfff]|\\\\u[dD][89a-fA-F]"


def _surrogate_free(text):
    """Whether the JSON text cannot decode to a lone surrogate, found by one native regex test. The core
    then skips its walk over every decoded string (text.surrogate_problems: about 10 ms of a profiled
    start-up, at every page view); an escaped valid pair only costs that walk."""
    return not window.RegExp.new(SURROGATE_SOURCE, "u").test(text)


class Boot:
    def __init__(self, handoff):
        self.handoff = handoff
        self.page = Page(window, document, handoff)
        self.app = None
        self.config = None
        self.failure = None
        self.explaining = False         # failed: the embeds' explanation is on its way (explain_embeds)
        self.failed_embeds = None       # failed_embeds.FailedEmbeds, once it has come
        # until data-config is read: the page's language if its strings are in the start-up bundle
        self.lang = interface_language(pick_language(list(IN_MAIN_BUNDLE), None, document.documentElement.lang),
                                       IN_MAIN_BUNDLE)
        # The footer link's clicks: the loader finds the link along each click's path, natively, in the
        # capture phase (before a single-page router sees it), prevents its default and hands it here;
        # no Python runs for the page's other clicks. Until `ready` it holds them (replay()).
        handoff.openLink = self.open_preferences
        if getattr(handoff, "hash", None):
            use_native(handoff.hash)
        window.addEventListener("focus", self.on_focus)
        self.expose_api()

    # -- start-up steps ---------------------------------------------------------------------------
    # Each step runs in a task of its own (the loader's `later`), so that no task of ours holds the
    # portal's main thread for long on a slow phone: reading data-config, parsing the manifest, building
    # the App, making the page match the stored choice, showing the first layer. Until the last one the
    # loader keeps holding clicks (footer link, painted banner), and replay() honours them.
    def run(self):
        self.later(self.read_config)

    def later(self, step):
        """Run `step` (guarded) in a later task, or now when the loader offers no `later`."""
        later = getattr(self.handoff, "later", None)
        if later is None or later is javascript.UNDEFINED:
            return self.guarded(step)
        later(lambda *args: self.guarded(step))

    def read_config(self):
        raw = self.handoff.config
        if raw is None or raw is javascript.UNDEFINED or raw is javascript.NULL:
            raise ConfigError("", "the script tag has no data-config attribute")
        data = _parse_json(raw, _config_error)         # with an inline manifest, most of the work
        clean = _surrogate_free(raw)
        self.later(lambda: self.with_config(data, clean))

    def with_config(self, data, clean):
        config, warnings = parse_config(data, document.documentElement.lang or "", clean)
        check_cookie_domain(config.cookie_domain, self.page.hostname)
        for warning in warnings:
            self.page.warn(warning)
        self.lang = interface_language(config.language, self.page.available_languages)
        self.config = config
        if isinstance(config.manifest, dict):
            self.later(lambda: self.with_manifest(config, config.manifest, clean))
        else:
            # the loader's download when it started one (a JavaScript Promise, which Brython's `not`
            # calls false: compare with what "none" is instead), so the manifest is fetched once
            promise = self.handoff.manifestText
            if promise is None or promise is javascript.NULL or promise is javascript.UNDEFINED:
                promise = window.fetch(config.manifest).then(lambda r: r.text() if r.ok else
                                                             window.Promise.reject("HTTP %s" % r.status))
            promise.then(lambda text: self.guarded(lambda: self.with_manifest(
                             config, _parse_json(text, _manifest_error(config.manifest)), _surrogate_free(text))),
                         lambda reason: self.fail(ManifestError([("", "cannot load %s (%s)" % (
                             config.manifest, _reason(reason)))])))

    def guarded(self, step):
        """Run a start-up step; whatever it raises fails closed with one named error."""
        try:
            step()
        except BannerError as error:
            self.fail(error)
        except Exception as error:
            # e.g. an inline manifest whose keys break Brython's conversion ("hasOwnProperty"), or a page
            # whose document.cookie throws: still one error, nothing optional, and an explanation.
            self.fail(BannerError("start-up failed: %s: %s" % (type(error).__name__, error)))

    def with_manifest(self, config, data, clean):
        steps = parse_in_steps(data, config.languages, self.page.regex_ok, clean)
        self.in_steps(steps, lambda manifest: self.later(lambda: self.build_app(config, manifest)))

    def in_steps(self, steps, then):
        """Drive a generator that yields None where it may pause and its result last: pause for a new
        task (later()) once a step has run for STEP_MS, then call `then(result)`."""
        start = window.performance.now()
        while True:
            value = next(steps)      # not a for loop: leaving one early may close the generator
            if value is not None:
                return then(value)
            if window.performance.now() - start > STEP_MS:
                return self.later(lambda: self.in_steps(steps, then))

    def build_app(self, config, manifest):
        app = App(self.page, config, manifest)
        self.later(lambda: self.start_app(app))

    def start_app(self, app):
        self.app = app
        app.start(self.later, lambda: self.started(app))

    def started(self, app):
        for root in self.handoff.roots or []:     # consentBanner.apply() calls made before start-up
            app.watch.adopt(root)
        self.replay()

    def fail(self, error):
        """Fail closed: report once, run nothing optional, keep the footer link useful."""
        self.failure = str(error)
        self.page.error(self.failure + fail_closed(self.page.early_ran()))
        self.page.opening(False)
        painted = self.page.painted_layer()
        if painted is not None and painted.querySelector("[form]") is None:
            painted.remove()          # its buttons could never act (a server's form posts to it again)
        self.page.dispatch([])
        self.explain_embeds()
        self.replay()

    def explain_embeds(self):
        """Failed: each blocked embed's box says why it stays empty, in the look and language data-config
        chose when it could be read (failed_embeds.py, extra bundle: fetched as a working page prefetches it,
        or only for the embeds the page holds when the visitor asks for less data)."""
        if not (self.explaining or self.failed_embeds or (
                self.page.save_data and document.querySelector(EMBED_SELECTOR + ", " + BLOCK_SELECTOR) is None)):
            self.explaining = True
            self.page.load_bundle("extra", self.explained, self.explained)

    def explained(self, *failed):
        """The extra bundle came, or could not (`failed`: why; the embeds' boxes stay blank then)."""
        if not failed:
            from banner.ui.failed_embeds import FailedEmbeds        # extra bundle
            self.failed_embeds = FailedEmbeds(self.page, self.lang, self.config,
                                              [document] + list(self.handoff.roots or []))
        self.explaining = False

    def replay(self):
        """Clicks on the footer link made while the runtime was loading are honoured now."""
        pending = self.handoff.pending
        self.handoff.ready = True
        if pending and pending.length:
            self.open_preferences(pending[pending.length - 1])

    # -- events and API -----------------------------------------------------------------------------
    def on_focus(self, event):
        if self.app is not None:
            self.app.guard(self.app.resync)(event)

    def open_preferences(self, opener=None):
        if self.app is not None:
            self.app.show_preferences(opener)
        elif self.failure is None:            # still starting: honoured by replay() once started
            if self.handoff.pending:
                self.handoff.pending.push(opener or document.body)
        elif document.getElementById("cb-prefs") is None:
            dialog = build_unavailable(document, strings(self.lang, [self.lang]), self.lang, self.failure)
            dialog.addEventListener("close", lambda ev: dialog.remove())
            dialog.addEventListener("click", lambda ev: dialog.close()
                                    if closest(ev.target, "[data-cb-action=close]") else None)
            document.body.appendChild(dialog)
            dialog.showModal()

    def apply(self, node):
        """consentBanner.apply(node): treat a fragment a framework rendered (watch.py). Before start-up a
        shadow root is kept for start-up (the rest of the page is treated then anyway); failed: its embeds
        explained (failed_embeds.py), nothing else."""
        if self.app is not None:
            self.app.guard(self.app.watch.adopt)(node)
        elif self.failed_embeds is not None:
            self.failed_embeds.adopt(node)
        elif (self.failure is None or self.explaining) and node.nodeType == 11 and getattr(node, "host", None):
            self.handoff.roots.push(node)

    def settled(self):
        """consentBanner.settled(): a Promise resolved once the banner has treated what the page holds, the
        content it has just added included (asked from the next task on, after the observer's records), and
        has nothing in flight (App.settled), or has failed closed (and its embeds say so). Tests and portals
        wait on it instead of guessing a delay."""
        def executor(resolve, reject):
            def check(*args):
                failed = self.failure is not None and not self.explaining
                if failed or (self.app is not None and self.app.settled):
                    resolve(True)
                else:
                    window.setTimeout(check, SETTLE_POLL_MS)
            window.setTimeout(check, 0)
        return window.Promise.new(executor)

    def expose_api(self):
        api = window.Object.new()
        api.version = __version__
        api.show = lambda: self.app.show() if self.app else self.open_preferences()
        api.showPreferences = lambda: self.open_preferences()
        api.accepted = lambda category: bool(self.app and self.app.session.is_accepted(category))
        api.reset = lambda: self.app.reset() if self.app else None
        api.apply = self.apply
        api.settled = self.settled
        window.consentBanner = api


def main():
    handoff = window.__consentBoot
    if not handoff:
        handoff = window.Object.new()
        handoff.config = None
    Boot(handoff).run()
