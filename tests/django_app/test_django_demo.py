"""The demo Django portal's pages (demo/portal), rendered through Django's test client under its own
settings: every page in French and English, the embed and the analytics tag blocked or live."""

import pytest
from django.test import Client, override_settings

from djapp_kit import consent_cookie, find_all, parse


def demo_settings():
    """The demo's settings, its manifest read from settings rather than from its database (these tests
    have none; tests/django_log/test_manifest_admin.py runs the database manifest)."""
    from demo.portal import settings as demo
    return override_settings(ROOT_URLCONF="demo.portal.urls", MIDDLEWARE=demo.MIDDLEWARE, TEMPLATES=demo.TEMPLATES,
                             CONSENT_BANNER=dict(demo.CONSENT_BANNER, DATABASE_MANIFEST=False), LANGUAGES=demo.LANGUAGES,
                             LANGUAGE_CODE=demo.LANGUAGE_CODE, STATIC_URL=demo.STATIC_URL,
                             ALLOWED_HOSTS=demo.ALLOWED_HOSTS + ["testserver"])


@pytest.mark.parametrize("path", ["/", "/explore/dataset/frequentation-parkings/", "/pages/cookies/"])
@pytest.mark.parametrize("language, heading", [("fr", "Gestion des cookies"), ("en", "Cookie settings")])
def test_every_demo_page_renders_in_both_languages_with_the_footer_link(path, language, heading):
    with demo_settings():
        client = Client(HTTP_COOKIE="django_language=" + language)
        tree = parse(client.get(path).content.decode("utf-8"))
    assert find_all(tree, "html")[0][1]["lang"] == language
    links = [a for a in find_all(tree, "a") if "data-consent-open" in a[1]]
    assert [a[2] for a in links] == [[heading]]


def test_the_dataset_map_and_the_analytics_tag_are_sent_closed_for_every_visitor():
    with demo_settings():
        pages = [Client(HTTP_COOKIE=cookie).get("/explore/dataset/frequentation-parkings/").content
                 for cookie in ("", "cookies_preferences=" + consent_cookie(["analytics"]))]
    assert pages[0] == pages[1]
    closed = [t for t in find_all(parse(pages[0].decode("utf-8")), "template") if t[1].get("data-consent")]
    assert [t[1] for t in closed] == [{"data-consent": "analytics"}] * 2 + [{"data-consent": "audience"}]
    frame, tag = find_all(closed[0], "iframe")[0], find_all(closed[1], "script")[0]
    assert "src" not in frame[1] and frame[1]["data-src"] == "/embed.html"
    assert tag[1] == {"type": "text/plain", "data-consent": "analytics", "data-src": "/static/analytics.js"}
    # the exempt measurement too: the banner runs it at once (no choice needed), after telling its tracker
    assert [s[1]["data-src"] for s in find_all(closed[2], "script")] == ["/static/audience.js",
                                                                          "/static/matomo-style.js"]


def test_the_manifest_the_page_fetches_is_the_one_the_server_decides_with():
    from demo.portal import settings as demo
    with demo_settings():
        assert Client().get("/consent/cookies.json").json() == demo.CONSENT_BANNER["MANIFEST"]


def test_the_demo_sends_its_proof_of_consent_to_the_apps_log_in_its_own_database():
    """Including banner.django.urls is enough: data-config's consentLog is the log view's path."""
    import json
    with demo_settings():
        tree = parse(Client().get("/").content.decode("utf-8"))
    script = [s for s in find_all(tree, "script") if "data-config" in s[1]][0]
    assert json.loads(script[1]["data-config"])["consentLog"] == "/consent/consent-log/"


def test_a_missing_static_file_is_a_404_with_the_apps_finder_installed():
    """The app adds its finder to every project that installs it: it must not change what Django answers
    for anything else (runserver serves static files through the finders)."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.views import serve
    from django.http import Http404
    from django.test import RequestFactory
    with demo_settings():
        finders.get_finder.cache_clear()
        assert finders.find("no/such/file.css") is None and finders.find("no/such/file.css", find_all=True) == []
        with pytest.raises(Http404):
            serve(RequestFactory().get("/static/no/such/file.css"), "no/such/file.css")


def test_the_policy_page_says_which_measurement_needs_consent_and_which_is_exempt():
    with demo_settings():
        text = Client().get("/pages/cookies/").content.decode("utf-8")
    assert "Mesure d'audience exemptée" in text and "_pk_id" in text and "Mesure d'audience" in text
    assert "Exemptée de consentement" in text or "exemptée de consentement" in text
