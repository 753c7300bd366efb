"""Blocked scripts: `<script type="text/plain" data-consent="CAT">` (inline or `data-src`). Until CAT is
accepted they are inert by construction: the browser does not run text/plain scripts (iframes: embeds.py).

One queue per page view, fed at start-up and by every script the portal adds later (watch.py): each
accepted script gets a live copy inserted right after it, one at a time in the order they were queued
(an external script is awaited before the next one runs), keeping the page's CSP nonce. A script whose
`data-provider` or source host its category does not declare (Manifest.undeclared) never runs: the
visitor was never told about that third party. The inert
original stays where the portal put it, marked as done, so it never runs twice and a framework that
owns the node (React, Vue) still finds it where it left it.

On a return visit the loader (static/src/consent.js) may have run some of them already, before the runtime
loaded, the same way and with the same mark (banner/server/loader_facts.py gives it these names): the queue
skips them like any script it ran itself, and waits for the loader's queue to finish (`handover`) before
running its own, so that external scripts still run one after the other."""

from banner.text import is_safe_url
from banner.ui.contract import CATEGORY, PROVIDER, REFUSED, SRC, TYPE, marked
from banner.ui.dom import select_all

DONE = "data-cb-ran"
# The portal's attributes on a blocked script are banner/ui/contract.py's (the loader gets the same names
# from banner/server/loader_facts.py at build time)
SCRIPT_SELECTOR = marked('script[type="text/plain"]')
PENDING_SELECTOR = SCRIPT_SELECTOR + ":not([" + DONE + "])"
SKIPPED_ATTRIBUTES = ("type", SRC, TYPE, "nonce", DONE)
# A script the server already sent live because the visitor had accepted its category (banner.django's
# {% consent_block %}): it ran at parse; on withdrawal only a reload stops it, as for the ones run here.
SENT_LIVE_SELECTOR = marked("script") + "[" + DONE + ']:not([type="text/plain"])'
# Scripts of the page's own, neither blocked nor sent live: nothing of ours ran them (Page.live_script_sources).
UNMARKED_SELECTOR = "script[src]:not([%s]):not([%s])" % (CATEGORY, DONE)


def sent_live(doc):
    """The categories of the scripts the server sent live."""
    return [s.getAttribute(CATEGORY) for s in doc.querySelectorAll(SENT_LIVE_SELECTOR)]


def _live_copy(doc, old, nonce):
    new = doc.createElement("script")
    for i in range(old.attributes.length):
        attr = old.attributes.item(i)
        if attr.name not in SKIPPED_ATTRIBUTES:
            new.setAttribute(attr.name, attr.value)
    if old.getAttribute(TYPE):
        new.setAttribute("type", old.getAttribute(TYPE))
    if old.nonce or nonce:
        # The nonce attribute reads as "" once parsed; the property keeps it. A blocked script without
        # one gets the nonce of the banner's own script tag, so a strict CSP still lets it run.
        new.nonce = old.nonce or nonce
    return new


class Scripts:
    def __init__(self, doc, report, nonce, undeclared, handover, permits):
        self.doc = doc
        self.report = report
        self.undeclared = undeclared        # Content.undeclared: Manifest.undeclared
        self.nonce = nonce
        # Content.permits: in a category offering a choice per provider, the script's provider is accepted
        self.permits = permits
        self.queue = []
        # handover(then): True when the loader is still running scripts early; it calls then() once done
        self.busy = bool(handover and handover(self.step))

    def run(self, roots, accepted):
        """Queue the not-yet-run scripts of accepted categories found in `roots` (in the document or a
        connected shadow root; the others wait until they are inserted), then run the queue. Returns
        the categories of the scripts queued."""
        started = []
        for root in roots:
            for script in select_all(root, PENDING_SELECTOR):
                if script.isConnected and script.getAttribute(CATEGORY) in accepted and self.permits(
                        script.getAttribute(CATEGORY), script.getAttribute(PROVIDER), [script.getAttribute(SRC)]):
                    script.setAttribute(DONE, "")
                    problem = self.undeclared(script.getAttribute(CATEGORY), script.getAttribute(PROVIDER),
                                              script.getAttribute(SRC))
                    if problem is not None:
                        self.report("blocked script stays blocked: " + problem)
                        script.setAttribute(REFUSED, "")
                        continue
                    self.queue.append(script)
                    started.append(script.getAttribute(CATEGORY))
        if started and not self.busy:
            self.step()
        return started

    def step(self):
        self.busy = False
        while self.queue:
            old = self.queue.pop(0)
            if not old.isConnected:
                old.removeAttribute(DONE)       # removed before its turn: like the browser, do not run it
                continue
            if self._revive(old):
                self.busy = True                # an external script: the next one waits for its load
                return

    def _revive(self, old):
        """Insert the live copy of `old`; True when it is external (the queue waits for it)."""
        new = _live_copy(self.doc, old, self.nonce)
        src = old.getAttribute(SRC)
        if src is None:
            new.textContent = old.textContent
            old.after(new)                      # an inline script runs synchronously here
            return False
        if not is_safe_url(src):
            self.report("refused data-src %r on a blocked script: only http(s) or relative URLs run" % src)
            old.setAttribute(REFUSED, "")
            return False
        new.addEventListener("load", lambda ev: self.step())
        new.addEventListener("error", lambda ev: self.step())
        new.src = src
        old.after(new)
        return True
