"""Withdrawal leaves nothing the banner can reach. Refusing a category accepted
before deletes its cookies on the other paths the manifest declares (invisible from the page where the
visitor withdraws) and on the deeper path of the page itself, and its sessionStorage keys; the visitor
is told what only the browser can delete (third-party cookies of embeds), with the Edge, Safari, Chrome
and Firefox help pages, in the centre and on the policy page."""

import copy

from browser_kit import consent_value, demo_manifest
from browser_kit import strings

PAGE = "/t/withdraw/page.html"


def withdrawal_manifest():
    manifest = demo_manifest()
    analytics = [c for c in manifest["cookies"] if c["name"] == "demo_analytics"][0]
    analytics["paths"] = ["/explore/"]
    session = copy.deepcopy(analytics)
    del session["match"], session["paths"]
    session.update(name="demo_analytics_visit", storage="session")
    manifest["cookies"].append(session)
    return manifest


def cookies_by_path(browser):
    """(name, path) of every cookie in the browser (one name may live on several paths)."""
    return sorted((c["name"], c["path"]) for c in
                  browser.driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"])


def test_withdrawal_clears_cookies_on_other_paths_and_session_storage(browser, site):
    manifest = withdrawal_manifest()
    site.json("/t/withdraw-cookies.json", manifest)
    url = site.page(PAGE, {"manifest": "/t/withdraw-cookies.json", "languages": ["fr", "en"]})
    browser.set_cookie("cookies_preferences", consent_value(["analytics"], manifest=manifest))
    for name, path in (("demo_analytics", "/explore/"),        # declared in the manifest: unseen from PAGE
                       ("demo_analytics_id", "/t/withdraw"),   # a script's default path: seen, not on "/"
                       ("sessionid", "/explore/")):            # strictly necessary: stays
        browser.set_cookie(name, "1", url=site.url(path), path=path)
    browser.open(url)
    assert browser.events()[-1] == ["necessary", "analytics"]
    browser.js("sessionStorage.setItem('demo_analytics_visit', '3'); sessionStorage.setItem('portal_tab', 'x');")
    before = cookies_by_path(browser)
    assert ("demo_analytics", "/explore/") in before and ("demo_analytics_id", "/t/withdraw") in before

    browser.find("#manage").click()
    browser.navigating(lambda: browser.click_dialog("Tout refuser"))   # the analytics script ran: reload
    after = cookies_by_path(browser)
    assert [c for c in after if c[0].startswith("demo_analytics")] == [], after
    assert ("sessionid", "/explore/") in after
    assert browser.js("return [sessionStorage.getItem('demo_analytics_visit'), sessionStorage.getItem('portal_tab')];") \
        == [None, "x"]


def read_help(browser, root):
    return browser.js("""var root = arguments[0];
        return {text: Array.from(root.querySelectorAll('.cb-browser-only'), function (p) { return p.textContent; }),
                links: Array.from(root.querySelectorAll('.cb-browsers a'), function (a) {
                  return [a.textContent.trim(), a.href]; })};""", root)


def test_the_centre_and_the_policy_page_say_what_only_the_browser_can_delete(browser, site):
    for language in ("fr", "en"):
        browser.reset()
        if language == "en":
            browser.set_cookie("django_language", "en")
        text = strings(language)
        links = [[name, text["help_" + name]] for name in ("Edge", "Safari", "Chrome", "Firefox")]
        browser.open(site.url("/pages/cookies/"))
        policy = read_help(browser, browser.find("[data-consent-policy]"))
        assert policy == {"text": [text["policy_browser_text"], text["browser_only_text"]], "links": links}
        browser.js("consentBanner.showPreferences();")
        centre = read_help(browser, browser.wait_dialog())
        assert centre == {"text": [text["browser_only_text"]], "links": links}
    assert strings("fr")["help_Safari"] == "https://support.apple.com/fr-fr/guide/safari/sfri11471/mac"
