"""Screenshots of each look of the banner on the demo portal, for docs/theming.md and the README:
docs/screenshots/{light,dark,dsfr}-{1280,375}.png, the first layer as a first-time visitor sees it.

    make screenshots        (= .venv/bin/python tools/screenshots.py, after make build)

- light: the demo portal as it ships (the default theme);
- dark: `"theme": "auto"` on the demo page made dark by its own `color-scheme: dark` (the banner follows
  the page, not the system);
- dsfr: `"look": "dsfr"` with the DSFR stylesheet of the `@gouvfr/dsfr` npm package (node_modules).

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
LOOKS = {
    "light": ({}, ""),
    "dark": ({"theme": "auto"}, DARK_PAGE),
    "dsfr": ({"look": "dsfr"}, '<link rel="stylesheet" href="/dsfr/dsfr.min.css">'),
}


def handler(looks):
    """The demo portal's handler, plus /shot/NAME/ (its home page in that look) and /dsfr/ (the package)."""
    with open(os.path.join(ROOT, "demo", "site", "config.json"), encoding="utf-8") as handle:
        config = json.load(handle)
    pages = {}
    from demo.server import PAGES
    for name, (changes, _head) in looks.items():
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


def shoot(driver, url, width, height, path):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
    driver.delete_all_cookies()
    driver.get(url)
    deadline = time.time() + 20
    while not driver.execute_script(
            "var b = document.getElementById('cb-banner'); return !!(b && window.__consentBoot &&"
            " window.__consentBoot.ready && document.fonts.status === 'loaded' &&"
            " document.getAnimations().every(function (a) { return a.playState !== 'running'; }));"):
        if time.time() > deadline:
            raise SystemExit("the banner did not show on %s" % url)
        time.sleep(0.1)
    time.sleep(0.3)
    with open(path, "wb") as handle:
        handle.write(driver.get_screenshot_as_png())


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
                shoot(driver, "%s/shot/%s/" % (base, name), width, height, path)
                print("  %-40s %7d bytes" % (os.path.relpath(path, ROOT), os.path.getsize(path)))
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
