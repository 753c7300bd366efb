"""Blocked fragments: `<template data-consent="CAT">…</template>`, the form in which the Django app sends a
`{% consent_block %}` whose category is not (or not yet known to be) accepted.

A template's content is inert by construction: the browser parses it into a document with no browsing
context, so nothing in it is fetched, run, styled or navigated to (no image, pixel, stylesheet, refresh,
base URL, handler), whatever the block holds. When CAT is accepted the page opens it: the content takes
the template's place, and what it holds follows the static contract from there (its scripts are
`type="text/plain"` and its iframes have no `src`, so the script queue and the embeds treat them as they
treat any other). An opened block counts as run: withdrawing its category reloads the page, since an
image or a script it brought cannot be taken back. So does a block opened by "Autoriser une fois" on its
embed's placeholder (embeds.py), for any decision that leaves its category refused. A block holding an
embed shows the embed's placeholder while it stays closed.

On a per-visitor page the server sends a block of an accepted category live instead: its content, after
an empty `<template data-cb-live="CAT">` (LIVE). What that block holds ran at parse (an `<object>`, an
`<embed>`, a `srcdoc` document, an image: nothing the page can take back), so the mark counts CAT as run,
like an opened block. The server writes the mark and strips any the block itself holds; one written by
the portal elsewhere can only make a withdrawal reload the page, never let anything run.

The server vetted every URL in a block against its category's providers before writing it with
`data-consent`; a block naming an undeclared third party is sent without it and is never opened.
"""

from banner.ui.contract import CATEGORY, marked
from banner.ui.dom import select_all

BLOCK_SELECTOR = marked("template")
PLACEHOLDER_KEY = "data-cb-frame"           # on a closed block shown by a placeholder (embeds.py)
LIVE = "data-cb-live"                       # the server's mark before a block it sent live (banner.django.gate)
LIVE_SELECTOR = "template[%s]" % LIVE


def live_blocks(nodes):
    """The categories of the blocks the server sent live among `nodes` (elements, documents, fragments):
    their LIVE marks, the nodes themselves included."""
    return [mark.getAttribute(LIVE) for node in nodes if node.nodeType in (1, 9, 11)
            for mark in select_all(node, LIVE_SELECTOR)]


def open_block(block):
    """Put the block's content in its place (and drop its placeholder); return the blocks it held."""
    inner = list(block.content.querySelectorAll(BLOCK_SELECTOR))
    key = block.getAttribute(PLACEHOLDER_KEY)
    if key:
        placeholder = block.getRootNode().querySelector('[data-cb-placeholder="%s"]' % key)
        if placeholder is not None:
            placeholder.remove()
    block.replaceWith(block.content)
    return inner


def open_blocks(roots, accepted, permits):
    """Open the blocks of accepted categories found in `roots` (the document, shadow roots), in document
    order, blocks nested in opened ones included; return the category of each block opened. A block
    names no provider: in a category offering a choice per provider it opens only when the visitor
    accepts every provider (`permits(category, None, [])`)."""
    opened = []
    for root in roots:
        pending = [b for b in select_all(root, BLOCK_SELECTOR) if b.isConnected]
        while pending:
            block = pending.pop(0)
            category = block.getAttribute(CATEGORY)
            if category in accepted and permits(category, None, []):
                pending = open_block(block) + pending
                opened.append(category)
    return opened
