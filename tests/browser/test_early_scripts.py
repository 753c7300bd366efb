"""A return visit runs the consented scripts before Python starts (the loader's early path): at once, in
document order, an external one awaited, each once, and Python's queue takes over without running any
again; a stored choice the loader cannot vouch for (tampered, expired, another revision, a manifest
edited since the build) runs nothing early; withdrawing later still reloads the page as before.

The pages use the demo portal's own data-config, the one static/dist/consent.js is built for, served from
a copy of static/dist whose runtime arrives late (SLOW_RUNTIME), so "before Python" is certain."""

import json
import os
import time

import pytest

from browser_kit import routes_added, CONSENT, ROOT, consent_value, decode_consent, render_page

DIST = os.path.join(ROOT, "static", "dist")
BASE = "/t/early/"                        # a copy of static/dist: the runtime takes SLOW_RUNTIME seconds
SLOW_RUNTIME = 1.0
SLOW_SCRIPT = 3.0                         # the consented external script: longer than Python takes to start
EDITED = "early_manifest=edited"          # a request cookie: /cookies.json answers with an edited copy
DAY_MS = 24 * 3600 * 1000

with open(os.path.join(ROOT, "demo", "site", "config.json"), encoding="utf-8") as handle:
    CONFIG = json.load(handle)            # the data-config static/dist is built for

# Each probe records its number and whether the Brython runtime had even been evaluated when it ran.
PROBE = "(window.__early = window.__early || []).push({n: %d, runtime: !!window.__BRYTHON__});"
# The first probe adds a third blocked script after the loader has looked: only Python's queue finds it,
# and it must wait for the loader's external script, still loading then.
ADD_THIRD = ("var s = document.createElement('script'); s.type = 'text/plain'; s.setAttribute('data-consent', "
             "'analytics'); s.textContent = %s; document.body.appendChild(s);" % json.dumps(PROBE % 3))
BODY = """
<script type="text/plain" data-consent="analytics">%s %s</script>
<script type="text/plain" data-consent="analytics" data-src="/t/early-probe.js"></script>
""" % (PROBE % 1, ADD_THIRD)
ONE = '<script type="text/plain" data-consent="analytics">%s</script>' % (PROBE % 1)


def slow(seconds, body):
    def answer(handler):
        time.sleep(seconds)
        return body
    return answer


@pytest.fixture(scope="module")
def early_site(servers):
    site = servers.multi
    added = {"/t/early-probe.js": ("text/javascript", slow(SLOW_SCRIPT, (PROBE % 2).encode("utf-8"))),
             "/t/early.html": ("text/html; charset=utf-8", render_page(CONFIG, body=BODY, probes=False,
                                                                       loader=BASE + "consent.js")),
             # only scripts the loader runs: Python learns from it that they ran
             "/t/early-one.html": ("text/html; charset=utf-8", render_page(
                 CONFIG, body=ONE, probes=False, loader=BASE + "consent.js"))}
    for name in os.listdir(DIST):
        with open(os.path.join(DIST, name), "rb") as handle:
            body = handle.read()
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        added[BASE + name] = (kind, slow(SLOW_RUNTIME, body) if name == "brython.js" else body)
    with open(os.path.join(ROOT, "demo", "site", "cookies.json"), "rb") as handle:
        manifest = handle.read()
    edited = json.dumps(json.loads(manifest)).encode("utf-8")    # the same content, other text

    def cookies_json(handler):
        return edited if EDITED in (handler.headers.get("Cookie") or "") else manifest
    added["/cookies.json"] = ("application/json", cookies_json)
    with routes_added(site, added):
        yield site


def probes(browser):
    return browser.js("return window.__early || [];")


def visit(browser, site, value, page="/t/early.html"):
    browser.set_cookie(CONSENT, value, url=site.url("/"))
    browser.open(site.url(page))


def live_copies(browser):
    return browser.js("return document.querySelectorAll('script[data-consent]:not([type])').length;")


@pytest.mark.journey
def test_a_return_visit_runs_consented_scripts_before_python_in_order_once_and_withdrawal_still_reloads(
        browser, early_site):
    visit(browser, early_site, consent_value(["analytics"]))
    assert probes(browser)[0] == {"n": 1, "runtime": False}, "the consented script waited for the runtime"
    browser.wait_js("return (window.__early || []).length >= 3;", "the consented scripts did not all run")
    assert [p["n"] for p in probes(browser)] == [1, 2, 3], "not in order, or Python's queue did not wait"
    browser.settled()
    assert len(probes(browser)) == 3 and live_copies(browser) == 3, "a consented script ran twice"
    assert browser.js("return window.consentBanner.accepted('analytics');") is True
    assert browser.banner() is None

    # Withdrawing reloads the page, as when Python ran the script itself: it cannot be unloaded.
    visit(browser, early_site, consent_value(["analytics"]), "/t/early-one.html")
    # the runtime may come from the cache now, and be evaluated first: what counts is that the loader ran it
    assert [p["n"] for p in probes(browser)] == [1]
    assert browser.js("return window.__consentBoot.ran;") == ["analytics"], "Python ran it, not the loader"
    browser.find("#manage").click()
    browser.navigating(lambda: browser.click_dialog("Tout refuser"))
    assert decode_consent(browser.cookie(CONSENT)["value"]).accepted == ()
    browser.settled()
    assert probes(browser) == [] and live_copies(browser) == 0


def test_a_choice_the_loader_cannot_vouch_for_runs_nothing_early(browser, early_site):
    now = int(time.time() * 1000)
    cases = {"valid (control)": consent_value(["analytics"]),
             "tampered": consent_value(["analytics"]).replace("analytics=1", "analytics=2"),
             "expired": consent_value(["analytics"], decided_at=now - 183 * DAY_MS),
             "another revision": consent_value(["analytics"], revision=2),
             "refused": consent_value([])}
    seen = {}
    for name, value in cases.items():
        browser.reset()
        visit(browser, early_site, value)
        seen[name] = [p["runtime"] for p in probes(browser)[:1]]
    assert seen == {"valid (control)": [False], "tampered": [], "expired": [], "another revision": [],
                    "refused": []}


def test_a_manifest_edited_since_the_build_leaves_the_scripts_to_python(browser, early_site):
    """Same content, other text: Python still accepts the stored choice and runs the script, but the
    loader, which cannot know what changed, does not run it early."""
    browser.set_cookie("early_manifest", "edited", url=early_site.url("/"))
    visit(browser, early_site, consent_value(["analytics"]))
    browser.wait_js("return (window.__early || []).length >= 1;", "Python did not run the consented script")
    assert probes(browser)[0] == {"n": 1, "runtime": True}
    browser.reset()
    visit(browser, early_site, consent_value(["analytics"]))            # control: the built manifest
    assert probes(browser)[0] == {"n": 1, "runtime": False}


def test_a_start_up_that_fails_after_the_early_path_says_what_had_run(browser, early_site):
    """The bundle never arrives after the loader ran a consented script: the one error says that this
    script ran (for the stored choice), not that optional cookies stayed refused."""
    base = "/t/early-no-bundle/"
    added = {"/t/early-no-bundle.html": ("text/html; charset=utf-8", render_page(
        CONFIG, body=ONE, probes=False, loader=base + "consent.js"))}
    for name in ("consent.js", "brython.js"):                 # no consent.brython.js there: a 404
        with open(os.path.join(DIST, name), "rb") as handle:
            added[base + name] = ("text/javascript", handle.read())
    early_site.routes.update(added)
    try:
        browser.set_cookie(CONSENT, consent_value(["analytics"]), url=early_site.url("/"))
        browser.open(early_site.url("/t/early-no-bundle.html"), ready=False)
        browser.wait_loader_settled()
        errors = browser.wait(lambda d: browser.banner_errors(), "no error for the missing bundle")
    finally:
        for path in added:
            early_site.routes.pop(path, None)
    assert [p["n"] for p in probes(browser)] == [1], "the loader did not run the consented script"
    assert len(errors) == 1 and "consent.brython.js" in errors[0], errors
    assert "stay refused" not in errors[0], "the error says nothing optional ran, but a script did: %s" % errors[0]
    assert "had already run: analytics." in errors[0], errors[0]
    browser.expected_errors("consent.brython.js")               # the 404 itself
