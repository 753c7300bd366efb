"""axe-core (node_modules/axe-core, injected by Selenium) with the WCAG 2.0/2.1/2.2 A and AA rules reports
no violation on every state of the banner, in French and English, in the light and dark colour schemes:
the first layer, the open centre (with a switch off and one on), the generated cookie policy and an embed
placeholder. axe runs on the whole demo page, not only on the banner's nodes (RGAA 3.2, 3.3, 7.1, 8.7,
11.1, 11.9 and the rest of the automatable criteria)."""

import pytest
from selenium.webdriver.common.keys import Keys

from a11y_kit import axe, emulate, media, open_centre, press  # noqa: F401  (media is a fixture)

POLICY = "/pages/cookies/"
DATASET = "/explore/dataset/frequentation-parkings/"


def assert_clean(browser, where):
    found = axe(browser)
    assert found == [], "axe-core: %d violation(s) on %s:\n%s" % (len(found), where, "\n".join(found))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_wcag_violation(media, site, lang, scheme):
    browser = media
    emulate(browser, dark=scheme == "dark")
    every_state_is_clean(browser, site, lang, scheme)


@pytest.mark.parametrize("engine", ["firefox"], indirect=True)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_wcag_violation_in_firefox(browser, site, lang):
    """The same states in Firefox (light scheme: BiDi cannot emulate the colour scheme)."""
    every_state_is_clean(browser, site, lang, "light")


def every_state_is_clean(browser, site, lang, scheme):
    if lang == "en":
        browser.set_cookie("django_language", "en")           # the portal serves English, so does the banner
    where = "%s, %s scheme" % (lang, scheme)

    browser.open(site.url("/"))
    banner = browser.wait_banner()
    assert banner.get_attribute("lang") == lang
    assert browser.js("return matchMedia('(prefers-color-scheme: %s)').matches;" % scheme)
    # the demo portal has its own dark mode and "theme": "auto": the banner follows the page
    assert browser.js("return document.documentElement.getAttribute('data-cb-scheme');") == scheme
    assert_clean(browser, "the first layer (%s)" % where)

    dialog = open_centre(browser)
    assert_clean(browser, "the centre (%s)" % where)
    browser.find("#cb-switch-analytics").send_keys(Keys.SPACE)   # the "on" look of a switch, too
    assert browser.find("#cb-switch-analytics").is_selected()
    assert_clean(browser, "the centre with a switch on (%s)" % where)
    press(browser, Keys.ESCAPE)
    browser.wait_no_dialog()
    assert dialog is not None

    browser.open(site.url(POLICY))
    browser.wait(lambda d: browser.find_all("[data-consent-policy] table"), "the policy tables were not generated")
    assert_clean(browser, "the cookie policy page with the banner (%s)" % where)

    browser.open(site.url(DATASET))
    browser.wait(lambda d: browser.find_all(".cb-embed"), "no embed placeholder")
    assert_clean(browser, "the embed placeholder with the banner (%s)" % where)

    # Without the banner (a choice was made): the reopen button, the placeholder and the policy alone.
    press(browser, Keys.TAB)
    assert browser.js("return document.getElementById('cb-banner').contains(document.activeElement);")
    browser.js("document.querySelector('#cb-banner [data-cb-action=reject_all]').focus();")
    press(browser, Keys.ENTER)
    browser.wait_no_banner()
    browser.wait(lambda d: browser.find("button.cb-reopen").is_displayed(), "the reopen button is not shown")
    assert_clean(browser, "the placeholder and the reopen button, no banner (%s)" % where)
