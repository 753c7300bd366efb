"""The first layer's and the policy page's forms, decided by the server without JavaScript
(banner.django.choice), through Django's test client: the page's own rules and cookie, a redirect back to
this site only, and nothing decided for a post made by another site's page."""

import pytest
from django.test import Client

from banner.cookies import decode_consent
from banner.django.portal import RequestConsent
from djapp_kit import consent_cookie, find_all, parse, portal

URL = "/consent/consent-choice/"
SAME = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def post(data, cookies=None, **headers):
    client = Client(**headers)
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    return client.post(URL, data)


def stored(response):
    return decode_consent(response.cookies["cookies_preferences"].value)


@portal()
@pytest.mark.parametrize("action, accepted", [("accept_all", ("analytics",)), ("reject_all", ())])
def test_a_first_layer_button_decides_with_the_pages_rules_and_sends_the_visitor_back(action, accepted):
    response = post({"cb-action": action, "next": "/policy/?x=1"}, **SAME)
    assert response.status_code == 303 and response["Location"] == "/policy/?x=1"
    assert response["Cache-Control"] == "no-store"
    consent = stored(response)
    assert consent is not None and consent.accepted == accepted
    morsel = response.cookies["cookies_preferences"]
    assert morsel["path"] == "/" and morsel["samesite"] == "Lax" and int(morsel["max-age"]) == 182 * 24 * 3600
    assert not morsel["httponly"]                      # the page reads it
    # what the page (and the server) then read
    from django.test import RequestFactory
    request = RequestFactory().get("/", HTTP_COOKIE="cookies_preferences=" + morsel.value)
    assert RequestConsent(request).accepted == ["necessary", *accepted]


@portal()
def test_the_policy_pages_choices_accept_what_is_ticked_and_refuse_the_rest():
    assert stored(post({"cb-action": "custom", "cb-category-analytics": "1"}, **SAME)).accepted == ("analytics",)
    assert stored(post({"cb-action": "custom", "cb-category-analytics": "0"}, **SAME)).accepted == ()
    assert stored(post({"cb-action": "custom"}, **SAME)).accepted == ()          # no answer is no consent


@portal()
def test_a_withdrawal_on_the_policy_page_replaces_an_acceptance():
    response = post({"cb-action": "custom", "cb-category-analytics": "0"},
                    cookies={"cookies_preferences": consent_cookie(["analytics"])}, **SAME)
    assert stored(response).accepted == ()


@portal()
def test_a_withdrawal_through_the_form_is_host_only_and_expires_a_copy_under_the_host():
    """The only copy the browser sends may be the server's refresh copy under Domain=<host> (Safari dropped
    the page's), which subdomains read too: the answer writing the refusal host-only expires it."""
    response = Client(HTTP_COOKIE="cookies_preferences=" + consent_cookie(["analytics"]),
                      HTTP_HOST="portal.example", **SAME).post(URL, {"cb-action": "reject_all"})
    written = [m for m in response.cookies.values() if m.key == "cookies_preferences" and m["max-age"] != 0]
    assert len(written) == 1 and not written[0]["domain"] and decode_consent(written[0].value).accepted == ()
    gone = [m["domain"] for m in response.cookies.values() if m.key == "cookies_preferences" and m["max-age"] == 0]
    assert gone == ["portal.example"]


@portal()
@pytest.mark.parametrize("action", ["customise", "providers"])
def test_customise_leads_to_the_policy_pages_choices_and_decides_nothing(action):
    response = post({"cb-action": action, "next": "/"}, **SAME)
    assert response.status_code == 303 and response["Location"] == "/policy/#cb-choices"
    assert "cookies_preferences" not in response.cookies


@portal()
def test_the_language_choice_writes_the_language_cookie_the_locale_middleware_reads():
    response = post({"cb-language": "en", "next": "/"}, **SAME)
    assert response.cookies["django_language"].value == "en"
    assert "django_language" not in post({"cb-language": "xx", "next": "/"}, **SAME).cookies


@portal()
@pytest.mark.parametrize("headers", [
    {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
    {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://sub.testserver"},
    {"HTTP_ORIGIN": "https://evil.example"},
    {"HTTP_ORIGIN": "null"},
    {},
], ids=["cross-site", "same-site", "foreign-origin", "null-origin", "no-header"])
def test_a_post_not_made_by_this_sites_own_page_decides_nothing(headers):
    response = post({"cb-action": "accept_all", "next": "/"}, **headers)
    assert response.status_code == 403 and "cookies_preferences" not in response.cookies


@portal()
def test_a_browser_without_sec_fetch_site_is_judged_by_its_origin():
    response = post({"cb-action": "reject_all", "next": "/"}, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 303 and stored(response).accepted == ()


@portal()
@pytest.mark.parametrize("wanted, referer, back", [
    ("https://evil.example/", None, "/"), ("//evil.example/x", None, "/"), ("/\\evil.example", None, "/"),
    ("https://evil.example/", "http://testserver/policy/", "http://testserver/policy/"),
    (None, "https://evil.example/", "/"),
])
def test_the_visitor_is_sent_back_to_this_site_only(wanted, referer, back):
    data = {"cb-action": "reject_all"}
    if wanted is not None:
        data["next"] = wanted
    headers = dict(SAME, **({"HTTP_REFERER": referer} if referer else {}))
    assert post(data, **headers)["Location"] == back


@portal()
def test_a_get_or_an_unknown_action_decides_nothing():
    assert Client().get(URL).status_code == 405
    response = post({"cb-action": "accept_everything"}, **SAME)
    assert response.status_code == 400 and "cookies_preferences" not in response.cookies


@portal()
def test_in_the_something_changed_state_the_buttons_act_on_the_changed_categories_only():
    """As in the page: the first layer's buttons then say they act on those categories, and the others keep
    their answer (here the manifest gains a category the visitor never answered)."""
    import copy
    from djapp_kit import DEMO_MANIFEST
    manifest = copy.deepcopy(DEMO_MANIFEST)
    manifest["categories"].append({"id": "video", "title": "Vidéos", "description": "Vidéos intégrées."})
    old = consent_cookie(["analytics"])
    with portal(MANIFEST=manifest):
        response = post({"cb-action": "reject_all"}, cookies={"cookies_preferences": old}, **SAME)
    assert stored(response).accepted == ("analytics",)
    assert "video" in stored(response).fingerprints


@portal()
def test_the_policy_page_carries_the_choices_form_posting_to_the_view():
    tree = parse(Client().get("/policy/").content.decode("utf-8"))
    form = [f for f in find_all(tree, "form") if f[1].get("id") == "cb-choices"][0]
    assert (form[1]["method"], form[1]["action"]) == ("post", URL)
    radios = [i[1] for i in find_all(form, "input") if i[1].get("type") == "radio"]
    assert [(r["name"], r["value"], "checked" in r) for r in radios] == [
        ("cb-category-analytics", "1", False), ("cb-category-analytics", "0", True)]
    labels = find_all(form, "label")
    assert {label[1]["for"] for label in labels} == {r["id"] for r in radios}
    hidden = {i[1]["name"]: i[1]["value"] for i in find_all(form, "input") if i[1]["type"] == "hidden"}
    assert hidden == {"next": "/policy/", "cb-action": "custom"}


@portal(PER_VISITOR=True)
def test_per_visitor_the_policy_form_shows_the_standing_choice():
    client = Client()
    client.cookies["cookies_preferences"] = consent_cookie(["analytics"])
    tree = parse(client.get("/policy/").content.decode("utf-8"))
    radios = [i[1] for i in find_all(tree, "input") if i[1].get("type") == "radio"]
    assert [(r["value"], "checked" in r) for r in radios] == [("1", True), ("0", False)]


@portal()
def test_a_refusal_by_form_expires_the_refused_categorys_cookies_httponly_ones_included():
    """What the page's script would delete, and what it never could (HttpOnly), goes with the 303."""
    response = post({"cb-action": "reject_all", "next": "/"}, cookies={"demo_analytics_visits": "3"}, **SAME)
    assert stored(response).accepted == ()
    gone = [m for m in response.cookies.values() if m.key == "demo_analytics_visits"]
    assert gone and all(m["max-age"] == 0 for m in gone)
    accepted = post({"cb-action": "accept_all", "next": "/"}, cookies={"demo_analytics_visits": "3"}, **SAME)
    assert [m for m in accepted.cookies.values() if m.key == "demo_analytics_visits"] == []


# -- a category offering a choice per provider ----------------------------------------------------------------
def choosing_manifest():
    import copy
    from djapp_kit import DEMO_MANIFEST
    manifest = copy.deepcopy(DEMO_MANIFEST)
    manifest["categories"][1].update(providerChoice=True, providers=[
        {"name": "Tiles", "hosts": ["tiles.example"]}, {"name": "Demo Dashboards", "hosts": ["dash.example"]}])
    return manifest


def provider_boxes(tree):
    form = [f for f in find_all(tree, "form") if f[1].get("id") == "cb-choices"][0]
    boxes = [i[1] for i in find_all(form, "input") if i[1].get("type") == "checkbox"]
    labels = {label[1]["for"]: label[2] for label in find_all(form, "label")}
    return [(b["name"], b["value"], "checked" in b, labels[b["id"]]) for b in boxes]


def test_the_policy_form_offers_a_checkbox_per_provider_of_a_category_offering_the_choice():
    with portal(MANIFEST=choosing_manifest()):
        tree = parse(Client().get("/policy/").content.decode("utf-8"))
    assert provider_boxes(tree) == [("cb-provider-analytics", "Demo Dashboards", True, ["Demo Dashboards"]),
                                    ("cb-provider-analytics", "Tiles", True, ["Tiles"])]


def test_the_providers_ticked_on_the_policy_page_are_the_ones_accepted():
    from django.test import RequestFactory
    with portal(MANIFEST=choosing_manifest()):
        response = post({"cb-action": "custom", "cb-category-analytics": "1",
                         "cb-provider-analytics": ["", "Tiles", "Forged"]}, **SAME)
        value = response.cookies["cookies_preferences"].value
        state = RequestConsent(RequestFactory().get("/", HTTP_COOKIE="cookies_preferences=" + value))
        assert state.accepted == ["necessary", "analytics"]
        assert state.allows("analytics", "Tiles") and not state.allows("analytics", "Demo Dashboards")
        assert state.accepted_providers() == {"analytics": ["Tiles"]}
        nothing = post({"cb-action": "custom", "cb-category-analytics": "1", "cb-provider-analytics": ""}, **SAME)
        assert stored(nothing).accepted == ()                     # asked, nothing ticked: refused
        whole = post({"cb-action": "custom", "cb-category-analytics": "1"}, **SAME)
        assert stored(whole).accepted == ("analytics",) and stored(whole).providers == {}


def test_per_visitor_the_policy_form_ticks_the_providers_the_visitor_accepted():
    manifest = choosing_manifest()
    client = Client()
    client.cookies["cookies_preferences"] = consent_cookie(["analytics"], manifest=manifest,
                                                           providers={"analytics": ["Demo Dashboards"]})
    with portal(MANIFEST=manifest, PER_VISITOR=True):
        tree = parse(client.get("/policy/").content.decode("utf-8"))
    assert [(value, checked) for _, value, checked, _ in provider_boxes(tree)] == [
        ("Demo Dashboards", True), ("Tiles", False)]


@portal()
def test_behind_login_required_middleware_an_anonymous_visitor_still_decides_and_fetches_the_manifest():
    """A portal whose pages need a login (Django 5.1's LoginRequiredMiddleware) still shows its banner to
    anonymous visitors on its public pages: the app's views never answer with the login redirect."""
    import django
    from django.test import override_settings
    from djapp_kit import MIDDLEWARE
    if django.VERSION < (5, 1):
        pytest.skip("LoginRequiredMiddleware is Django 5.1's")
    auth = ["django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.auth.middleware.LoginRequiredMiddleware"]
    with override_settings(MIDDLEWARE=MIDDLEWARE[:1] + auth + MIDDLEWARE[1:]):
        assert Client().get("/plain/").status_code == 302                  # the portal's own pages do ask
        manifest = Client().get("/consent/cookies.json")
        assert manifest.status_code == 200 and manifest["Content-Type"].startswith("application/json")
        decided = post({"cb-action": "reject_all", "next": "/"}, **SAME)
        assert decided.status_code == 303 and stored(decided).accepted == ()
        logged = Client().post("/consent/consent-log/", b"{}", content_type="application/json")
        assert logged.status_code == 400                                    # read and judged, not redirected
