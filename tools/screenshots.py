"""Screenshots of each look of the banner on the demo portal, for docs/theming.md and the README:
docs/screenshots/{light,dark,dsfr,dsfr-dark}-{1280,375}.png, the first layer as a first-time visitor sees
it, and for the DSFR look its preferences centre too: docs/screenshots/dsfr{,-dark}-centre-{1280,375}.png.

    make screenshots        (= .venv/bin/python tools/screenshots.py, after make build)

- light: the demo portal as it ships (the default theme);
- dark: `"theme": "auto"` on the demo page made dark by its own `color-scheme: dark` (the banner follows
  the page, not the system);
- dsfr: `"look": "dsfr"` with the DSFR stylesheet and JavaScript of the `@gouvfr/dsfr` npm package
  (node_modules), in DSFR's light theme;
- dsfr-dark: the same page in DSFR's dark theme (`data-fr-scheme="dark"` on <html>, which DSFR's
  JavaScript resolves to `data-fr-theme="dark"`).

Headless Chromium and chromedriver from Debian (/usr/bin), one viewport per width, device scale 1 so the
PNGs stay small. CPython only; never part of the shipped files."""

import argparse
import json
import os
import sys
import threading
import time
from http.server import ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from demo.server import make_handler  # noqa: E402

OUT = os.path.join(ROOT, "docs", "screenshots")
DSFR = os.path.join(ROOT, "node_modules", "@gouvfr", "dsfr", "dist")
WIDTHS = {1280: 720, 375: 740}           # viewport width -> height (a laptop, a phone)
DARK_PAGE = ("<style>:root { color-scheme: dark; } body { background: #161616; color: #ececec; }"
             " .site-header, .site-footer { background: #262626; } a { color: #a5a5ff; }</style>")
DSFR_HEAD = '<link rel="stylesheet" href="/dsfr/dsfr.min.css"><script type="module" src="/dsfr/dsfr.module.min.js"></script>'
DSFR_DARK = "<script>document.documentElement.setAttribute('data-fr-scheme', 'dark');</script>"
# name -> (data-config changes, what goes at the end of <head>, whether the centre is shot too)
LOOKS = {
    "light": ({}, "", False),
    "dark": ({"theme": "auto"}, DARK_PAGE, False),
    "dsfr": ({"look": "dsfr"}, DSFR_HEAD, True),
    "dsfr-dark": ({"look": "dsfr"}, DSFR_DARK + DSFR_HEAD, True),
}


def handler(looks):
    """The demo portal's handler, plus /shot/NAME/ (its home page in that look) and /dsfr/ (the package)."""
    with open(os.path.join(ROOT, "demo", "site", "config.json"), encoding="utf-8") as handle:
        config = json.load(handle)
    pages = {}
    from demo.server import PAGES
    for name, (changes, _head, _) in looks.items():
        page = dict(PAGES["/"])
        page["config"] = dict(page.get("config", {}), **changes)
        pages["/shot/%s/" % name] = page
    base = make_handler(config.get("languages", ["fr"]), pages=dict(PAGES, **pages))

    class Handler(base):
        def translate_path(self, path):
            if path.startswith("/dsfr/"):
                return os.path.join(DSFR, path.split("?")[0][len("/dsfr/"):])
            return base.translate_path(self, path)

        def send_body(self, ctype, body):
            name = self.path.strip("/").split("/")[-1]
            if self.path.startswith("/shot/") and ctype.startswith("text/html"):
                body = body.replace(b"</head>", looks[name][1].encode("utf-8") + b"</head>", 1)
            base.send_body(self, ctype, body)

    return Handler


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--lang=fr-FR",
                 "--force-prefers-reduced-motion"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


STILL = (" document.fonts.status === 'loaded' &&"
         " document.getAnimations().every(function (a) { return a.playState !== 'running'; })")


def wait_for(driver, script, what):
    deadline = time.time() + 20
    while not driver.execute_script(script):
        if time.time() > deadline:
            raise SystemExit(what)
        time.sleep(0.1)
    time.sleep(0.3)


def save(driver, path):
    with open(path, "wb") as handle:
        handle.write(driver.get_screenshot_as_png())


def shoot(driver, url, width, height, path, centre_path=None):
    """The first layer at `path`; with `centre_path`, then the preferences centre opened over it."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
    driver.delete_all_cookies()
    driver.get(url)
    wait_for(driver, "var b = document.getElementById('cb-banner'); return !!(b && window.__consentBoot &&"
                     " window.__consentBoot.ready &&" + STILL + ");", "the banner did not show on %s" % url)
    save(driver, path)
    if centre_path:
        driver.execute_script("window.consentBanner.showPreferences();")
        wait_for(driver, "var d = document.getElementById('cb-prefs'); return !!(d && d.open &&"
                         " d.classList.contains('fr-modal--opened') &&" + STILL + ");",
                 "the preferences centre did not open on %s" % url)
        save(driver, centre_path)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write docs/screenshots/{look}-{width}.png.")
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--looks", default=",".join(LOOKS), help="comma-separated, among %s" % ", ".join(LOOKS))
    args = parser.parse_args(argv)
    if not os.path.exists(os.path.join(ROOT, "static", "dist", "consent.js")):
        sys.exit("static/dist/ is missing: run `make build` first")
    if not os.path.exists(os.path.join(DSFR, "dsfr.min.css")):
        sys.exit("%s is missing: run `npm ci` (make setup)" % DSFR)
    looks = {name: LOOKS[name] for name in args.looks.split(",")}
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(looks))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    os.makedirs(args.out, exist_ok=True)
    driver = chromium()
    try:
        for name in looks:
            for width, height in WIDTHS.items():
                path = os.path.join(args.out, "%s-%d.png" % (name, width))
                centre = os.path.join(args.out, "%s-centre-%d.png" % (name, width)) if looks[name][2] else None
                shoot(driver, "%s/shot/%s/" % (base, name), width, height, path, centre)
                for made in (path, centre) if centre else (path,):
                    print("  %-40s %7d bytes" % (os.path.relpath(made, ROOT), os.path.getsize(made)))
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
