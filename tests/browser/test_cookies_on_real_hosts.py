"""Cookies in the real browser, on real host names. A private Chromium resolves *.portal.test to
127.0.0.1 and accepts the test's self-signed certificate (browser_kit.Portal), so these tests see what a
portal in production sees: `Secure` on https, `SameSite=Lax`, `Path=/`, `Domain` only with `cookieDomain`,
one choice shared by www.portal.test and data.portal.test when it is set, and the clean-up of a tracker's
cookies on the host and on the parent domain, and of its localStorage keys, after a refusal and on every
later page load."""

import time

import pytest

from browser_kit import decode_consent, demo_manifest
from browser_kit import (CONSENT, DATA, PORTAL_DOMAIN, WWW, Portal, add_json, assert_nothing_optional,
                          optional_ran)

MAX_AGE = 15724800


@pytest.fixture(scope="module")
def portal(servers, request, tmp_path_factory):
    running = Portal(str(tmp_path_factory.mktemp("tls")))
    yield running
    running.stop()


@pytest.fixture
def pb(portal):
    """The portal's browser, reset (cookies, localStorage) before each test."""
    portal.browser.reset()
    return portal.browser


def config(**extra):
    return dict({"manifest": "/t/cookies.json", "languages": ["fr"]}, **extra)


def stored(browser):
    cookies = [c for c in browser.driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]
               if c["name"] == CONSENT]
    assert len(cookies) == 1, "expected one %s cookie, got %r" % (CONSENT, cookies)
    return cookies[0]


def stored_anything(browser):
    """(cookie names, [localStorage, sessionStorage] sizes, IndexedDB database names) of this origin."""
    names = {c["name"] for c in browser.driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]}
    sizes = browser.js("return [localStorage.length, sessionStorage.length];")
    databases = browser.driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "indexedDB.databases().then(function (d) { done(d.map(function (x) { return x.name; })); });")
    return names, sizes, databases


# --- attributes --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("https, cookie_domain", [(False, None), (True, None), (True, PORTAL_DOMAIN)],
                         ids=["http-host-only", "https-host-only", "https-cookie-domain"])
def test_the_consent_cookie_attributes(pb, portal, https, cookie_domain):
    extra = {"cookieDomain": cookie_domain} if cookie_domain else {}
    page = portal.page("/t/attributes-%s.html" % (cookie_domain or "host"), config(**extra))
    pb.open(portal.url(page, https=https))
    assert pb.js("return location.protocol;") == ("https:" if https else "http:")
    assert stored_anything(pb) == (set(), [0, 0], []), "something was stored before a choice"
    before = time.time()
    pb.click_banner("Tout accepter")
    pb.wait_no_banner()
    assert stored_anything(pb) == ({CONSENT}, [0, 0], []), "the banner stored more than the choice"

    cookie = stored(pb)
    assert cookie["secure"] is https, "Secure must be set exactly when the page is https"
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["httpOnly"]
    if cookie_domain:
        assert cookie["domain"] == "." + PORTAL_DOMAIN, "cookieDomain was not applied"
    else:
        assert cookie["domain"] == WWW, "a Domain attribute was written without cookieDomain"
    assert abs(cookie["expires"] - (before + MAX_AGE)) < 60
    assert decode_consent(cookie["value"]).accepted == ("analytics",)

    # host-only stays on its host; a Domain cookie is seen by the sibling host too
    pb.open(portal.url(page, host=DATA, https=https))
    if cookie_domain:
        assert pb.banner() is None and optional_ran(pb) == ["analytics"]
    else:
        assert pb.wait_banner().is_displayed()
        assert_nothing_optional(pb)


def test_cookie_domain_shares_one_choice_across_subdomains_both_ways(pb, portal):
    page = portal.page("/t/shared.html", config(cookieDomain=PORTAL_DOMAIN))
    pb.open(portal.url(page, host=WWW))
    pb.click_banner("Tout accepter")
    pb.wait_no_banner()

    pb.open(portal.url(page, host=DATA))
    assert pb.banner() is None, "the choice made on www was not seen on data"
    assert optional_ran(pb) == ["analytics"]
    assert pb.js("return document.cookie;").count(CONSENT + "=") == 1
    pb.find("#manage").click()
    pb.wait_dialog()
    pb.navigating(lambda: pb.click_dialog("Tout refuser"))     # analytics ran here: withdrawal reloads
    assert decode_consent(stored(pb)["value"]).accepted == ()

    pb.open(portal.url(page, host=WWW))
    assert pb.banner() is None, "the choice made on data was not seen on www"
    assert pb.js("return window.consentBanner.accepted('analytics');") is False
    assert_nothing_optional(pb)
    assert stored(pb)["domain"] == "." + PORTAL_DOMAIN


def test_a_decision_is_not_lost_behind_a_tampered_value_on_the_parent_domain(pb, portal):
    """A broken cookies_preferences on Domain=portal.test (another app of the portal, or a hand edit) is
    sent before the host's own one: the host's newer, valid decision must still be the one read."""
    page = portal.page("/t/parent-tampered.html", config())
    pb.set_cookie(CONSENT, "2.1.garbage", url=portal.url("/"), domain="." + PORTAL_DOMAIN)
    assert stored(pb)["domain"] == "." + PORTAL_DOMAIN
    pb.open(portal.url(page))
    pb.click_banner("Tout accepter")
    pb.wait_no_banner()
    pb.reload()
    assert pb.banner() is None, "the decision was lost: the tampered parent-domain value won"
    assert optional_ran(pb) == ["analytics"]


# --- clean-up on withdrawal --------------------------------------------------------------------------------
TRACKER = """
  document.cookie = "demo_analytics=parent; Domain=%(domain)s; Path=/";
  document.cookie = "demo_analytics_host=host; Path=/";
  document.cookie = "demo_analytics_www=www; Domain=%(www)s; Path=/";
  localStorage.setItem("demo_analytics_store", "1");
  localStorage.setItem("demo_analytics_store_visits", "7");
""" % {"domain": PORTAL_DOMAIN, "www": WWW}
TRACKED_COOKIES = {"demo_analytics", "demo_analytics_host", "demo_analytics_www"}
TRACKED_KEYS = {"demo_analytics_store", "demo_analytics_store_visits"}
# the portal's own data, which the clean-up must leave alone
OWN = """
  document.cookie = "sessionid=s; Domain=%(domain)s; Path=/";
  document.cookie = "portal_theme=dark; Path=/";
  localStorage.setItem("portal_theme", "dark");
""" % {"domain": PORTAL_DOMAIN}


def cleanup_manifest():
    manifest = demo_manifest()
    manifest["cookies"].append({"provider": "Démo", "name": "demo_analytics_store", "storage": "local",
                                "match": "^demo_analytics_store(_.*)?$", "category": "analytics",
                                "lifetime": "13 mois", "purpose": "Compte les visites."})
    return manifest


def present(browser):
    cookies = {(c["name"], c["domain"]) for c in browser.driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]}
    keys = set(browser.js("return Object.keys(localStorage);"))
    return cookies, keys


def assert_tracker_gone(browser, when):
    cookies, keys = present(browser)
    left = sorted(c for c in cookies if c[0] in TRACKED_COOKIES)
    assert not left, "%s: tracked cookies survived: %r" % (when, left)
    assert not keys & TRACKED_KEYS, "%s: tracked localStorage keys survived: %r" % (when, keys & TRACKED_KEYS)
    own = {("sessionid", "." + PORTAL_DOMAIN), ("portal_theme", WWW)}
    assert own <= cookies, "%s: the portal's own cookies went" % when
    assert "portal_theme" in keys, "%s: the portal's own localStorage key went" % when


def test_refusal_clears_tracked_cookies_on_host_and_parent_domain_and_local_storage_on_every_load(pb, portal):
    add_json(portal.routes, "/t/cleanup.json", cleanup_manifest())
    page = portal.page("/t/cleanup.html", config(manifest="/t/cleanup.json"))
    pb.open(portal.url(page))
    pb.click_banner("Tout accepter")
    pb.wait_no_banner()
    pb.js(OWN + TRACKER)                                       # the accepted tracker writes its data
    cookies, keys = present(pb)
    assert {("demo_analytics", "." + PORTAL_DOMAIN), ("demo_analytics_host", WWW),
            ("demo_analytics_www", "." + WWW)} <= cookies, cookies
    assert TRACKED_KEYS <= keys

    pb.find("#manage").click()
    pb.wait_dialog()
    pb.navigating(lambda: pb.click_dialog("Tout refuser"))     # the tracker ran on this page: reload
    assert_tracker_gone(pb, "after the refusal")

    for load in (1, 2):                                        # it comes back (say, set before we start)...
        pb.js(TRACKER)
        assert {c[0] for c in present(pb)[0]} >= TRACKED_COOKIES
        pb.reload()                                            # ...and every page load clears it again
        assert pb.banner() is None
        assert_tracker_gone(pb, "on page load %d while refused" % load)

    pb.open(portal.url(page, host=DATA))                       # the sibling host never sees the parent one
    assert ("demo_analytics", "." + PORTAL_DOMAIN) not in present(pb)[0]
