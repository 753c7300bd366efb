"""Helpers of the issue-6 feature tests (tests/browser/test_features_*.py): manifests derived from the demo
one, the built-in strings, scripts installed in every new document, and readers for what the page did
(dataLayer, resource requests, the consent log database)."""

import contextlib
import copy
import sqlite3

from browser_kit import demo_manifest

GPC_ON = """
Object.defineProperty(Navigator.prototype, "globalPrivacyControl", {get: function () { return true; },
                                                                    configurable: true});
"""

# Records whether a banner (the loader's ahead-of-time one or the live one) was ever in the document.
BANNER_WATCH = """
window.__bannerSeen = false;
new MutationObserver(function () {
  if (document.querySelector("#cb-banner, [data-cb-prerendered]")) { window.__bannerSeen = true; }
}).observe(document, {childList: true, subtree: true});
"""

# The demo's gtag stub sets window.__gtagStubRan: snapshot dataLayer at that moment.
STUB_WATCH = """
Object.defineProperty(window, "__gtagStubRan", {configurable: true, set: function (value) {
  window.__stubSawDataLayer = Array.from(window.dataLayer || [], function (e) { return Array.from(e); });
}, get: function () { return !!window.__stubSawDataLayer; }});
"""

READ_DATA_LAYER = """
return Array.from(window.dataLayer || [], function (entry) {
  return (entry && typeof entry === "object" && "length" in entry) ? Array.from(entry) : entry;
});"""

GOOGLE_MAPPING = {"analytics": ["analytics_storage"], "ads": ["ad_storage", "ad_user_data", "ad_personalization"]}
GOOGLE_TYPES = ("ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
                "functionality_storage", "personalization_storage", "security_storage")


@contextlib.contextmanager
def document_script(browser, source):
    """Run `source` in every new document (before the page's own scripts) while the block lasts."""
    added = browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
    try:
        yield
    finally:
        browser.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument",
                                       {"identifier": added["identifier"]})


def strings(code):
    """The built-in interface strings of a language, as the page has them."""
    from banner.lang import all_tables
    return all_tables()[code]


def _flatten(value, language):
    if isinstance(value, dict) and language in value and all(isinstance(v, str) for v in value.values()):
        return value[language]
    if isinstance(value, dict):
        return {k: _flatten(v, language) for k, v in value.items()}
    if isinstance(value, list):
        return [_flatten(v, language) for v in value]
    return value


def single_text_manifest(language="en", **changes):
    """The demo manifest with every text a plain string (valid whatever the configured languages)."""
    return _flatten(demo_manifest(**changes), language)


VIDEO_CATEGORY = {"id": "video", "title": {"fr": "Vidéos", "en": "Videos"},
                  "description": {"fr": "Lecteurs vidéo intégrés.", "en": "Embedded video players."},
                  "providers": [{"name": "Vidéos Démo", "policyUrl": "/pages/cookies/"}]}
VIDEO_COOKIE = {"provider": "Vidéos Démo", "name": "demo_video", "category": "video",
                "lifetime": {"fr": "6 mois", "en": "6 months"},
                "purpose": {"fr": "Mémorise le volume du lecteur.", "en": "Remembers the player volume."}}


def two_category_manifest():
    """The demo manifest with a second optional category, "video" (after analytics)."""
    manifest = demo_manifest()
    manifest["categories"].append(copy.deepcopy(VIDEO_CATEGORY))
    manifest["cookies"].append(copy.deepcopy(VIDEO_COOKIE))
    return manifest


def resources(browser):
    """Paths of every resource the page requested so far (Resource Timing)."""
    return browser.js("return performance.getEntriesByType('resource').map(function (e) {"
                      " return new URL(e.name).pathname; });")


def log_rows(path):
    """The consent log as stored by the reference receiver: a list of dicts, oldest first."""
    db = sqlite3.connect(path)
    try:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM consent_log ORDER BY id")]
    finally:
        db.close()


def log_columns(path):
    db = sqlite3.connect(path)
    try:
        return [row[1] for row in db.execute("PRAGMA table_info(consent_log)")]
    finally:
        db.close()
