"""The preferences centre of a category that offers a choice per provider (`"providerChoice": true`), in
Chromium, Firefox ESR and WebKitGTK: a named switch per provider (the default look) or an « Accepter /
Refuser » pair per provider in « Voir plus de détails » (the DSFR look), kept coherent with the category's
own control; the choice saved is the stored cookie's providers mask, and the centre reopens showing it;
the keyboard reaches and turns every provider's control."""

import copy

import pytest
from selenium.webdriver.common.keys import Keys

from a11y_kit import axe, press, tab_until
from browser_kit import decode_consent, demo_manifest
from test_dsfr_look import DSFR_HEAD, dsfr  # noqa: F401  (DSFR's stylesheet and JavaScript, served as a portal would)

CONSENT = "cookies_preferences"
PROVIDERS = [{"name": "YouTube", "policyUrl": "/pages/cookies/#youtube", "hosts": ["youtube-nocookie.com"]},
             {"name": "Vimeo", "hosts": ["player.vimeo.com"]},
             {"name": "Dailymotion", "policyUrl": "/pages/cookies/#dailymotion", "hosts": ["dailymotion.com"]}]
NAMES = [p["name"] for p in PROVIDERS]
VIDEO = {"id": "video", "title": {"fr": "Vidéos", "en": "Videos"},
         "description": {"fr": "Lecteurs vidéo intégrés.", "en": "Embedded video players."},
         "providers": PROVIDERS, "providerChoice": True}
CONFIG = {"manifest": "/t/provider-choice/cookies.json", "languages": ["fr", "en"], "policyUrl": "/pages/cookies/"}


def manifest():
    made = demo_manifest()
    made["categories"].append(copy.deepcopy(VIDEO))
    return made


@pytest.fixture
def pages(site):
    site.json("/t/provider-choice/cookies.json", manifest())
    return {"default": site.page("/t/provider-choice/default.html", CONFIG, probes=False)}


@pytest.fixture
def dsfr_page(dsfr):
    """A page in the DSFR look with DSFR's own stylesheet and JavaScript."""
    dsfr.json("/t/provider-choice/cookies.json", manifest())
    return dsfr.page("/t/provider-choice/dsfr.html", dict(CONFIG, look="dsfr"), probes=False, head=DSFR_HEAD)


def expected_mask(names):
    """The mask the product's own CPython code stores for `names` accepted among the video providers."""
    from banner.consent import provider_mask
    from banner.manifest import parse_manifest
    return provider_mask(parse_manifest(manifest(), ["fr", "en"]).category("video"), names)


def stored(browser):
    cookie = browser.cookie(CONSENT)
    assert cookie is not None, "no choice was recorded"
    consent = decode_consent(cookie["value"])
    assert consent is not None, "the stored value does not decode: %r" % cookie["value"]
    return consent


# -- the default look ------------------------------------------------------------------------------------
def saved_then_reopened(browser, accepted):
    """« Enregistrer mes choix »: the cookie holds video with only the `accepted` providers; then the page
    is loaded again and the centre opened from the footer link."""
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    consent = stored(browser)
    assert "video" in consent.accepted and consent.providers == {"video": expected_mask(accepted)}
    browser.reload()
    browser.find("#manage").click()


def provider_switches(browser):
    """The video providers' switches by their label, in page order."""
    found = browser.js("""
        return Array.from(document.querySelectorAll('#cb-prefs [data-cb-cat=video] input[type=checkbox]'))
          .filter(function (b) { return !b.hasAttribute('data-cb-category'); })
          .map(function (b) { return [b.labels.length ? b.labels[0].textContent.trim() : '', b]; });""")
    return dict(found), [label for label, _ in found]


def category_switch(browser):
    return browser.find("#cb-prefs input[data-cb-category=video]")


def on(browser):
    """Which providers' switches are on, and the category's: ([names], bool)."""
    switches, _ = provider_switches(browser)
    return ([n for n in NAMES if switches["Accepter " + n].is_selected()], category_switch(browser).is_selected())


def state_texts(browser):
    """The state text each video switch is described by, as a screen reader reads it with the switch."""
    return browser.js("""
        return Array.from(document.querySelectorAll('#cb-prefs [data-cb-cat=video] input[type=checkbox]'))
          .map(function (b) { var ids = b.getAttribute('aria-describedby').split(' ');
                              return document.getElementById(ids[ids.length - 1]).textContent.trim(); });""")


@pytest.mark.journey
def test_a_switch_per_provider_turns_with_its_category_and_the_choice_is_stored_and_shown_again(browser, pages):
    browser.open(pages["default"])
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    switches, order = provider_switches(browser)
    assert order == ["Accepter YouTube", "Accepter Vimeo", "Accepter Dailymotion"]
    assert all(s.is_displayed() for s in switches.values())
    links = [a.get_attribute("href") for a in dialog.find_elements("css selector", "[data-cb-cat=video] a")]
    assert [link.split("#")[-1] for link in links] == ["youtube", "dailymotion"]      # each provider's policy
    assert on(browser) == ([], False)

    category_switch(browser).click()                          # the category on: every provider on
    assert on(browser) == (NAMES, True)
    assert state_texts(browser) == ["Activé"] * 4
    switches["Accepter YouTube"].click()
    switches["Accepter Dailymotion"].click()
    assert on(browser) == (["Vimeo"], True)
    switches["Accepter Vimeo"].click()                        # the last provider off: the category off
    assert on(browser) == ([], False)
    assert state_texts(browser) == ["Désactivé"] * 4
    switches["Accepter Vimeo"].click()                        # one on: the category on
    assert on(browser) == (["Vimeo"], True)
    assert state_texts(browser) == ["Activé", "Désactivé", "Activé", "Désactivé"]

    saved_then_reopened(browser, ["Vimeo"])
    browser.wait_dialog()
    assert on(browser) == (["Vimeo"], True)
    category_switch(browser).click()                          # the category off: every provider off
    assert on(browser) == ([], False)


@pytest.mark.journey
def test_accept_all_and_refuse_all_in_the_centre_answer_for_every_provider(browser, pages):
    browser.open(pages["default"])
    browser.click_banner("Personnaliser")
    browser.wait_dialog()
    category_switch(browser).click()
    provider_switches(browser)[0]["Accepter YouTube"].click()
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    assert stored(browser).providers == {"video": expected_mask(["Vimeo", "Dailymotion"])}

    browser.find("#manage").click()
    browser.wait_dialog()
    assert on(browser) == (["Vimeo", "Dailymotion"], True)
    browser.click_dialog("Tout accepter")
    browser.wait_no_dialog()
    consent = stored(browser)
    assert "video" in consent.accepted and consent.providers == {}
    browser.find("#manage").click()
    browser.wait_dialog()
    assert on(browser) == (NAMES, True)
    browser.click_dialog("Tout refuser")                      # nothing of the category ran: no reload
    browser.wait_no_dialog()
    assert "video" not in stored(browser).accepted
    browser.find("#manage").click()
    browser.wait_dialog()
    assert on(browser) == ([], False)


@pytest.mark.journey
def test_the_open_centre_in_another_language_keeps_the_providers_as_the_visitor_left_them(browser, pages):
    browser.open(pages["default"])
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    provider_switches(browser)[0]["Accepter Dailymotion"].click()     # a choice not saved yet
    browser.button(dialog, "English").click()
    browser.wait_js("return document.getElementById('cb-prefs-title').textContent === 'Cookie preferences';",
                    "the open centre did not switch to English")
    switches, order = provider_switches(browser)
    assert order == ["Accept YouTube", "Accept Vimeo", "Accept Dailymotion"]
    assert [n for n in NAMES if switches["Accept " + n].is_selected()] == ["Dailymotion"]
    assert category_switch(browser).is_selected() and state_texts(browser) == ["On", "Off", "Off", "On"]
    assert browser.cookie(CONSENT) is None


@pytest.mark.journey
def test_the_keyboard_reaches_and_turns_each_provider_s_switch(browser, pages):
    browser.open(pages["default"])
    browser.click_banner("Personnaliser")
    browser.wait_dialog()
    assert axe(browser, include=["#cb-prefs"]) == []
    for name in NAMES:
        assert tab_until(browser, "el.getAttribute('data-cb-provider-name') === %r" % name) is not None, \
            "%s: Tab never reached the switch of %s" % (browser.kind, name)
        assert browser.js("return document.activeElement.labels[0].textContent.trim();") == "Accepter " + name
        press(browser, Keys.SPACE)
        browser.wait(lambda d, name=name: name in on(browser)[0], "%s: Space did not turn %s on" % (browser.kind, name))
        assert on(browser)[1], "turning a provider on did not turn its category on"
    assert on(browser) == (NAMES, True)
    press(browser, Keys.SPACE)                                 # the last one off again, by keyboard
    browser.wait(lambda d: on(browser)[0] == NAMES[:-1], "Space did not turn the switch off")
    assert tab_until(browser, "el.getAttribute('data-cb-action') === 'save'") is not None
    press(browser, Keys.ENTER)
    browser.wait_no_dialog()
    assert stored(browser).providers == {"video": expected_mask(NAMES[:-1])}


# -- the DSFR look ---------------------------------------------------------------------------------------
def pairs(browser):
    """The radio pairs of the video details: [(legend text, [label of each radio], accepted?)] in page order."""
    return browser.js("""
        return Array.from(document.querySelectorAll('#cb-details-video fieldset')).map(function (f) {
          var radios = Array.from(f.querySelectorAll('input[type=radio]'));
          return [f.querySelector('legend').textContent.trim(),
                  radios.map(function (r) { return r.labels[0].textContent.trim(); }),
                  radios[0].checked, radios[1].checked, radios[0].name === radios[1].name];
        });""")


def accepted_pairs(browser):
    return [legend.split(" ")[0] for legend, _, accept, refuse, _ in pairs(browser) if accept and not refuse]


def radio(browser, rid):
    return browser.js("return document.getElementById(arguments[0]).checked;", rid)


def click_label(browser, dialog, rid):
    """A click on a radio's label, brought into view first (the modal scrolls; its buttons stay in view)."""
    label = dialog.find_element("css selector", "label[for=%s]" % rid)
    browser.js("arguments[0].scrollIntoView({block: 'center'});", label)
    label.click()


def provider_radio(name, value):
    return "cb-provider-%s-video-%d" % (value, NAMES.index(name))


@pytest.mark.journey
def test_the_dsfr_centre_has_a_radio_pair_per_provider_in_the_details_and_stores_the_choice(browser, dsfr_page):
    browser.open(dsfr_page)
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    details = dialog.find_element("css selector", "[aria-controls=cb-details-video]")
    assert browser.name(details) == "Voir plus de détails"
    details.click()
    label = dialog.find_element("css selector", "label[for=%s]" % provider_radio("YouTube", "accept"))
    browser.wait(lambda d: label.is_displayed(), "the providers' pairs are not shown in « Voir plus de détails »")
    browser.wait_js("var c = document.getElementById('cb-details-video');"
                    "return !c.classList.contains('fr-collapsing') && !c.getAnimations({subtree: true}).length;",
                    "DSFR's collapse did not finish opening")
    assert axe(browser, include=["#cb-prefs"]) == []
    found = pairs(browser)
    assert [legend.split(" ")[0] for legend, *_ in found] == NAMES
    assert all(labels == ["Accepter", "Refuser"] and same_name for _, labels, _, _, same_name in found)
    names = browser.js("return Array.from(document.querySelectorAll('#cb-details-video input')).map("
                       "function (r) { return r.name; });")
    assert len(set(names)) == 3 and accepted_pairs(browser) == []

    click_label(browser, dialog, "cb-accept-video")                    # the category accepted: every provider
    assert accepted_pairs(browser) == NAMES
    click_label(browser, dialog, provider_radio("YouTube", "refuse"))
    click_label(browser, dialog, provider_radio("Vimeo", "refuse"))
    assert accepted_pairs(browser) == ["Dailymotion"] and radio(browser, "cb-accept-video")
    click_label(browser, dialog, provider_radio("Dailymotion", "refuse"))   # none left: the category refused
    assert radio(browser, "cb-refuse-video") and not radio(browser, "cb-accept-video")
    click_label(browser, dialog, "cb-all-accept")                      # « Tout accepter »: every pair
    assert accepted_pairs(browser) == NAMES and radio(browser, "cb-accept-video")
    click_label(browser, dialog, "cb-all-refuse")
    assert accepted_pairs(browser) == [] and radio(browser, "cb-refuse-video")
    click_label(browser, dialog, provider_radio("YouTube", "accept"))  # one accepted: the category accepted
    assert radio(browser, "cb-accept-video") and accepted_pairs(browser) == ["YouTube"]

    saved_then_reopened(browser, ["YouTube"])
    browser.wait_dialog()
    assert accepted_pairs(browser) == ["YouTube"] and radio(browser, "cb-accept-video")


@pytest.mark.journey
def test_the_keyboard_reaches_each_provider_s_pair_in_the_dsfr_details(browser, dsfr_page):
    browser.open(dsfr_page)
    browser.click_banner("Personnaliser")
    browser.wait_dialog()
    assert tab_until(browser, "el.getAttribute('aria-controls') === 'cb-details-video'") is not None
    press(browser, Keys.ENTER)
    browser.wait_js("var c = document.getElementById('cb-details-video');"
                    "return c.classList.contains('fr-collapse--expanded') && !c.classList.contains('fr-collapsing')"
                    " && !c.getAnimations({subtree: true}).length;", "« Voir plus de détails » did not open by keyboard")
    for index, name in enumerate(NAMES):
        # Tab enters each pair on its checked radio (« Refuser »: nothing accepted yet); an arrow picks « Accepter »
        assert tab_until(browser, "el.name === 'cb-provider-choice-video-%d'" % index) is not None, \
            "%s: Tab never reached the pair of %s" % (browser.kind, name)
        assert browser.js("return document.activeElement.id;") == provider_radio(name, "refuse")
        assert browser.js("return document.activeElement.closest('fieldset').querySelector('legend')"
                          ".textContent.trim();").startswith(name)
        press(browser, Keys.ARROW_UP)
        browser.wait(lambda d, name=name: radio(browser, provider_radio(name, "accept")),
                     "%s: the arrow did not accept %s" % (browser.kind, name))
        assert radio(browser, "cb-accept-video"), "accepting a provider did not accept its category"
    assert accepted_pairs(browser) == NAMES
