"""What the loader (static/src/consent.js) must know before Python runs, taken from Python at build time.

The loader paints the ahead-of-time first layer, holds clicks and fails closed before the Brython runtime
has started, so it needs a few of our facts (the consent cookie's name, the default languages, the
attribute marking the painted banner, the prefix of a recorded language click...) and one rule written in
both languages (the key that says whether a prerendered first layer fits this data-config). The facts are
written into the loader's `/*LOADER_FACTS*/{}` block by `fill`, so they have one home: Python. The rules
the loader must still spell out in JavaScript (its language choice, its FNV hash, its key, its GPC and
cookie checks) run against the same table of cases as their Python originals: tests/core/test_loader_facts.py
and tests/core/shared_cases.json.

CPython only (banner/build.py and banner/prerender.py use it; the page never imports it).
"""

import json

from banner.config import DEFAULT_LANGUAGES, RESPECT_GPC_DEFAULT, THEMES, LOOKS
from banner.cookies import CONSENT_COOKIE
from banner.errors import CONSOLE_PREFIX, FAIL_CLOSED
from banner.fnv import base36, utf16
from banner.ui.dom import OPEN_SELECTOR, PRERENDERED_ATTR, ACTION_ATTR, LANGUAGE_ATTR, LANGUAGE_ACTION

PLACEHOLDER = "/*LOADER_FACTS*/{}"
# The data-config values that shape the first layer, in the order the key lists them, and the value each
# takes when data-config leaves it out (null otherwise).
KEY_FIELDS = ("manifest", "languages", "language", "policyUrl", "theme", "look")
KEY_DEFAULTS = {"languages": list(DEFAULT_LANGUAGES), "theme": THEMES[0], "look": LOOKS[0]}


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
        "consolePrefix": CONSOLE_PREFIX,
        "failClosed": FAIL_CLOSED,
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
