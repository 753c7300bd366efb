"""Content that arrives after start-up: single-page portals render views, widgets and visualisations in
the browser, and in-page navigation (pushState, popstate, hash changes) swaps them without a page load.

One MutationObserver (made by the loader, which filters its records natively) watches the document (and each
shadow root handed to `consentBanner.apply`), so a blocked script, iframe or cookie-policy element added at
any time is treated like one present at start-up: scripts of accepted categories run, in insertion order,
the others stay inert until their category is accepted; iframes get their src or their placeholder, a block
a per-visitor page sent live (its mark, blocks.py) counts as run, and what a re-render of <body> removed of
the banner comes back. Navigation itself needs nothing: it is the content
it adds that counts, whatever the router. Links [data-consent-open] need nothing either: boot.py listens on
the document, so a link of a new view works as soon as it is there."""

from banner.ui.blocks import BLOCK_SELECTOR, LIVE_SELECTOR
from banner.ui.dom import EMBED_SELECTOR, POLICY_SELECTOR
from banner.ui.media import MEDIA_SELECTOR
from banner.ui.scripts import PENDING_SELECTOR

OPTIONS = {"childList": True, "subtree": True}
WATCHED = ", ".join((PENDING_SELECTOR, EMBED_SELECTOR, POLICY_SELECTOR, BLOCK_SELECTOR, MEDIA_SELECTOR,
                     LIVE_SELECTOR))


def holds(node, selector):
    """Whether `node` (an element, document, fragment or shadow root) is or contains a match."""
    if node.nodeType == 1 and node.matches(selector):
        return True
    return node.nodeType in (1, 9, 11) and node.querySelector(selector) is not None


class Watch:
    """Given only what it uses: the Content it hands new nodes to (and whose roots it watches), the
    loader's observer factory (Page.observer), the App's guard, the extra bundle (embeds and policy views
    come with it), and two App callbacks: putting the banner's own nodes back, filling policy views."""

    def __init__(self, content, observer, guard, extra, keep_ui, fill_policies):
        self.content = content
        self.roots = content.roots      # the document, then the shadow roots handed to apply()
        self.make_observer = observer
        self.guard = guard
        self.extra = extra
        self.keep_ui = keep_ui
        self.fill_policies = fill_policies
        self.observer = None

    def start(self):
        self.observer = self.make_observer(WATCHED, self.guard(self.on_found))
        for root in self.roots:
            self.observer.observe(root, OPTIONS)

    def on_found(self, found, removed):
        """The loader's observer filtered the records: `found` holds the added scripts, iframes and policy elements."""
        if removed:
            self.keep_ui()
        self.adopt_nodes(list(found))

    def adopt_nodes(self, nodes):
        """Treat `nodes` as the start-up treats the page: blocks of accepted categories opened (what they
        held comes back through the observer), scripts in insertion order, then iframes and the
        placeholders of closed blocks."""
        self.content.report_unknown(nodes)
        if any(holds(n, LIVE_SELECTOR) for n in nodes):
            self.content.count_live(nodes)      # a block the server sent live ran on insertion
        if any(holds(n, BLOCK_SELECTOR) for n in nodes):
            self.content.open_blocks(nodes)
        scripts = [n for n in nodes if holds(n, PENDING_SELECTOR)]
        if scripts:
            self.content.run_scripts(scripts)
        if any(holds(n, MEDIA_SELECTOR) for n in nodes):
            self.content.show_media(nodes)
        if any(holds(n, EMBED_SELECTOR) or holds(n, BLOCK_SELECTOR) for n in nodes):
            self.extra.run(lambda: self.content.refresh_embeds(nodes))
        policies = [n for n in nodes if holds(n, POLICY_SELECTOR)]
        if policies:
            self.extra.run(lambda: self.fill_policies(policies))

    def adopt(self, node):
        """consentBanner.apply(node): a fragment a framework rendered, in the document or not yet, or a
        shadow root, which the observer cannot see into: it is remembered and watched from now on."""
        if node.nodeType == 11 and getattr(node, "host", None) and node not in self.roots:
            self.roots.append(node)
            if self.observer is not None:
                self.observer.observe(node, OPTIONS)
        self.adopt_nodes([node])
