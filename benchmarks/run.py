"""Side-by-side benchmark of our Brython consent banner against vanilla-cookieconsent, Klaro and tarteaucitron.

    .venv/bin/python benchmarks/run.py            # default: 7 runs on loopback, 5 throttled (fits ~10 min)
    .venv/bin/python benchmarks/run.py --quick    # 3 runs each
    .venv/bin/python benchmarks/run.py --runs 9 --throttled-runs 9 --only loopback --banners ours,vanilla

One local server serves the same portal page for every banner ("none" = no banner, "brython" = only the
Brython runtime). Each run is a fresh headless Chromium profile driven through Selenium; the banners take
turns run by run. Everything is measured inside the page (performance.now(), ms since navigation start)
by a script installed with Page.addScriptToEvaluateOnNewDocument before the page's own code.
See benchmarks/README.md for the metrics and the method. Only the stdlib and selenium are used.
"""

import argparse
import base64
import gzip
import json
import os
import platform
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
DIST = os.path.join(ROOT, "static", "dist")
NODE = os.path.join(ROOT, "node_modules")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

WINDOW_MS = 3000          # long tasks are summed over the first WINDOW_MS after navigation start
VISIBLE_TIMEOUT_MS = 15000
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 9_000_000 / 8,
            "uploadThroughput": 9_000_000 / 8}
CONDITIONS = {"loopback": None, "throttled": THROTTLE}
CONDITION_LABELS = {"loopback": "Loopback (unthrottled)", "throttled": "Throttled: 9 Mbit/s down/up, 40 ms RTT"}
DEFAULT_RUNS = {"loopback": 7, "throttled": 5}
QUICK_RUNS = 3

# --------------------------------------------------------------------------------------------------
# The page: one body for every banner; only the banner's own tags differ.
# --------------------------------------------------------------------------------------------------

ANALYTICS_JS = b"""/* stand-in for an audience-measurement tag: records when it ran, counts visits in its own cookie */
window.__analyticsRan = performance.now();
(function () {
  var m = document.cookie.match(/(?:^|; )demo_analytics_visits=([^;]*)/);
  document.cookie = "demo_analytics_visits=" + ((m ? parseInt(m[1], 10) : 0) + 1) +
    "; Path=/; Max-Age=34128000; SameSite=Lax";
})();
"""

POLICY_URL = "/pages/cookies/"

PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fréquentation des parkings — Aix-en-Provence — données ouvertes (banc d'essai)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo.css">
{head}
</head>
<body>
<a class="skip" href="#main">Aller au contenu</a>
<header class="site-header">
  <p class="site-name"><a href="/">Aix-en-Provence — données ouvertes (banc d'essai)</a></p>
  <nav aria-label="Navigation principale"><ul>
    <li><a href="/">Accueil</a></li>
    <li><a href="/explore/dataset/frequentation-parkings/">Jeu de données</a></li>
    <li><a href="{policy}">Politique de cookies</a></li>
  </ul></nav>
</header>
<main id="main">
<h1>Fréquentation des parkings</h1>
<p>Nombre de places libres par parking, mis à jour toutes les 5 minutes. Retrouvez les données publiques de la
ville : transports, stationnement, budget, équipements.</p>
<p><img src="/bench/hero.png" width="960" height="320" alt="Carte de fréquentation des parkings du centre-ville"
  style="max-width:100%;height:auto"></p>
<h2>À propos de ce jeu de données</h2>
<p>Les données proviennent des capteurs installés à l'entrée et à la sortie de chaque parking public. Elles
sont publiées sous Licence Ouverte 2.0 et peuvent être téléchargées aux formats CSV, JSON et GeoJSON, ou
interrogées par l'API du portail.</p>
<ul><li>Producteur : Ville d'Aix-en-Provence</li><li>Mise à jour : toutes les 5 minutes</li>
<li>Couverture : 14 parkings publics</li></ul>
</main>
<footer class="site-footer">
  <ul>
    <li><a href="{policy}">Politique de cookies</a></li>
    <li><a href="{policy}" {manage}>Gestion des cookies</a></li>
  </ul>
</footer>
{blocked}
{tail}
</body>
</html>
"""


def manifest_json():
    with open(os.path.join(ROOT, "demo", "site", "cookies.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    data.pop("$schema", None)
    return data


def html_attr(value):
    return (value.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def js_string(value):
    return json.dumps(value, ensure_ascii=False)


# The blocked script, in each banner's own convention (all of them: type="text/plain").
BLOCKED = {
    "ours": '<script type="text/plain" data-consent="analytics" data-src="/bench/analytics.js"></script>',
    "vanilla": '<script type="text/plain" data-category="analytics" data-src="/bench/analytics.js"></script>',
    "klaro": ('<script type="text/plain" data-type="text/javascript" data-name="bench-analytics" '
              'data-src="/bench/analytics.js"></script>'),
    "tarteaucitron": ('<script type="text/plain" data-tac-service="benchanalytics" '
                      'data-src="/bench/analytics.js"></script>'),
}
BLOCKED["none"] = BLOCKED["brython"] = BLOCKED["ours"]   # inert: nothing there would ever run it

TEXT_TITLE = "Ce portail utilise des cookies"
TEXT_DESC = ("Avec votre accord, nous utilisons des cookies de mesure d'audience pour améliorer le portail. "
             "Vous pouvez changer d'avis à tout moment depuis le lien « Gestion des cookies ».")
CAT_NECESSARY = ("Cookies strictement nécessaires",
                 "Ces cookies sont nécessaires à assurer l'accès et une utilisation optimale des services fournis.")
CAT_ANALYTICS = ("Mesure d'audience", "Ces cookies nous permettent de compter les visites et de savoir quelles "
                 "pages sont consultées, afin d'améliorer le portail.")

VANILLA_CONFIG = {
    "hideFromBots": False,           # it hides itself from navigator.webdriver browsers otherwise
    "revision": 1,
    "cookie": {"name": "cc_cookie", "expiresAfterDays": 182},
    "guiOptions": {"consentModal": {"layout": "box", "position": "bottom right"}},
    "categories": {"necessary": {"enabled": True, "readOnly": True},
                   "analytics": {"autoClear": {"cookies": [{"name": "__REGEX__"}]}}},
    "language": {"default": "fr", "translations": {"fr": {
        "consentModal": {"title": TEXT_TITLE, "description": TEXT_DESC, "acceptAllBtn": "Tout accepter",
                         "acceptNecessaryBtn": "Tout refuser", "showPreferencesBtn": "Personnaliser",
                         "footer": '<a href="%s">Politique de cookies</a>' % POLICY_URL},
        "preferencesModal": {"title": "Gestion des cookies", "acceptAllBtn": "Tout accepter",
                             "acceptNecessaryBtn": "Tout refuser", "savePreferencesBtn": "Enregistrer mes choix",
                             "closeIconLabel": "Fermer", "sections": [
                                 {"title": CAT_NECESSARY[0], "description": CAT_NECESSARY[1],
                                  "linkedCategory": "necessary"},
                                 {"title": CAT_ANALYTICS[0], "description": CAT_ANALYTICS[1],
                                  "linkedCategory": "analytics"}]}}}},
}

KLARO_CONFIG = {
    "version": 1, "elementID": "klaro", "storageMethod": "cookie", "cookieName": "klaro",
    "cookieExpiresAfterDays": 182, "default": False, "mustConsent": False, "acceptAll": True,
    "hideDeclineAll": False, "hideLearnMore": False, "noticeAsModal": False, "htmlTexts": False,
    "lang": "fr", "privacyPolicy": POLICY_URL,
    "translations": {"fr": {
        "privacyPolicyUrl": POLICY_URL,
        "consentNotice": {"title": TEXT_TITLE, "description": TEXT_DESC, "learnMore": "Personnaliser"},
        "ok": "Tout accepter", "acceptAll": "Tout accepter", "decline": "Tout refuser",
        "purposes": {"necessary": {"title": CAT_NECESSARY[0], "description": CAT_NECESSARY[1]},
                     "analytics": {"title": CAT_ANALYTICS[0], "description": CAT_ANALYTICS[1]}},
    }},
    "services": [
        {"name": "session", "title": "Opendatasoft", "purposes": ["necessary"], "required": True,
         "cookies": ["sessionid", "csrftoken"]},
        {"name": "bench-analytics", "title": "Mesure d'audience (démo)", "purposes": ["analytics"],
         "cookies": ["__REGEX__"]},
    ],
}

TARTEAUCITRON_PARAMS = {
    "privacyUrl": POLICY_URL, "hashtag": "#tarteaucitron", "cookieName": "tarteaucitron",
    "orientation": "bottom", "groupServices": False, "showAlertSmall": False, "cookieslist": False,
    "showIcon": True, "iconPosition": "BottomLeft", "adblocker": False, "DenyAllCta": True,
    "AcceptAllCta": True, "highPrivacy": True, "handleBrowserDNTRequest": False, "removeCredit": True,
    "moreInfoLink": True, "useExternalCss": False, "useExternalJs": False, "mandatory": True,
    "mandatoryCta": True, "googleConsentMode": False, "bingConsentMode": False, "pianoConsentMode": False,
}

# A custom tarteaucitron service: its js() revives the page's blocked script (tarteaucitron has no generic
# text/plain convention; a service definition plus a job is how a site adds its own tag).
TARTEAUCITRON_SERVICE = """{
  key: "benchanalytics", type: "analytic", name: "Mesure d'audience (démo)", uri: "%s", needConsent: true,
  cookies: ["demo_analytics", "demo_analytics_visits"],
  js: function () {
    document.querySelectorAll('script[type="text/plain"][data-tac-service="benchanalytics"]').forEach(function (old) {
      var s = document.createElement("script");
      s.src = old.getAttribute("data-src");
      old.replaceWith(s);
    });
  },
  fallback: function () {}
}""" % POLICY_URL


def ours_config():
    """Our data-config on the benchmark pages (the manifest inline, like the competitors' configs)."""
    return {"manifest": manifest_json(), "languages": ["fr"], "policyUrl": POLICY_URL}


def build_ours():
    """Build our files for this portal, as a portal would (`consent-banner build --config`): the first layer
    rendered ahead of time for this data-config. Written to benchmarks/.dist, leaving static/dist alone."""
    global DIST
    out = os.path.join(HERE, ".dist")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(ours_config(), handle, ensure_ascii=False)
    try:
        subprocess.run([sys.executable, "-m", "banner.build", "--config", handle.name, "--out", out],
                       check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    finally:
        os.unlink(handle.name)
    DIST = out


def banner_tags(kind):
    """(head html, tail html, extra attribute for the footer's "Gestion des cookies" link)."""
    if kind == "ours":
        config = ours_config()
        tag = '<script src="/static/dist/consent.js" defer data-config=\'%s\'></script>' % html_attr(
            json.dumps(config, ensure_ascii=False, separators=(",", ":")))
        return tag, "", "data-consent-open"
    if kind == "vanilla":
        config = js_string(VANILLA_CONFIG).replace('"__REGEX__"', "/^demo_analytics/")
        head = ('<link rel="stylesheet" href="/vendor/vanilla/cookieconsent.css">\n'
                '<script defer src="/vendor/vanilla/cookieconsent.umd.js"></script>')
        tail = ("<script>document.addEventListener('DOMContentLoaded', function () {\n"
                "  CookieConsent.run(%s);\n});</script>" % config)
        return head, tail, 'data-cc="show-preferencesModal"'
    if kind == "klaro":
        config = js_string(KLARO_CONFIG).replace('"__REGEX__"', "/^demo_analytics/")
        head = ("<script>window.klaroConfig = %s;</script>\n"
                '<script defer data-config="klaroConfig" src="/vendor/klaro/klaro.js"></script>' % config)
        return head, "", 'onclick="klaro.show(); return false;"'
    if kind == "tarteaucitron":
        head = ("<script>var tarteaucitronForceLanguage = 'fr';</script>\n"
                '<script defer src="/vendor/tarteaucitron/tarteaucitron.min.js"></script>')
        tail = ("<script>document.addEventListener('DOMContentLoaded', function () {\n"
                "  tarteaucitron.init(%s);\n"
                "  tarteaucitron.services.benchanalytics = %s;\n"
                "  (tarteaucitron.job = tarteaucitron.job || []).push('benchanalytics');\n"
                "});</script>" % (js_string(TARTEAUCITRON_PARAMS), TARTEAUCITRON_SERVICE))
        return head, tail, 'onclick="tarteaucitron.userInterface.openPanel(); return false;"'
    if kind == "brython":
        # The runtime alone, loaded the way our loader loads it (async, never blocking the parser), then one
        # trivial import through Brython's import system, the way the loader starts our precompiled code
        # (the shipped runtime has no compiler): what any Brython code costs first.
        return ('<script async src="/static/dist/brython.js" onload="var B = window.__bench || {}, R = __BRYTHON__; '
                'B.runStart = performance.now(); R.$__import__(\'javascript\', R.builtins.None, R.builtins.None, []); '
                'B.runtimeReady = performance.now();"></script>'), "", ""
    return "", "", ""       # none


def render_page(kind):
    head, tail, manage = banner_tags(kind)
    return PAGE.format(head=head, tail=tail, manage=manage, blocked=BLOCKED[kind], policy=POLICY_URL)


# How the harness recognises each banner. root: the element that must be visible; reject/accept: the
# first-layer buttons (" || " separates fallbacks); consent: a regex on document.cookie that is true once
# the refusal is recorded.
BANNERS = {
    "ours": {"label": "ours (Brython)", "root": "#cb-banner",
             "reject": ('#cb-banner .cb-actions [data-cb-action="reject_all"] || '
                        '#cb-banner [data-cb-action="reject_all"]'),
             "accept": ('#cb-banner .cb-actions [data-cb-action="accept_all"] || '
                        '#cb-banner [data-cb-action="accept_all"]'),
             "consent": r"(?:^|; )cookies_preferences="},
    "vanilla": {"label": "vanilla-cookieconsent 3.1.0", "root": "#cc-main .cm",
                "reject": '#cc-main .cm .cm__btn[data-role="necessary"]',
                "accept": '#cc-main .cm .cm__btn[data-role="all"]',
                "consent": r"(?:^|; )cc_cookie="},
    "klaro": {"label": "Klaro 0.7.22", "root": ".klaro .cookie-notice",
              "reject": ".klaro .cookie-notice .cn-decline",
              "accept": ".klaro .cookie-notice .cm-btn-success",
              "consent": r"(?:^|; )klaro="},
    "tarteaucitron": {"label": "tarteaucitron 1.34.0", "root": "#tarteaucitronAlertBig",
                      "reject": "#tarteaucitronAllDenied2", "accept": "#tarteaucitronPersonalize2",
                      "consent": r"(?:^|; )tarteaucitron=[^;]*benchanalytics=false"},
    "none": {"label": "no banner", "root": None},
    "brython": {"label": "Brython runtime only", "root": None},
}
COMPETITORS = ["vanilla", "klaro", "tarteaucitron"]
BANNER_KINDS = ["ours"] + COMPETITORS
ALL_KINDS = BANNER_KINDS + ["none", "brython"]

# Installed before any page script: records banner visibility, FCP, long tasks, the click and the cookie.
INJECT = r"""(function () {
  var cfg = %s;
  var B = window.__bench = {visible: null, fcp: null, longtasks: [], clickAt: null, cookieAt: null,
                            cookieHow: null, armed: false, runStart: null, runtimeReady: null};
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { B.longtasks.push([e.startTime, e.duration]); });
    }).observe({type: "longtask", buffered: true});
  } catch (e) {}
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { if (e.name === "first-contentful-paint") { B.fcp = e.startTime; } });
    }).observe({type: "paint", buffered: true});
  } catch (e) {}
  if (cfg.root) {
    var shown = function () {
      if (B.visible !== null) { return true; }
      var el = document.querySelector(cfg.root);
      if (!el || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) { return false; }
      var r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.right <= 0 ||
          r.top >= innerHeight || r.left >= innerWidth) { return false; }
      B.visible = performance.now();
      mo.disconnect();
      return true;
    };
    var mo = new MutationObserver(shown);
    mo.observe(document, {childList: true, subtree: true, attributes: true});
    var frame = function () { if (!shown()) { requestAnimationFrame(frame); } };
    requestAnimationFrame(frame);
    var consent = new RegExp(cfg.consent);
    var desc = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
    var check = function (how) {
      if (B.clickAt !== null && B.cookieAt === null && consent.test(desc.get.call(document))) {
        B.cookieAt = performance.now(); B.cookieHow = how;
      }
    };
    Object.defineProperty(Document.prototype, "cookie", {
      configurable: true, enumerable: true, get: desc.get,
      set: function (value) { desc.set.call(this, value); check("setter"); }
    });
    window.addEventListener("click", function () {
      if (B.armed && B.clickAt === null) {
        B.clickAt = performance.now();
        var poll = function () { check("poll"); if (B.cookieAt === null) { requestAnimationFrame(poll); } };
        requestAnimationFrame(poll);
      }
    }, true);
  }
})();"""


def inject_source(kind):
    b = BANNERS[kind]
    return INJECT % json.dumps({"root": b.get("root"), "consent": b.get("consent", "^$")})


# --------------------------------------------------------------------------------------------------
# Server: gzip when accepted, max-age=3600 for static assets, no-store for HTML. HTTP/1.1 keep-alive.
# --------------------------------------------------------------------------------------------------

def png_bytes(width, height, pixel_rows):
    """A minimal PNG encoder (8-bit RGB): `pixel_rows` yields one bytes object of width*3 per row."""
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + row for row in pixel_rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def hero_png():
    """A deterministic 960x320 'map' with some noise, about 60 KB: the page's one image."""
    rng = random.Random(5)
    w, h = 960, 320

    def rows():
        for y in range(h):
            row = bytearray()
            for x in range(w):
                n = rng.randrange(4) if (x // 16 + y // 16) % 5 == 0 else 0
                row += bytes((min(255, 200 + (x * 40) // w + n), min(255, 215 + (y * 30) // h + n), 230 + n // 2))
            yield bytes(row)
    return png_bytes(w, h, rows())


COMPRESSIBLE = (".js", ".css", ".json", ".html", ".svg")
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png",
         ".json": "application/json", ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}


class Content:
    """Static bodies, read once, gzip (level 6) computed once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.cache = {}
        self.generated = {"/bench/analytics.js": ANALYTICS_JS, "/bench/hero.png": hero_png()}
        self.mounts = [("/static/dist/", DIST),
                       ("/vendor/vanilla/", os.path.join(NODE, "vanilla-cookieconsent", "dist")),
                       ("/vendor/klaro/", os.path.join(NODE, "klaro", "dist")),
                       ("/vendor/tarteaucitron/", os.path.join(NODE, "tarteaucitronjs")),
                       ("/demo.css", os.path.join(ROOT, "demo", "site", "demo.css"))]

    def get(self, path):
        with self.lock:
            if path in self.cache:
                return self.cache[path]
        body = self.generated.get(path)
        if body is None:
            for prefix, target in self.mounts:
                if path == prefix and os.path.isfile(target):
                    file = target
                elif prefix.endswith("/") and path.startswith(prefix):
                    file = os.path.normpath(os.path.join(target, path[len(prefix):]))
                    if not file.startswith(target + os.sep):
                        return None
                else:
                    continue
                if os.path.isfile(file):
                    with open(file, "rb") as handle:
                        body = handle.read()
                break
        if body is None:
            return None
        ext = os.path.splitext(path)[1]
        zipped = gzip.compress(body, 6, mtime=0) if ext in COMPRESSIBLE else None
        entry = (body, zipped, TYPES.get(ext, "application/octet-stream"))
        with self.lock:
            self.cache[path] = entry
        return entry


def make_server():
    content = Content()
    pages = {"/p/%s/" % kind: render_page(kind).encode("utf-8") for kind in ALL_KINDS}
    pages_gz = {path: gzip.compress(body, 6, mtime=0) for path, body in pages.items()}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = urlsplit(self.path).path
            gz_ok = "gzip" in self.headers.get("Accept-Encoding", "")
            if path in pages:
                body, zipped, ctype, cache = pages[path], pages_gz[path], TYPES[".html"], "no-store"
            else:
                entry = content.get(path)
                if entry is None:
                    body = b"not found"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("Cache-Control", "no-store")
                    self.end_headers()
                    self.wfile.write(body)
                    return
                body, zipped, ctype = entry
                cache = "max-age=3600"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Cache-Control", cache)
            if zipped is not None:
                self.send_header("Vary", "Accept-Encoding")
                if gz_ok:
                    body = zipped
                    self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.content = content
    return server


# --------------------------------------------------------------------------------------------------
# Browser runs.
# --------------------------------------------------------------------------------------------------

def new_driver(profile, width=1280, height=900, scale=None):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    if scale:
        options.add_argument("--force-device-scale-factor=%s" % scale)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--user-data-dir=" + profile, "--window-size=%d,%d" % (width, height)):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def page_now(driver):
    return driver.execute_script("return performance.now()")


def bench_state(driver):
    return driver.execute_script("return window.__bench || null")


def wait_for(driver, script, timeout_ms, interval=0.05):
    """Poll `script` (a JS expression) until it is not null/undefined; returns its value or None."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = driver.execute_script("return (%s);" % script)
        if value is not None or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def resources(driver):
    return driver.execute_script("""
        var nav = performance.getEntriesByType("navigation")[0];
        var out = [[location.pathname, nav.transferSize, nav.encodedBodySize]];
        performance.getEntriesByType("resource").forEach(function (r) {
            out.push([r.name.replace(location.origin, ""), r.transferSize, r.encodedBodySize]);
        });
        return out;""")


def click(driver, selector):
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import WebDriverException
    element = None
    for candidate in selector.split(" || "):      # fallbacks, first match wins
        found = driver.find_elements(By.CSS_SELECTOR, candidate)
        if found:
            element = found[0]
            break
    if element is None:
        raise RuntimeError("no element matches %s" % selector)
    try:
        element.click()
        return "native"
    except WebDriverException:
        driver.execute_script("arguments[0].click()", element)
        return "js"


def first_visit(driver, url, kind, window_ms):
    """Cold visit: wait for the banner and the end of the long-task window; collect the load metrics."""
    driver.get(url)
    remaining = window_ms - page_now(driver)
    if remaining > 0:
        time.sleep(remaining / 1000 + 0.05)
    root = BANNERS[kind]["root"]
    if root:
        wait_for(driver, "window.__bench.visible", VISIBLE_TIMEOUT_MS)
    state = bench_state(driver)
    timing = driver.execute_script("""var n = performance.getEntriesByType("navigation")[0];
        return [n.domContentLoadedEventEnd, n.loadEventEnd];""")
    res = resources(driver)
    long_tasks = [(s, d) for s, d in state["longtasks"] if s < window_ms]
    return {
        "visible_ms": state["visible"] if root else None,
        "fcp_ms": state["fcp"],
        "longtask_ms": sum(d for _, d in long_tasks),
        "longtask_count": len(long_tasks),
        "longtask_max_ms": max([d for _, d in long_tasks] or [0]),
        "bytes": sum(r[1] for r in res),
        "body_bytes": sum(r[2] for r in res),
        "requests": len(res),
        "resources": res,
        "dcl_ms": timing[0], "load_ms": timing[1],
        "runtime_loaded_ms": state.get("runStart"),
        "runtime_ready_ms": state.get("runtimeReady"),
        "first_run_ms": (state["runtimeReady"] - state["runStart"]) if state.get("runtimeReady") else None,
    }


def settle(driver, visible_ms, delay_ms=800):
    """Wait until the banner has been visible for delay_ms: tarteaucitron attaches its button handlers
    500 ms after it shows the banner (a setTimeout in tarteaucitron.js), so an earlier click is lost."""
    remaining = visible_ms + delay_ms - page_now(driver)
    if remaining > 0:
        time.sleep(remaining / 1000)


def banner_flow(driver, url, kind, out):
    """After the first visit: reject, then (fresh cookies) accept, then the return visit."""
    b = BANNERS[kind]
    if out["visible_ms"] is None:
        raise RuntimeError("banner not visible within %d ms" % VISIBLE_TIMEOUT_MS)
    # (2) click "Tout refuser" -> consent cookie written
    settle(driver, out["visible_ms"])
    driver.execute_script("window.__bench.armed = true")
    out["reject_click"] = click(driver, b["reject"])
    cookie_at = wait_for(driver, "window.__bench.cookieAt", 5000, interval=0.02)
    state = bench_state(driver)
    if cookie_at is None or state["clickAt"] is None:
        raise RuntimeError("no consent cookie after the reject click (click seen: %s)" % state["clickAt"])
    out["reject_ms"] = cookie_at - state["clickAt"]
    out["reject_detected_by"] = state["cookieHow"]
    if driver.execute_script("return window.__analyticsRan === undefined") is not True:
        raise RuntimeError("the analytics script ran before consent")
    # forget the answer, show the banner again (warm cache), accept
    driver.delete_all_cookies()
    driver.execute_script("localStorage.clear(); sessionStorage.clear();")
    driver.get(url)
    out["visible_warm_ms"] = wait_for(driver, "window.__bench.visible", VISIBLE_TIMEOUT_MS)
    if out["visible_warm_ms"] is None:
        raise RuntimeError("banner not visible on the second visit (no consent, warm cache)")
    settle(driver, out["visible_warm_ms"])
    click(driver, b["accept"])
    if wait_for(driver, "window.__analyticsRan", 5000, interval=0.02) is None:
        raise RuntimeError("the analytics script did not run after 'accept all'")
    # (3) return visit: time until the consented script has run
    driver.get(url)
    out["return_ms"] = wait_for(driver, "window.__analyticsRan", 10000, interval=0.02)
    if out["return_ms"] is None:
        raise RuntimeError("the consented script did not run on the return visit")
    time.sleep(0.1)
    if bench_state(driver)["visible"] is not None:
        raise RuntimeError("the banner showed again on the return visit")


def cpu_busy(seconds=0.2):
    """Share of CPU time (all cores) spent non-idle during `seconds`, from /proc/stat; None if unavailable."""
    def sample():
        with open("/proc/stat") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        return sum(values), values[3] + (values[4] if len(values) > 4 else 0)
    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def wait_idle(limit_s, threshold=0.25):
    """Before a run: wait (at most limit_s) until other work leaves the CPUs mostly idle. Returns the last
    busy share seen."""
    deadline = time.monotonic() + limit_s
    busy = cpu_busy()
    while busy is not None and busy > threshold and time.monotonic() < deadline:
        time.sleep(0.5)
        busy = cpu_busy()
    return busy


def one_run(base, kind, condition, window_ms):
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    driver = None
    out = {"kind": kind, "condition": condition, "loadavg_1m": os.getloadavg()[0]}
    try:
        driver = new_driver(profile)
        driver.execute_cdp_cmd("Network.enable", {})
        if CONDITIONS[condition]:
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", CONDITIONS[condition])
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": inject_source(kind)})
        url = "%s/p/%s/" % (base, kind)
        out.update(first_visit(driver, url, kind, window_ms))
        if BANNERS[kind]["root"]:
            banner_flow(driver, url, kind, out)
    except Exception as error:    # recorded and reported; never turned into a number
        text = str(error).strip()
        out["error"] = "%s: %s" % (type(error).__name__, text.splitlines()[0] if text else "")
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        shutil.rmtree(profile, ignore_errors=True)
    return out


# --------------------------------------------------------------------------------------------------
# Statistics, tables, chart.
# --------------------------------------------------------------------------------------------------

METRICS = [
    # key, row title, unit, kinds it applies to
    ("visible_ms", "Banner visible, first visit, cold cache", "ms", BANNER_KINDS),
    ("reject_ms", "Click « Tout refuser » → consent cookie written", "ms", BANNER_KINDS),
    ("return_ms", "Return visit (consented): analytics script has run", "ms", BANNER_KINDS),
    ("longtask_ms", "Main-thread long tasks, first 3 s", "ms", ALL_KINDS),
    ("fcp_ms", "Host page first contentful paint", "ms", ALL_KINDS),
    ("bytes", "Bytes transferred, first visit (whole page)", "KB", ALL_KINDS),
    ("visible_warm_ms", "Banner visible, repeat visit without consent (warm cache)", "ms", BANNER_KINDS),
]


EXTRA_KEYS = ["dcl_ms", "load_ms", "requests", "longtask_count", "longtask_max_ms", "body_bytes",
              "runtime_loaded_ms", "runtime_ready_ms", "first_run_ms"]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(runs):
    """medians[condition][kind][metric] and counts."""
    out = {}
    for condition in CONDITIONS:
        out[condition] = {}
        for kind in ALL_KINDS:
            ok = [r for r in runs if r["condition"] == condition and r["kind"] == kind and "error" not in r]
            failed = [r for r in runs if r["condition"] == condition and r["kind"] == kind and "error" in r]
            if not ok and not failed:
                continue
            med = {key: median([r.get(key) for r in ok]) for key in [m[0] for m in METRICS] + EXTRA_KEYS}
            med["n"] = len(ok)
            med["failed"] = len(failed)
            out[condition][kind] = med
    return out


def fmt(value, unit):
    if value is None:
        return "—"
    if unit == "KB":
        return "%.1f" % (value / 1000)
    return "%.0f" % value


def ratio(a, b):
    if a is None or b is None:
        return "—"
    if b == 0:
        return "—" if a == 0 else "n/a (theirs: 0)"
    return "%.2f×" % (a / b)


def derived(med):
    """Extra rows: FCP change vs the no-banner page, banner bytes beyond the page, long tasks beyond the runtime."""
    none = med.get("none", {})
    runtime = med.get("brython", {})
    rows = {}
    for kind in BANNER_KINDS:
        m = med.get(kind)
        if not m:
            continue
        fcp, base_fcp = m.get("fcp_ms"), none.get("fcp_ms")
        rows.setdefault("fcp_delta", {})[kind] = (fcp - base_fcp) / base_fcp * 100 if fcp and base_fcp else None
        b, base_b = m.get("bytes"), none.get("bytes")
        rows.setdefault("banner_bytes", {})[kind] = b - base_b if b is not None and base_b is not None else None
    ours, rt = med.get("ours", {}).get("longtask_ms"), runtime.get("longtask_ms")
    rows["ours_beyond_runtime"] = ours - rt if ours is not None and rt is not None else None
    return rows


def condition_table(condition, med):
    cols = BANNER_KINDS
    header = ("| metric (median) | " + " | ".join(BANNERS[k]["label"] for k in cols) + " | no banner | "
              + " | ".join("ours ÷ %s" % BANNERS[k]["label"].split(" ")[0] for k in COMPETITORS) + " |")
    lines = [header, "|---|" + "---:|" * (len(cols) + 1 + len(COMPETITORS))]

    def row(title, values, unit, reference=None, ratios=True):
        cells = [fmt(values.get(k), unit) for k in cols]
        ours = values.get("ours")
        rs = [ratio(ours, values.get(k)) if ratios else "—" for k in COMPETITORS]
        return "| %s | %s | %s | %s |" % (title, " | ".join(cells), reference or "—", " | ".join(rs))

    for key, title, unit, kinds in METRICS:
        values = {k: med[k][key] for k in cols if k in med}
        ref = None
        if key in ("longtask_ms", "fcp_ms", "bytes") and "none" in med:
            ref = fmt(med["none"][key], unit)
        unit_title = "%s (%s)" % (title, unit)
        lines.append(row(unit_title, values, unit, ref))
        if key == "fcp_ms":
            d = derived(med)["fcp_delta"]
            lines.append("| FCP change vs no banner (%%) | %s | 0 | %s |" % (
                " | ".join("—" if d.get(k) is None else "%+.1f%%" % d[k] for k in cols),
                " | ".join("—" for _ in COMPETITORS)))
        if key == "bytes":
            d = derived(med)["banner_bytes"]
            lines.append(row("Bytes added by the banner (KB, page minus no-banner page)", d, "KB", "0"))
    counts = ", ".join("%s n=%d%s" % (k, med[k]["n"], " (%d FAILED)" % med[k]["failed"] if med[k]["failed"] else "")
                       for k in ALL_KINDS if k in med)
    return "\n".join(lines), counts


def references(condition, med):
    rt = med.get("brython")
    if not rt:
        return ""
    d = derived(med)
    beyond = d["ours_beyond_runtime"]
    return ("Brython runtime alone (page with only our compiler-free `brython.js`, async, then one trivial import "
            "of the built-in `javascript` module through Brython's import system, as our loader starts our "
            "precompiled code): long tasks %s ms, FCP %s ms, %s KB "
            "transferred; runtime evaluated at %s ms, the trivial import took %s ms more (%s ms). "
            "**Our code's long-task time beyond the runtime's: %s ms** (ours %s − runtime %s)." % (
                fmt(rt["longtask_ms"], "ms"), fmt(rt["fcp_ms"], "ms"), fmt(rt["bytes"], "KB"),
                fmt(rt.get("runtime_loaded_ms"), "ms"),
                "%.1f" % rt["first_run_ms"] if rt.get("first_run_ms") is not None else "—",
                fmt(rt.get("runtime_ready_ms"), "ms"), fmt(beyond, "ms"),
                fmt(med.get("ours", {}).get("longtask_ms"), "ms"), fmt(rt["longtask_ms"], "ms")))


def runtime_gzip_reference(served):
    """(name, gzip size) of the Brython runtime the bytes target is measured against: the file our pages were
    served during this run, else the one in static/dist now."""
    for path, (_, gz) in sorted(served.items()):
        name = path.rsplit("/", 1)[-1]
        if name.startswith("brython") and name.endswith(".js") and gz:
            return name, gz
    candidates = [os.path.join(DIST, name) for name in ("brython.min.js", "brython.js")]
    for path in candidates:
        if os.path.exists(path):
            with open(path, "rb") as handle:
                data = handle.read()
            return os.path.basename(path), len(gzip.compress(data, 6, mtime=0))
    return None, None


def targets(summary, served):
    lb = summary.get("loopback", {})
    lines = []
    if not lb.get("ours"):
        return ""

    def line(ok, text):
        lines.append("- %s %s" % ("✅ met" if ok else "❌ missed", text))
    ours = lb["ours"]
    comp = [lb[k]["visible_ms"] for k in COMPETITORS if lb.get(k) and lb[k]["visible_ms"] is not None]
    if ours["visible_ms"] is not None and comp:
        best = min(comp)
        line(ours["visible_ms"] <= best, "banner visible ≤ 1.0× the fastest competitor (loopback): %.0f ms vs "
             "%.0f ms (%.2f×)" % (ours["visible_ms"], best, ours["visible_ms"] / best))
    if ours["return_ms"] is not None and lb.get("vanilla", {}).get("return_ms"):
        v = lb["vanilla"]["return_ms"]
        line(ours["return_ms"] <= 1.5 * v, "return visit: consented script within 1.5× vanilla-cookieconsent: %.0f ms "
             "vs %.0f ms (%.2f×)" % (ours["return_ms"], v, ours["return_ms"] / v))
    d = derived(lb)
    for condition in CONDITIONS:
        dc = derived(summary.get(condition, {})).get("fcp_delta", {}).get("ours")
        if dc is not None:
            line(abs(dc) < 5, "host FCP moves by < 5%% (%s): %+.1f%%" % (condition, dc))
    if d["ours_beyond_runtime"] is not None:
        line(d["ours_beyond_runtime"] < 50, "our code adds < 50 ms long-task time beyond the runtime alone: %.0f ms"
             % d["ours_beyond_runtime"])
    name, gz = runtime_gzip_reference(served)
    if gz and d["banner_bytes"].get("ours") is not None:
        line(d["banner_bytes"]["ours"] <= gz + 20000, "first-visit bytes ≤ runtime + 20 KB: %.1f KB added by our "
             "banner (transferred, headers included) vs `%s` as served, %.1f KB gzip, + 20 KB = %.1f KB" % (
                 d["banner_bytes"]["ours"] / 1000, name, gz / 1000, (gz + 20000) / 1000))
    return "\n".join(lines)


def machine_info(chromium_version):
    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((l.split(":", 1)[1].strip() for l in handle if l.startswith("model name")), "")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
            mem = "%.1f GB RAM" % (kb / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        import selenium
        sel = selenium.__version__
    except ImportError:
        sel = "?"
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except Exception:
        commit = ""
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "platform": platform.platform(),
            "python": platform.python_version(), "selenium": sel, "chromium": chromium_version, "commit": commit}


def chart_svg(summary, runs_by_condition, note=""):
    """Horizontal bars, one panel per metric, loopback and throttled side by side."""
    panels = [("visible_ms", "Banner visible, first visit (ms)", BANNER_KINDS),
              ("reject_ms", "« Tout refuser » → cookie written (ms)", BANNER_KINDS),
              ("return_ms", "Return visit: consented script ran (ms)", BANNER_KINDS),
              ("longtask_ms", "Long tasks, first 3 s (ms)", BANNER_KINDS + ["brython", "none"]),
              ("fcp_ms", "Host first contentful paint (ms)", BANNER_KINDS + ["none"]),
              ("bytes", "Transferred, first visit (KB)", BANNER_KINDS + ["brython", "none"])]
    colors = {"loopback": "#1f4e9c", "throttled": "#9bb7e8"}
    ours_colors = {"loopback": "#c0392b", "throttled": "#f1a091"}
    names = {"ours": "ours (Brython)", "vanilla": "vanilla-cc", "klaro": "Klaro", "tarteaucitron": "tarteaucitron",
             "none": "no banner", "brython": "Brython only"}
    conds = [c for c in CONDITIONS if summary.get(c)]
    col_w, label_w, bar_h, gap = 470, 110, 11, 7
    panel_h = lambda n: 34 + n * (bar_h * len(conds) + gap) + 6
    width = 2 * col_w + 20
    heights = [panel_h(len(p[2])) for p in panels]
    row_h = [max(heights[i], heights[i + 1]) for i in range(0, len(panels), 2)]
    top = 62
    height = top + sum(row_h) + 10
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="DejaVu Sans, sans-serif" '
           'font-size="11">' % (width, height), '<rect width="100%" height="100%" fill="#fff"/>',
           '<text x="12" y="22" font-size="15" font-weight="bold">Consent banners: medians (%s)'
           '<tspan font-size="11" font-weight="normal" fill="#c0392b"> %s</tspan></text>'
           % (", ".join("%s n=%d" % (c, runs_by_condition[c]) for c in conds), note)]
    x = 12
    for c in conds:
        out.append('<rect x="%d" y="34" width="12" height="10" fill="%s"/><text x="%d" y="43">%s</text>'
                   % (x, colors[c], x + 16, CONDITION_LABELS[c]))
        x += 30 + 6 * len(CONDITION_LABELS[c])
    out.append('<text x="%d" y="43" fill="#c0392b">red = ours</text>' % x)
    for i, (key, title, kinds) in enumerate(panels):
        col, row = i % 2, i // 2
        px, py = 10 + col * col_w, top + sum(row_h[:row])
        out.append('<text x="%d" y="%d" font-weight="bold" font-size="12">%s</text>' % (px, py + 14, title))
        vals = [summary[c].get(k, {}).get(key) for c in conds for k in kinds]
        vmax = max([v for v in vals if v is not None] or [1]) or 1
        scale = (col_w - label_w - 70) / vmax
        y = py + 26
        for k in kinds:
            out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (px + label_w - 6,
                                                                            y + bar_h * len(conds) / 2 + 4, names[k]))
            for c in conds:
                v = summary[c].get(k, {}).get(key)
                if v is not None:
                    shown = v / 1000 if key == "bytes" else v
                    w = max(1, v * scale)
                    fill = (ours_colors if k == "ours" else colors)[c]
                    out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (px + label_w, y, w,
                                                                                              bar_h - 1, fill))
                    out.append('<text x="%.1f" y="%d" font-size="10">%s</text>' % (px + label_w + w + 4, y + bar_h - 2,
                                                                                   "%.0f" % shown if shown >= 10 or
                                                                                   shown == 0 else "%.1f" % shown))
                y += bar_h
            y += gap
    out.append("</svg>")
    return "\n".join(out)


def render_png(svg, path):
    """Rasterise the SVG with headless Chromium (an element screenshot of the inline SVG)."""
    from selenium.webdriver.common.by import By
    profile = tempfile.mkdtemp(prefix="bench-chart-")
    driver = None
    try:
        driver = new_driver(profile, 1100, 1000, scale=2)
        html = "<!doctype html><html><head><meta charset='utf-8'></head><body style='margin:0'>%s</body></html>" % svg
        driver.get("data:text/html;base64," + base64.b64encode(html.encode("utf-8")).decode("ascii"))
        png = driver.find_element(By.TAG_NAME, "svg").screenshot_as_png
        with open(path, "wb") as handle:
            handle.write(png)
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


# --------------------------------------------------------------------------------------------------

README_START, README_END = "<!-- latest-results:start -->", "<!-- latest-results:end -->"


def update_readme(markdown):
    """Quote the latest results in benchmarks/README.md, between the two markers (headings demoted)."""
    path = os.path.join(HERE, "README.md")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return False
    if README_START not in text or README_END not in text:
        return False
    body = "\n".join(("#" + line if line.startswith("## ") else line) for line in markdown.splitlines()
                     if not line.startswith("# "))
    head, rest = text.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head + README_START + "\n" + body.strip() + "\n\n" + README_END + tail)
    return True


def parse_args(argv):
    p = argparse.ArgumentParser(description="Benchmark our consent banner against three JS banners.")
    p.add_argument("--runs", type=int, help="runs per banner and condition (default: 7 loopback, 5 throttled)")
    p.add_argument("--throttled-runs", type=int, help="runs per banner on the throttled network")
    p.add_argument("--quick", action="store_true", help="%d runs each" % QUICK_RUNS)
    p.add_argument("--only", choices=list(CONDITIONS), help="one network condition only")
    p.add_argument("--banners", help="comma-separated subset of %s" % ",".join(ALL_KINDS))
    p.add_argument("--window-ms", type=int, default=WINDOW_MS, help="long-task window after navigation start")
    p.add_argument("--out", default=RESULTS, help="where latest.md/.json/.png go")
    p.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                   help="before each run, wait up to SECONDS for other work to leave the CPUs idle (shared machines)")
    p.add_argument("--no-readme", action="store_true",
                   help="do not copy the tables into benchmarks/README.md (only full, non-quick runs ever do)")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    build_ours()
    for pkg in ("vanilla-cookieconsent", "klaro", "tarteaucitronjs"):
        if not os.path.isdir(os.path.join(NODE, pkg)):
            sys.exit("node_modules/%s is missing: run `npm ci` (`make bench` does)" % pkg)
    runs = dict(DEFAULT_RUNS)
    if args.quick:
        runs = {c: QUICK_RUNS for c in CONDITIONS}
    if args.runs:
        runs = {c: args.runs for c in CONDITIONS}
    if args.throttled_runs:
        runs["throttled"] = args.throttled_runs
    if args.only:
        runs = {args.only: runs[args.only]}
    kinds = args.banners.split(",") if args.banners else ALL_KINDS
    unknown = [k for k in kinds if k not in ALL_KINDS]
    if unknown:
        sys.exit("unknown banner(s): %s" % ", ".join(unknown))

    busy = cpu_busy(0.5)
    if busy is not None and busy > 0.25:
        print("Warning: the CPUs are %.0f%% busy with other work (1-minute load average %.1f on %d CPUs); it will "
              "slow and scatter the timings (see --wait-idle)." % (100 * busy, os.getloadavg()[0], os.cpu_count() or 1),
              flush=True)
    dist_at_start = {name: os.path.getsize(os.path.join(DIST, name)) for name in sorted(os.listdir(DIST))
                     if os.path.isfile(os.path.join(DIST, name))}
    server = make_server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    started = time.monotonic()
    total = sum(runs.values()) * len(kinds)
    print("Benchmark: %s; banners take turns run by run; %d browser sessions." % (
        ", ".join("%s %d runs" % (c, n) for c, n in runs.items()), total), flush=True)
    if "throttled" in runs and "loopback" in runs and runs["throttled"] < runs["loopback"]:
        print("Note: fewer throttled runs (%d) than loopback runs (%d) so that the default fits ~10 minutes."
              % (runs["throttled"], runs["loopback"]), flush=True)

    results = []
    done = 0
    for rnd in range(max(runs.values())):
        order = kinds[rnd % len(kinds):] + kinds[:rnd % len(kinds)]      # rotate who goes first
        for condition in runs:
            if rnd >= runs[condition]:
                continue
            for kind in order:
                busy = wait_idle(args.wait_idle) if args.wait_idle else cpu_busy()
                r = one_run(base, kind, condition, args.window_ms)
                r["cpu_busy_before"] = None if busy is None else round(busy, 3)
                if "error" in r:       # one retry for a browser hiccup; both attempts are kept
                    r["round"] = rnd
                    results.append(r)
                    print("  ! %s %s round %d: %s — retrying once" % (condition, kind, rnd + 1, r["error"]),
                          flush=True)
                    r = one_run(base, kind, condition, args.window_ms)
                    r["retry"] = True
                r["round"] = rnd
                results.append(r)
                done += 1
                brief = ("ERROR " + r["error"]) if "error" in r else (
                    "visible %s, reject %s, return %s, LT %s, FCP %s, %s KB") % (
                    fmt(r.get("visible_ms"), "ms"), fmt(r.get("reject_ms"), "ms"), fmt(r.get("return_ms"), "ms"),
                    fmt(r.get("longtask_ms"), "ms"), fmt(r.get("fcp_ms"), "ms"), fmt(r.get("bytes"), "KB"))
                print("  [%3d/%d %4.0fs] %-9s round %d %-13s %s" % (done, total, time.monotonic() - started,
                                                                    condition, rnd + 1, kind, brief), flush=True)
    server.shutdown()
    served = {path: (len(raw), len(zipped) if zipped else None)
              for path, (raw, zipped, _) in server.content.cache.items() if path.startswith("/static/dist/")}
    elapsed = time.monotonic() - started

    # A retried run counts once: drop the failed attempt when the retry succeeded.
    final = []
    for i, r in enumerate(results):
        nxt = results[i + 1] if i + 1 < len(results) else None
        if "error" in r and nxt and nxt.get("retry") and nxt["kind"] == r["kind"] and \
                nxt["condition"] == r["condition"] and nxt["round"] == r["round"] and "error" not in nxt:
            r["superseded_by_retry"] = True
        final.append(r)
    counted = [r for r in final if not r.get("superseded_by_retry")]
    summary = summarise(counted)

    chromium_version = "?"
    try:
        line = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout
        chromium_version = next((l.strip() for l in line.splitlines() if "Chromium" in l), line.strip())
    except Exception:
        pass
    info = machine_info(chromium_version)
    info["dist_at_start"] = dist_at_start
    info["served"] = {path: {"raw": raw, "gzip": gz} for path, (raw, gz) in sorted(served.items())}
    busy = [r["cpu_busy_before"] for r in counted if r.get("cpu_busy_before") is not None]
    info["cpu_busy_before_run_median"] = round(statistics.median(busy), 3) if busy else None
    loads = [r["loadavg_1m"] for r in counted]
    info["loadavg_1m_median"] = round(statistics.median(loads), 2) if loads else None
    info["loadavg_1m_max"] = round(max(loads), 2) if loads else None
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    parts = ["# Consent-banner benchmark — latest results", "",
             "Date: %s · commit %s · %d CPU (%s), %s · %s · Python %s, Selenium %s · wall time %.0f s" % (
                 date, info["commit"] or "?", info["nproc"], info["cpu"] or "?", info["memory"], info["chromium"],
                 info["python"], info["selenium"], elapsed),
             "",
             "Our files as served in this run (each file is read once, at its first request, and kept in memory "
             "for the whole run; raw / gzip bytes): %s." % (", ".join(
                 "`%s` %d / %s" % (path.rsplit("/", 1)[-1], raw, gz if gz else "—")
                 for path, (raw, gz) in sorted(served.items())) or "—"),
             "",
             "Other work on the machine: 1-minute load average before each run median %s, max %s (on %d CPUs); "
             "CPUs busy in the 0.2 s before each run: median %s%%%s%s." % (
                 info["loadavg_1m_median"], info["loadavg_1m_max"], info["nproc"],
                 "—" if info["cpu_busy_before_run_median"] is None else
                 "%.0f" % (100 * info["cpu_busy_before_run_median"]),
                 " (each run waited up to %g s for idle CPUs)" % args.wait_idle if args.wait_idle else "",
                 " — **the machine was busy with other work during this run: numbers are noisier and slower than "
                 "on an idle machine**" if (info["cpu_busy_before_run_median"] or 0) > 0.25 else ""),
             "",
             "Runs per banner: %s (fresh Chromium profile each; banners take turns run by run). Medians; "
             "ratios are ours ÷ theirs (below 1 = ours is faster/smaller). Method: `benchmarks/README.md`." % (
                 ", ".join("%s %d" % (c, n) for c, n in runs.items())), ""]
    failures = [r for r in counted if "error" in r]
    for condition in runs:
        med = summary.get(condition, {})
        if not med:
            continue
        table, counts = condition_table(condition, med)
        parts += ["## %s" % CONDITION_LABELS[condition], "", table, "", "Successful runs: %s." % counts, ""]
        ref = references(condition, med)
        if ref:
            parts += [ref, ""]
    tg = targets(summary, served)
    if tg:
        parts += ["## Targets (issue 5)", "", tg, ""]
    if failures:
        parts += ["## Failed runs (not in the medians)", ""]
        parts += ["- %s %s round %d: %s" % (r["condition"], r["kind"], r["round"] + 1, r["error"]) for r in failures]
        parts.append("")
    markdown = "\n".join(parts)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "latest.md"), "w", encoding="utf-8") as handle:
        handle.write(markdown)
    with open(os.path.join(args.out, "latest.json"), "w", encoding="utf-8") as handle:
        json.dump({"date": date, "machine": info, "runs": runs, "window_ms": args.window_ms,
                   "throttle": THROTTLE, "elapsed_s": round(elapsed, 1), "medians": summary,
                   "results": final}, handle, indent=1, ensure_ascii=False)
    try:
        busy_note = "machine busy with other work: noisy" if (info["cpu_busy_before_run_median"] or 0) > 0.25 else ""
        render_png(chart_svg(summary, runs, busy_note), os.path.join(args.out, "latest.png"))
    except Exception as error:
        print("chart: could not render the PNG (%s)" % error, file=sys.stderr)
    full = not (args.quick or args.only or args.banners or args.no_readme) and not failures
    if full and update_readme(markdown):
        print("Updated the latest-results section of benchmarks/README.md.")
    print()
    print(markdown)
    print("Wrote %s/latest.md, latest.json, latest.png in %.0f s." % (os.path.relpath(args.out, ROOT), elapsed))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
