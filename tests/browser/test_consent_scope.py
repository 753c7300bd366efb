"""Consent that survives an audit: a visitor accepts exactly what was shown, nothing more, for no longer.

- A first layer painted ahead of time acts only for the manifest content it was built from: after the
  portal edits its manifest without rebuilding, an early click decides nothing and the live banner asks.
- In the "something changed" state the buttons say they act on the changed categories, and do only that.
- Each category's answer lives 182 days from its own decision: one embed's "Toujours autoriser" does not
  restart another category's term, and an expired category is asked about alone.
- Every third party is declared: content from an undeclared provider stays blocked with a console error;
  the centre lists each category's providers, the first layer says what refusing changes and links to
  that list, and an embed's placeholder names the category and all its providers.
"""

import copy
import time

from browser_kit import consent_value, decode_consent, demo_manifest
from browser_kit import strings, two_category_manifest
from test_prerender import first_banner

DAY_MS = 24 * 3600 * 1000
PROBES = "".join('<script type="text/plain" data-consent="%s">window.__optional = (window.__optional || [])'
                 '.concat("%s");</script>' % (c, c) for c in ("analytics", "video"))


def serve(site, name, manifest, body=PROBES):
    site.json("/t/%s.json" % name, manifest)
    return site.page("/t/%s.html" % name, {"manifest": "/t/%s.json" % name, "languages": ["fr", "en"]},
                     probes=False, body=body)


def stored_consent(browser):
    cookie = browser.cookie("cookies_preferences")
    return decode_consent(cookie["value"]) if cookie else None


# --- 1. a painted-ahead first layer acts only for the content it was built from --------------------------

def test_an_early_click_on_a_banner_painted_from_an_older_manifest_grants_nothing(browser, site):
    """static/dist was built from demo/site/cookies.json; the portal then adds a category to /cookies.json
    without rebuilding. The painted banner (one purpose) is clicked the moment it appears."""
    edited = two_category_manifest()
    site.json("/cookies.json", edited)
    try:
        first = first_banner(browser, site.url("/"), click="accept_all")
        assert first["prerendered"] and not first["pythonStarted"], "the banner was not painted ahead of Python"
        banner = browser.wait_banner()
        assert banner.get_attribute("data-cb-prerendered") is None
        assert "Vidéos" in banner.text, "the live banner does not name the new category"
        assert browser.cookie("cookies_preferences") is None, "an early click on an outdated banner decided"
        assert browser.js("return consentBanner.accepted('analytics') || consentBanner.accepted('video')") is False
        browser.click_banner("Tout accepter")          # the visitor answers the live banner
        browser.wait_no_banner()
        assert stored_consent(browser).accepted == ("analytics", "video")
    finally:
        site.json("/cookies.json", demo_manifest())


def test_an_early_click_on_a_banner_painted_from_the_live_manifest_is_still_replayed(browser, site):
    site.json("/cookies.json", demo_manifest())
    first = first_banner(browser, site.url("/"), click="accept_all")
    assert first["prerendered"] and not first["pythonStarted"]
    browser.wait_no_banner()
    assert stored_consent(browser).accepted == ("analytics",)


# --- 2. "something changed": the buttons act on the changed categories only -------------------------------

def changed_state(browser, site, name, accepted):
    """Visitor answered analytics and video (accepting `accepted`); the portal then retitles video."""
    before = two_category_manifest()
    browser.set_cookie("cookies_preferences", consent_value(accepted, manifest=before))
    after = copy.deepcopy(before)
    after["categories"][2]["title"]["fr"] = "Vidéos et podcasts"
    return serve(site, name, after)


def test_accept_in_the_changed_state_accepts_the_changed_category_and_keeps_a_refusal(browser, site):
    # video accepted and then changed is asked again; analytics, refused, stands (banner.consent.RE_ASK_RULES)
    browser.open(changed_state(browser, site, "a-changed-accept", ["video"]))
    banner = browser.wait_banner()
    fr = strings("fr")
    assert fr["accept_changed"] in browser.buttons(banner) and fr["reject_changed"] in browser.buttons(banner)
    assert fr["accept_all"] not in browser.buttons(banner)
    assert "ne portent que sur ces catégories" in banner.find_element("css selector", ".cb-changed").text
    browser.click_banner(fr["accept_changed"])
    browser.wait_no_banner()
    assert stored_consent(browser).accepted == ("video",), "the refused category was accepted"
    assert browser.js("return window.__optional || []") == ["video"]


def test_refuse_in_the_changed_state_refuses_the_changed_category_and_keeps_an_acceptance(browser, site):
    browser.open(changed_state(browser, site, "a-changed-refuse", ["analytics", "video"]))
    browser.click_banner(strings("fr")["reject_changed"])
    browser.wait_no_banner()
    assert stored_consent(browser).accepted == ("analytics",)
    assert browser.js("return window.__optional || []") == ["analytics"]


# --- 3. each category's answer lives 182 days from its own decision -----------------------------------

EMBED = ('<iframe id="clip" title="Vidéo" data-consent="video" data-provider="Vidéos Démo" '
         'data-src="/t/frame.html?clip" width="300" height="150"></iframe>')


def test_always_allow_on_an_embed_does_not_restart_another_categorys_term(browser, site):
    manifest = two_category_manifest()
    hundred_days_ago = int(time.time() * 1000) - 100 * DAY_MS
    browser.set_cookie("cookies_preferences", consent_value(["analytics"], manifest=manifest,
                                                            decided_at=hundred_days_ago))
    browser.open(serve(site, "a-term-embed", manifest, body=PROBES + EMBED))
    assert browser.banner() is None
    holder = browser.find("#clip").find_element("xpath", "preceding-sibling::*[1]")
    browser.js("arguments[0].scrollIntoView({block: 'center'});", holder)
    browser.button(holder, "Toujours autoriser").click()
    browser.wait_js("return document.getElementById('clip').getAttribute('src') === '/t/frame.html?clip'")
    after = stored_consent(browser)
    assert after.accepted == ("analytics", "video")
    assert after.decided_time("analytics") <= hundred_days_ago, "analytics' 6-month term was restarted"
    assert after.decided_time("video") > hundred_days_ago + 99 * DAY_MS


def test_a_category_decided_over_182_days_ago_is_asked_again_alone(browser, site):
    """The cookie (format 3) says analytics was decided 190 days ago and video 10 days ago."""
    from banner.consent import decide
    from banner.cookies import encode_consent
    from banner.manifest import parse_manifest
    manifest = two_category_manifest()
    now = int(time.time() * 1000)
    parsed = parse_manifest(manifest, ["fr", "en"])
    old = decide(parsed, "accept_all", now - 190 * DAY_MS, "k2m9x0c4a7q1v8z3")
    recent = decide(parsed, "custom", now - 10 * DAY_MS, "k2m9x0c4a7q1v8z3", ["video"], old, ["video"])
    browser.set_cookie("cookies_preferences", encode_consent(recent))
    browser.open(serve(site, "a-term-expired", manifest))
    sentence = browser.wait_banner().find_element("css selector", ".cb-changed").text
    assert "Mesure d'audience" in sentence and "Vidéos" not in sentence
    assert browser.js("return window.__optional || []") == ["video"], "the expired acceptance still ran"


# --- 4. every provider is declared ---------------------------------------------------------------------

UNDECLARED = ('<script type="text/plain" data-consent="analytics" data-provider="Traqueur Inconnu">'
              'window.__undeclared = true;</script>'
              '<script type="text/plain" data-consent="analytics" data-provider="Demo Dashboards">'
              'window.__declared = true;</script>'
              '<iframe id="hidden-frame" title="Tiers" data-consent="analytics" data-provider="Traqueur Inconnu" '
              'data-src="/t/frame.html?undeclared" width="300" height="150"></iframe>')


def test_content_from_an_undeclared_provider_stays_blocked_with_a_console_error(browser, site):
    browser.set_cookie("cookies_preferences", consent_value(["analytics"]), url=site.url("/"))
    browser.open(site.page("/t/a-undeclared.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]},
                           probes=False, body=UNDECLARED))
    browser.wait_js("return window.__declared === true", "the declared provider's script did not run")
    assert browser.js("return window.__undeclared === undefined") is True
    assert browser.js("return document.getElementById('hidden-frame').getAttribute('src')") in (None, "about:blank")
    errors = browser.banner_errors()
    assert any("Traqueur Inconnu" in e and "script" in e for e in errors), errors
    assert any("Traqueur Inconnu" in e and "iframe" in e for e in errors), errors


TYPO = ('<script type="text/plain" data-consent="analytic">window.__typo = true;</script>'
        '<script type="text/plain" data-consent="analytic">window.__typo2 = true;</script>'
        '<iframe id="typo-frame" title="Vidéo" data-consent="video" data-src="/t/frame.html?typo"></iframe>'
        '<script type="text/plain" data-consent="analytics">window.__declared = true;</script>')


def test_content_naming_no_category_of_the_manifest_is_reported_once_per_name_and_never_runs(browser, site):
    """A typo in data-consent: the portal team hears it in the console, however the visitor answers."""
    browser.open(site.page("/t/a-typo.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]},
                           probes=False, body=TYPO))
    browser.click_banner("Tout accepter")
    browser.wait_js("return window.__declared === true", "the declared category's script did not run")
    assert browser.js("return [window.__typo, window.__typo2];") == [None, None]
    assert browser.js("return document.getElementById('typo-frame').getAttribute('src')") in (None, "about:blank")
    errors = [e.replace('\\"', '"') for e in browser.banner_errors()]        # the log escapes quotes
    assert len([e for e in errors if 'data-consent="analytic" names no category' in e]) == 1, errors
    assert any('data-consent="video" names no category' in e and "iframe" in e for e in errors), errors
    assert all("analytics" in e for e in errors if "names no category" in e), "the error lists the categories"
    # content a framework adds later is reported as the page's observer brings it
    browser.js("var s = document.createElement('script'); s.type = 'text/plain';"
               "s.setAttribute('data-consent', 'statistics'); document.body.appendChild(s);")
    browser.wait(lambda d: any('data-consent=\\"statistics\\" names no category' in e
                               for e in browser.banner_errors()), "content added later was not reported")


def test_the_first_layer_says_what_refusing_changes_and_links_to_the_providers_in_the_centre(browser, site):
    browser.open(site.url("/"))
    banner = browser.wait_banner()
    fr = strings("fr")
    assert fr["refuse_effect"] in banner.text
    browser.click_banner(fr["providers_link"])
    dialog = browser.wait_dialog()
    providers = dialog.find_element("css selector", '[data-cb-cat="analytics"] .cb-providers')
    assert "Demo Dashboards" in providers.text
    link = providers.find_element("css selector", "a")
    assert link.get_attribute("href").endswith("/pages/cookies/")


def test_the_embed_placeholder_names_the_category_and_all_its_providers_before_always_allow(browser, site):
    manifest = two_category_manifest()
    manifest["categories"][2]["providers"].append({"name": "Podcasts Démo"})
    browser.open(serve(site, "a-placeholder", manifest, body=EMBED))
    holder = browser.find("#clip").find_element("xpath", "preceding-sibling::*[1]")
    text = holder.find_element("css selector", ".cb-embed__providers").text
    assert "Vidéos" in text and "Vidéos Démo" in text and "Podcasts Démo" in text
    order = browser.js("var h = arguments[0]; var p = h.querySelector('.cb-embed__providers');"
                       " var b = h.querySelector('[data-cb-embed=always]');"
                       " return !!(p.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);", holder)
    assert order is True
