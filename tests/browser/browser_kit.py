"""Pure helpers of the browser suite, importable by test modules and conftest.py alike: the demo
manifest (copied, to derive variants), test page HTML, and cookies_preferences values."""

import copy
import html
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)         # the banner package, decoded in CPython as a server would
DAY = 24 * 3600

with open(os.path.join(ROOT, "demo", "site", "cookies.json"), encoding="utf-8") as _handle:
    _DEMO_MANIFEST = json.load(_handle)

# Recorded in every document before any page script runs (Page.addScriptToEvaluateOnNewDocument).
EVENT_RECORDER = """
window.__events = [];
document.addEventListener("consent:change", function (event) {
  var accepted = event.detail && event.detail.accepted;
  window.__events.push(accepted ? Array.prototype.slice.call(accepted) : null);
});
"""

# What every generated test page carries unless told otherwise: a blocked analytics script and iframe
# (probes: they must stay inert without consent) and a page script of the portal's own (must keep working).
OPTIONAL_PROBES = """
<script type="text/plain" data-consent="analytics">window.__optional = (window.__optional || []).concat("analytics");</script>
<iframe id="probe-frame" title="probe" data-consent="analytics" data-src="/t/frame.html"></iframe>
"""
PAGE_SCRIPT = """
<p><button type="button" id="page-button">Compter</button> <output id="page-count">0</output></p>
<script>
  window.__pageScript = "ran";
  document.getElementById("page-button").addEventListener("click", function () {
    var out = document.getElementById("page-count"); out.textContent = String(Number(out.textContent) + 1);
  });
</script>
"""
FRAME_HTML = (b"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>frame</title></head>"
              b"<body><p id='frame-body'>contenu tiers</p><script>try { parent.__frameLoads = "
              b"(parent.__frameLoads || 0) + 1; } catch (e) {}</script></body></html>")


def demo_manifest(**changes):
    """A deep copy of demo/site/cookies.json with top-level keys replaced."""
    manifest = copy.deepcopy(_DEMO_MANIFEST)
    manifest.pop("$schema", None)
    manifest.update(changes)
    return manifest


def render_page(config, body="", title="Page de test", lang="fr", loader="/static/dist/consent.js",
                probes=True, head=""):
    """A test page: the loader with `config` (a dict, or a raw string for broken JSON), an optional
    body, the probes, the portal's own script and a footer link [data-consent-open]."""
    raw = config if isinstance(config, str) else json.dumps(config, ensure_ascii=False)
    return ("""<!doctype html>
<html lang="%(lang)s"><head><meta charset="utf-8"><title>%(title)s</title>
<script src="%(loader)s" defer data-config="%(config)s"></script>%(head)s
</head><body>
<main id="main"><h1>%(title)s</h1>
%(body)s
%(probes)s
%(page_script)s
</main>
<footer><ul><li><a href="#" id="manage" data-consent-open>Gestion des cookies</a></li></ul></footer>
</body></html>""" % {"lang": lang, "title": html.escape(title), "loader": loader, "head": head,
                     "config": html.escape(raw, quote=True), "body": body,
                     "probes": OPTIONAL_PROBES if probes else "", "page_script": PAGE_SCRIPT}).encode("utf-8")



def consent_value(accepted=(), revision=1, decided_at=None, consent_id="k2m9x0c4a7q1v8z3", version=None,
                  manifest=None):
    """A cookies_preferences value made by the product's own CPython encoder (the module the page runs),
    for `accepted` optional categories of the demo manifest (or `manifest`) at `revision`."""
    from banner.consent import decide
    from banner.cookies import encode_consent
    from banner.manifest import parse_manifest
    parsed = parse_manifest(manifest or demo_manifest(revision=revision), ["fr", "en"])
    if decided_at is None:
        decided_at = int(time.time() * 1000) - 60000
    consent = decide(parsed, "custom", decided_at, consent_id, list(accepted))
    if version is not None:
        consent.version = version
    return encode_consent(consent)


def decode_consent(value):
    """The product's CPython decoder (what a server uses): a Consent, or None."""
    from banner.cookies import decode_consent as decode
    return decode(value)


def format_version():
    from banner.consent import FORMAT_VERSION
    return FORMAT_VERSION
