"""The clean-up spares the banner's own consent cookie, whatever a manifest says: deleted with a refusal,
the refusal itself would be forgotten, and the banner would ask again on every page."""

import json
import os
import re

from banner.cookies import CONSENT_COOKIE, names_to_clear, withdrawal_strings
from banner.manifest import parse_manifest
from banner.server.host import regex_ok

from core_kit import ROOT

DEMO = os.path.join(ROOT, "demo", "site", "cookies.json")
CONSENT_AT, ANALYTICS_AT = 2, 4              # the demo's cookies_preferences and demo_analytics entries


def demo():
    with open(DEMO, encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["cookies"][CONSENT_AT]["name"] == CONSENT_COOKIE
    assert data["cookies"][ANALYTICS_AT]["category"] == "analytics"
    return data


# --- the consent cookie ------------------------------------------------------------------------------------

def unchecked(data):
    """A manifest as the parser would have built it, had it no rule about the consent cookie."""
    categories = data["categories"]
    moved = [e for e in data["cookies"] if e["name"] == CONSENT_COOKIE]
    for entry in moved:
        entry["category"] = "necessary"
    manifest = parse_manifest(data, ["fr", "en"], regex_ok)
    for info in manifest.cookies:
        if info.name == CONSENT_COOKIE:
            info.category = categories[1]["id"]
    return manifest


def regex_test(pattern, name):
    return re.search(pattern, name) is not None


def test_the_clean_up_never_deletes_the_consent_cookie_whatever_the_manifest_says():
    data = demo()
    data["cookies"][CONSENT_AT]["paths"] = ["/explore/"]
    manifest = unchecked(data)
    manifest.cookies[ANALYTICS_AT].match = "^(demo_analytics|cookies_).*$"
    present = [CONSENT_COOKIE, "demo_analytics", "sessionid"]
    assert names_to_clear(manifest, ["necessary"], present, regex_test) == ["demo_analytics"]
    strings = withdrawal_strings(manifest, ["necessary"], present, "portal.example.org", "/explore/x", regex_test,
                                 everywhere=True)
    assert strings and all(s.startswith("demo_analytics=") for s in strings)


def test_the_clean_up_still_deletes_a_local_storage_key_of_the_same_name():
    manifest = unchecked(demo())
    manifest.cookies[CONSENT_AT].storage = "local"
    assert names_to_clear(manifest, ["necessary"], [CONSENT_COOKIE], regex_test, storage="local") == [CONSENT_COOKIE]


