"""Consent decisions: the value a visitor's choice produces, and the rules that make it.

A `Consent` is immutable once made: format version, manifest revision, decision time (ms since the
epoch), a random consent id, the optional categories accepted, and the fingerprint of every optional
category as it was when the visitor decided (fingerprint.py). The required category is always accepted
and is never stored. Every rule about which categories a user action accepts lives in ACTIONS.
"""

from .fingerprint import fingerprints as manifest_fingerprints

FORMAT_VERSION = 2
MAX_AGE_DAYS = 182                                  # 6 months, as CNIL recommends and the seed policy says
MAX_AGE_SECONDS = MAX_AGE_DAYS * 24 * 3600
CLOCK_SKEW_MS = 24 * 3600 * 1000                    # a decision "from the future" beyond this is tampering


class Consent:
    __slots__ = ("version", "revision", "decided_at", "consent_id", "accepted", "fingerprints")

    def __init__(self, *, version, revision, decided_at, consent_id, accepted, fingerprints=None):
        self.version = version
        self.revision = revision
        self.decided_at = decided_at
        self.consent_id = consent_id
        self.accepted = tuple(accepted)     # optional category ids, in manifest order
        self.fingerprints = dict(fingerprints or {})   # optional category id -> fingerprint when decided

    def __eq__(self, other):
        return isinstance(other, Consent) and all(
            getattr(self, k) == getattr(other, k) for k in Consent.__slots__)

    def __repr__(self):
        return "Consent(revision=%r, decided_at=%r, consent_id=%r, accepted=%r, fingerprints=%r)" % (
            self.revision, self.decided_at, self.consent_id, self.accepted, self.fingerprints)


def _accept_all(manifest, choices):
    return manifest.optional_ids


def _reject_all(manifest, choices):
    return []


def _custom(manifest, choices):
    unknown = [c for c in choices if c not in manifest.optional_ids]
    if unknown:
        raise ValueError("unknown or required categories in a custom choice: %s" % ", ".join(unknown))
    return [c for c in manifest.optional_ids if c in choices]


# action name -> which optional categories it accepts. "Continuer sans accepter" is a reject_all.
ACTIONS = {"accept_all": _accept_all, "reject_all": _reject_all, "custom": _custom}


def decide(manifest, action, now, consent_id, choices=()):
    """The Consent produced by a user action at time `now` (ms)."""
    if action not in ACTIONS:
        raise ValueError("unknown action %r" % action)
    return Consent(version=FORMAT_VERSION, revision=manifest.revision, decided_at=now,
                   consent_id=consent_id, accepted=ACTIONS[action](manifest, choices),
                   fingerprints=manifest_fingerprints(manifest))


def is_current(consent, manifest, now):
    """Whether a decoded consent still stands: same manifest revision, only known optional categories,
    not from the future, not older than its lifetime. Anything else counts as no choice."""
    if consent.revision != manifest.revision:
        return False
    if any(c not in manifest.optional_ids for c in list(consent.accepted) + list(consent.fingerprints)):
        return False
    if consent.decided_at > now + CLOCK_SKEW_MS:
        return False
    return now - consent.decided_at <= MAX_AGE_SECONDS * 1000


def changed_categories(consent, manifest):
    """Optional categories whose content changed since the decision (another fingerprint), or that did not
    exist then. The banner asks again about these only; the other choices stand."""
    current = manifest_fingerprints(manifest)
    return [c for c in manifest.optional_ids
            if c not in consent.fingerprints or consent.fingerprints[c] != current[c]]
