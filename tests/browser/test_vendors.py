"""The audience-measurement tools' own consent APIs (data-config `vendors`), driven by the banner in a real
page: each tool hears what holds before its tag runs, then every decision, and a withdrawal stops it for
the rest of the page view and afterwards (no hit, no cookie written back).

- Matomo: its tracker is not published on npm, PyPI or Debian; demo/site/matomo-style.js records its
  documented `_paq` API (a journey in Chromium, Firefox and WebKit: consent-based and exempt);
- Piano Analytics: its own SDK, piano-analytics-js 6.17.0 from npm (consent v2 modes);
- the DSFR analytics package: its own module, @gouvfr/dsfr 1.14.4 from npm, loaded on every page as the
  DSFR documents it, blocked like any tag (its `_EA_` opt-out keeps it from loading Eulerian: given before
  it runs, even when Global Privacy Control or an opposition made elsewhere answers).

The tools' collection servers are the test server's HIT_PREFIX (conftest.hit_recording)."""

import json
import os
import time

import pytest

from browser_kit import (CSP_RECORDER, GPC_ON, NONCE, ROOT, Served, add_json, base_routes, csp_handler,
                         document_script, hit_recording, render_page, with_nonce)
from test_exempt_measurement import exempt_manifest

PIANO_SDK = os.path.join(ROOT, "node_modules", "piano-analytics-js", "dist", "browser", "piano-analytics.js")
DSFR = os.path.join(ROOT, "node_modules", "@gouvfr", "dsfr", "dist")
MATOMO_COOKIES = "^_pk_(id|ses)\\."
PIANO_COOKIES = "^(_pcid|_pctx|_pprv|pa_vid|pa_user|atuserid)$"
AUDIENCE = "Statistiques de fréquentation"           # the exempt category (test_exempt_measurement)
ANALYTICS = "Mesure d'audience"                      # the demo manifest's category needing consent


def cookie(name, category, match=None, **extra):
    entry = dict({"name": name, "provider": "Outil de mesure", "category": category, "lifetime": "13 mois",
                  "maxAgeDays": 395, "purpose": "Mesure d'audience"}, **extra)
    if match:
        entry["match"] = match
    return entry


def manifest(category):
    """The demo manifest with an exempt "audience" category; the tool's cookies in `category`, and its
    opt-out records (Matomo's cookie, the DSFR package's key) strictly necessary: they keep a refusal."""
    data = exempt_manifest()
    data["cookies"] = [c for c in data["cookies"] if c["name"] != "_pk_id"]
    data["cookies"] += [cookie("_pk_id", category, MATOMO_COOKIES), cookie("_pcid", category, PIANO_COOKIES),
                        cookie("mtm_consent_removed", "necessary"), cookie("_EA_", "necessary", storage="local")]
    return data


MATOMO_TAG = """
<script type="text/plain" data-consent="%(category)s">
  var _paq = window._paq = window._paq || [];
  _paq.push(["setTrackerUrl", "/t/hit/matomo"]);
  _paq.push(["setSiteId", "1"]);
  _paq.push(["trackPageView"]);
  _paq.push(["enableHeartBeatTimer", 1]);
</script>
<script type="text/plain" data-consent="%(category)s" data-src="/matomo-style.js"></script>
"""
# Piano's SDK, then its configuration; on leaving the page, the mode the SDK was left in
PIANO_TAG = """
<script type="text/plain" data-consent="%(category)s" data-src="/v/piano-analytics.js"></script>
<script type="text/plain" data-consent="%(category)s">
  pa.setConfigurations({site: 1, collectDomain: location.origin + "/t/hit/piano"});
  pa.sendEvent("page.display", {page: "test"});
</script>
<script>
  addEventListener("pagehide", function () {
    if (window.pa) { sessionStorage.setItem("pianoModeAtExit", pa.consent.getMode()); }
  });
</script>
"""
DSFR_CONFIG = b'window.dsfr = {analytics: {domain: location.host + "/t/hit/eulerian"}};'
DSFR_HEAD = """
<script src="/v/dsfr-config.js"></script>
<script type="module" src="/v/dsfr.js"></script>
<script type="text/plain" data-consent="%(category)s" data-type="module" data-src="/v/dsfr-analytics.js"></script>
"""
DSFR_LIVE = DSFR_HEAD.replace('type="text/plain" data-consent="%(category)s" data-type="module" data-src=',
                              'type="module" src=')


@pytest.fixture
def vendor_site(site):
    site.route("/v/piano-analytics.js", "text/javascript", read(PIANO_SDK))
    site.route("/v/dsfr.js", "text/javascript", read(os.path.join(DSFR, "dsfr.module.min.js")))
    site.route("/v/dsfr-analytics.js", "text/javascript",
               read(os.path.join(DSFR, "analytics", "analytics.module.min.js")))
    site.route("/v/dsfr-config.js", "text/javascript", DSFR_CONFIG)
    del site.hits[:]
    return site


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def page(site, name, vendors, category, tag="", head=""):
    """A page whose tool `vendors` maps to `category`, holding `tag`; returns its URL."""
    site.json("/v/%s.json" % name, manifest(category))
    config = {"manifest": "/v/%s.json" % name, "languages": ["fr"], "vendors": {vendors: category}}
    return site.page("/v/%s.html" % name, config, probes=False, body=tag % {"category": category}, head=head)


def hits(site, path, since=0):
    return [h for h in site.hits if h["path"].startswith(path) and h["time"] >= since]


def matomo_log(browser):
    return browser.js("return JSON.parse(sessionStorage.getItem('matomoStyle') || '[]');")


def tool_cookies(browser, prefix):
    return sorted(n for n in browser.document_cookies() if n.startswith(prefix))


def withdraw(browser, switch_title):
    """Open the centre from the footer link, switch `switch_title` off, save: the page reloads."""
    browser.find("#manage").click()
    dialog = browser.wait_dialog()
    switch = browser.switches(dialog)[switch_title]
    assert switch.is_selected()
    switch.click()
    left = time.time()
    browser.navigating(lambda: browser.click_dialog("Enregistrer mes choix"))
    return left


def assert_silent_after(browser, site, path, since, cookie_prefix):
    """For two heart beats after `since`, the tool sends nothing and writes no cookie back."""
    time.sleep(2.5)
    assert hits(site, path, since + 0.2) == [], "the tool kept sending after the withdrawal"
    assert tool_cookies(browser, cookie_prefix) == []


# --- Matomo (a recording of its documented API), in Chromium, Firefox and WebKit ---------------------------

@pytest.mark.journey
def test_matomo_needing_consent_waits_for_it_and_a_withdrawal_stops_it_for_good(browser, vendor_site):
    site = vendor_site
    browser.open(page(site, "matomo-consent", "matomo", "analytics", MATOMO_TAG))
    browser.wait_banner()
    assert browser.js("return JSON.stringify(window._paq);") == '[["requireConsent"]]'   # before its tag
    assert matomo_log(browser) == [] and hits(site, "/t/hit/matomo") == []
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    browser.wait(lambda d: len(hits(site, "/t/hit/matomo")) >= 2, "no page view and heart beat")
    log = matomo_log(browser)
    assert log[:2] == ["requireConsent", "setConsentGiven"] and log.index("trackPageView") > 1
    assert tool_cookies(browser, "_pk_") == ["_pk_id.1.d3m0", "_pk_ses.1.d3m0"]

    left = withdraw(browser, ANALYTICS)
    assert matomo_log(browser)[-1] == "forgetConsentGiven"      # told before the reload
    assert "mtm_consent_removed" in browser.document_cookies()
    assert_silent_after(browser, site, "/t/hit/matomo", left, "_pk_")
    browser.reload()
    assert browser.banner() is None and browser.js("return window._paq.push === Array.prototype.push")
    assert_silent_after(browser, site, "/t/hit/matomo", time.time(), "_pk_")


def test_matomo_accepted_after_a_refusal_before_its_tag_loaded_measures_and_keeps_no_refusal(browser, vendor_site):
    """« Tout refuser », then « Tout accepter » in the centre: Matomo's tag loads only then and applies
    setConsentGiven before the rest of its queue, so a forgetConsentGiven left there would refuse again."""
    site = vendor_site
    browser.open(page(site, "matomo-change", "matomo", "analytics", MATOMO_TAG))
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    browser.find("#manage").click()
    browser.wait_dialog()
    browser.click_dialog("Tout accepter")
    browser.wait_no_dialog()
    browser.wait(lambda d: hits(site, "/t/hit/matomo"), "the accepted tool measured nothing")
    assert "forgetConsentGiven" not in matomo_log(browser)
    assert "mtm_consent_removed" not in browser.document_cookies()


def test_matomo_keeps_a_refusal_as_long_as_the_banner_keeps_the_choice_not_30_years(browser, vendor_site):
    browser.open(page(vendor_site, "matomo-refused", "matomo", "analytics", MATOMO_TAG))
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    # its tracker loads now (as when the portal loads it unblocked) and applies the queued refusal
    browser.js("var s = document.createElement('script'); s.src = '/matomo-style.js'; document.head.appendChild(s);")
    browser.wait(lambda d: browser.cookie("mtm_consent_removed"), "Matomo kept no refusal")
    kept_days = (browser.cookie("mtm_consent_removed")["expires"] - time.time()) / 86400
    assert 181 <= kept_days <= 182.01, kept_days


@pytest.mark.journey
def test_exempt_matomo_measures_before_any_choice_and_stops_when_opposed(browser, vendor_site):
    site = vendor_site
    browser.open(page(site, "matomo-exempt", "matomo", "audience", MATOMO_TAG))
    browser.wait_banner()
    browser.wait(lambda d: hits(site, "/t/hit/matomo"), "no page view before the choice")
    assert "requireConsent" not in matomo_log(browser)
    browser.click_banner("Tout refuser")                        # refuses what needs consent, not this
    browser.wait_no_banner()
    before = len(hits(site, "/t/hit/matomo"))
    browser.wait(lambda d: len(hits(site, "/t/hit/matomo")) > before, "« Tout refuser » stopped it")
    assert matomo_log(browser)[-1] == "forgetUserOptOut"

    left = withdraw(browser, AUDIENCE)
    assert matomo_log(browser)[-1] == "optUserOut"
    assert "mtm_consent_removed" in browser.document_cookies()
    assert_silent_after(browser, site, "/t/hit/matomo", left, "_pk_")


# --- Piano Analytics (its own SDK) ---------------------------------------------------------------------

def piano_events(site, since=0):
    return [e for h in hits(site, "/t/hit/piano", since) for e in json.loads(h["body"])["events"]]


def test_piano_starts_opted_out_then_follows_the_choice_in_its_consent_v2_modes(browser, vendor_site):
    site = vendor_site
    browser.open(page(site, "piano-consent", "piano", "analytics", PIANO_TAG))
    browser.wait_banner()
    assert browser.js("return [window.pdl.requireConsent, window.pdl.consent.defaultPreset.PA, typeof pa];") == \
        ["v2", "opt-out", "undefined"]                           # said before the SDK could load
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    browser.wait(lambda d: piano_events(site), "Piano sent nothing once accepted")
    assert browser.js("return pa.consent.getMode();") == "opt-in"
    assert [e["data"]["visitor_privacy_mode"] for e in piano_events(site)] == ["optin"]

    left = withdraw(browser, ANALYTICS)
    assert browser.js("return sessionStorage.getItem('pianoModeAtExit');") == "opt-out"   # told, then reloaded
    assert browser.js("return typeof pa;") == "undefined"
    time.sleep(1)
    assert piano_events(site, left + 0.2) == [] and tool_cookies(browser, "_pcid") == []


def test_exempt_piano_runs_in_its_essential_mode_until_opposed(browser, vendor_site):
    site = vendor_site
    browser.open(page(site, "piano-exempt", "piano", "audience", PIANO_TAG))
    browser.wait_banner()
    browser.wait(lambda d: piano_events(site), "exempt Piano sent nothing before the choice")
    assert browser.js("return pa.consent.getMode();") == "essential"
    assert [e["data"]["visitor_privacy_mode"] for e in piano_events(site)] == ["exempt"]
    left = withdraw(browser, AUDIENCE)
    assert browser.js("return sessionStorage.getItem('pianoModeAtExit');") == "opt-out"
    time.sleep(1)
    assert piano_events(site, left + 0.2) == []


# --- The DSFR analytics package (its own module, loaded on every page) ------------------------------------

def test_the_dsfr_analytics_package_loads_eulerian_until_opposed_then_never(browser, vendor_site):
    site = vendor_site
    url = page(site, "dsfr-exempt", "dsfrAnalytics", "audience", head=DSFR_HEAD % {"category": "audience"})
    browser.open(url)
    browser.wait_banner()
    browser.wait(lambda d: hits(site, "/t/hit/eulerian"), "the DSFR package did not load Eulerian")
    browser.wait(lambda d: browser.js("return typeof window._EA_disabled;") == "function", "Eulerian did not run")
    assert browser.js("return window._EA_disabled();") is None
    withdraw(browser, AUDIENCE)
    assert browser.js("return localStorage.getItem('_EA_');") == "1"
    seen = len(hits(site, "/t/hit/eulerian"))
    browser.reload()
    time.sleep(1)
    assert len(hits(site, "/t/hit/eulerian")) == seen, "the opted-out package loaded Eulerian again"
    # switched back on: the key goes, and the next page loads Eulerian again
    browser.find("#manage").click()
    dialog = browser.wait_dialog()
    browser.switches(dialog)[AUDIENCE].click()
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    assert browser.js("return localStorage.getItem('_EA_');") is None
    browser.reload()
    browser.wait(lambda d: len(hits(site, "/t/hit/eulerian")) > seen, "Eulerian did not come back")


def test_the_dsfr_analytics_package_never_loads_eulerian_for_a_browser_sending_global_privacy_control(
        browser, vendor_site):
    """Exempt measurement is off for a visitor whose browser sends GPC: the package, blocked, hears its
    opt-out before it runs, and never contacts Eulerian, from the first page on."""
    site = vendor_site
    url = page(site, "dsfr-gpc", "dsfrAnalytics", "audience", head=DSFR_HEAD % {"category": "audience"})
    with document_script(browser, GPC_ON):
        browser.open(url)
        browser.settled()
        browser.reload()
        browser.settled()
        time.sleep(1)
        assert browser.js("return localStorage.getItem('_EA_');") == "1"
    assert hits(site, "/t/hit/eulerian") == []


def test_the_dsfr_analytics_package_loaded_with_the_page_is_named_in_the_console(browser, vendor_site):
    """Loaded with the page, the package has loaded Eulerian before the banner could say no: the portal
    team is told to block it."""
    site = vendor_site
    browser.open(page(site, "dsfr-live", "dsfrAnalytics", "audience", head=DSFR_LIVE))
    browser.settled()
    errors = [e["message"] for e in browser.console() if e["level"] == "SEVERE" and "dsfrAnalytics" in e["message"]]
    assert len(errors) == 1 and "/v/dsfr-analytics.js runs with the page, not blocked" in errors[0]
    assert 'data-consent="audience"' in errors[0].replace('\\"', '"')


# --- Under the strict Content-Security-Policy README documents ------------------------------------------

@pytest.fixture
def csp_site(servers):
    """The three tools' pages on a server sending browser_kit.CSP, every script with its nonce."""
    routes, hits_seen = base_routes(), []
    for path, source in (("/v/piano-analytics.js", PIANO_SDK),
                         ("/v/dsfr.js", os.path.join(DSFR, "dsfr.module.min.js")),
                         ("/v/dsfr-analytics.js", os.path.join(DSFR, "analytics", "analytics.module.min.js"))):
        routes[path] = ("text/javascript", read(source))
    routes["/v/dsfr-config.js"] = ("text/javascript", DSFR_CONFIG)
    routes["/t/blank.html"] = ("text/html; charset=utf-8", b"<!doctype html><title>blank</title>")
    for name, tool, tag, head in (("matomo", "matomo", MATOMO_TAG, ""), ("piano", "piano", PIANO_TAG, ""),
                                  ("dsfr", "dsfrAnalytics", "", DSFR_HEAD % {"category": "analytics"})):
        add_json(routes, "/v/%s.json" % name, manifest("analytics"))
        html = render_page({"manifest": "/v/%s.json" % name, "vendors": {tool: "analytics"}}, probes=False,
                           body=tag % {"category": "analytics"}, head=head).decode("utf-8")
        routes["/v/%s.html" % name] = ("text/html; charset=utf-8",
                                       with_nonce(html).replace("<script>", '<script nonce="%s">' % NONCE)
                                       .replace('<script src="/v/', '<script nonce="%s" src="/v/' % NONCE)
                                       .replace('<script type="module"', '<script nonce="%s" type="module"' % NONCE)
                                       .encode("utf-8"))
    running = Served(routes, handler=hit_recording(csp_handler(["fr"], routes), hits_seen))
    running.hits = hits_seen
    yield running
    running.stop()


@pytest.mark.parametrize("name, hit", [("matomo", "/t/hit/matomo"), ("piano", "/t/hit/piano"),
                                       ("dsfr", "/t/hit/eulerian")])
def test_each_tool_follows_the_banner_under_the_strict_csp_without_a_violation(browser, csp_site, name, hit):
    script = browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_RECORDER})
    try:
        browser.driver.get(csp_site.url("127.0.0.1", "/t/blank.html"))
        browser.js("sessionStorage.clear(); localStorage.clear();")
        browser.open(csp_site.url("127.0.0.1", "/v/%s.html" % name))
        browser.wait_banner()
        browser.click_banner("Tout accepter")
        browser.wait_no_banner()
        browser.wait(lambda d: [h for h in csp_site.hits if h["path"].startswith(hit)], "no hit from " + name)
        assert browser.js("return JSON.parse(sessionStorage.getItem('__csp') || '[]');") == []
        assert [e for e in browser.console() if "Content Security Policy" in e["message"]] == []
    finally:
        browser.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument",
                                       {"identifier": script["identifier"]})
