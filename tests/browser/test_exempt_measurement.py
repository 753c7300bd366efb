"""Exempt audience measurement in the page (a category with "exempt": true): its scripts run before any
choice and after « Tout refuser », the first layer and the centre say so, and opposing it in the centre
stops it, for good (remembered in cookies_preferences). Chromium, Firefox and WebKit."""

import pytest

from browser_kit import decode_consent, demo_manifest

pytestmark = pytest.mark.journey

PROBES = "".join('<script type="text/plain" data-consent="%s">window.__ran = (window.__ran || []).concat("%s");'
                 '</script>' % (c, c) for c in ("audience", "analytics"))


def exempt_manifest():
    manifest = demo_manifest()
    manifest["categories"].append({
        "id": "audience", "exempt": True,
        "title": {"fr": "Statistiques de fréquentation", "en": "Visit statistics"},
        "description": {"fr": "Compter les visites, anonymement.", "en": "Counting visits, anonymously."}})
    manifest["cookies"].append({"name": "_pk_id", "match": "^_pk_(id|ses)\\\\.", "provider": "Matomo",
                                "category": "audience", "lifetime": {"fr": "13 mois", "en": "13 months"},
                                "maxAgeDays": 395, "purpose": {"fr": "Mesure", "en": "Measurement"}})
    return manifest


def page(site):
    site.json("/t/exempt.json", exempt_manifest())
    return site.page("/t/exempt.html", {"manifest": "/t/exempt.json", "languages": ["fr"]}, probes=False,
                     body=PROBES)


def stored(browser):
    cookie = browser.cookie("cookies_preferences")
    return decode_consent(cookie["value"]) if cookie else None


def test_it_runs_before_any_choice_and_after_tout_refuser_and_the_first_layer_says_so(browser, site):
    browser.open(page(site))
    banner = browser.wait_banner()
    assert browser.js("return window.__ran;") == ["audience"]
    assert "Statistiques de fréquentation" in banner.text and "vous y opposer" in banner.text
    assert "Statistiques de fréquentation" not in banner.find_element("css selector", "[data-cb-purposes]").text
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    browser.reload()
    assert browser.js("return window.__ran;") == ["audience"] and browser.banner() is None
    assert browser.events()[-1] == ["necessary", "audience"]


def test_opposing_it_in_the_centre_stops_it_for_good(browser, site):
    browser.open(page(site))
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    switch = browser.switches(dialog)["Statistiques de fréquentation"]
    assert switch.is_selected()                                       # on until the visitor opposes it
    assert "Exemptée de consentement" in dialog.text
    switch.click()
    browser.navigating(lambda: browser.click_dialog("Enregistrer mes choix"))   # it ran: the page reloads
    assert browser.js("return window.__ran || [];") == []
    consent = stored(browser)
    assert "audience" in consent.fingerprints and consent.accepted == ()
    browser.reload()
    assert browser.js("return window.__ran || [];") == [] and browser.banner() is None
