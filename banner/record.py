"""Proof of consent (GDPR art. 7(1)): the record of one decision, as sent to the portal's `consentLog`.
It names what the visitor saw: the manifest revision and the fingerprint of each optional category's
content (fingerprint.py), the same ones the cookie stores.

It also names what asked (the banner version and the hash of the build the page loaded), where the
visitor answered (SOURCES), and logs "Autoriser une fois" (`allow_once`), which stores nothing on the
device but does load a third party: without its record the log could not explain that request.

For each category offering a choice per provider (`providerChoice`), a record also names the providers
the visitor accepted (`providers`: {category id: names in Category.choice_order}): every provider of a
category accepted whole, [] for a refused one. A manifest offering no such choice gives records without
the field, as before, so that a receiver of an earlier version still takes them.

No IP address, no user agent: the consent id in the visitor's cookie links a record to a browser, and
that is all the portal needs to demonstrate how consent was obtained. The reference receiver
(banner/server/receiver.py) validates these fields.
"""

from . import __version__
from .consent import ACTIONS, NO_CONSENT_ID, mask_names, providers_taken_back
from .fingerprint import fingerprints

# The actions a record names: a decision's own, "withdraw" when it takes back an earlier acceptance, and
# "allow_once" for an embed loaded for this page view only.
LOGGED_ACTIONS = tuple(ACTIONS) + ("withdraw", "allow_once")
# Where a choice was made: the first layer (live or painted ahead of time), the preferences centre, an
# embed's placeholder, the page's own script (consentBanner.reset()), or, decided by the server
# (banner.django.choice) without the page's script, the first layer's form or the policy page's choices.
SOURCES = ("first_layer", "centre", "embed", "api", "form", "policy_form")


def classify(previous, consent, action):
    """The logged action: a decision that refuses a category accepted before, or a provider accepted before
    in a category offering a choice per provider (consent.providers_taken_back), is a withdrawal."""
    if previous is None:
        return action
    if any(c not in consent.accepted for c in previous.accepted) or providers_taken_back(previous, consent):
        return "withdraw"
    return action


def _origin(source, build):
    return {"bannerVersion": __version__, "build": build, "source": source}


def chosen_providers(manifest, accepted, masks):
    """{category id: accepted provider names} for each category offering a choice per provider, under the
    accepted categories and their providers masks (Consent.providers); None when there is none."""
    found = {}
    for category in manifest.categories:
        if category.provider_choice:
            found[category.id] = mask_names(category, masks.get(category.id)) if category.id in accepted else []
    return found or None


def _with_providers(record, providers):
    if providers is not None:
        record["providers"] = providers
    return record


def decision_record(consent, previous, action, language, manifest, source, build):
    """The record of a stored decision. `build` is the build hash the loader carries ("" when unknown)."""
    record = dict(_origin(source, build), **{
        # a withdrawal stores no id of the visitor's, but its record names the acceptance it takes back
        "consentId": previous.consent_id if consent.consent_id == NO_CONSENT_ID and previous else consent.consent_id,
        "time": consent.decided_at,
        "revision": consent.revision,
        "language": language,
        "action": classify(previous, consent, action),
        "accepted": list(consent.accepted),
        "refused": [c for c in manifest.optional_ids if c not in consent.accepted],
        "fingerprints": dict(consent.fingerprints),
    })
    return _with_providers(record, chosen_providers(manifest, consent.accepted, consent.providers))


def once_record(consent_id, now, accepted, category_id, language, manifest, build, masks=None):
    """"Autoriser une fois" on an embed of `category_id`: nothing is stored, the stored choice (`accepted`,
    under `consent_id`, or a fresh id when there is none) stands, and this page view loads the embed.
    `masks`: the stored choice's providers masks (Consent.providers, {} with no stored choice); without
    them the record names no providers, since the standing answer per provider is not known."""
    optional = [c for c in accepted if c in manifest.optional_ids]
    record = dict(_origin("embed", build), **{
        "consentId": consent_id,
        "time": now,
        "revision": manifest.revision,
        "language": language,
        "action": "allow_once",
        "once": category_id,
        "accepted": optional,
        "refused": [c for c in manifest.optional_ids if c not in optional],
        "fingerprints": fingerprints(manifest),
    })
    return _with_providers(record, None if masks is None else chosen_providers(manifest, optional, masks))


def reset_record(previous, now, language, manifest, build):
    """consentBanner.reset() forgets a stored choice: when that choice accepted something, the page's
    script has withdrawn it (nothing optional runs until the visitor answers again). None otherwise."""
    if previous is None or not previous.accepted:
        return None
    record = dict(_origin("api", build), **{
        "consentId": previous.consent_id,
        "time": now,
        "revision": manifest.revision,
        "language": language,
        "action": "withdraw",
        "accepted": [],
        "refused": list(manifest.optional_ids),
        "fingerprints": fingerprints(manifest),
    })
    return _with_providers(record, chosen_providers(manifest, [], {}))
