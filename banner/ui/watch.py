"""Content that arrives after start-up: single-page portals render views, widgets and visualisations in
the browser, and in-page navigation (pushState, popstate, hash changes) swaps them without a page load.

One MutationObserver watches the document (and each shadow root handed to `consentBanner.apply`), so a
blocked script or iframe added at any time is treated like one present at start-up: scripts of accepted
categories run, in insertion order, the others stay inert until their category is accepted; iframes
get their src or their placeholder. Navigation itself needs nothing: it is the content it adds that
counts, whatever the router. Links [data-consent-open] need nothing either: boot.py listens on the
document, so a link of a new view works as soon as it is there."""

from banner.ui.dom import EMBED_SELECTOR
from banner.ui.scripts import PENDING_SELECTOR

OPTIONS = {"childList": True, "subtree": True}


def holds(node, selector):
    """Whether `node` (an element, document, fragment or shadow root) is or contains a match."""
    if node.nodeType == 1 and node.matches(selector):
        return True
    return node.nodeType in (1, 9, 11) and node.querySelector(selector) is not None


class Watch:
    def __init__(self, app):
        self.app = app
        self.roots = [app.doc]          # the document, then the shadow roots handed to apply()
        self.observer = None

    def start(self):
        self.observer = self.app.page.window.MutationObserver.new(self.app.guard(self.on_added))
        for root in self.roots:
            self.observer.observe(root, OPTIONS)

    def on_added(self, records, observer=None):
        added = []
        for record in records:
            nodes = record.addedNodes
            added += [nodes.item(i) for i in range(nodes.length) if nodes.item(i).nodeType == 1]
        self.adopt_nodes(added)

    def adopt_nodes(self, nodes):
        """Treat `nodes` as the start-up treats the page: scripts in insertion order, then iframes."""
        scripts = [n for n in nodes if holds(n, PENDING_SELECTOR)]
        if scripts:
            self.app.run_scripts(scripts)
        if any(holds(n, EMBED_SELECTOR) for n in nodes):
            self.app.with_extra(lambda: self.app.refresh_embeds(nodes))

    def adopt(self, node):
        """consentBanner.apply(node): a fragment a framework rendered, in the document or not yet, or a
        shadow root, which the observer cannot see into: it is remembered and watched from now on."""
        if node.nodeType == 11 and getattr(node, "host", None) and node not in self.roots:
            self.roots.append(node)
            if self.observer is not None:
                self.observer.observe(node, OPTIONS)
        self.adopt_nodes([node])
