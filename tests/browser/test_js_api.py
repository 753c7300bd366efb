"""The page API as an ES module (`consent-banner/api`, static/src/api.mjs): a portal's bundled code reads the
visitor's choice, follows its changes and opens the centre through it, in every engine; on a page without
the banner it answers "nothing accepted" and says why once, instead of throwing."""

import os

import pytest

from browser_kit import ROOT, two_category_manifest

pytestmark = pytest.mark.journey                # every test in Chromium, Firefox and WebKit

CONFIG = {"manifest": "/t/api-cookies.json", "languages": ["fr"]}
PORTAL_CODE = """
<script type="module">
  import {accepted, onChange, showPreferences, version} from "/t/api.mjs";
  window.__seen = [];
  window.__stop = onChange((ids) => { window.__seen.push(ids); });
  window.__api = {accepted, showPreferences, version};
  window.__moduleRan = true;
</script>
<button type="button" id="portal-prefs" onclick="__api.showPreferences()">Mes cookies</button>
"""


@pytest.fixture
def api_site(site):
    with open(os.path.join(ROOT, "static", "src", "api.mjs"), "rb") as handle:
        site.route("/t/api.mjs", "text/javascript", handle.read())
    site.json("/t/api-cookies.json", two_category_manifest())          # analytics, then video
    return site


def test_bundled_code_follows_the_choice_through_the_module(browser, api_site):
    browser.open(api_site.page("/t/api.html", CONFIG, body=PORTAL_CODE, probes=False))
    browser.wait_js("return window.__moduleRan === true && window.__seen.length >= 1", "start-up change")
    assert browser.js("return __api.accepted('analytics')") is False
    assert browser.js("return __api.version()") == browser.js("return consentBanner.version") != ""
    browser.click_banner("Tout accepter")
    browser.wait_js("return __seen.some(function (ids) { return ids.indexOf('analytics') >= 0; })", "the decision")
    assert browser.js("return __api.accepted('analytics')") is True
    # unsubscribed, the portal's listener hears nothing more; its own button opens the centre
    count = browser.js("__stop(); return __seen.length;")
    browser.find("#portal-prefs").click()
    browser.wait_dialog()
    browser.click_dialog("Tout refuser")
    browser.wait_no_dialog()
    assert browser.js("return __api.accepted('analytics')") is False
    assert browser.js("return __seen.length") == count


def test_without_the_banner_the_module_accepts_nothing_and_says_so_once(browser, api_site):
    page = "<!doctype html><html lang=fr><head><meta charset=utf-8><title>Sans bannière</title></head><body>%s</body></html>"
    api_site.route("/t/no-banner.html", "text/html; charset=utf-8", (page % PORTAL_CODE).encode("utf-8"))
    browser.open(api_site.url("/t/no-banner.html"), ready=False)
    browser.wait_js("return window.__moduleRan === true", "the portal's module")
    assert browser.js("return [__api.accepted('analytics'), __api.accepted('necessary'), __api.version()]") == [
        False, False, ""]
    browser.find("#portal-prefs").click()                   # nothing to open, nothing thrown
    warnings = [e["message"] for e in browser.console() if "no banner on this page" in e["message"]]
    assert len(warnings) == 1, browser.console()
