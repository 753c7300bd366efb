"""`manage.py check` says, before a visitor meets it, what would make the banner misbehave on a portal, with
the fix: a MANIFEST_URL nothing serves, the refresh marker missing from the manifest, languages that give
visitors another language than the site's (banner/django/checks.py)."""

import json
import os

from django.core.checks import run_checks
from django.test import override_settings

from djapp_kit import DEMO_MANIFEST, MIDDLEWARE, MANIFEST_FILE, portal

SITE = os.path.dirname(MANIFEST_FILE)          # demo/site: its cookies.json is a static file here


def ours():
    """The app's warnings as {id: (message, hint)}."""
    return {w.id: (w.msg, w.hint) for w in run_checks() if w.id.startswith("consent_banner.")}


def with_marker(manifest=DEMO_MANIFEST):
    manifest = json.loads(json.dumps(manifest))
    manifest["cookies"].append({"name": "cookies_preferences_refreshed", "category": "necessary",
                                "provider": "Opendatasoft", "lifetime": "1 jour", "purpose": "Renouvellement"})
    return manifest


def test_a_portal_set_up_as_the_readme_says_gets_no_warning():
    with portal(MANIFEST=with_marker(), MANIFEST_URL="consent_banner:manifest"):
        assert ours() == {}


def test_a_manifest_url_nothing_serves_is_named_with_the_fix():
    for url in ("/cookies.json", "/static/missing.json", "consent_banner:nothing"):
        with portal(MANIFEST=with_marker(), MANIFEST_URL=url):
            message, hint = ours()["consent_banner.W002"]
            assert repr(url) in message
            assert '"MANIFEST_URL": "consent_banner:manifest"' in hint
    # what the URLconf serves, a static file a finder has (the demo's STATICFILES_DIRS), another site's
    for url in ("consent_banner:manifest", "/consent/cookies.json", "/static/cookies.json",
                "https://cdn.example.org/cookies.json"):
        with portal(MANIFEST=with_marker(), MANIFEST_URL=url), override_settings(STATICFILES_DIRS=[SITE]):
            assert "consent_banner.W002" not in ours(), url


def test_a_manifest_without_the_refresh_marker_gets_the_entry_to_add():
    with portal(MANIFEST_URL="consent_banner:manifest"):       # demo/site/cookies.json: no marker
        message, hint = ours()["consent_banner.W003"]
        assert "'cookies_preferences_refreshed'" in message and "'necessary'" in message
        entry = json.loads(hint.split("Add to the manifest's \"cookies\": ", 1)[1].split(" (or set", 1)[0])
        assert entry == {"name": "cookies_preferences_refreshed", "category": "necessary", "provider": "Opendatasoft",
                         "lifetime": {"fr": "1 jour", "en": "1 day"},
                         "purpose": {"fr": "Préférences de cookies : le serveur a renouvelé aujourd'hui le cookie "
                                           "de vos choix.",
                                     "en": "Cookie preferences: the server renewed the cookie of your choices today."}}
    fixed = json.loads(json.dumps(DEMO_MANIFEST))
    fixed["cookies"].append(entry)
    with portal(MANIFEST=fixed, MANIFEST_URL="consent_banner:manifest"):
        assert ours() == {}                                    # the entry given is the one that silences it
    with portal(MANIFEST_URL="consent_banner:manifest", REFRESH=False):
        assert "consent_banner.W003" not in ours()


def test_banner_languages_that_miss_one_of_the_site_s_are_named():
    with portal(MANIFEST=with_marker(), MANIFEST_URL="consent_banner:manifest", LANGUAGES=["fr"]):
        message, hint = ours()["consent_banner.W004"]
        assert message.startswith("visitors reading the site in 'en' get the banner in 'fr'")


def test_several_languages_without_locale_middleware_are_named():
    without = [m for m in MIDDLEWARE if "locale" not in m]
    with portal(MANIFEST=with_marker(), MANIFEST_URL="consent_banner:manifest"), override_settings(MIDDLEWARE=without):
        message, hint = ours()["consent_banner.W005"]
        assert "LocaleMiddleware" in message and "changes nothing" in message


def test_a_fresh_startproject_s_english_gets_the_hint_to_set_the_site_s_language():
    french = {"revision": 1, "categories": [
        {"id": "necessary", "required": True, "title": "Nécessaires", "description": "Le portail en a besoin."},
        {"id": "analytics", "title": "Mesure d'audience", "description": "Statistiques de visite."}],
        "cookies": [{"name": "django_language", "category": "necessary", "provider": "Portail", "multilingualOnly": True,
                     "lifetime": "12 mois", "purpose": "Langue choisie."}]}
    startproject = override_settings(LANGUAGE_CODE="en-us", LANGUAGES=__import__(
        "django.conf.global_settings", fromlist=["LANGUAGES"]).LANGUAGES)
    with portal(MANIFEST=french, MANIFEST_URL="consent_banner:manifest", REFRESH=False), startproject:
        message, hint = ours()["consent_banner.W006"]
        assert "LANGUAGE_CODE = \"fr\"" in hint
    with portal(MANIFEST=french, MANIFEST_URL="consent_banner:manifest", REFRESH=False):
        assert ours() == {}                                    # LANGUAGE_CODE = "fr"


def test_a_manifest_that_cannot_be_used_is_said_once_at_check_time():
    with portal(MANIFEST="/nowhere/cookies.json"):
        message, hint = ours()["consent_banner.W007"]
        assert "FileNotFoundError" in message and "consent-banner validate" in hint
    with portal(MANIFEST=with_marker(), POLICY="/cookies/"):
        message, _ = ours()["consent_banner.W007"]
        assert "unknown key(s) POLICY" in message


# -- outside its features, the host project behaves as it did ---------------------------------------------
def exchange(path, cookie=""):
    from django.test import Client
    response = Client(HTTP_COOKIE=cookie).get(path)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "date"}
    return response.status_code, headers, sorted(response.cookies), response.content


def test_the_host_s_own_pages_and_missing_urls_answer_exactly_as_without_the_middleware():
    """A page that uses none of the tags, a missing page: same status, headers,
    cookies and body with and without ConsentMiddleware, for a new visitor and a consented one (the refresh
    rides only on responses no cache can share, which these are not)."""
    from djapp_kit import consent_cookie
    consented = "cookies_preferences=" + consent_cookie(["analytics"])
    without = [m for m in MIDDLEWARE if "ConsentMiddleware" not in m]
    for path in ("/plain/", "/no-such-page/"):
        for cookie in ("", consented):
            with portal(MANIFEST=with_marker(), MANIFEST_URL="consent_banner:manifest"):
                mine = exchange(path, cookie)
                with override_settings(MIDDLEWARE=without):
                    assert exchange(path, cookie) == mine, path
            assert mine[0] == (200 if path == "/plain/" else 404)


def test_a_mistyped_policy_url_name_is_named_with_the_fix():
    with portal(MANIFEST=with_marker(), MANIFEST_URL="consent_banner:manifest", POLICY_URL="cookie-polcy"):
        message, hint = ours()["consent_banner.W009"]
        assert "'cookie-polcy'" in message and "name=" in hint
    for url in ("policy-page", "/cookies/", "./cookies/", "https://example.org/cookies"):
        with portal(MANIFEST=with_marker(), MANIFEST_URL="consent_banner:manifest", POLICY_URL=url):
            assert ours() == {}, url


def test_a_language_cookie_the_manifest_does_not_declare_is_named_with_the_entry_to_add():
    """Two languages: the banner's language choice writes django_language, so the policy must list it."""
    undeclared = with_marker()
    undeclared["cookies"] = [k for k in undeclared["cookies"] if k["name"] != "django_language"]
    with portal(MANIFEST=undeclared, MANIFEST_URL="consent_banner:manifest"):
        message, hint = ours()["consent_banner.W010"]
        assert "'django_language'" in message
        entry = json.loads(hint.split(": ", 1)[1])
        assert entry["name"] == "django_language" and entry["category"] == "necessary" and entry["multilingualOnly"]
        assert set(entry["purpose"]) == {"fr", "en"}
    fixed = json.loads(json.dumps(undeclared))
    fixed["cookies"].append(entry)
    with portal(MANIFEST=fixed, MANIFEST_URL="consent_banner:manifest"):
        assert ours() == {}
    # one language, or a portal whose banner does not write the cookie: nothing to declare
    for extra in ({"LANGUAGES": ["fr"]}, {"CONFIG": {"languageCookie": False}}):
        with portal(MANIFEST=undeclared, MANIFEST_URL="consent_banner:manifest", **extra):
            assert "consent_banner.W010" not in ours(), extra
