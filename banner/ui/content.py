"""The page's blocked content kept in step with the visitor's answer: the cookies and storage keys of
refused categories cleared, and what is accepted let in (closed blocks opened, images and media given
their addresses, embeds loaded or given their placeholder, scripts run in order). It also remembers which
categories ran something in this page view (`ran`: scripts run, blocks opened, blocks the server sent
live, blocks "Autoriser une fois" opened): that cannot be taken back, so withdrawing one of them reloads
the page.

The App decides; this controller only applies the Session's answers to the page, through the Page (I/O),
the script queue (scripts.py), media.py, blocks.py and the embeds (embeds.py, from the extra bundle)."""

from banner.ui import media
from banner.ui.blocks import live_blocks, open_blocks
from banner.ui.contract import CATEGORY
from banner.ui.dom import select_all
from banner.ui.scripts import Scripts, sent_live


class Content:
    def __init__(self, page, session, manifest, new_embeds):
        self.page = page
        self.session = session
        self.manifest = manifest
        self.roots = [page.document]        # the document, then the shadow roots handed to consentBanner.apply
        self.ran = page.early_ran()         # categories whose content ran in this page view (the loader's too)
        self.scripts = Scripts(page.document, page.error, page.nonce, self.undeclared, page.after_early_scripts,
                               self.permits)
        self.embeds = None                  # embeds.Embeds, from the extra bundle: ensure_embeds()
        self.new_embeds = new_embeds        # App.new_embeds: built in the texts of the moment
        self.unknown = []                   # data-consent values naming no category, each reported once
        self.once = []                      # categories of the blocks "Autoriser une fois" opened

    def undeclared(self, category_id, named, url):
        """Why the manifest forbids this content whatever the visitor says (Manifest.undeclared), or None."""
        return self.manifest.undeclared(category_id, named, url, self.page.hostname)

    def permits(self, category_id, named, urls):
        """Whether the visitor's answer lets this content run (Session.permits): its category, and its
        provider in a category offering a choice per provider."""
        return self.session.permits(category_id, named, urls, self.page.hostname)

    def count_sent_live(self, categories=()):
        """What ran before the banner: blocks and scripts the server sent live, and tools outside our
        blocking."""
        document = self.page.document
        self.ran += live_blocks([document]) + sent_live(document) + list(categories)

    def count_live(self, nodes):
        """Blocks the server sent live in content added later (a single-page portal's view taken from a
        per-visitor page): they ran on insertion."""
        self.ran += live_blocks(nodes)

    def clear_refused(self, decided=False):
        """Delete the cookies and storage keys of refused categories (after a decision, also their cookies
        declared on other paths, which this page cannot see)."""
        page = self.page
        for text in self.session.cookies_to_erase(page.cookie_text, page.hostname, page.regex_test, page.path,
                                                  decided):
            page.write_cookie(text)
        for area, storage in (("localStorage", "local"), ("sessionStorage", "session")):
            if not self.session.manifest.declares(storage):
                continue
            for key in self.session.storage_keys_to_remove(page.storage_keys(area), page.regex_test, storage):
                page.remove_storage_key(key, area)

    def apply(self, decided=False):
        """Make the page match the session: clear what is refused, let in what is accepted."""
        self.clear_refused(decided)
        self.activate()

    def activate(self):
        self.open_blocks(self.roots)
        self.show_media(self.roots)
        if self.embeds is not None:
            self.embeds.refresh(self.session.accepted, self.roots)
        self.run_scripts(self.roots)

    def report_unknown(self, roots):
        """A `data-consent` naming no category of the manifest (a typo: "analytic") can never run, whatever
        the visitor says: one console error per such value says so, rather than silence."""
        for root in roots:
            for element in select_all(root, "[%s]" % CATEGORY):
                category = element.getAttribute(CATEGORY)
                if category not in self.unknown and self.manifest.category(category) is None:
                    self.unknown.append(category)
                    self.page.error("%s=\"%s\" names no category of the manifest (%s): this %s never runs" % (
                        CATEGORY, category, ", ".join(c.id for c in self.manifest.categories),
                        element.tagName.lower()))

    def open_blocks(self, nodes):
        self.ran += open_blocks(nodes, self.session.accepted, self.permits)

    def show_media(self, roots):
        """Images and pictures under the static contract (media.py) follow the session."""
        media.apply(roots, self.session.accepted, self.undeclared, self.page.error, self.permits)

    def run_scripts(self, roots):
        self.ran += self.scripts.run(roots, self.session.accepted)

    def ensure_embeds(self):
        if self.embeds is None:
            self.embeds = self.new_embeds()
        return self.embeds

    def refresh_embeds(self, nodes=()):
        """Embeds and closed blocks' placeholders follow the session; `nodes` not in the document yet (a
        fragment handed to consentBanner.apply) are treated too."""
        self.ensure_embeds().refresh(self.session.accepted, self.roots + [n for n in nodes if not n.isConnected])

    def opened_once(self, category):
        """"Autoriser une fois" opened a closed block (embeds.py): what it holds ran and cannot be unloaded,
        so its category counts as run, and a decision leaving that category refused reloads the page."""
        self.ran.append(category)
        self.once.append(category)

    def end_once(self):
        """A decision ends "Autoriser une fois" where it leaves the embed refused."""
        if self.embeds is not None:
            self.embeds.end_once(self.session.accepted, self.roots)

    def must_reload(self, before, previous):
        """Whether the decision just made took back content that already ran (Session.withdrawn), or left
        refused, by the rule that opens blocks (open_blocks), the category of a block allowed once (which
        `before` may not hold: allowing once accepts nothing)."""
        once = [c for c in self.once if c not in self.session.accepted or not self.permits(c, None, [])]
        return bool(once or self.session.withdrawn(before, self.ran, previous))
