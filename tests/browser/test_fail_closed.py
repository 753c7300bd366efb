"""Fail closed: a broken integration (bad data-config, missing or invalid manifest, unsafe URL, wrong types,
duplicate ids, no required category, a `match` JavaScript cannot compile, a text missing for a configured
language, input that makes Python raise something no validator expected) reports one console error
naming the problem, runs nothing optional even for a visitor who had accepted, leaves the page's own
scripts working, the footer link explains instead of doing nothing, and each blocked embed's box says
why it stays empty. (Files of the banner that fail to load: test_loader.py.)"""

import json
import os
import threading
import time

import pytest
from selenium.webdriver.common.keys import Keys

from browser_kit import (HIT_PREFIX, ROOT, assert_nothing_optional, assert_page_still_works, consent_value,
                         demo_manifest, resources, strings)

DIST = os.path.join(ROOT, "static", "dist")
INVALID_MANIFEST = demo_manifest()
INVALID_MANIFEST["cookies"].append({"provider": "Régie", "name": "ads_id", "category": "marketing",
                                    "lifetime": "13 mois", "purpose": "Publicité ciblée."})

# name -> (data-config (dict, or raw text), routes to add, words the console error and the explanation name)
BROKEN = {
    "invalid-json": ('{"manifest": "/t/cookies.json", "languages": ["fr"', {}, ["data-config", "JSON"]),
    "missing-manifest": ({"manifest": "/t/missing.json"}, {}, ["/t/missing.json", "404"]),
    "manifest-not-json": ({"manifest": "/t/not-json.json"},
                          {"/t/not-json.json": ("application/json", b"{revision: 1,}")}, ["manifest", "JSON"]),
    "invalid-manifest": ({"manifest": "/t/invalid.json"}, {"/t/invalid.json": INVALID_MANIFEST},
                         ["cookies[5].category", "marketing"]),
    "invalid-inline-manifest": ({"manifest": demo_manifest(revision=0)}, {}, ["revision"]),
    "unsafe-policy-url": ({"manifest": "/t/cookies.json", "policyUrl": "javascript:alert(1)"}, {},
                          ["policyUrl", "javascript:alert(1)"]),
    "unsafe-manifest-url": ({"manifest": "javascript:alert(1)"}, {}, ["manifest", "javascript:alert(1)"]),
    "no-manifest": ({"languages": ["fr"]}, {}, ["manifest"]),
    "bad-languages": ({"manifest": "/t/cookies.json", "languages": "fr"}, {}, ["languages"]),
}


# How the one console error begins: what is at fault first, named once.
BEGINS = {
    "invalid-json": "consent-banner: data-config: is not valid JSON (",
    "missing-manifest": "consent-banner: manifest: cannot load /t/missing.json (HTTP 404)",
    "manifest-not-json": "consent-banner: manifest: /t/not-json.json is not valid JSON (",
}


# The cases run in every engine; the others in Chromium (they differ in what Python validates, not in
# what the browser does).
JOURNEYS = ("invalid-json", "invalid-manifest", "unsafe-policy-url")


@pytest.mark.parametrize("case", [c for c in BROKEN if c not in JOURNEYS])
def test_a_broken_integration_fails_closed_and_explains(browser, site, case):
    fails_closed_and_explains(browser, site, case)


@pytest.mark.journey
@pytest.mark.parametrize("case", JOURNEYS)
def test_a_broken_integration_fails_closed_and_explains_in_every_engine(browser, site, case):
    fails_closed_and_explains(browser, site, case)


def fails_closed_and_explains(browser, site, case):
    config, routes, words = BROKEN[case]
    for path, body in routes.items():
        if isinstance(body, dict):
            site.json(path, body)
        else:
            site.route(path, *body)
    url = site.page("/t/broken-%s.html" % case, config)
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))   # accepted earlier
    browser.open(url)

    errors = browser.banner_errors()
    assert len(errors) == 1, "expected one console error, got %r" % errors
    for word in words:
        assert word in errors[0], "the console error does not name %r: %s" % (word, errors[0])
    if case in BEGINS:
        assert BEGINS[case] in errors[0], "the console error does not begin as expected: %s" % errors[0]
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    assert "analytics" not in (browser.events()[-1] or [])
    assert browser.banner() is None
    assert_nothing_optional(browser)
    assert_page_still_works(browser)

    link = browser.find("#manage")
    link.click()
    dialog = browser.wait_dialog()
    assert dialog.get_attribute("role") == "dialog" and dialog.get_attribute("aria-modal") == "true"
    title = browser.find("#" + dialog.get_attribute("aria-labelledby"))
    assert title.is_displayed() and title.text.strip()
    for word in words:
        assert word in dialog.text, "the explanation does not name %r: %s" % (word, dialog.text)
    # the console's English reason is set apart and marked as English in the visitor's French dialog
    reason = browser.js("var d = arguments[0], code = d.querySelector('[lang=en]');"
                        "return [d.getAttribute('lang'), code && code.textContent];", dialog)
    assert reason[0] == "fr" and reason[1] and all(word in reason[1] for word in words), reason
    browser.active_element().send_keys(Keys.ESCAPE)
    browser.wait_no_dialog()
    browser.js("window.consentBanner.showPreferences();")          # the API explains too
    browser.wait_dialog()
    assert len(browser.banner_errors()) == 1, "opening the explanation logged more errors"


def test_unknown_config_keys_are_reported_but_not_fatal(browser, site):
    url = site.page("/t/unknown-key.html", {"manifest": "/t/cookies.json", "colour": "blue"})
    browser.open(url)
    warnings = [e["message"] for e in browser.console() if e["level"] == "WARNING"
                and "consent-banner:" in e["message"]]
    assert len(warnings) == 1 and "colour" in warnings[0], warnings
    assert browser.banner_errors() == []
    browser.click_banner("Tout accepter")
    browser.wait_js("return (window.__optional || []).length === 1;", "the banner did not work")


# -- wrong types, duplicates and the rest ---------------------------------------------------------------------
def manifest_with(edit):
    manifest = demo_manifest()
    edit(manifest)
    return manifest


def _set(path, value):
    """An edit setting manifest[path...] = value (path: keys and indexes)."""
    def edit(manifest):
        node = manifest
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


DUPLICATE_CATEGORY = manifest_with(lambda m: m["categories"].append(
    {"id": "analytics", "title": "Encore", "description": "Doublon."}))
DUPLICATE_COOKIE = manifest_with(lambda m: m["cookies"].append(dict(m["cookies"][0], provider="Autre")))
NO_REQUIRED = manifest_with(_set(["categories", 0, "required"], False))
# Valid for Python's re (the CLI), not for JavaScript's RegExp: only the page's own check catches it.
BAD_REGEX = manifest_with(_set(["cookies", 4, "match"], "^demo_(?P<kind>analytics)"))
# The banner's own consent cookie in the optional category, by name or by a match: a refusal would delete it.
CONSENT_COOKIE_OPTIONAL = manifest_with(_set(["cookies", 2, "category"], "analytics"))
CONSENT_COOKIE_MATCHED = manifest_with(lambda m: (m["cookies"].pop(2), m["cookies"][3].update(
    match="^(demo_analytics|cookies_).*$")))
NESTED_REPETITION = manifest_with(_set(["cookies", 4, "match"], "^(a+)+$"))
ONE_LANGUAGE_ONLY = manifest_with(_set(["categories", 1, "title"], {"fr": "Mesure d'audience"}))
COOKIES_NOT_A_LIST = manifest_with(_set(["cookies"], {"sessionid": "necessary"}))
# "\ud800" without its pair (JSON text, as the file is served: the character itself cannot be encoded).
LONE_SURROGATE = json.dumps(manifest_with(_set(["categories", 1, "title", "fr"], "Mesure \ud800"))).encode("ascii")

# name -> (data-config (manifest "/t/m.json" is served from `manifest`), manifest, words the console error
# and the explanation must name)
URL = "/t/m.json"
CASES = {
    # data-config: wrong types
    "config-language-number": ({"manifest": URL, "languages": ["fr", "en"], "language": 3}, None, ["language"]),
    "config-respect-gpc-string": ({"manifest": URL, "respectGPC": "yes"}, None, ["respectGPC"]),
    "config-cookie-domain-number": ({"manifest": URL, "cookieDomain": 42}, None, ["cookieDomain"]),
    # a cookieDomain the browser would refuse on this host: no choice could ever be stored
    "config-cookie-domain-elsewhere": ({"manifest": URL, "cookieDomain": "example.org"}, None,
                                       ["cookieDomain", "example.org", "127.0.0.1"]),
    "config-cookie-domain-not-ascii": ({"manifest": URL, "cookieDomain": "bücher.example"}, None,
                                       ["cookieDomain", "punycode"]),
    "config-not-an-object": ('["/t/m.json"]', None, ["data-config", "JSON object"]),
    # data-config: policyUrl values a browser would run as javascript:
    "policy-url-mixed-case": ({"manifest": URL, "policyUrl": "JaVaScRiPt:alert(1)"}, None,
                              ["policyUrl", "JaVaScRiPt:alert(1)"]),
    "policy-url-leading-spaces": ({"manifest": URL, "policyUrl": "   javascript:alert(1)"}, None, ["policyUrl"]),
    "policy-url-embedded-tab": ({"manifest": URL, "policyUrl": "java\tscript:alert(1)"}, None, ["policyUrl"]),
    # the manifest
    "duplicate-category-id": ({"manifest": URL}, DUPLICATE_CATEGORY, ["categories[2].id", "duplicate", "analytics"]),
    "duplicate-cookie-name": ({"manifest": URL}, DUPLICATE_COOKIE, ["cookies[5].name", "duplicate", "sessionid"]),
    "no-required-category": ({"manifest": URL}, NO_REQUIRED, ["categories", "required"]),
    "match-not-javascript": ({"manifest": URL}, BAD_REGEX, ["cookies[4].match", "(?P<kind>"]),
    "consent-cookie-optional": ({"manifest": URL}, CONSENT_COOKIE_OPTIONAL,
                                ["cookies[2].category", "cookies_preferences", "consent cookie"]),
    "consent-cookie-matched": ({"manifest": URL}, CONSENT_COOKIE_MATCHED,
                               ["cookies[3].match", "^(demo_analytics|cookies_).*$", "consent cookie"]),
    "match-nested-repetition": ({"manifest": URL}, NESTED_REPETITION,
                                ["cookies[4].match", "nested repetition can take exponential time", "(a+)+"]),
    "text-missing-a-language": ({"manifest": URL, "languages": ["fr", "en"]}, ONE_LANGUAGE_ONLY,
                                ["categories[1].title", "'en'"]),
    "cookies-wrong-type": ({"manifest": URL}, COOKIES_NOT_A_LIST, ["cookies", "list"]),
    "text-lone-surrogate": ({"manifest": URL}, LONE_SURROGATE, ["categories[1].title.fr", "lone surrogate"]),
    "config-lone-surrogate": (json.dumps({"manifest": URL, "policyUrl": "/cookies/\udfff"}), None,
                              ["policyUrl", "lone surrogate"]),
}


# In HTML a lone surrogate can only be escaped in the JSON ("\\udfff", above); a portal's own script can
# write one as such into data-config. The page checks the JSON text natively before skipping its walk over
# every string: it must see this form too.
RAW_SURROGATE = ('<script>document.currentScript.previousElementSibling.setAttribute("data-config", '
                 '\'{"manifest": "/t/cookies.json", "policyUrl": "/cookies/\\udfff"}\');</script>')


def assert_fails_closed_and_explains(browser, words):
    errors = [e.replace("\\u003C", "<") for e in browser.banner_errors()]   # the log escapes "<"
    assert len(errors) == 1, "expected one console error, got %r" % errors
    for word in words:
        assert word in errors[0], "the console error does not name %r: %s" % (word, errors[0])
    assert not [m for m in browser.console_errors() if "Traceback" in m], "an exception escaped"
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    assert browser.events() and "analytics" not in (browser.events()[-1] or [])
    assert browser.banner() is None
    assert_nothing_optional(browser)
    assert_page_still_works(browser)

    browser.find("#manage").click()
    dialog = browser.wait_dialog()
    for word in words:
        assert word in dialog.text, "the explanation does not name %r: %s" % (word, dialog.text)
    browser.active_element().send_keys(Keys.ESCAPE)
    browser.wait_no_dialog()
    assert len(browser.banner_errors()) == 1, "opening the explanation logged more errors"


@pytest.mark.parametrize("case", list(CASES))
def test_bad_config_or_manifest_fails_closed_with_one_error_naming_the_field(browser, site, case):
    config, manifest, words = CASES[case]
    if isinstance(manifest, bytes):
        site.route("/t/m-%s.json" % case, "application/json", manifest)
        config = dict(config, manifest="/t/m-%s.json" % case)
    elif manifest is not None:
        site.json("/t/m-%s.json" % case, manifest)
        config = dict(config, manifest="/t/m-%s.json" % case)
    url = site.page("/t/bad-%s.html" % case, config)
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))   # accepted earlier
    browser.open(url)
    assert_fails_closed_and_explains(browser, words)


def test_a_match_with_nested_repetition_fails_closed_on_the_page_it_froze(browser, site):
    # the audit's page: "^(a+)+$" and a cookie of 30 letters and "!" blocked the main thread for 12.5 s while
    # the refused category's cookies were cleared; refused as it is read, the pattern never runs
    site.json("/t/m-nested-long.json", NESTED_REPETITION)
    url = site.page("/t/bad-nested-long.html", {"manifest": "/t/m-nested-long.json"})
    browser.set_cookie("a" * 30 + "!", "1")
    browser.open(url)
    assert_fails_closed_and_explains(browser, ["cookies[4].match", "nested repetition"])


def test_a_lone_surrogate_a_script_wrote_into_data_config_fails_closed_too(browser, site):
    url = site.page("/t/raw-surrogate.html", {"manifest": "/t/cookies.json"}, head=RAW_SURROGATE)
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))
    browser.open(url)
    assert browser.js("return /[\\ud800-\\udfff]/u.test(document.querySelector('script[data-config]')"
                      ".getAttribute('data-config'));"), "the page did not hold the character itself"
    assert_fails_closed_and_explains(browser, ["policyUrl", "lone surrogate"])


# --- Input that makes Python raise something no validator expected ----------------------------------------
# A JSON key named like a JavaScript Object method breaks Brython's conversion of the parsed object
# (a JavascriptError, not a ManifestError); a page whose document.cookie throws (as in a sandboxed frame)
# breaks the first cookie read. Start-up must still fail closed, explain, and let the page work.
HOSTILE_KEYS = json.dumps(demo_manifest())[:-1] + ', "hasOwnProperty": 1, "constructor": 2}'
COOKIE_THROWS = ('<script>Object.defineProperty(document, "cookie", {get: function () {'
                 ' throw new DOMException("cookies are disabled", "SecurityError"); }, set: function () {}});</script>')

UNEXPECTED = {
    "hostile-keys-fetched-manifest": ("/t/hostile.json", ""),
    "hostile-keys-inline-manifest": ("inline", ""),
    "document-cookie-throws": ("/t/cookies.json", COOKIE_THROWS),
}


@pytest.mark.parametrize("case", list(UNEXPECTED))
def test_an_unexpected_exception_during_start_up_fails_closed_and_explains(browser, site, case):
    manifest, head = UNEXPECTED[case]
    site.route("/t/hostile.json", "application/json", HOSTILE_KEYS.encode("utf-8"))
    raw = '{"manifest": %s, "languages": ["fr"]}' % (HOSTILE_KEYS if manifest == "inline" else json.dumps(manifest))
    url = site.page("/t/unexpected-%s.html" % case, raw, head=head)
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))
    browser.open(url)
    assert_fails_closed_and_explains(browser, ["start-up failed"])


# --- A server that never answers -------------------------------------------------------------------------
def late(release, content):
    """A route body that answers `content` only once `release` is set (or after a minute)."""
    def body(handler):
        release.wait(60)
        return content
    return body


VEIL = "var v = document.querySelector('.cb-opening'); return !!(v && v.getClientRects().length);"


def test_a_manifest_that_never_comes_fails_closed_and_the_veil_gives_the_page_back(browser, site):
    """The loader waits 10 s for the manifest's answer to start. Meanwhile the footer link's veil, which
    covers the page, is dismissed with Escape and then no centre opens by itself; after the wait, one
    error names the manifest, nothing optional runs and the footer link explains."""
    release = threading.Event()
    site.route("/t/never.json", "application/json", late(release, json.dumps(demo_manifest()).encode("utf-8")))
    url = site.page("/t/never.html", {"manifest": "/t/never.json"})
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))   # accepted earlier
    try:
        browser.open(url, ready=False)
        browser.wait_js("return document.readyState === 'complete';")
        browser.find("#manage").click()
        assert browser.js(VEIL), "nothing showed that the centre is opening"
        browser.active_element().send_keys(Keys.ESCAPE)
        assert not browser.js(VEIL), "Escape did not take the veil away"
        assert_page_still_works(browser)                    # the page's own button is clickable again
        browser.find("#manage").click()
        browser.wait_js(VEIL, "the footer link no longer shows the veil")
        browser.js("document.querySelector('.cb-opening').click();")
        assert not browser.js(VEIL), "a click on the veil did not take it away"
        browser.wait(lambda d: browser.banner_errors(), "no error after the manifest's silence", timeout=20)
        browser.wait_ready()
    finally:
        release.set()
    errors = browser.banner_errors()
    assert len(errors) == 1 and "manifest: cannot load /t/never.json (no answer after 10 s)" in errors[0], errors
    assert browser.js("return !!document.querySelector('dialog[open]');") is False, \
        "the centre opened although the visitor had dismissed the veil"
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    assert_nothing_optional(browser)
    browser.find("#manage").click()
    dialog = browser.wait_dialog()
    assert "/t/never.json" in dialog.text


def test_a_veil_dismissed_while_the_centre_downloads_opens_no_centre_when_it_arrives(browser, site):
    """Python shows the veil too while the centre's code downloads: a visitor who takes the page back
    meanwhile does not get the centre thrown at them when the code arrives."""
    release = threading.Event()
    for name in ("consent.js", "brython.js", "consent.brython.js", "consent-extra.js"):
        with open(os.path.join(DIST, name), "rb") as handle:       # its own address: never from the cache
            body = handle.read()
        site.route("/t/late/" + name, "text/javascript", body if name != "consent-extra.js" else late(release, body))
    try:
        # no embed on the page: start-up does not wait for the centre's bundle
        browser.open(site.page("/t/late-centre.html", {"manifest": "/t/cookies.json"}, loader="/t/late/consent.js",
                               probes=False))
        browser.wait_banner()
        browser.find("#manage").click()
        browser.wait_js(VEIL, "nothing showed that the centre is opening")
        browser.active_element().send_keys(Keys.ESCAPE)
        assert not browser.js(VEIL), "Escape did not take the veil away"
        release.set()
        browser.wait_js("return !!window.__BRYTHON__.precompiled['banner.ui.preferences'];",
                        "the centre's code never arrived")
        browser.settled()
        time.sleep(0.5)                                      # a few frames: the centre would be open by now
        assert browser.dialog() is None, "the centre opened although the visitor had dismissed the veil"
        browser.find("#manage").click()                      # asked again, it opens
        browser.wait_dialog()
    finally:
        release.set()


def test_a_choice_the_browser_refuses_to_store_is_reported_after_the_click(browser, site):
    """"0.0.1" passes for a parent of the host 127.0.0.1 by its name, but a browser sets no Domain cookie on
    an IP address: the click's decision holds on the page, and the console says it could not be stored."""
    url = site.page("/t/domain-refused.html", {"manifest": "/t/cookies.json", "cookieDomain": "0.0.1"})
    browser.open(url)
    browser.button(browser.wait_banner(), "Tout refuser").click()
    browser.wait_no_banner()
    browser.settled()
    assert browser.cookie("cookies_preferences") is None
    errors = browser.banner_errors()
    assert len(errors) == 1 and "the choice could not be stored" in errors[0] and "cookies_preferences" in errors[0], \
        errors
    assert_page_still_works(browser)


# --- Embeds: their boxes say why they stay empty ----------------------------------------------------------
# An embed of another host (the second demo server, which records what reaches it under HIT_PREFIX), in
# an iframe sized by the portal, and another in a closed block (<template data-consent>, the Django app's).
EMBED_PATH = HIT_PREFIX + "embed"
EMBEDS = """
<iframe id="map" title="Carte" data-consent="analytics" data-provider="Demo Dashboards" width="400" height="200"
        data-src="%(host)s%(path)s"></iframe>
<template data-consent="analytics"><iframe title="Vidéo" data-consent="analytics" data-provider="Vidéos Démo"
        data-src="%(host)s%(path)s-in-block"></iframe></template>
"""
LATE_EMBED = """
var frame = document.createElement("iframe");
frame.id = "late"; frame.title = "Tableau"; frame.setAttribute("data-consent", "analytics");
frame.setAttribute("data-provider", "Demo Dashboards"); frame.setAttribute("data-src", arguments[0]);
document.getElementById("main").appendChild(frame);"""
# What the visitor sees where an embed would be: the box in front of it (its placeholder), and the embed.
READ_BOX = """
var target = document.querySelector(arguments[0]), frame = target.matches("iframe") ? target
  : target.content.querySelector("iframe");
var box = target.previousElementSibling;
return {src: frame.getAttribute("src"), shown: target.getClientRects().length > 0,
        text: box && box.textContent, role: box && box.getAttribute("role"), lang: box && box.getAttribute("lang"),
        label: box && box.getAttribute("aria-label"), buttons: box ? box.querySelectorAll("button").length : -1,
        visible: !!box && box.getClientRects().length > 0, look: box && box.className,
        width: box && Math.round(box.getBoundingClientRect().width),
        height: box && Math.round(box.getBoundingClientRect().height)};"""

# name -> (data-config, page language, the placeholder's class); each fails at another step: data-config
# unreadable (before Python knows the look), the manifest missing, an exception nothing expected.
FAILED_WITH_EMBEDS = {
    "invalid-json": ('{"manifest": "/t/cookies.json", "languages": ["fr", "en"', "en", "cb-embed"),
    "missing-manifest": ({"manifest": "/t/missing.json", "languages": ["fr", "en"]}, "fr", "cb-embed"),
    "missing-manifest-dsfr": ({"manifest": "/t/missing.json", "look": "dsfr"}, "fr", "fr-consent-placeholder"),
    "start-up-exception": ('{"manifest": "/t/cookies.json"}', "fr", "cb-embed"),
}
EMBED_JOURNEYS = ("invalid-json", "missing-manifest")


@pytest.mark.journey
@pytest.mark.parametrize("case", EMBED_JOURNEYS)
def test_a_failed_start_says_in_each_embeds_box_why_it_stays_empty_in_every_engine(browser, site, servers, case):
    failed_start_explains_embeds(browser, site, servers, case)


@pytest.mark.parametrize("case", [c for c in FAILED_WITH_EMBEDS if c not in EMBED_JOURNEYS])
def test_a_failed_start_says_in_each_embeds_box_why_it_stays_empty(browser, site, servers, case):
    failed_start_explains_embeds(browser, site, servers, case)


def failed_start_explains_embeds(browser, site, servers, case):
    """Each blocked embed's box shows, in the visitor's language and in the portal's look, that the content
    cannot be shown because the cookie settings could not load, with no button (nothing can be accepted);
    nothing of the embed loads, not even for a visitor who had accepted its category. An embed the page
    adds afterwards gets the same box."""
    config, lang, look = FAILED_WITH_EMBEDS[case]
    third_party = servers.mono
    path = "%s-%s" % (EMBED_PATH, case)
    url = site.page("/t/failed-embeds-%s.html" % case, config, lang=lang,
                    body=EMBEDS % {"host": third_party.base, "path": path},
                    head=COOKIE_THROWS if case == "start-up-exception" else "")
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))   # accepted earlier
    browser.open(url)
    browser.settled()
    browser.expected_errors("/t/missing.json")               # the browser's own line for the 404
    assert len(browser.banner_errors()) == 1
    explanation = strings(lang)["placeholder_failed"]

    for target, provider, label in (("#map", "Demo Dashboards", "Carte"),
                                    ("template[data-consent]", "Vidéos Démo", "Vidéo")):
        box = browser.js(READ_BOX, target)
        assert box["text"] and explanation.replace("{provider}", provider) in box["text"], (target, box)
        assert box["visible"] and box["role"] == "group" and box["label"] == label and box["lang"] == lang, box
        assert box["buttons"] == 0, "a failed start offered a button on an embed: %r" % box
        assert look in box["look"].split(), box
        assert box["src"] is None and not box["shown"], "the embed itself is shown or has its address: %r" % box
    box = browser.js(READ_BOX, "#map")
    assert box["width"] == 400 and box["height"] >= 200, "the box does not keep the embed's size: %r" % box

    browser.js(LATE_EMBED, third_party.url(path + "-late"))
    late = explanation.replace("{provider}", "Demo Dashboards")
    browser.wait(lambda d: late in (browser.js(READ_BOX, "#late")["text"] or ""),
                 "an embed added after the failure got no explanation")
    browser.settled()
    assert browser.js(READ_BOX, "#late")["buttons"] == 0
    reached = [hit["path"] for hit in third_party.hits if hit["path"].startswith(path)]
    assert reached == [], "a request reached the embed's host: %r" % reached
    assert not [p for p in resources(browser) if p.startswith(path)]
    assert_nothing_optional(browser)
    assert_page_still_works(browser)
    assert len(browser.banner_errors()) == 1, "explaining the embeds logged more errors"
