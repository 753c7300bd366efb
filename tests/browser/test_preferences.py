"""The preferences centre: its dialog semantics, switches and tables, keyboard use, the footer link on every
demo page at any time, and the clean-up of a withdrawn category."""

import pytest
from selenium.webdriver.common.keys import Keys

from browser_kit import decode_consent, demo_manifest

CONSENT = "cookies_preferences"
TITLE = "Centre de gestion des cookies"
COLUMNS = ["Nom du prestataire", "Nom du cookie", "Durée de vie", "Fonction"]
NECESSARY = "Cookies strictement nécessaires"
ANALYTICS = "Mesure d'audience"
DEMO_PAGES = ["/", "/explore/dataset/frequentation-parkings/", "/pages/cookies/"]


def stored_categories(browser):
    """The optional categories of the stored choice, decoded by the product's CPython module."""
    cookie = browser.cookie(CONSENT)
    assert cookie is not None, "no choice was recorded"
    consent = decode_consent(cookie["value"])
    assert consent is not None, "the stored value does not decode: %r" % cookie["value"]
    return ":".join(consent.accepted)


def tables(browser, dialog):
    """caption -> (column headers, cookie names in the second column) for every table in the centre."""
    return {t["caption"]: (t["head"], t["names"]) for t in browser.js("""
        return Array.from(arguments[0].querySelectorAll("table")).map(function (t) {
          return {caption: t.caption ? t.caption.textContent.trim() : "",
                  head: Array.from(t.querySelectorAll("thead th")).map(function (th) { return th.textContent.trim(); }),
                  names: Array.from(t.querySelectorAll("tbody tr")).map(function (tr) {
                    return tr.cells[1].textContent.trim(); })};
        });""", dialog)}


def table_for(found, category_title):
    matching = [v for k, v in found.items() if category_title in k]
    assert len(matching) == 1, "no single table for %r in %r" % (category_title, list(found))
    return matching[0]


def assert_is_preferences_centre(browser, dialog, title=TITLE):
    assert dialog.get_attribute("role") == "dialog"
    assert dialog.get_attribute("aria-modal") == "true"
    assert browser.js("return arguments[0].matches(':modal');", dialog), "the centre is not modal"
    heading = browser.find("#" + dialog.get_attribute("aria-labelledby"))
    assert heading.is_displayed() and heading.text.strip() == title
    assert browser.js("return arguments[0].contains(arguments[1]);", dialog, heading)


@pytest.mark.journey
def test_customise_opens_a_modal_centre_with_switches_and_tables(browser, site):
    browser.open(site.url("/"))
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    assert_is_preferences_centre(browser, dialog)

    found = browser.switches(dialog)
    assert set(found) == {NECESSARY, ANALYTICS}
    assert found[NECESSARY].is_selected() and not found[NECESSARY].is_enabled(), "the required switch is not locked on"
    assert not found[ANALYTICS].is_selected(), "an optional category is on before the user acted"
    assert found[ANALYTICS].is_enabled()

    by_caption = tables(browser, dialog)
    head, names = table_for(by_caption, NECESSARY)
    assert head == COLUMNS
    assert names == ["sessionid", "csrftoken", CONSENT, "django_language"]
    head, names = table_for(by_caption, ANALYTICS)
    assert head == COLUMNS
    assert names == ["demo_analytics"]
    buttons = browser.buttons(dialog)
    for label in ("Tout accepter", "Tout refuser", "Enregistrer mes choix"):
        assert label in buttons
    assert browser.cookie(CONSENT) is None, "opening the centre recorded a choice"


@pytest.mark.journey
def test_space_toggles_a_switch_and_save_records_exactly_that(browser, site):
    browser.open(site.url("/"))
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    box = browser.switches(dialog)[ANALYTICS]
    box.send_keys(Keys.SPACE)
    assert box.is_selected(), "Space did not switch the category on"
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    browser.wait_no_banner()
    assert stored_categories(browser) == "analytics"
    browser.wait(lambda d: browser.find("#analytics-status").text.startswith("active"))


@pytest.mark.journey
def test_saving_untouched_switches_refuses_optional_categories(browser, site):
    browser.open(site.url("/"))
    browser.click_banner("Personnaliser")
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    browser.wait_no_banner()
    assert stored_categories(browser) == ""
    assert browser.js("return window.demoAnalytics || null;") is None


@pytest.fixture
def two_optional_page(site):
    manifest = demo_manifest()
    manifest["categories"].append({"id": "video", "title": "Vidéos", "description": "Lecteurs vidéo intégrés."})
    return site.page("/t/two-optional.html", {"manifest": manifest, "languages": ["fr"]})


@pytest.mark.journey
def test_saving_two_optional_categories_keeps_each_choice(browser, site, two_optional_page):
    """With two optional categories, switching only the second one on stores only that one."""
    browser.open(two_optional_page)
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    found = browser.switches(dialog)
    switches_off = [name for name, box in found.items() if not box.is_selected()]
    assert sorted(switches_off) == ["Mesure d'audience", "Vidéos"]
    found["Vidéos"].send_keys(Keys.SPACE)
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_banner()
    assert stored_categories(browser) == "video"
    assert browser.js("return window.consentBanner.accepted('video');") is True
    assert browser.js("return window.consentBanner.accepted('analytics');") is False


@pytest.mark.journey
def test_escape_closes_without_saving_and_returns_focus(browser, site):
    browser.open(site.url("/"))
    opener = browser.button(browser.wait_banner(), "Personnaliser")
    opener.click()
    dialog = browser.wait_dialog()
    browser.switches(dialog)[ANALYTICS].send_keys(Keys.SPACE)       # a change that must not be kept
    browser.active_element().send_keys(Keys.ESCAPE)
    browser.wait_no_dialog()
    assert browser.cookie(CONSENT) is None, "Escape saved the choice"
    assert browser.banner() is not None and browser.banner().is_displayed(), "the banner went away on Escape"
    assert browser.active_element() == opener, "focus did not return to the Personnaliser button"
    assert browser.js("return window.demoAnalytics || null;") is None
    opener.click()                                                    # reopened: the unsaved change is gone
    assert not browser.switches(browser.wait_dialog())[ANALYTICS].is_selected()


@pytest.mark.journey
@pytest.mark.parametrize("path", DEMO_PAGES)
def test_footer_link_opens_the_centre_before_and_after_a_choice(browser, site, path):
    browser.open(site.url(path))
    link = browser.find("footer [data-consent-open]")
    assert link.text == "Gestion des cookies"
    browser.scroll_to_end()                # as a visitor does to reach the footer while the banner shows
    link.click()                           # (fails if the banner still covers the link)
    dialog = browser.wait_dialog()
    assert_is_preferences_centre(browser, dialog)
    assert not browser.switches(dialog)[ANALYTICS].is_selected()
    browser.active_element().send_keys(Keys.ESCAPE)
    browser.wait_no_dialog()
    assert browser.active_element() == link, "focus did not return to the footer link"

    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    link.click()
    dialog = browser.wait_dialog()
    assert browser.switches(dialog)[ANALYTICS].is_selected(), "the centre does not show the current choice"
    browser.click_dialog("Fermer")
    browser.wait_no_dialog()

    browser.reload()                       # and on a later page view
    browser.find("footer [data-consent-open]").click()
    assert browser.switches(browser.wait_dialog())[ANALYTICS].is_selected()
    assert browser.driver.current_url == site.url(path), "the footer link navigated away"


def test_the_centre_opened_in_the_same_moment_as_a_decision_shows_that_decision(browser, site):
    """A decision's consequences follow the click's frame: a centre asked for before then must still
    open, and show the decision, not the state before it."""
    browser.open(site.url("/"))
    browser.wait_banner()
    browser.settled()
    browser.js("""document.querySelector('#cb-banner [data-cb-action="accept_all"]').click();
                  document.querySelector('footer [data-consent-open]').click();""")
    dialog = browser.wait_dialog()
    assert browser.switches(dialog)[ANALYTICS].is_selected(), "the centre shows the state before the decision"
    browser.settled()
    assert browser.dialog() is not None, "applying the decision closed the centre opened after it"


@pytest.mark.journey
def test_footer_link_of_another_page_shows_the_choice_made_elsewhere(browser, site):
    browser.open(site.url("/"))
    browser.click_banner("Personnaliser")
    box = browser.switches(browser.wait_dialog())[ANALYTICS]
    box.click()
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    browser.open(site.url("/pages/cookies/"))
    assert browser.banner() is None
    browser.find("main [data-consent-open]").click()                  # the policy page's own button
    assert browser.switches(browser.wait_dialog())[ANALYTICS].is_selected()


@pytest.mark.journey
def test_withdrawal_clears_the_category_cookies_now_and_on_later_visits(browser, site):
    browser.set_cookie("sessionid", "s3ss10n")                         # necessary: must survive
    browser.set_cookie("portal_theme", "dark")                         # not in the manifest: left alone
    browser.open(site.url("/"))
    browser.click_banner("Tout accepter")
    browser.wait(lambda d: browser.cookie("demo_analytics_visits") is not None)
    browser.set_cookie("demo_analytics_extra", "1")                    # named by the manifest's `match`
    assert browser.cookie("demo_analytics") is not None

    browser.find("footer [data-consent-open]").click()
    browser.switches(browser.wait_dialog())[ANALYTICS].click()
    browser.navigating(lambda: browser.click_dialog("Enregistrer mes choix"))

    for name in ("demo_analytics", "demo_analytics_visits", "demo_analytics_extra"):
        assert browser.cookie(name) is None, "%s survived the withdrawal" % name
    assert browser.cookie("sessionid") is not None and browser.cookie("portal_theme") is not None
    assert stored_categories(browser) == ""
    assert browser.banner() is None
    assert browser.find("#analytics-status").text == "inactive"

    # A later page load while refused removes a cookie that came back meanwhile.
    browser.js("document.cookie = 'demo_analytics=back; Path=/; Max-Age=3600';")
    assert browser.cookie("demo_analytics") is not None
    browser.reload()
    assert browser.cookie("demo_analytics") is None, "a refused category's cookie survived a page load"
    assert browser.find("#analytics-status").text == "inactive"


@pytest.mark.journey
def test_keyboard_focus_on_the_footer_link_is_not_hidden_by_the_banner(browser, site):
    """WCAG 2.4.11: a keyboard user tabbing to "Gestion des cookies" on a page that fits the screen
    must see it above the fixed banner, and Enter opens the centre."""
    browser.open(site.url("/explore/dataset/frequentation-parkings/"))
    browser.wait_banner()
    link = None
    for _ in range(40):
        browser.active_element().send_keys(Keys.TAB)
        if browser.active_element().get_attribute("data-consent-open") is not None:
            link = browser.active_element()
            break
    assert link is not None and link.text == "Gestion des cookies", "Tab never reached the footer link"
    assert browser.js("""
        var r = arguments[0].getBoundingClientRect();
        var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.bottom <= innerHeight && !!hit && arguments[0].contains(hit);""", link), \
        "the focused footer link is hidden behind the banner"
    link.send_keys(Keys.ENTER)
    assert_is_preferences_centre(browser, browser.wait_dialog())


@pytest.mark.journey
@pytest.mark.parametrize("label, expected", [("Tout accepter", "analytics"), ("Tout refuser", "")])
def test_the_centre_buttons_accept_or_refuse_everything(browser, site, label, expected):
    browser.open(site.url("/"))
    browser.click_banner("Personnaliser")
    browser.click_dialog(label)
    browser.wait_no_dialog()
    browser.wait_no_banner()
    assert stored_categories(browser) == expected


@pytest.mark.journey
def test_a_footer_click_made_while_the_banner_loads_is_not_lost(browser, site):
    """The page clicks "Gestion des cookies" as soon as the DOM is ready (the loader has run, the Brython
    runtime is still downloading): the centre opens once the banner has started, and the link's own
    navigation (href="#") does not happen."""
    url = site.page("/t/early-click.html", {"manifest": "/t/cookies.json"}, probes=False, body="""
        <p id="early"></p>
        <script>document.addEventListener("DOMContentLoaded", function () {
          var boot = window.__consentBoot;
          document.getElementById("early").textContent = boot && !boot.ready ? "clicked early" : "too late";
          document.getElementById("manage").click();
        });</script>""")
    browser.open(url)
    assert browser.find("#early").text == "clicked early"
    assert_is_preferences_centre(browser, browser.wait_dialog())
    assert browser.driver.current_url == url, "the held click still followed the link"


def test_a_footer_link_inside_a_shadow_root_clicked_while_the_banner_loads_is_not_lost(browser, site):
    """A web component's "Gestion des cookies" link, in its open shadow root, clicked before Python runs
    (the click's target, seen from the document, is the component): the link is found along the click's
    path and held, the centre opens once the banner has started, and the link does not navigate."""
    url = site.page("/t/early-shadow-click.html", {"manifest": "/t/cookies.json"}, probes=False, body="""
        <p id="early"></p><div id="host"></div>
        <script>document.addEventListener("DOMContentLoaded", function () {
          var root = document.getElementById("host").attachShadow({mode: "open"});
          var link = document.createElement("a");
          link.href = "#elsewhere";
          link.setAttribute("data-consent-open", "");
          link.textContent = "Gestion des cookies";
          root.appendChild(link);
          var boot = window.__consentBoot;
          document.getElementById("early").textContent = boot && !boot.ready ? "clicked early" : "too late";
          link.click();
        });</script>""")
    browser.open(url)
    assert browser.find("#early").text == "clicked early"
    assert_is_preferences_centre(browser, browser.wait_dialog())
    assert browser.driver.current_url == url, "the held click still followed the link"


# Words (runs without spaces) of the tables' text that a line break cuts in two.
BROKEN_WORDS = """
var out = [];
arguments[0].querySelectorAll("table").forEach(function (table) {
  var walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT), node, word, pattern = /\\S+/g;
  while ((node = walker.nextNode())) {
    while ((word = pattern.exec(node.data))) {
      var range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      var lines = new Set(Array.from(range.getClientRects()).filter(function (r) { return r.width > 0; })
                               .map(function (r) { return Math.round(r.top); }));
      if (lines.size > 1) { out.push(word[0]); }
    }
  }
});
return out;"""
LINES = """
var range = document.createRange(); range.selectNodeContents(arguments[0]);
return new Set(Array.from(range.getClientRects()).filter(function (r) { return r.width > 0; })
                    .map(function (r) { return Math.round(r.top); })).size;"""


@pytest.fixture
def sized(browser):
    yield browser
    browser.viewport(None)


@pytest.mark.journey
@pytest.mark.parametrize("width", [1280, 320])
def test_cookie_names_never_break_mid_word_and_the_table_fits(sized, site, width):
    """Cookie names broke mid-word ("session/id") in every engine, and WebKit put "Nom du cookie" on three
    lines: the name column could shrink below its longest name."""
    browser = sized
    width = browser.viewport(width)
    browser.open(site.url("/"))
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    assert browser.js(BROKEN_WORDS, dialog) == [], "words of the cookie tables break across lines"
    fits = "var b = arguments[0].querySelector('.cb-prefs__body'); return b.scrollWidth <= b.clientWidth;"
    assert browser.js(fits, dialog), "the centre scrolls sideways at %dpx" % width
    if width == 1280:
        for header in dialog.find_elements("css selector", "thead th:nth-child(2)"):
            assert header.get_attribute("textContent") == "Nom du cookie"
            assert browser.js(LINES, header) == 1, "the header of the cookie names wraps"
    else:
        assert browser.js("var d = document.documentElement; return d.scrollWidth <= d.clientWidth;"), \
            "the page scrolls sideways at %dpx" % width
