"""Recorded audits for the tests of `consent-banner audit` that need no browser: a portal's states as the
crawl records them, doing exactly what its manifest says, for tests to spoil one way each."""

import base64
import copy

from banner.consent import decide
from banner.cookies import encode_consent
from banner.fingerprint import fingerprints, layer_key
from banner.audit.judge import judge
from banner.manifest import parse_manifest

from core_kit import CID, NOW

DAY = 86400


PORTAL = "http://127.0.0.1:8000/"
PAGE2 = PORTAL + "pages/cookies/"


def audited_manifest(data):
    """The demo's manifest with a declared tracker (analytics), a required provider and one more cookie."""
    data = copy.deepcopy(data)
    data["categories"][1]["providers"].append({"name": "Tracker", "hosts": ["tracker.example"]})
    data["categories"][0]["providers"] = [{"name": "Tiles", "hosts": ["tiles.example"]}]
    data["cookies"].append({"name": "fx_stats", "provider": "Fixture", "category": "analytics",
                            "lifetime": {"fr": "6 mois", "en": "6 months"}, "purpose": "Mesure"})
    return parse_manifest(data, ["fr", "en"])


def cookie(name, lifetime=182 * DAY, **extra):
    record = {"name": name, "domain": "127.0.0.1", "path": "/", "expires": "2027-06-01T00:00:00Z",
              "lifetime": lifetime, "httpOnly": False, "secure": False, "sameSite": "Lax", "partitioned": False,
              "firstSeen": PORTAL, "setBy": None}
    record.update(extra)
    return record


def consent_cookie(manifest, accepted):
    consent = decide(manifest, "custom", NOW, CID, choices=list(accepted))
    value = encode_consent(consent)
    return {"value": value, "accepted": list(accepted), "fingerprints": fingerprints(manifest)}


def clean(manifest):
    """A recorded audit of a portal doing exactly what its manifest says."""
    def state(state_id, title, accepts, name=None, label=None):
        action = None
        pages = [{"url": PORTAL, "bannerShown": state_id == "before", "api": {"analytics": bool(accepts)}},
                 {"url": PAGE2, "bannerShown": state_id == "before", "api": {"analytics": bool(accepts)}}]
        cookies = []
        if name:
            action = {"name": name, "label": label, "page": PORTAL, "error": None,
                      "event": ["necessary"] + list(accepts), "reloaded": False,
                      "api": {"analytics": bool(accepts)}, "bannerShown": False, "centreOpen": False,
                      "consentCookie": consent_cookie(manifest, accepts)}
            pages[0]["afterAction"] = True
            cookies.append(cookie("cookies_preferences", 15724799))
        if accepts:
            cookies.append(cookie("demo_analytics", 34127999, setBy=PORTAL + "analytics.js"))
        return {"id": state_id, "title": title, "accepts": list(accepts), "action": action, "pages": pages,
                "screenshot": None, "cookies": cookies, "storage": [], "requests": []}
    return {"host": "127.0.0.1", "languages": ["fr", "en"], "states": [
        state("before", "Before any choice", []),
        state("refuse", "After « Tout refuser »", [], "reject_all", "Tout refuser"),
        state("accept", "After « Tout accepter »", ["analytics"], "accept_all", "Tout accepter"),
        state("withdraw", "After withdrawal", [], "withdraw", "Tout refuser"),
        state("only-analytics", "Only « Mesure d'audience » accepted", ["analytics"], "custom", "Enregistrer mes choix"),
    ]}




def full_report(manifest, findings):
    """A whole report around a recorded one, as banner.audit.run assembles it."""
    report = clean(manifest)
    report.update({
        "format": 1, "tool": "consent-banner audit", "version": "0.1.0", "url": PORTAL,
        "startedAt": "2026-12-01T10:00:00Z", "finishedAt": "2026-12-01T10:00:21Z", "seconds": 21.0,
        "browser": {"path": "/usr/bin/chromium", "version": "Chrome/156.0.8078.129", "resolve": {}},
        "banner": {"build": "f852f9f7e853", "version": "0.1.0", "config": {"manifest": "/cookies.json"}},
        "manifest": {"source": PORTAL + "cookies.json", "sha256": "0" * 64, "revision": manifest.revision,
                     "layerKey": layer_key(manifest), "fingerprints": fingerprints(manifest),
                     "categories": [{"id": c.id, "title": c.id, "required": c.required} for c in manifest.categories]},
        "pages": [PORTAL, PAGE2], "skipped": [], "scope": "One banner only.", "findings": findings,
        "summary": {"verdict": "violations" if findings else "clean", "violations": len(findings), "warnings": 0,
                    "pageLoads": 10, "states": 5}})
    return report


JPEG = base64.b64encode(b"\xff\xd8\xff\xe0 not really a picture").decode("ascii")


def faulty(manifest, name="fx_uid_42"):
    """A report whose first visit found an undeclared cookie and a hostile storage key, judged."""
    report = full_report(manifest, [])
    before = report["states"][0]
    before["cookies"].append(cookie(name, 30 * 86400, setBy=PORTAL))
    before["storage"].append({"type": "local", "origin": "http://127.0.0.1:8000", "name": "<img src=x onerror=alert(1)>",
                              "firstSeen": PORTAL, "setBy": None})
    before["screenshot"] = {"file": "before.jpg", "page": PORTAL, "takenAt": "2026-12-01T10:00:01Z",
                            "caption": "The first visit <b>", "data": JPEG}
    report["findings"] = judge(report, manifest)
    report["summary"].update(verdict="violations", violations=len(report["findings"]))
    return report
