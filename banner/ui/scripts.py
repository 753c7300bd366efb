"""Blocked scripts: `<script type="text/plain" data-consent="CAT">` (inline or `data-src`). Until CAT is
accepted they are inert by construction: the browser does not run text/plain scripts (iframes: embeds.py). Activation replaces each script with a
live copy, one at a time in document order (an external script is awaited before the next one runs),
keeping the page's CSP nonce."""

from banner.text import is_safe_url

SCRIPT_SELECTOR = 'script[type="text/plain"][data-consent]'
SKIPPED_ATTRIBUTES = ("type", "data-src", "data-type", "nonce")


def _revive(doc, old, on_done, report, nonce):
    new = doc.createElement("script")
    for i in range(old.attributes.length):
        attr = old.attributes.item(i)
        if attr.name not in SKIPPED_ATTRIBUTES:
            new.setAttribute(attr.name, attr.value)
    if old.getAttribute("data-type"):
        new.setAttribute("type", old.getAttribute("data-type"))
    if old.nonce or nonce:
        # The nonce attribute reads as "" once parsed; the property keeps it. A blocked script without
        # one gets the nonce of the banner's own script tag, so a strict CSP still lets it run.
        new.nonce = old.nonce or nonce
    src = old.getAttribute("data-src")
    if src is not None:
        if not is_safe_url(src):
            report("refused data-src %r on a blocked script: only http(s) or relative URLs run" % src)
            old.setAttribute("data-consent-refused", "")
            on_done()
            return
        new.addEventListener("load", lambda ev: on_done())
        new.addEventListener("error", lambda ev: on_done())
        new.src = src
        old.replaceWith(new)
    else:
        new.textContent = old.textContent
        old.replaceWith(new)   # an inline script runs synchronously here
        on_done()


def activate_scripts(doc, accepted, report, nonce=""):
    """Run, in document order, every blocked script whose category is accepted. Returns the categories
    of the scripts started."""
    queue = [s for s in doc.querySelectorAll(SCRIPT_SELECTOR) if s.getAttribute("data-consent") in accepted]
    started = [s.getAttribute("data-consent") for s in queue]

    def step():
        if not queue:
            return
        old = queue.pop(0)
        _revive(doc, old, step, report, nonce)

    step()
    return started
