"""What the loader (static/src/consent.js) must know before Python runs, taken from Python at build time.

The loader paints the ahead-of-time first layer, holds clicks and fails closed before the Brython runtime
has started, so it needs a few of our facts (the consent cookie's name, the default languages, the
attribute marking the painted banner, the prefix of a recorded language click...) and one rule written in
both languages (the key that says whether a prerendered first layer fits this data-config). The facts are
written into the loader's `/*LOADER_FACTS*/{}` block by `fill`, so they have one home: Python. The rules
the loader must still spell out in JavaScript (its language choice, its FNV hash, its key, its GPC and
cookie checks) run against the same table of cases as their Python originals: tests/core/test_loader_facts.py
and tests/core/shared_cases.json.

The early path: on a return visit the loader runs the blocked scripts of the categories a stored choice
accepts before the runtime has even loaded. It decodes the consent cookie and judges it as banner.cookies,
banner.consent and banner.session do (their limits are facts below), against the manifest a portal's
build saw (`early`, one object per build, in the prerendered first layer), and acts only when the page's
data-config and manifest are the very ones of the build; in any doubt it leaves everything to Python.

CPython only (the release step, tools/release.py, and banner/server/prerender.py use it; the page never imports it).
"""

import json

from banner.config import DEFAULT_LANGUAGES, RESPECT_GPC_DEFAULT, THEMES, LOOKS
from banner.consent import CLOCK_SKEW_MS, MAX_AGE_SECONDS
from banner.cookies import (CONSENT_COOKIE, CONSENT_ID_LENGTH, ID_ALPHABET, MAX_AGE_DIGITS, MAX_AGE_FIELD,
                            MASK_VERSION, MAX_MASK_DIGITS, MAX_NUMBER_DIGITS, MAX_VALUE_LENGTH, READ_VERSIONS)
from banner.fingerprint import WIDTH as FINGERPRINT_WIDTH, fingerprints
from banner import vendors
from banner.text import ID_CHARS, LOWER, MAX_IDENTIFIER
from banner.ui.blocks import BLOCK_SELECTOR
from banner.ui.page import CHANNEL
from banner.ui.contract import CATEGORY, PROVIDER, SRC, TYPE
from banner.ui.scripts import DONE, PENDING_SELECTOR, SKIPPED_ATTRIBUTES
from banner.errors import CONSOLE_PREFIX, FAIL_AFTER_EARLY, FAIL_CLOSED
from banner.fnv import base36, utf16
from banner.ui.dom import (OPEN_SELECTOR, PRERENDERED_ATTR, ACTION_ATTR, LANGUAGE_ATTR, LANGUAGE_ACTION, CONTENT_ATTR,
                           DECISIONS, PENDING_ATTR, OPENING_ATTR, PENDING_KEY, PENDING_MAX_AGE_MS)

PLACEHOLDER = "/*LOADER_FACTS*/{}"
# The data-config values that shape the first layer, in the order the key lists them, and the value each
# takes when data-config leaves it out (null otherwise).
KEY_FIELDS = ("manifest", "languages", "language", "policyUrl", "theme", "look")
KEY_DEFAULTS = {"languages": list(DEFAULT_LANGUAGES), "theme": THEMES[0], "look": LOOKS[0]}
# The early path acts only on a choice that stays current for this long: a category whose answer expires
# sooner is left to Python, so Python, starting later than the loader, never finds one run that it would
# no longer accept (expiry only ever removes categories).
EARLY_MARGIN_MS = 3600 * 1000
# On the loader's tag a server wrote (banner.django): the `early` object of the data-config it wrote there.
EARLY_ATTR = "data-cb-early"


def facts():
    """The object the loader reads as `facts`."""
    return {
        "consentCookie": CONSENT_COOKIE,
        "defaultLanguages": list(DEFAULT_LANGUAGES),
        "respectGPC": RESPECT_GPC_DEFAULT,
        "keyFields": list(KEY_FIELDS),
        "keyDefaults": KEY_DEFAULTS,
        "openSelector": OPEN_SELECTOR,
        "prerenderedAttr": PRERENDERED_ATTR,
        "actionAttr": ACTION_ATTR,
        "languageAttr": LANGUAGE_ATTR,
        "languageAction": LANGUAGE_ACTION,
        "contentAttr": CONTENT_ATTR,
        # a decision clicked before Python runs: the layer leaves at once, the choice is kept for Python
        "decisions": list(DECISIONS),
        "pendingAttr": PENDING_ATTR,
        "openingAttr": OPENING_ATTR,
        "pendingKey": PENDING_KEY,
        "pendingMaxAgeMs": PENDING_MAX_AGE_MS,
        "consolePrefix": CONSOLE_PREFIX,
        "failClosed": FAIL_CLOSED,
        "failAfterEarly": FAIL_AFTER_EARLY,
        # the consent cookie as banner.cookies reads it
        "readVersions": [str(v) for v in READ_VERSIONS],
        "maxValueLength": MAX_VALUE_LENGTH,
        "maxNumberDigits": MAX_NUMBER_DIGITS,
        "consentIdLength": list(CONSENT_ID_LENGTH),
        "idAlphabet": ID_ALPHABET,
        "identifierFirst": LOWER,
        "identifierChars": ID_CHARS,
        "maxIdentifier": MAX_IDENTIFIER,
        "fingerprintWidth": FINGERPRINT_WIDTH,
        "maxAgeDigits": MAX_AGE_DIGITS,
        "maxAgeField": MAX_AGE_FIELD,
        "maskVersion": MASK_VERSION,
        "maxMaskDigits": MAX_MASK_DIGITS,
        # and as banner.consent judges it
        "maxAgeMs": MAX_AGE_SECONDS * 1000,
        "clockSkewMs": CLOCK_SKEW_MS,
        "earlyMarginMs": EARLY_MARGIN_MS,
        # blocked scripts as banner.ui.scripts runs them
        "pendingScripts": PENDING_SELECTOR,
        "ranAttr": DONE,
        "skippedAttributes": list(SKIPPED_ATTRIBUTES),
        "categoryAttr": CATEGORY,
        "srcAttr": SRC,
        "typeAttr": TYPE,
        "providerAttr": PROVIDER,
        # and the closed blocks the Django app sends, as banner/ui/blocks.py opens them
        "blockSelector": BLOCK_SELECTOR,
        "earlyAttr": EARLY_ATTR,
        # the tabs of the site hear each other's decisions on it (banner/ui/page.py)
        "channelName": CHANNEL,
    }


def fill(source):
    """The loader's source with its facts block written in."""
    if source.count(PLACEHOLDER) != 1:
        raise ValueError("the loader must hold exactly one %s block" % PLACEHOLDER)
    return source.replace(PLACEHOLDER, json.dumps(facts(), ensure_ascii=False, separators=(",", ":")))


def _json(value):
    """JSON text as JavaScript's JSON.stringify writes it (no spaces, non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def config_key(data):
    """What the loader compares to decide whether a prerendered first layer fits the page's data-config:
    the values of KEY_FIELDS. An inline manifest counts by a hash of its JSON text (fnv.utf16, as the
    loader hashes a JavaScript string), so the loader does not carry a second copy of it."""
    values = []
    for field in KEY_FIELDS:
        value = data.get(field, KEY_DEFAULTS.get(field))
        if field == "manifest" and not isinstance(value, str):
            value = "#" + base36(utf16(_json(value)))
        values.append(value)
    return _json(values)


def config_hash(data):
    """What the early path compares to know that the page's data-config is the one a build saw: the hash
    (fnv.utf16, base 36) of its JSON text as JavaScript's JSON.stringify(JSON.parse(...)) writes it."""
    return base36(utf16(_json(data)))


def text_hash(text):
    """The hash of a manifest's text as fetch() gives it to the loader (Response.text())."""
    return base36(utf16(text))


def early(config_data, manifest, manifest_text=None):
    """What the loader needs to judge a stored choice before Python runs, for one portal's build: the
    hashes of its data-config and (named by URL) manifest text, the manifest revision, each category
    (required or not, its fingerprint, its declared providers and hosts, and for a category offering a
    choice per provider `choice`: [name, bit of its stored mask (Category.choice_order), hosts] of each
    provider) and the manifest's cookie and
    storage entries (the early path stays off while anything Python would clear at start is present).
    None, and the early path off, when the manifest is named by URL and its text is not known, or when
    data-config asks for Google Consent Mode: Python must send its "default" signal before any Google tag
    runs, or the tag would take refused categories as granted. The tools of `vendors` are told before any
    tag runs early: `vendors` lists, for each, [category id, its `before` signals, its `update` signals
    when the category is accepted, and when it is refused] (banner.vendors, worked out here once)."""
    by_url = not isinstance(config_data.get("manifest"), dict)
    if (by_url and manifest_text is None) or config_data.get("googleConsentMode"):
        return None
    prints = fingerprints(manifest)
    found = {
        "config": config_hash(config_data),
        "manifest": text_hash(manifest_text) if by_url else None,
        "revision": manifest.revision,
        "categories": [_category(c, prints) for c in manifest.categories],
        "entries": [[k.storage, k.name, k.category, k.match] for k in manifest.cookies],
    }
    mapping = config_data.get("vendors")
    if isinstance(mapping, dict) and mapping:
        found["vendors"] = [[c] + vendor_signals(v, vendors.is_exempt(manifest, c), vendors.can_measure(manifest, c))
                            for v, c in mapping.items()]
    return found


def _category(category, prints):
    """One category as the early path judges it."""
    found = {"id": category.id, "required": category.required, "exempt": category.exempt,
             "fingerprint": prints.get(category.id, ""), "providers": [p.name for p in category.providers],
             "hosts": [h for p in category.providers for h in p.hosts]}
    if category.provider_choice:        # in manifest order, as Manifest.provider_of looks
        order = category.choice_order
        found["choice"] = [[p.name, order.index(p.name), list(p.hosts)] for p in category.providers]
    return found


def vendor_signals(vendor, exempt, optional):
    """A tool's signals as the early path picks them: before, then accepted, then refused (a tool mapped to a
    category that is not optional is told that it is refused either way, as vendors.updates tells it)."""
    return [vendors.before(vendor, exempt), vendors.update(vendor, exempt, optional),
            vendors.update(vendor, exempt, False)]
