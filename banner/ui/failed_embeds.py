"""The embeds of a page whose banner failed closed (extra bundle; boot.py fetches it for this when start-up
fails). A blocked embed stays a blank box then: safe, since nothing of it loads, but a hole the visitor
cannot account for. Each one's box shows instead the look's placeholder (embeds.py), without its buttons,
saying that the content cannot be shown because the cookie settings could not load. A module of its own,
not part of embeds.py: it builds a View, whose look imports embeds.py."""

from banner.config import Config
from banner.i18n import direction, strings
from banner.ui.blocks import BLOCK_SELECTOR
from banner.ui.dom import EMBED_SELECTOR
from banner.ui.embeds import explain_failure
from banner.ui.view import View
from banner.ui.watch import OPTIONS


class FailedEmbeds:
    """The embeds of a page whose banner failed closed (boot.py): those of `roots` explained at once
    (embeds.explain_failure), those added later as the loader's observer brings them, those of a fragment
    consentBanner.apply() hands over as it comes (`adopt`). In the interface language of the failure's own
    explanation, and in the look and theme of data-config when it could be read (`config`, else None)."""

    def __init__(self, page, lang, config, roots):
        self.page = page
        self.view = self.observer = None
        self.safely(lambda: self.start(lang, config, roots))

    def start(self, lang, config, roots):
        config = config or Config(manifest=None, languages=[lang], language=lang)
        self.view = View(self.page.document, strings(lang, [lang], complete=True), None, config, lang,
                         direction(lang))
        self.watch(roots)

    def adopt(self, node):
        """A shadow root is watched from then on; any other node is explained as it is."""
        shadow = node.nodeType == 11 and getattr(node, "host", None)
        self.safely(lambda: self.watch([node]) if shadow else explain_failure(self.view, [node]))

    def watch(self, roots):
        if self.observer is None:
            self.observer = self.page.observer(", ".join((EMBED_SELECTOR, BLOCK_SELECTOR)), lambda found, removed:
                                               self.safely(lambda: explain_failure(self.view, list(found))))
        for root in roots:
            self.observer.observe(root, OPTIONS)
        explain_failure(self.view, roots)

    def safely(self, step):
        """The failure's one console error is already written: a problem here is a warning."""
        try:
            step()
        except Exception as error:
            self.page.warn("blocked embeds: %s: %s" % (type(error).__name__, error))
