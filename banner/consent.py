"""Consent decisions: the value a visitor's choice produces, and the rules that make it.

A `Consent` is immutable once made: format version, manifest revision, time of the latest decision (ms
since the epoch), a random consent id, the optional categories accepted, the fingerprint of every optional
category as it was when the visitor decided (fingerprint.py), when each category was decided, and, for a
category offering a choice per provider (`providerChoice`) that the visitor accepted for some of its
providers only, which ones (a bit mask over Category.choice_order). The required category is always
accepted and is never stored. Every rule about which categories a user
action accepts lives in ACTIONS.

Each category's answer lives MAX_AGE_DAYS from the moment *that category* was decided: a decision about
some categories (the "something changed" banner, an embed's "Toujours autoriser") keeps the others'
answers, fingerprints and decision times as they were, so it never extends another category's life.
"""

from .fingerprint import fingerprints as manifest_fingerprints

FORMAT_VERSION = 4                                  # 4: providers chosen one by one (2 and 3 still read)
# The consent id of a choice that accepts nothing optional: the same for every visitor who refused, since
# nothing needs proving about a refusal, and a cookie kept six months must then identify no one.
NO_CONSENT_ID = "0" * 16
MAX_AGE_DAYS = 182                                  # 6 months, as CNIL recommends and the seed policy says
MAX_AGE_SECONDS = MAX_AGE_DAYS * 24 * 3600
CLOCK_SKEW_MS = 24 * 3600 * 1000                    # a decision "from the future" beyond this is tampering


class Consent:
    __slots__ = ("version", "revision", "decided_at", "consent_id", "accepted", "fingerprints", "decided",
                 "providers")

    def __init__(self, version, revision, decided_at, consent_id, accepted, fingerprints=None, decided=None,
                 providers=None):
        self.version = version
        self.revision = revision
        self.decided_at = decided_at
        self.consent_id = consent_id
        self.accepted = tuple(accepted)     # optional category ids, in manifest order
        self.fingerprints = dict(fingerprints or {})   # optional category id -> fingerprint when decided
        # optional category id -> ms when that category was decided; a category not listed was decided
        # at decided_at (format 2 cookies, and every category of a whole-banner decision)
        times = dict(decided or {})
        self.decided = {c: times.get(c, decided_at) for c in _stored(self.accepted, self.fingerprints)}
        # accepted category id -> mask of its accepted providers, when it offers a choice per provider and
        # the visitor accepted some only (absent: all of them)
        self.providers = dict(providers or {})

    def decided_time(self, category_id):
        return self.decided.get(category_id, self.decided_at)

    def __eq__(self, other):
        return isinstance(other, Consent) and all(
            getattr(self, k) == getattr(other, k) for k in Consent.__slots__)

    def __repr__(self):
        return "Consent(revision=%r, decided_at=%r, consent_id=%r, accepted=%r, fingerprints=%r, providers=%r)" % (
            self.revision, self.decided_at, self.consent_id, self.accepted, self.fingerprints, self.providers)


def _stored(accepted, fingerprints):
    return list(fingerprints) + [c for c in accepted if c not in fingerprints]


def provider_mask(category, names):
    """The stored answer for a providerChoice category: bit i set when its i-th provider in
    Category.choice_order is accepted."""
    return sum(1 << i for i, name in enumerate(category.choice_order) if name in names)


def mask_names(category, mask):
    """The provider names a stored mask accepts (None: every provider)."""
    order = category.choice_order
    return list(order) if mask is None else [name for i, name in enumerate(order) if (mask >> i) & 1]


def _chosen_mask(category, names):
    """The mask to store for a category accepted with `names` among its providers: None for all of them,
    0 for none (the category is then refused). Unknown names are a caller's bug, as unknown categories are."""
    unknown = [n for n in names if n not in category.choice_order]
    if unknown:
        raise ValueError("unknown providers of %s in a custom choice: %s" % (category.id, ", ".join(unknown)))
    mask = provider_mask(category, names)
    return None if mask == (1 << len(category.providers)) - 1 else mask


def providers_taken_back(previous, consent):
    """The categories accepted under both Consents whose providers answer now accepts a provider fewer
    (a mask takes back a bit the previous one had; no mask: every provider): what ran for that provider
    must stop (a reload), and the proof of consent logs a withdrawal."""
    def narrowed(before, now):
        return now is not None and (before is None or (before & ~now) != 0)
    return [c for c in previous.accepted if c in consent.accepted
            and narrowed(previous.providers.get(c), consent.providers.get(c))]


def _accept_all(manifest, choices):
    return manifest.optional_ids


def _reject_all(manifest, choices):
    """Refuses what needs consent; exempt audience measurement, which needs none, keeps its answer (on,
    unless the visitor opposed it): only its own switch opposes it."""
    return [c for c in manifest.exempt_ids if c in choices]


def _custom(manifest, choices):
    unknown = [c for c in choices if c not in manifest.optional_ids]
    if unknown:
        raise ValueError("unknown or required categories in a custom choice: %s" % ", ".join(unknown))
    return [c for c in manifest.optional_ids if c in choices]


# action name -> which optional categories it accepts. "Continuer sans accepter" is a reject_all.
ACTIONS = {"accept_all": _accept_all, "reject_all": _reject_all, "custom": _custom}


def decide(manifest, action, now, consent_id, choices=(), previous=None, scope=None, providers=None):
    """The Consent produced by a user action at time `now` (ms), under `consent_id` when it accepts
    something optional (else NO_CONSENT_ID). With a standing `previous` consent and
    a `scope` (the optional categories the action is about), categories outside the scope keep their
    previous answer, fingerprint and decision time; without them the action decides every category.
    `providers` ({category id: provider names}) says which providers a custom choice accepts in a
    providerChoice category it accepts (a category it does not list: all of them; none: refused)."""
    if action not in ACTIONS:
        raise ValueError("unknown action %r" % action)
    if previous is not None and now <= previous.decided_at:
        # Later than the choice it replaces, whatever the clocks say: the browser may keep several copies
        # (the Django refresh's, a form's stamped by the server's clock) and the newest counts, so a
        # withdrawal stamped by a clock running behind would lose to the acceptance it withdraws.
        now = previous.decided_at + 1
    if action == "reject_all":                  # exempt categories keep the answer they have (default: on)
        choices = [c for c in manifest.exempt_ids
                   if previous is None or c not in previous.fingerprints or c in previous.accepted]
    answers = ACTIONS[action](manifest, choices)
    current = manifest_fingerprints(manifest)
    if previous is None or scope is None:
        scope = manifest.optional_ids
    accepted, prints, times, masks = [], {}, {}, {}
    for c in manifest.optional_ids:
        mask = None
        if c in scope:
            answer, prints[c], times[c] = c in answers, current[c], now
            category = manifest.category(c)
            if answer and category.provider_choice and providers and c in providers:
                mask = _chosen_mask(category, providers[c])
                answer = mask != 0
        elif c in previous.fingerprints:
            answer, prints[c], times[c] = c in previous.accepted, previous.fingerprints[c], previous.decided_time(c)
            mask = previous.providers.get(c)
        else:
            continue                        # never decided and not asked now: it stays unanswered
        if answer:
            accepted.append(c)
            if mask is not None:
                masks[c] = mask
    # Only what needs consent is worth proving: a choice keeping exempt measurement alone on (« Tout refuser »
    # with an exempt category) names no one either.
    exempt = manifest.exempt_ids
    proves = [c for c in accepted if c not in exempt]
    # positional: in the page a call with keywords takes Brython's slow argument parser, on the click's path
    return Consent(FORMAT_VERSION, manifest.revision, now, consent_id if proves else NO_CONSENT_ID, accepted,
                   prints, times, masks)


def is_current(consent, manifest, now):
    """Whether a decoded consent still stands: same manifest revision, only known optional categories,
    not from the future, not older than its lifetime. Anything else counts as no choice."""
    if consent.revision != manifest.revision:
        return False
    if any(c not in manifest.optional_ids for c in list(consent.accepted) + list(consent.fingerprints)):
        return False
    if consent.decided_at > now + CLOCK_SKEW_MS:
        return False
    if any(t > consent.decided_at for t in consent.decided.values()):
        return False                    # a category decided after the latest decision: not one we wrote
    if any(c not in consent.accepted for c in consent.providers):
        return False                    # providers chosen in a refused category: not one we wrote
    return now - consent.decided_at <= MAX_AGE_SECONDS * 1000


def is_expired(consent, category_id, now):
    """Whether one category's answer has outlived its MAX_AGE_DAYS, counted from its own decision."""
    return now - consent.decided_time(category_id) > MAX_AGE_SECONDS * 1000


def changed_categories(consent, manifest, now=None):
    """The categories needing consent the banner asks about again, the other answers standing
    (RE_ASK_RULES): one the visitor accepted whose content changed since (another fingerprint), one that
    did not exist then (or was never answered), and (given `now`) one whose answer expired. A refusal
    stands until it expires, whatever changes in the category: nobody is asked twice within six months to
    accept what they refused. Exempt audience measurement is never asked about: it needs no consent."""
    current = manifest_fingerprints(manifest)
    return [c for c in manifest.consent_ids
            if c not in consent.fingerprints
            or (consent.fingerprints[c] != current[c] and c in consent.accepted)
            or (now is not None and is_expired(consent, c, now))]


# When the banner asks again, stated once (README "Asking again", docs/compliance-map.md follow it):
RE_ASK_RULES = (
    "an accepted category whose content changed (a cookie, provider, purpose, lifetime or wording): "
    "that category, at the next page",
    "a refused category: never before its refusal is six months old, whatever changes in it",
    "a category added to the manifest: that category, at the next page",
    "any answer six months after it was given: that category",
    "the manifest's revision raised by the portal: every category",
)
