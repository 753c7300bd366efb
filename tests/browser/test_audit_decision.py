"""`consent-banner audit` in Debian's Chromium on a portal whose tag acts at the very moment of a choice: a tag
manager's click trigger reports every click on a button, the banner's own included, to a tracker on another
host (declared for analytics) and to the portal's own collector, whose answer sets an analytics cookie. Nothing
of it happens on a page load, so only the click itself shows it.

One audit of 1 page shared by the module's tests (about 15 s on 2 cores).
"""

import json
import threading
from http.server import ThreadingHTTPServer

import pytest

from banner.audit import audit

from audit_fixture import Tracker
from browser_kit import demo_manifest, render_page
from demo.server import make_handler

TRACKER = "tag.tracker.test"
CONFIG = {"manifest": "/t/cookies.json", "languages": ["fr", "en"]}
# every click on a button, reported as it happens (capture: before the banner's own handler runs)
TAG = """<script>
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button");
  if (!button) { return; }
  var name = encodeURIComponent(button.getAttribute("data-cb-action") || button.id);
  new Image().src = "http://%s:%%d/click.gif?button=" + name;
  fetch("/collect?button=" + name);
}, true);
</script>""" % TRACKER
HTML = "text/html; charset=utf-8"


def manifest():
    data = demo_manifest()
    data["categories"][1]["providers"].append({"name": "Tag Tracker", "hosts": [TRACKER]})
    return data


class Portal:
    """The page on a free port of 127.0.0.1, its collector answering with `demo_analytics_click` (declared
    for analytics by the demo's `^demo_analytics(_.*)?$`), and the tracker, whose hits are kept."""

    def __init__(self):
        self.hits = []

        class Hits(Tracker):
            def do_GET(handler):
                self.hits.append(handler.path)
                Tracker.do_GET(handler)

        self.tracker = ThreadingHTTPServer(("127.0.0.1", 0), Hits)
        tag = TAG % self.tracker.server_address[1]
        base = make_handler(["fr", "en"], routes={
            "/": (HTML, render_page(CONFIG, body=tag, probes=False)),
            "/t/cookies.json": ("application/json", json.dumps(manifest()).encode("utf-8")),
            "/collect": ("text/plain", b"ok"),
        })

        class Handler(base):
            def end_headers(handler):
                if handler.path.startswith("/collect?"):
                    handler.send_header("Set-Cookie", "demo_analytics_click=1; Path=/; Max-Age=2592000")
                base.end_headers(handler)

        self.portal = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/" % self.portal.server_address[1]
        for server in (self.tracker, self.portal):
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self):
        for server in (self.portal, self.tracker):
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def portal(servers):
    running = Portal()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def audited(portal):
    return audit(portal.url, pages=1, resolve={TRACKER: "127.0.0.1"})


def state(report, state_id):
    return next(s for s in report["states"] if s["id"] == state_id)


def test_a_request_made_by_the_click_that_decides_belongs_to_the_state_it_decides(audited, portal):
    assert "/click.gif?button=reject_all" in portal.hits              # the tag did report the refusal
    clicks = {s["id"]: [r["url"].split("/", 3)[3] for r in s["requests"]] for s in audited["states"]}
    # the decisive click's own; « Personnaliser », clicked before « Enregistrer mes choix », is no choice yet
    assert clicks == {"before": [], "refuse": ["click.gif?button=reject_all"],
                      "accept": ["click.gif?button=accept_all"], "withdraw": ["click.gif?button=reject_all"],
                      "only-analytics": ["click.gif?button=save"]}
    found = [f for f in audited["findings"] if f["subject"] == {"type": "host", "host": TRACKER}]
    assert [(f["kind"], f["states"], f["pages"]) for f in found] == [
        ("without_consent", ["refuse", "withdraw"], [portal.url])]
    assert found[0]["message"].startswith("requests to %s made after « Tout refuser » and after withdrawal" % TRACKER)


def test_a_cookie_set_in_answer_to_the_refusal_click_is_stored_after_refusal(audited, portal):
    # the banner deletes it (analytics is refused), but it was stored
    assert [(c["name"], c.get("transient")) for c in state(audited, "refuse")["cookies"]
            if c["name"] == "demo_analytics_click"] == [("demo_analytics_click", True)]
    found = [f for f in audited["findings"] if (f["subject"] or {}).get("name") == "demo_analytics_click"]
    assert [(f["kind"], f["states"]) for f in found] == [("without_consent", ["refuse", "withdraw"])]
