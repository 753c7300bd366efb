"""The one stateful object of a page view: manifest + stored cookie text + clock in, decisions out.

Like h11's Connection, a Session does no I/O. The shell reads document.cookie and the clock and passes
them in; the Session answers what to show, which categories are accepted, which cookie string to write
and which names to clear, and the shell applies that to the page.
"""

from .consent import NO_CONSENT_ID, decide, is_current, changed_categories, mask_names, providers_taken_back
from .cookies import (CONSENT_COOKIE, consent_cookie_string, decode_consent, erase_strings,
                      parse_cookie_header, names_to_clear, withdrawal_strings)


def gpc_answers(signal, respect_gpc):
    """Whether a Global Privacy Control signal (navigator.globalPrivacyControl, exactly true) answers
    "refuse" for a visitor with no stored choice: unless the portal set respectGPC to false."""
    return signal is True and respect_gpc is not False


class Session:
    def __init__(self, manifest, config, cookie_text, now, secure=False, gpc=False):
        self.manifest = manifest
        self.config = config
        self.secure = secure              # the page is https: the consent cookie gets Secure
        # Global Privacy Control: with no stored choice, the visitor's browser has already said no.
        self.gpc = gpc_answers(gpc, config.respect_gpc)
        self.consent = None
        self.changed = []                 # optional categories changed since the stored decision
        self.load(cookie_text, now)

    def load(self, cookie_text, now):
        """(Re)read the stored choice, e.g. when another tab has decided meanwhile. The browser may send
        several cookies_preferences (host-only and on a parent domain, one of them broken or stale): the
        newest one that still stands wins, so a tampered copy can never hide the visitor's decision."""
        values = [value for name, value in parse_cookie_header(cookie_text) if name == CONSENT_COOKIE]
        decoded = [decode_consent(v) for v in values]
        # a value no version of ours wrote (a hand edit, another program, a cut): the integrator is told
        # (format 1 is an older version's: the visitor is simply asked again, as for any stale choice)
        self.unreadable = [v for v, c in zip(values, decoded) if c is None and not v.startswith("1.")]
        standing = [c for c in decoded if c is not None and is_current(c, self.manifest, now)]
        self.consent = None
        for consent in standing:
            if self.consent is None or consent.decided_at > self.consent.decided_at:
                self.consent = consent
        self.changed = changed_categories(self.consent, self.manifest, now) if self.consent else []

    @property
    def decided(self):
        return self.consent is not None

    @property
    def needs_banner(self):
        """No stored choice, or categories changed since it, and something optional to ask about: a portal
        with only strictly necessary cookies asks nothing (they need no consent), and a Global Privacy
        Control signal is taken as the answer "refuse" (nothing is written; the footer link still lets the
        visitor opt in)."""
        if self.gpc or not self.manifest.consent_ids:
            return False
        return self.consent is None or bool(self.changed)

    @property
    def accepted(self):
        """Accepted category ids in manifest order; the required one always is. A category that changed
        since the visitor accepted it is not accepted until they are asked again. Exempt audience
        measurement is on until the visitor opposes it (or their browser's Global Privacy Control does)."""
        chosen = [c for c in self.consent.accepted if c not in self.changed] if self.consent else ()
        answered = self.consent.fingerprints if self.consent else {}
        return [c.id for c in self.manifest.categories
                if c.required or c.id in chosen or (c.exempt and c.id not in answered and not self.gpc)]

    def is_accepted(self, category_id):
        return category_id in self.accepted

    def _mask(self, category_id):
        category = self.manifest.category(category_id)
        if self.consent is None or category is None or not category.provider_choice:
            return None
        return self.consent.providers.get(category_id)

    def allows(self, category_id, provider=None):
        """Whether content of a category from `provider` (Manifest.provider_of; None: content no declared
        provider claims) may run. In a category offering a choice per provider, the visitor's answer for
        that provider decides; content claimed by none runs only when every provider is accepted, since
        nothing says whose it is."""
        if category_id not in self.accepted:
            return False
        mask = self._mask(category_id)
        if mask is None:
            return True
        order = self.manifest.category(category_id).choice_order
        return provider in order and (mask >> order.index(provider)) & 1 == 1

    def permits(self, category_id, named, urls, page_host):
        """Whether blocked content may run as far as the visitor's answer goes (what the manifest forbids
        is Manifest.undeclared's to say): its category accepted and, in one offering a choice per
        provider, the provider of each address it would load (`named` by data-provider, else by host)."""
        return all(self.allows(category_id, self.manifest.provider_of(category_id, named, url, page_host))
                   for url in list(urls) or [None])

    def accepted_providers(self, category_id):
        """The provider names of a category the visitor accepts now ([] when the category is refused)."""
        if category_id not in self.accepted:
            return []
        return mask_names(self.manifest.category(category_id), self._mask(category_id))

    @property
    def first_layer_scope(self):
        """What the first layer's accept and refuse buttons act on: in the "something changed" state the
        changed (or expired) categories only, as its wording says; otherwise every category."""
        return list(self.changed) if self.consent is not None and self.changed else None

    def providers_with(self, category_id, provider):
        """"Toujours autoriser" on an embed from `provider` in a category offering a choice per provider:
        the providers answer of that category that keeps its accepted ones and adds this one."""
        category = self.manifest.category(category_id)
        if category is None or not category.provider_choice or provider not in category.choice_order:
            return None
        return {category_id: [p for p in self.accepted_providers(category_id) if p != provider] + [provider]}

    def choices_with(self, category_id):
        """"Toujours autoriser" on an embed: the custom choice that keeps what is accepted and adds this
        optional category, or None when there is nothing to add (unknown, required, or accepted already)."""
        optional = self.manifest.optional_ids
        chosen = [c for c in self.accepted if c in optional]
        if category_id not in optional or category_id in chosen:
            return None
        return chosen + [category_id]

    def withdrawn(self, before, ran, previous=None):
        """Categories accepted `before` (under the `previous` consent) and refused now, or accepted now for
        fewer of their providers, whose scripts already ran in this page view: scripts cannot be unloaded,
        so only a reload stops them."""
        accepted = self.accepted
        fewer = providers_taken_back(previous, self.consent) if previous and self.consent else []
        return [c for c in before if c in ran and (c not in accepted or c in fewer)]

    def reload(self, cookie_text, now):
        """Re-read the cookie (another tab may have decided) and say what the page must do: "apply" a
        decision made elsewhere, "ask" with the banner, or None when nothing changed for this page."""
        was = self.consent
        self.load(cookie_text, now)
        if self.consent == was:
            return None
        if self.decided and not self.changed:
            return "apply"
        return "ask" if self.needs_banner else None

    def prepare(self, now):
        """Work a first-layer click needs, done while the visitor reads the banner: the manifest's
        fingerprints (hashing is slow in the page) and a trial of each first-layer answer, its cookie text
        thrown away, so that the click pays neither the hashing nor the first run of the encoder. Changes
        nothing."""
        for action in ("reject_all", "accept_all"):
            trial = decide(self.manifest, action, now, NO_CONSENT_ID, (), self.consent, None, None)
            changed_categories(trial, self.manifest, now)
            consent_cookie_string(trial, self.secure, self.config.cookie_domain)

    def decide(self, action, now, consent_id, choices=(), scope=None, providers=None):
        """Apply a user action; return the document.cookie string that records it. `scope` names the
        optional categories the action is about (None: all of them); the others keep their standing
        answer and its age."""
        self.consent = decide(self.manifest, action, now, consent_id, choices, self.consent, scope, providers)
        self.changed = changed_categories(self.consent, self.manifest, now)
        return consent_cookie_string(self.consent, self.secure, self.config.cookie_domain)

    def forget(self, hostname):
        """Forget the stored choice (API reset()); return the document.cookie strings that erase it."""
        self.consent = None
        self.changed = []
        return erase_strings(CONSENT_COOKIE, hostname)

    def cookies_to_erase(self, cookie_text, hostname, regex_test, page_path="/", everywhere=False):
        """document.cookie strings deleting every present cookie of a refused category, on every path it
        may have here; with `everywhere`, also those declared on other paths (cookies.withdrawal_strings)."""
        present = [name for name, _ in parse_cookie_header(cookie_text)]
        return withdrawal_strings(self.manifest, self.accepted, present, hostname, page_path, regex_test,
                                  everywhere)

    def storage_keys_to_remove(self, keys, regex_test, storage="local"):
        """localStorage ("local") or sessionStorage ("session") keys the manifest declares for refused
        categories."""
        return names_to_clear(self.manifest, self.accepted, keys, regex_test, storage=storage)
