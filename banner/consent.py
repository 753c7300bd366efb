"""Consent decisions: the value a visitor's choice produces, and the rules that make it.

A `Consent` is immutable once made: format version, manifest revision, decision time (ms since the
epoch), a random consent id, and the optional categories accepted. The required category is always
accepted and is never stored. Every rule about which categories a user action accepts lives in ACTIONS.
"""

FORMAT_VERSION = 1
MAX_AGE_DAYS = 182                                  # 6 months, as CNIL recommends and the seed policy says
MAX_AGE_SECONDS = MAX_AGE_DAYS * 24 * 3600
CLOCK_SKEW_MS = 24 * 3600 * 1000                    # a decision "from the future" beyond this is tampering


class Consent:
    __slots__ = ("version", "revision", "decided_at", "consent_id", "accepted")

    def __init__(self, *, version, revision, decided_at, consent_id, accepted):
        self.version = version
        self.revision = revision
        self.decided_at = decided_at
        self.consent_id = consent_id
        self.accepted = tuple(accepted)     # optional category ids, in manifest order

    def __eq__(self, other):
        return isinstance(other, Consent) and all(
            getattr(self, k) == getattr(other, k) for k in Consent.__slots__)

    def __repr__(self):
        return "Consent(revision=%r, decided_at=%r, consent_id=%r, accepted=%r)" % (
            self.revision, self.decided_at, self.consent_id, self.accepted)


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
                   consent_id=consent_id, accepted=ACTIONS[action](manifest, choices))


def is_current(consent, manifest, now):
    """Whether a decoded consent still stands: same manifest revision, only known optional categories,
    not from the future, not older than its lifetime. Anything else counts as no choice."""
    if consent.revision != manifest.revision:
        return False
    if any(c not in manifest.optional_ids for c in consent.accepted):
        return False
    if consent.decided_at > now + CLOCK_SKEW_MS:
        return False
    return now - consent.decided_at <= MAX_AGE_SECONDS * 1000
