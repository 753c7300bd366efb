"""Languages: one versus several (the language choice, the django_language cookie, the reload into the
chosen language, the multilingualOnly row of the cookie tables), and the built-in German, Spanish,
Italian, Dutch and Arabic strings (besides French and English, which are in the start-up bundle): each
other language comes in its own bundle, consent-lang-XX.js, fetched only when data-config lists it;
Arabic is laid out right to left. (That every built-in language defines every string is
tests/core/test_i18n.py.)"""

import time

import pytest

from browser_kit import DAY, resources, single_text_manifest, strings

LANGUAGE_NAMES = ("Français", "English")


def table_names(browser, dialog):
    return browser.js("""return Array.from(arguments[0].querySelectorAll("table tbody tr")).map(
        function (tr) { return tr.cells[1].textContent.trim(); });""", dialog)


def language_buttons(browser, container):
    return [name for name in browser.buttons(container) if name in LANGUAGE_NAMES]


@pytest.mark.journey
def test_two_languages_offer_a_choice_that_reloads_in_english(browser, site):
    browser.open(site.url("/"))
    banner = browser.wait_banner()
    assert language_buttons(browser, banner) == ["Français", "English"]
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    assert language_buttons(browser, dialog) == ["Français", "English"]
    assert "django_language" in table_names(browser, dialog)
    browser.click_dialog("Fermer")
    browser.wait_no_dialog()

    before = time.time()
    browser.navigating(lambda: browser.click_banner("English"))
    cookie = browser.cookie("django_language")
    assert cookie is not None and cookie["value"] == "en"
    assert cookie["path"] == "/"
    assert abs(cookie["expires"] - before - 365 * DAY) < 600, "django_language does not last 12 months"
    assert browser.cookie("cookies_preferences") is None, "choosing a language recorded a consent"

    assert browser.js("return document.documentElement.lang;") == "en"      # the portal served English
    banner = browser.wait_banner()
    names = browser.buttons(banner)
    for label in ("Accept all", "Reject all", "Customise", "Continue without accepting"):
        assert label in names, "%r missing from the English banner (%r)" % (label, sorted(names))
    assert "Tout accepter" not in names
    browser.click_banner("Customise")
    dialog = browser.wait_dialog()
    title = browser.find("#" + dialog.get_attribute("aria-labelledby"))
    assert title.text == "Cookie preferences"
    names = browser.buttons(dialog)
    for label in ("Accept all", "Reject all", "Save my choices"):
        assert label in names
    assert "Audience measurement" in dialog.text            # manifest texts follow the language
    browser.click_dialog("Save my choices")
    browser.wait_no_banner()
    assert browser.console_errors() == []


@pytest.mark.journey
def test_the_language_choice_in_the_centre_works_too(browser, site):
    browser.open(site.url("/pages/cookies/"))
    browser.click_banner("Personnaliser")
    browser.navigating(lambda: browser.click_dialog("English"))
    assert browser.cookie("django_language")["value"] == "en"
    assert browser.js("return document.documentElement.lang;") == "en"
    assert "Accept all" in browser.buttons(browser.wait_banner())


@pytest.mark.journey
def test_one_language_offers_no_choice_and_never_writes_django_language(browser, mono):
    browser.open(mono.url("/"))
    banner = browser.wait_banner()
    assert language_buttons(browser, banner) == []
    assert "Langue" not in banner.text
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    assert language_buttons(browser, dialog) == []
    names = table_names(browser, dialog)
    assert names == ["sessionid", "csrftoken", "cookies_preferences", "demo_analytics"]
    assert "django_language" not in dialog.text
    browser.click_dialog("Tout accepter")
    browser.wait_no_banner()
    browser.wait(lambda d: browser.cookie("demo_analytics_visits") is not None)
    browser.reload()
    browser.find("footer [data-consent-open]").click()
    browser.wait_dialog()
    assert browser.cookie("django_language") is None
    assert set(browser.all_cookies()) == {"cookies_preferences", "demo_analytics", "demo_analytics_visits"}


STATIC = {"manifest": "/t/cookies.json", "languages": ["fr", "en"]}      # no server reads a language cookie


@pytest.mark.journey
def test_on_a_static_page_the_banner_switches_its_own_language_at_once(browser, site):
    """A static page is the same whatever cookie the banner writes: the choice used to write django_language
    and reload into the very same French page. The banner now speaks the chosen language at once."""
    browser.open(site.page("/t/static-languages.html", STATIC, probes=False))
    browser.js("window.__same = true;")
    browser.click_banner("English")
    banner = browser.wait(lambda d: browser.banner() if "Accept all" in browser.buttons(browser.banner()) else None,
                          "the banner did not switch to English")
    assert banner.get_attribute("lang") == "en"
    assert browser.js("return window.__same === true && document.documentElement.lang;") == "fr"   # no reload
    assert browser.js("return document.activeElement.textContent;") == "English"
    assert browser.button(banner, "English").get_attribute("aria-current") == "true"
    assert "Reject all" in browser.buttons(banner) and "Tout refuser" not in browser.buttons(banner)
    browser.click_banner("Customise")
    dialog = browser.wait_dialog()
    assert browser.find("#cb-prefs-title").text == "Cookie preferences"
    assert "Audience measurement" in dialog.text                # the manifest's texts follow too
    browser.switches(dialog)["Audience measurement"].click()    # a choice not saved yet
    browser.button(dialog, "Français").click()
    browser.wait_js("return document.getElementById('cb-prefs-title').textContent === "
                    "'Centre de gestion des cookies';", "the open centre did not switch back to French")
    dialog = browser.wait_dialog()
    assert dialog.get_attribute("lang") == "fr" and browser.switches(dialog)["Mesure d'audience"].is_selected()
    assert browser.js("return document.activeElement.textContent;") == "Français"
    assert browser.cookie("django_language") is None, "a static page's language choice wrote django_language"
    assert browser.cookie("cookies_preferences") is None, "choosing a language recorded a consent"
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_banner()
    assert browser.js("return window.__same === true;")


@pytest.mark.journey
def test_language_urls_take_the_visitor_to_the_language_s_own_page(browser, site):
    config = dict(STATIC, languageUrls={"en": "/t/static-en.html", "fr": "/t/static-fr.html"})
    site.page("/t/static-en.html", dict(config, language="en"), lang="en", title="Portal", probes=False)
    browser.open(site.page("/t/static-fr.html", config, probes=False))
    browser.navigating(lambda: browser.click_banner("English"))
    assert browser.driver.current_url.endswith("/t/static-en.html")
    assert "Accept all" in browser.buttons(browser.wait_banner())
    assert browser.cookie("django_language") is None


OTHERS = ("de", "es", "it", "nl", "ar")


@pytest.mark.parametrize("code", OTHERS)
def test_a_configured_language_shows_its_built_in_strings_from_its_own_bundle_only(browser, site, code):
    site.json("/t/plain.json", single_text_manifest())
    url = site.page("/t/lang-%s.html" % code, {"manifest": "/t/plain.json", "languages": [code], "language": code},
                    lang=code, probes=False)
    text = strings(code)
    browser.open(url)
    banner = browser.wait_banner()
    assert browser.find("#cb-banner-title").text == text["banner_title"]
    assert set(browser.buttons(banner)) >= {text["accept_all"], text["reject_all"], text["customise"]}
    direction = "rtl" if code == "ar" else "ltr"
    assert (banner.get_attribute("lang"), banner.get_attribute("dir")) == (code, direction)
    loaded = [p.rsplit("/", 1)[-1] for p in resources(browser) if "/consent-lang-" in p]
    assert loaded == ["consent-lang-%s.js" % code]
    browser.click_banner(text["customise"])
    dialog = browser.wait_dialog()
    assert (dialog.get_attribute("lang"), dialog.get_attribute("dir")) == (code, direction)
    assert browser.find("#cb-prefs-title").text == text["prefs_title"]
    assert set(browser.buttons(dialog)) >= {text["accept_all"], text["reject_all"], text["save"], text["close"]}
    if code == "ar":
        # Right to left for real: the centre's first action button sits to the right of the last one.
        assert browser.js("""var b = document.querySelectorAll("#cb-prefs .cb-prefs__foot button");
            return b[0].getBoundingClientRect().left > b[b.length - 1].getBoundingClientRect().left;""")
