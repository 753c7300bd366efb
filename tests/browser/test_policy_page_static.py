"""No JavaScript, still the information. The demo serves /pages/cookies/ with the
policy written as static HTML by `python -m banner policy` (banner.server.static_policy): every category and
cookie of the manifest and the browsers' help pages read with scripts disabled; with scripts, the banner
only adds the button that opens the centre, nothing twice."""

import os
import subprocess
import sys

from browser_kit import strings
from test_policy_page import READ_POLICY, assert_policy, expected_rows

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def no_script(browser, disabled):
    browser.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": disabled})


def read(browser):
    return browser.js(READ_POLICY, browser.find("[data-consent-policy]"))


def test_without_javascript_the_policy_page_lists_every_cookie(browser, site, tmp_path):
    no_script(browser, True)
    try:
        browser.open(site.url("/pages/cookies/"), ready=False)
        assert browser.find_all("script[src*=consent]"), "not the page with the banner"
        markup = browser.js("return document.querySelector('[data-consent-policy]').outerHTML;")
        browser.js("return 1;")           # WebDriver's own scripts still run: the page's do not
        policy = read(browser)
        assert browser.js("return !!window.__consentBoot;") is False, "the loader ran"
    finally:
        no_script(browser, False)
    assert policy["rows"] == expected_rows("fr")
    assert policy["buttons"] == []                              # nothing that needs a script
    assert strings("fr")["browser_only_text"] in policy["text"]
    assert [name for name, _ in policy["links"]] == [
        strings("fr")["policy_of"].replace("{provider}", "Demo Dashboards"), "Edge", "Safari", "Chrome", "Firefox"]
    # The demo serves exactly what the CLI writes.
    done = subprocess.run([sys.executable, "-m", "banner", "policy", os.path.join(ROOT, "demo", "site", "config.json"),
                           "--manifest", os.path.join(ROOT, "demo", "site", "cookies.json"), "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(tmp_path / "cookie-policy.fr.html", encoding="utf-8") as handle:
        written = handle.read().strip()
    assert browser_normalised(browser, written) == markup


def browser_normalised(browser, html):
    """The fragment as the browser serialises it after parsing (attribute quoting, empty attributes)."""
    return browser.js("var t = document.createElement('template'); t.innerHTML = arguments[0];"
                      "return t.content.firstElementChild.outerHTML;", html)


def test_with_javascript_the_script_only_adds_the_button_that_opens_the_centre(browser, site):
    browser.open(site.url("/pages/cookies/"))
    policy = read(browser)
    assert_policy(policy, "fr")                       # the same page as the script alone would build
    assert len(browser.find_all("[data-consent-policy] [data-cb-cat]")) == 2
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    browser.button(browser.find("[data-consent-policy]"), strings("fr")["policy_open"]).click()
    browser.wait_dialog()
