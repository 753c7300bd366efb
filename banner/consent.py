"""Consent decisions: the value a visitor's choice produces, and the rules that make it.

A `Consent` is immutable once made: format version, manifest revision, time of the latest decision (ms
since the epoch), a random consent id, the optional categories accepted, the fingerprint of every optional
category as it was when the visitor decided (fingerprint.py), and when each category was decided. The
required category is always accepted and is never stored. Every rule about which categories a user
action accepts lives in ACTIONS.

Each category's answer lives MAX_AGE_DAYS from the moment *that category* was decided: a decision about
some categories (the "something changed" banner, an embed's "Toujours autoriser") keeps the others'
answers, fingerprints and decision times as they were, so it never extends another category's life.
"""

from .fingerprint import fingerprints as manifest_fingerprints

FORMAT_VERSION = 3                                  # 3: a decision time per category (2 still reads)
# The consent id of a choice that accepts nothing optional: the same for every visitor who refused, since
# nothing needs proving about a refusal, and a cookie kept six months must then identify no one.
NO_CONSENT_ID = "0" * 16
MAX_AGE_DAYS = 182                                  # 6 months, as CNIL recommends and the seed policy says
MAX_AGE_SECONDS = MAX_AGE_DAYS * 24 * 3600
CLOCK_SKEW_MS = 24 * 3600 * 1000                    # a decision "from the future" beyond this is tampering


class Consent:
    __slots__ = ("version", "revision", "decided_at", "consent_id", "accepted", "fingerprints", "decided")

    def __init__(self, *, version, revision, decided_at, consent_id, accepted, fingerprints=None, decided=None):
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

    def decided_time(self, category_id):
        return self.decided.get(category_id, self.decided_at)

    def __eq__(self, other):
        return isinstance(other, Consent) and all(
            getattr(self, k) == getattr(other, k) for k in Consent.__slots__)

    def __repr__(self):
        return "Consent(revision=%r, decided_at=%r, consent_id=%r, accepted=%r, fingerprints=%r)" % (
            self.revision, self.decided_at, self.consent_id, self.accepted, self.fingerprints)


def _stored(accepted, fingerprints):
    return list(fingerprints) + [c for c in accepted if c not in fingerprints]


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


def decide(manifest, action, now, consent_id, choices=(), previous=None, scope=None):
    """The Consent produced by a user action at time `now` (ms), under `consent_id` when it accepts
    something optional (else NO_CONSENT_ID). With a standing `previous` consent and
    a `scope` (the optional categories the action is about), categories outside the scope keep their
    previous answer, fingerprint and decision time; without them the action decides every category."""
    if action not in ACTIONS:
        raise ValueError("unknown action %r" % action)
    if action == "reject_all":                  # exempt categories keep the answer they have (default: on)
        choices = [c for c in manifest.exempt_ids
                   if previous is None or c not in previous.fingerprints or c in previous.accepted]
    answers = ACTIONS[action](manifest, choices)
    current = manifest_fingerprints(manifest)
    if previous is None or scope is None:
        scope = manifest.optional_ids
    accepted, prints, times = [], {}, {}
    for c in manifest.optional_ids:
        if c in scope:
            answer, prints[c], times[c] = c in answers, current[c], now
        elif c in previous.fingerprints:
            answer, prints[c], times[c] = c in previous.accepted, previous.fingerprints[c], previous.decided_time(c)
        else:
            continue                        # never decided and not asked now: it stays unanswered
        if answer:
            accepted.append(c)
    return Consent(version=FORMAT_VERSION, revision=manifest.revision, decided_at=now,
                   consent_id=consent_id if accepted else NO_CONSENT_ID, accepted=accepted, fingerprints=prints,
                   decided=times)


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
