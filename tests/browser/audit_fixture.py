"""A faulty portal for `consent-banner audit`: the demo's pages and banner, with one of each fault the audit
must find planted in it, and a tracker on another host name.

- an inline script sets the undeclared cookie `fx_uid_42` before any choice;
- the same script writes the undeclared localStorage key `fx_seen`, and `demo_analytics_early`, declared for
  analytics (the demo's `^demo_analytics(_.*)?$`), which the banner deletes as it starts: gone before the
  audit looks, found all the same;
- `/fixture/tag.js`, not blocked, calls the tracker (`tracker.audit.test`, declared for analytics) on every
  page once any choice is stored, a refusal included;
- the blocked analytics script `/fixture/stats.js` sets `fx_stats` for 300 days where the manifest
  declares « 6 mois », and `fx_long` for two years (declared as such: over the CNIL's 13 months);
- the server sets the HttpOnly cookie `fx_srv` (analytics) on every page once analytics is accepted, which
  no script can delete: it is still there after a withdrawal.

And one thing done right that must not be reported: exempt audience measurement (`measure`, its cookie
`fx_visits` declared with `maxAgeDays`), on before any choice and after refusal, gone once opposed.

`serve()` starts the portal and the tracker on free ports of 127.0.0.1 and returns a Fixture (its `url`,
the `resolve` map Chromium needs for the tracker's name, `stop()`). `python tests/browser/audit_fixture.py`
serves it and prints the command auditing it.
"""

import copy
import json
import os
import socket
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from banner.cookies import decode_consent  # noqa: E402
from demo.server import make_handler  # noqa: E402

TRACKER = "tracker.audit.test"

FAULTY_SCRIPTS = """
<script>document.cookie = "fx_uid_42=" + Math.random().toString(36).slice(2) + "; Path=/; Max-Age=2592000";
localStorage.setItem("fx_seen", "1");
document.cookie = "demo_analytics_early=1; Path=/; Max-Age=86400";</script>
<script src="/fixture/tag.js"></script>
<script type="text/plain" data-consent="analytics" data-src="/fixture/stats.js"></script>
<script type="text/plain" data-consent="measure">document.cookie = "fx_visits=1; Path=/; Max-Age=" + 30 * 86400;</script>
"""
BODY = ("<h1>{title}</h1><p>Un portail de démonstration, avec une erreur de chaque sorte.</p>"
        "<ul><li><a href='/'>Accueil</a></li><li><a href='/reuses/'>Réutilisations</a></li></ul>" + FAULTY_SCRIPTS)
CONFIG = {"manifest": "/fixture/cookies.json"}
# the demo's page template links these: each is a page of the faulty portal
PAGES = {path: {"config": CONFIG, "fr": (title, BODY.format(title=title)), "en": (title, BODY.format(title=title))}
         for path, title in (("/", "Portail à défauts"), ("/explore/dataset/frequentation-parkings/", "Jeu de données"),
                             ("/pages/cookies/", "Cookies"), ("/reuses/", "Réutilisations"))}

STATS = b"""document.cookie = "fx_stats=1; Path=/; Max-Age=" + 300 * 86400;
document.cookie = "fx_long=1; Path=/; Max-Age=" + 730 * 86400;"""
TAG = """if (/(^|; )cookies_preferences=/.test(document.cookie)) {
  new Image().src = "http://%s:%%d/hit.gif?page=" + encodeURIComponent(location.pathname);
}""" % TRACKER
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
       b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def manifest():
    """The demo's manifest, with what the fixture sets declared (or not) as each fault needs."""
    with open(os.path.join(ROOT, "demo", "site", "cookies.json"), encoding="utf-8") as handle:
        data = copy.deepcopy(json.load(handle))
    data["categories"][1]["providers"].append({"name": "Fixture Tracker", "hosts": [TRACKER]})
    data["categories"].append({"id": "measure", "exempt": True,
                               "title": {"fr": "Mesure d'audience exemptée", "en": "Exempt audience measurement"},
                               "description": {"fr": "Compte les visites, sans consentement (exemption CNIL).",
                                               "en": "Counts visits, without consent (CNIL exemption)."}})
    purpose = {"fr": "Mesure d'audience de la démonstration.", "en": "The demo's audience measurement."}
    for name, lifetime in (("fx_stats", {"fr": "6 mois", "en": "6 months"}),
                           ("fx_long", {"fr": "2 ans", "en": "2 years"}),
                           ("fx_srv", {"fr": "1 mois", "en": "1 month"})):
        data["cookies"].append({"name": name, "provider": "Fixture", "category": "analytics", "lifetime": lifetime,
                                "purpose": purpose})
    data["cookies"].append({"name": "fx_visits", "provider": "Fixture", "category": "measure", "maxAgeDays": 30,
                            "lifetime": {"fr": "30 jours", "en": "30 days"}, "purpose": purpose})
    return data


class Tracker(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(GIF)))
        self.end_headers()
        self.wfile.write(GIF)

    def log_message(self, *args):
        pass


class Fixture:
    def __init__(self, host="127.0.0.1"):
        self.tracker = ThreadingHTTPServer((host, 0), Tracker)
        routes = {"/favicon.ico": ("image/x-icon", b""),
                  "/fixture/cookies.json": ("application/json", json.dumps(manifest()).encode("utf-8")),
                  "/fixture/stats.js": ("text/javascript", STATS),
                  "/fixture/tag.js": ("text/javascript", (TAG % self.tracker.server_address[1]).encode("utf-8"))}
        base = make_handler(["fr", "en"], pages=PAGES, routes=routes)

        class Handler(base):
            def end_headers(self):
                # the server's own analytics cookie, HttpOnly, once analytics is accepted
                if self.path.split("?")[0] in PAGES:
                    values = [part.strip()[len("cookies_preferences="):]
                              for part in self.headers.get("Cookie", "").split(";")
                              if part.strip().startswith("cookies_preferences=")]
                    if any((c := decode_consent(v)) and "analytics" in c.accepted for v in values):
                        self.send_header("Set-Cookie", "fx_srv=1; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax")
                base.end_headers(self)

        self.portal = ThreadingHTTPServer((host, 0), Handler)
        self.url = "http://%s:%d/" % (host, self.portal.server_address[1])
        self.resolve = {TRACKER: host}
        for server in (self.tracker, self.portal):
            threading.Thread(target=server.serve_forever, daemon=True).start()

    @staticmethod
    def free_port():
        """A port of 127.0.0.1 nothing listens on (for a page that cannot be opened)."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    def stop(self):
        for server in (self.portal, self.tracker):
            server.shutdown()
            server.server_close()


def serve():
    return Fixture()


def page_html(fixture, path):
    """A page of the fixture as its server sends it."""
    with urllib.request.urlopen(fixture.url.rstrip("/") + path) as response:
        return response.read().decode("utf-8")


if __name__ == "__main__":
    fixture = serve()
    print("Faulty portal on %s; audit it with:\n  consent-banner audit %s --resolve %s=127.0.0.1" % (
        fixture.url, fixture.url, TRACKER), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fixture.stop()
