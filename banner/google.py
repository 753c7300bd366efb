"""Google Consent Mode v2 signals, computed from the accepted categories.

The portal maps its categories to Google consent types in data-config (`googleConsentMode`). At start-up,
before any blocked Google tag can run, the page (banner.ui) sends `gtag("consent", "default", ...)` with
every type denied, then one `update` with `consent_update(...)` on every load with a stored choice and
after every decision. This is a signalling layer only: Google tags stay blocked (`data-consent`) until accepted.
"""

from .config import GOOGLE_TYPES

WAIT_FOR_UPDATE_MS = 500


def unknown_categories(mapping, manifest):
    """Categories named in googleConsentMode that the manifest does not define (a configuration error)."""
    ids = [c.id for c in manifest.categories]
    return [c for c in mapping if c not in ids]


def exempt_categories(mapping, manifest):
    """Exempt categories named in googleConsentMode (a configuration error): the CNIL's exemption covers an
    audience measurement it can vouch for, never Google's tags, so their types are never granted from one
    (an exempt category stays accepted after « Tout refuser »: refusing would grant more than not answering)."""
    return [c.id for c in manifest.categories if c.id in mapping and c.exempt]


def consent_default():
    """Every Consent Mode type denied (config.py accepts no other types in a mapping), waiting briefly for
    the update a stored choice sends."""
    signal = {t: "denied" for t in GOOGLE_TYPES}
    signal["wait_for_update"] = WAIT_FOR_UPDATE_MS
    return signal


def consent_update(mapping, accepted, manifest):
    """granted for each type mapped from an accepted category, denied for every other mapped type; an
    exempt category grants nothing (exempt_categories: worked out here, so no caller can forget it)."""
    never = exempt_categories(mapping, manifest)
    signal = {}
    for category, types in mapping.items():
        for item in types:
            if signal.get(item) != "granted":
                signal[item] = "granted" if category in accepted and category not in never else "denied"
    return signal


def problems(mapping, manifest):
    """What is wrong with a googleConsentMode mapping against the manifest (validate --config says the same)."""
    found = []
    unknown = unknown_categories(mapping, manifest)
    if unknown:
        found.append("data-config: googleConsentMode: unknown categories %s" % ", ".join(unknown))
    exempt = exempt_categories(mapping, manifest)
    if exempt:
        found.append("data-config: googleConsentMode: %s: exempt, and Google's tags are not covered by the "
                     "CNIL's exemption: their types stay denied (map a category that needs consent)" % ", ".join(exempt))
    return found

