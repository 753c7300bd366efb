"""The demo Django portal as the browser tests run it: demo.portal.settings, plus a middleware that puts the
page recorders at the top of every HTML page (WebKitWebDriver cannot add a script to every document), and
the variants a test asks for through the environment of its server:

- DEMO_PER_VISITOR=1: per-visitor pages (the demo reads it itself);
- TEST_CONSENT_MODE=1: Google Consent Mode mapped from the analytics category;
- a `test_nojs=1` cookie: the page is sent with `Content-Security-Policy: script-src 'none'`, so no script of
  the page runs at all, in any engine: a visitor whose JavaScript is off or blocked.

`serve(env)` starts `runserver` with these settings on a free port (its own SQLite database, where
`demo_data --records 0` publishes the settings' manifest) and returns (base URL, process, database path).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from demo.portal.settings import *  # noqa: F401,F403  (the demo's settings, as the module's own)
from demo.portal import settings as _demo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

MIDDLEWARE = ["django_site.recorders"] + list(_demo.MIDDLEWARE)
ROOT_URLCONF = "django_site_urls"
ALLOWED_HOSTS = list(_demo.ALLOWED_HOSTS) + ["portal.test"]     # a dotted name (Chromium resolver rules)
CONSENT_BANNER = dict(_demo.CONSENT_BANNER)
if os.environ.get("TEST_GATE") == "1":            # tests/browser/test_gate_in_browser.py: a declared third party
    import copy as _copy
    CONSENT_BANNER["MANIFEST"] = _copy.deepcopy(CONSENT_BANNER["MANIFEST"])
    CONSENT_BANNER["MANIFEST"]["categories"][1]["providers"] = [{"name": "Demo Dashboards",
                                                                 "hosts": ["declared.example"]}]
REQUEST_LOG = os.environ.get("TEST_REQUEST_LOG")     # a file: every path this server is asked for, a line each
if os.environ.get("TEST_CONSENT_MODE") == "1":
    CONSENT_BANNER["CONFIG"] = dict(CONSENT_BANNER["CONFIG"], googleConsentMode={"analytics": ["analytics_storage"]})

# What a test reads of a page's start: the first #cb-banner the document holds, when it appears (was the
# layer displayed? had the loader or Python run?), who made the analytics tag live, when it ran and what dataLayer
# held then; with sessionStorage "clickAtOnce", that button of the server's layer is clicked the moment
# it is parsed (before the loader can run); with "clickEarly", once the loader runs and before Python.
OBSERVER = """
(function () {
  if (window.__first !== undefined) { return; }
  window.__first = null;
  var boot = function () { return window.__consentBoot; };
  new MutationObserver(function () {
    // the analytics tag made live (a consented block opened, a blocked copy run): by the loader or by Python?
    if (!window.__analyticsLive && document.querySelector('script[src*="analytics"]:not([type="text/plain"])')) {
      window.__analyticsLive = {pythonStarted: !!(boot() && boot().ready)};
    }
    var banner = document.getElementById("cb-banner");
    if (!banner) { return; }
    if (!window.__first) {
      window.__first = {prerendered: banner.hasAttribute("data-cb-prerendered"), html: null,
                        displayed: getComputedStyle(banner).display !== "none",
                        loaderRan: !!boot(), pythonStarted: !!(boot() && boot().ready)};
      document.addEventListener("DOMContentLoaded", function () { window.__first.html = banner.outerHTML; });
    }
    // the parser may hand over the layer before its buttons: click as soon as the button is parsed
    var now = sessionStorage.getItem("clickAtOnce");
    var button = now && banner.querySelector('[data-cb-action="' + now + '"]');
    if (button) {
      sessionStorage.removeItem("clickAtOnce");
      window.__clickedAtOnce = {loaderRan: !!boot()};
      button.click();
    }
  }).observe(document, {childList: true, subtree: true});
  Object.defineProperty(window, "demoAnalytics", {configurable: true,
    set: function (v) {
      window.__analyticsRan = (window.__analyticsRan || 0) + 1;
      window.__analyticsWhen = {readyState: document.readyState, pythonStarted: !!(boot() && boot().ready),
                                dataLayer: JSON.stringify(Array.from(window.dataLayer || [], function (e) {
                                  return Array.from(e); }))};
      window.__analytics = v;
    },
    get: function () { return window.__analytics; }});
  var early = sessionStorage.getItem("clickEarly");
  if (!early) { return; }
  var timer = setInterval(function () {
    var button = document.querySelector('[data-cb-prerendered] [data-cb-action="' + early + '"]');
    if (boot() && !boot().ready && button) {
      clearInterval(timer);
      sessionStorage.removeItem("clickEarly");
      window.__clickedEarly = true;
      button.click();
    }
  }, 2);
})();
"""


def recorders(get_response):
    from browser_kit import PAGE_RECORDER
    script = PAGE_RECORDER.replace("</script>", OBSERVER + "</script>").encode("utf-8")

    def middleware(request):
        if REQUEST_LOG:
            with open(REQUEST_LOG, "a", encoding="utf-8") as log:
                log.write(request.get_full_path() + "\n")
        response = get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            body = response.content
            at = body.lower().find(b"<head>")
            if at >= 0:
                at += len(b"<head>")
                response.content = body[:at] + script + body[at:]
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        if request.COOKIES.get("test_nojs") == "1":
            response["Content-Security-Policy"] = "script-src 'none'"
        return response
    return middleware


def serve(directory, **env):
    """runserver with these settings on a free port; (base URL, process, database path)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = os.path.join(str(directory), "portal.sqlite3")
    environment = dict(os.environ, DEMO_DATABASE=database, PYTHONUNBUFFERED="1",
                       DJANGO_SETTINGS_MODULE="django_site", PYTHONPATH=os.pathsep.join([HERE, ROOT]), **env)
    manage = os.path.join(ROOT, "demo", "manage.py")
    subprocess.run([sys.executable, manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True)
    # the manifest of these settings published as the demo's one version (its database manifest), no records
    subprocess.run([sys.executable, manage, "demo_data", "--records", "0"], cwd=ROOT, env=environment, check=True,
                   stdout=subprocess.DEVNULL)
    server = subprocess.Popen([sys.executable, manage, "runserver", "--noreload", "127.0.0.1:%d" % port],
                              cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = "http://127.0.0.1:%d" % port
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            return base, server, database
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                server.kill()
                raise RuntimeError("the demo Django portal did not start: %s" % server.stderr.read().decode()[-2000:])
            time.sleep(0.1)
