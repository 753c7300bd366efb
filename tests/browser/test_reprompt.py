"""Re-prompt on real change. The stored choice carries a fingerprint of each optional category
(its cookies' names, providers and purposes); when a category's content changes under the same manifest
revision, the banner asks again, says which category changed, and keeps the other choices."""

import copy

import pytest

from browser_kit import consent_value, decode_consent
from browser_kit import strings, two_category_manifest

PROBES = "".join('<script type="text/plain" data-consent="%s">window.__optional = (window.__optional || [])'
                 '.concat("%s");</script>' % (c, c) for c in ("analytics", "video"))


def serve(site, name, manifest):
    """A page whose manifest is `manifest`, at its own paths."""
    site.json("/t/%s.json" % name, manifest)
    return site.page("/t/%s.html" % name, {"manifest": "/t/%s.json" % name, "languages": ["fr", "en"]},
                     probes=False, body=PROBES)


def analytics_cookies(manifest):
    return [c for c in manifest["cookies"] if c["category"] == "analytics"]


def gained_a_cookie(manifest):
    manifest["cookies"].append({"provider": "Matomo", "name": "_pk_id", "match": "^_pk_id\\.", "category": "analytics",
                                "lifetime": "13 mois", "purpose": "Distingue les visiteurs."})


def new_provider(manifest):
    analytics_cookies(manifest)[0]["provider"] = {"fr": "Matomo Cloud", "en": "Matomo Cloud"}


def new_purpose(manifest):
    analytics_cookies(manifest)[0]["purpose"]["fr"] = "Mesure d'audience et suivi des campagnes."


def new_lifetime_and_description(manifest):
    analytics_cookies(manifest)[0]["lifetime"] = {"fr": "6 mois", "en": "6 months"}
    manifest["categories"][1]["description"]["fr"] = "Une autre description de la mesure d'audience."


def store_choice_then_change(browser, site, name, change):
    """Visitor accepted analytics and video under the first manifest; the portal then edits analytics."""
    before = two_category_manifest()
    browser.set_cookie("cookies_preferences", consent_value(["analytics", "video"], manifest=before))
    after = copy.deepcopy(before)
    change(after)
    return serve(site, name, after)


def changed_sentence(browser):
    found = browser.wait_banner().find_elements("css selector", ".cb-changed")
    return found[0].text if found else None


def test_a_category_that_gained_a_cookie_is_asked_again_and_the_other_choice_stands(browser, site):
    url = store_choice_then_change(browser, site, "f-reprompt-cookie", gained_a_cookie)
    browser.open(url)
    assert changed_sentence(browser) == strings("fr")["changed_text"].replace("{categories}", "Mesure d'audience")
    # Until the visitor answers: video (unchanged) stays accepted and runs, analytics (changed) does not.
    assert browser.js("return window.__optional || []") == ["video"]
    assert browser.events()[-1] == ["necessary", "video"]
    assert browser.js("return [consentBanner.accepted('analytics'), consentBanner.accepted('video')]") == [False, True]
    browser.click_banner("Personnaliser")
    switches = browser.switches(browser.wait_dialog())
    assert not switches["Mesure d'audience"].is_selected()
    assert switches["Vidéos"].is_selected()
    # The visitor now answers for analytics: the new content is recorded and the banner stays away.
    switches["Mesure d'audience"].click()
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_banner()
    stored = decode_consent(browser.cookie("cookies_preferences")["value"])
    assert stored.accepted == ("analytics", "video")
    browser.reload()
    assert browser.banner() is None
    assert sorted(browser.js("return window.__optional || []")) == ["analytics", "video"]


@pytest.mark.parametrize("change", [new_provider, new_purpose], ids=["provider", "purpose"])
def test_a_new_provider_or_purpose_asks_again_about_that_category_only(browser, site, change):
    url = store_choice_then_change(browser, site, "f-reprompt-" + change.__name__, change)
    browser.open(url)
    assert "Mesure d'audience" in changed_sentence(browser)
    assert "Vidéos" not in changed_sentence(browser)
    assert browser.js("return window.__optional || []") == ["video"]


def new_title(manifest):
    manifest["categories"][1]["title"]["fr"] = "Statistiques de visite"


def declared_provider(manifest):
    manifest["categories"][1]["providers"] = [{"name": "Matomo Cloud", "policyUrl": "https://matomo.org/privacy/"}]


@pytest.mark.parametrize("change", [new_lifetime_and_description, new_title, declared_provider],
                         ids=["lifetime-description", "title", "category-provider"])
def test_anything_shown_about_a_category_edited_asks_again_about_that_category_only(browser, site, change):
    """What the visitor was shown when deciding (title, description, providers, lifetimes...) is what
    they agreed to: an edit of any of it asks again about that category, and only that one."""
    url = store_choice_then_change(browser, site, "f-reprompt-shown-" + change.__name__, change)
    browser.open(url)
    sentence = changed_sentence(browser)
    assert sentence is not None and "Vidéos" not in sentence
    assert browser.js("return window.__optional || []") == ["video"]
    assert browser.events()[-1] == ["necessary", "video"]


@pytest.mark.journey
def test_a_refused_category_that_changed_is_not_asked_again_its_refusal_stands(browser, site):
    """banner.consent.RE_ASK_RULES: nobody is asked twice within six months to accept what they refused."""
    before = two_category_manifest()
    browser.set_cookie("cookies_preferences", consent_value(["video"], manifest=before))   # analytics refused
    after = copy.deepcopy(before)
    new_purpose(after)
    browser.open(serve(site, "f-reprompt-refused", after))
    assert browser.banner() is None
    assert browser.js("return window.__optional || [];") == ["video"]
    assert browser.events()[-1] == ["necessary", "video"]
