"""Proof of consent (GDPR art. 7(1)): the record of one decision, as sent to the portal's `consentLog`.
It names what the visitor saw: the manifest revision and the fingerprint of each optional category's
content (fingerprint.py), the same ones the cookie stores.

No IP address, no user agent: the consent id in the visitor's cookie links a record to a browser, and
that is all the portal needs to demonstrate how consent was obtained. The reference receiver
(banner/receiver.py) validates these fields.
"""

from .consent import ACTIONS

# The actions a record names: a decision's own, or "withdraw" when it takes back an earlier acceptance.
LOGGED_ACTIONS = tuple(ACTIONS) + ("withdraw",)


def classify(previous, consent, action):
    """The logged action: a decision that refuses a category accepted before is a withdrawal."""
    if previous is not None and any(c not in consent.accepted for c in previous.accepted):
        return "withdraw"
    return action


def decision_record(consent, previous, action, language, manifest):
    return {
        "consentId": consent.consent_id,
        "time": consent.decided_at,
        "revision": consent.revision,
        "language": language,
        "action": classify(previous, consent, action),
        "accepted": list(consent.accepted),
        "refused": [c for c in manifest.optional_ids if c not in consent.accepted],
        "fingerprints": dict(consent.fingerprints),
    }
