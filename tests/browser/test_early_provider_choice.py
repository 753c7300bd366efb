"""A return visit to a category offering a choice per provider (providerChoice): the loader's early path
runs before Python only the scripts of the providers the stored choice accepts (by data-provider or by
host), and leaves every other one (a refused provider's, the portal's own content no provider claims)
to Python, which the loader never pre-empts.

The page's loader tag carries the early facts a server writes for its data-config (data-cb-early,
banner.server.loader_facts.early), with an inline manifest, and the runtime arrives late (SLOW_RUNTIME), so
"before Python" is certain."""

import html
import json
import os
import time

import pytest

from banner.server import loader_facts
from banner.manifest import parse_manifest
from banner.consent import decide
from banner.cookies import encode_consent
from browser_kit import routes_added, CONSENT, ROOT, render_page

DIST = os.path.join(ROOT, "static", "dist")
BASE = "/t/early-choice/"
SLOW_RUNTIME = 1.0

with open(os.path.join(ROOT, "demo", "site", "cookies.json"), encoding="utf-8") as handle:
    MANIFEST = json.load(handle)
MANIFEST["categories"][1].update(providerChoice=True, providers=[
    {"name": "Demo Dashboards"}, {"name": "Tiles", "hosts": ["tiles.example"]}])
CONFIG = {"manifest": MANIFEST, "languages": ["fr", "en"], "policyUrl": "/pages/cookies/"}

PROBE = "(window.__early = window.__early || []).push({n: %d, runtime: !!window.__BRYTHON__});"
BODY = "".join('<script type="text/plain" data-consent="analytics"%s>%s</script>\n' % (attrs, PROBE % n)
               for n, attrs in [(1, ' data-provider="Tiles"'), (2, ' data-provider="Demo Dashboards"'),
                                (3, ""), (4, ' data-provider="Tiles"')])


def page():
    early = loader_facts.early(CONFIG, parse_manifest(MANIFEST, CONFIG["languages"]))
    text = render_page(CONFIG, body=BODY, probes=False, loader=BASE + "consent.js").decode("utf-8")
    tag = '<script src="%sconsent.js" defer ' % BASE
    assert text.count(tag) == 1
    attr = 'data-cb-early="%s" ' % html.escape(json.dumps(early, ensure_ascii=False), quote=True)
    return text.replace(tag, tag + attr).encode("utf-8")


@pytest.fixture(scope="module")
def choice_site(servers):
    site = servers.multi
    added = {"/t/early-choice.html": ("text/html; charset=utf-8", page())}
    for name in os.listdir(DIST):
        with open(os.path.join(DIST, name), "rb") as handle:
            body = handle.read()
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        if name == "brython.js":
            added[BASE + name] = (kind, lambda handler, body=body: time.sleep(SLOW_RUNTIME) or body)
        else:
            added[BASE + name] = (kind, body)
    with routes_added(site, added):
        yield site


def early_runs(browser, site, providers):
    """The probes that ran before the runtime, once Python has started."""
    manifest = parse_manifest(MANIFEST, CONFIG["languages"])
    value = encode_consent(decide(manifest, "custom", int(time.time() * 1000) - 60000, "k2m9x0c4a7q1v8z3",
                                  ["analytics"], providers=providers))
    browser.set_cookie(CONSENT, value, url=site.url("/"))
    browser.open(site.url("/t/early-choice.html"))
    browser.wait_js("return !!(window.__consentBoot && window.__consentBoot.ready);", "Python did not start")
    return sorted(p["n"] for p in browser.js("return window.__early || [];") if not p["runtime"])


@pytest.mark.journey
def test_the_loader_runs_early_only_the_scripts_of_the_accepted_providers(browser, choice_site):
    assert early_runs(browser, choice_site, {"analytics": ["Tiles"]}) == [1, 4]
    browser.reset()
    assert early_runs(browser, choice_site, {"analytics": ["Demo Dashboards"]}) == [2]
    browser.reset()
    assert early_runs(browser, choice_site, None) == [1, 2, 3, 4]          # every provider: all of them
