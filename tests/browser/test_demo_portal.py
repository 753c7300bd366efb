"""The demo portal: every page has the reopen button (demo/site/config.json), the home page links
the embed page and the Google example, and the Google example runs on its own manifest. (The embed, policy
and Google pages themselves are exercised in test_embeds.py, test_policy_page.py and test_google_consent_mode.py.)"""

from browser_kit import consent_value
from browser_kit import resources


def test_the_demo_home_links_every_example_and_has_the_reopen_button(browser, site):
    browser.set_cookie("cookies_preferences", consent_value([]))
    browser.open(site.url("/"))
    links = browser.js("return Array.from(document.querySelectorAll('main a'), a => a.getAttribute('href'))")
    assert "/explore/dataset/frequentation-parkings/" in links and "/google/" in links
    assert "/pages/cookies/" in browser.js(
        "return Array.from(document.querySelectorAll('nav a'), a => a.getAttribute('href'))")
    reopen = browser.find_all(".cb-reopen")
    assert len(reopen) == 1 and browser.name(reopen[0]) == "Gestion des cookies"
    reopen[0].click()
    browser.wait_dialog()


def test_the_google_example_uses_the_second_manifest(browser, site):
    browser.open(site.url("/google/"))
    assert "/cookies-google.json" in resources(browser)
    assert "/cookies.json" not in resources(browser)
    assert "Mesure d'audience (Google Analytics), Publicité (Google Ads)" in browser.wait_banner().text
