"""{% consent_banner %}, {% consent_block %} and {% consent_policy %}, through Django's test client."""

import copy
import json
import logging

import pytest
from django.test import Client

from banner.fingerprint import layer_key
from banner.manifest import parse_manifest
from banner.server.prerender import layer_tree
from banner.server.document import MarkupError, to_html
from djapp_kit import DEMO_MANIFEST, by_id, consent_cookie, find_all, parse, portal


def get(path="/", cookies=None, **headers):
    client = Client(**headers)
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    return client.get(path)


def page(path="/", cookies=None, **headers):
    response = get(path, cookies, **headers)
    assert response.status_code == 200
    return parse(response.content.decode("utf-8"))


def script_of(tree):
    return [s for s in find_all(tree, "script") if "data-config" in s[1]][0]


def hiding_scripts(tree):
    return [s for s in find_all(tree, "script") if "src" not in s[1] and "data-consent" not in s[1]]


def config_of(tree):
    return json.loads(script_of(tree)[1]["data-config"])


def expected_tree(language="fr", manifest=None, **config):
    data = {"manifest": "/cookies.json", "languages": ["fr", "en"], "language": language,
            "policyUrl": "/policy/"}
    data.update(config)
    return layer_tree(data, parse_manifest(manifest or DEMO_MANIFEST, ["fr", "en"]), language)


def text_of(node):
    return "".join(c if isinstance(c, str) else text_of(c) for c in node[2])


def without_form(node):
    """A server layer's tree with its buttons as the page builds them (buttons of no form)."""
    if isinstance(node, str):
        return node
    tag, attrs, children = node
    if tag == "button" and "form" in attrs:
        attrs = {k: v for k, v in attrs.items() if k not in ("form", "name", "value")}
        attrs["type"] = "button"
    return [tag, attrs, [without_form(c) for c in children]]


def without_marks(node):
    tag, attrs, children = node
    marks = ("data-cb-prerendered", "data-cb-content", "data-cb-entered")
    return [tag, {k: v for k, v in attrs.items() if k not in marks}, children]


# -- {% consent_banner %}: pages the same for every visitor (the default) ------------------------------------
VISITORS = [({}, {}), ({"cookies_preferences": consent_cookie(["analytics"])}, {}),
            ({"cookies_preferences": consent_cookie([])}, {}), ({}, {"HTTP_SEC_GPC": "1"}),
            ({"cookies_preferences": "garbage"}, {})]


@portal()
def test_every_visitor_gets_the_same_bytes_so_any_cache_may_keep_the_page():
    sent = [get(cookies=cookies, **headers) for cookies, headers in VISITORS]
    assert len({r.content for r in sent}) == 1
    assert all("cookie" not in r.get("Vary", "").lower() and "Cache-Control" not in r for r in sent)
    assert all("cookies_preferences" not in r.cookies for r in sent)      # the refresh: never on such a page


@portal()
def test_the_first_layer_the_page_would_build_is_in_the_html_as_a_form_that_works_without_javascript():
    tree = page()
    body = find_all(tree, "body")[0]
    banner = by_id(tree, "cb-banner")
    # the very tree banner.ui.notice builds in the page for this data-config, its buttons a form's
    assert without_form(without_marks(banner)) == expected_tree("fr")
    assert banner[1]["data-cb-prerendered"] == ""
    assert banner[1]["data-cb-entered"] == ""           # painted with the page: no slide-in (consent.css)
    assert banner[1]["data-cb-content"] == layer_key(parse_manifest(DEMO_MANIFEST, ["fr", "en"]))
    # its stylesheet first (painted styled in the first frame), the script hiding it from a visitor who has
    # chosen, the form, the layer, then the loader
    order = [child[0] for child in body[2] if isinstance(child, list)][:5]
    assert order == ["link", "script", "form", "section", "script"]
    assert find_all(tree, "link")[0][1]["href"] == "/static/consent_banner/consent.css"
    assert script_of(tree)[1]["src"] == "/static/consent_banner/consent.js"
    form = find_all(tree, "form")[0]
    assert form[1] == {"id": "cb-form", "method": "post", "action": "/consent/consent-choice/"}
    assert find_all(form, "input")[0][1] == {"type": "hidden", "name": "next", "value": "/"}
    buttons = {b[1]["value"]: b[1] for b in find_all(banner, "button") if b[1].get("name") == "cb-action"}
    assert set(buttons) == {"accept_all", "reject_all", "customise", "providers"}
    assert all(b["type"] == "submit" and b["form"] == "cb-form" for b in buttons.values())
    assert [b[1]["value"] for b in find_all(banner, "button") if b[1].get("name") == "cb-language"] == ["fr", "en"]


@portal()
def test_the_script_hiding_the_layer_from_a_visitor_who_chose_is_the_one_its_csp_hash_allows():
    import base64
    import hashlib
    from banner.django.layer import SCRIPT_HASH
    hide = hiding_scripts(page())[0]
    digest = base64.b64encode(hashlib.sha256("".join(hide[2]).encode("utf-8")).digest()).decode("ascii")
    assert SCRIPT_HASH == "'sha256-%s'" % digest
    assert "cookies_preferences=" in "".join(hide[2]) and "data-cb-gpc" in hide[1]


@portal(RESPECT_GPC=False)
def test_without_gpc_the_hiding_script_leaves_gpc_visitors_the_layer():
    hide = hiding_scripts(page())[0]
    assert "data-cb-gpc" not in hide[1]


@portal()
def test_the_loader_tag_carries_what_its_early_path_needs_for_this_very_data_config():
    from banner.django.portal import manifest_text
    from banner.server.loader_facts import config_hash, text_hash
    tag = script_of(page())[1]
    early = json.loads(tag["data-cb-early"])
    assert early["config"] == config_hash(json.loads(tag["data-config"]))
    assert early["manifest"] == text_hash(manifest_text())
    assert [c["id"] for c in early["categories"]] == ["necessary", "analytics"]


@portal(CONFIG={"googleConsentMode": {"analytics": ["analytics_storage"]}})
def test_with_google_consent_mode_the_early_path_is_off():
    assert "data-cb-early" not in script_of(page())[1]


def consent_mode_signals(tree):
    tags = [s for s in find_all(tree, "script") if "data-cb-consent-mode" in s[1]]
    assert len(tags) == 1 and tags[0][1]["src"].endswith("/consent-mode.js") and "async" not in tags[0][1]
    assert find_all(tree, "script").index(tags[0]) < find_all(tree, "script").index(script_of(tree))
    return json.loads(tags[0][1]["data-cb-consent-mode"])


REQUIRE = ["push", "_paq", ["requireConsent"], ["requireConsent"]]


@portal(CONFIG={"vendors": {"matomo": "analytics", "piano": "analytics"}})
def test_vendor_signals_come_first_and_a_shared_page_says_only_what_holds_before_any_choice():
    """Parser-blocking, before any tag the page holds; the same for every visitor (the page is shared)."""
    before = [REQUIRE,
              ["merge", "pdl", {"requireConsent": "v2", "consent": {"defaultPreset": {"PA": "opt-out"}}}]]
    assert consent_mode_signals(page()) == {"vendors": before}
    assert consent_mode_signals(page(cookies={"cookies_preferences": consent_cookie(["analytics"])})) == \
        {"vendors": before}
    # on a return visit the loader tells them itself before it runs any tag: their signals come with it
    early = json.loads(script_of(page())[1]["data-cb-early"])
    decisions = ["setConsentGiven", "forgetConsentGiven"]
    assert early["vendors"][0] == ["analytics", [REQUIRE], [["push", "_paq", ["setConsentGiven"], decisions]],
                                   [["push", "_paq", ["forgetConsentGiven", 182 * 24], decisions]]]


@portal(PER_VISITOR=True, CONFIG={"vendors": {"matomo": "analytics"}})
def test_on_a_per_visitor_page_the_vendors_also_hear_the_standing_decision():
    accepted = consent_mode_signals(page(cookies={"cookies_preferences": consent_cookie(["analytics"])}))
    assert [s[2] for s in accepted["vendors"]] == [["requireConsent"], ["setConsentGiven"]]
    refused = consent_mode_signals(page(cookies={"cookies_preferences": consent_cookie([])}))
    assert refused["vendors"][-1][2][0] == "forgetConsentGiven"


@portal()
def test_the_script_tag_carries_the_data_config_of_the_settings_and_the_active_language():
    # languageCookie: LocaleMiddleware reads django_language, so the language choice writes it and reloads
    assert config_of(page()) == {"manifest": "/cookies.json", "languages": ["fr", "en"], "language": "fr",
                                 "languageCookie": True, "policyUrl": "/policy/",
                                 "consentLog": "/consent/consent-log/"}
    english = page(cookies={"django_language": "en"})
    assert config_of(english)["language"] == "en"
    assert without_form(without_marks(by_id(english, "cb-banner"))) == expected_tree("en")
    assert config_of(page(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8"))["language"] == "en"


@portal(MANIFEST_URL="consent_banner:manifest")
def test_the_manifest_url_may_name_the_apps_own_view_which_serves_the_very_text_the_server_hashes():
    from banner.django.portal import manifest_text
    assert config_of(page())["manifest"] == "/consent/cookies.json"
    response = get("/consent/cookies.json")
    assert response.content.decode("utf-8") == manifest_text() and response["Content-Type"].startswith("application/json")


# -- {% consent_banner %}: per-visitor pages -----------------------------------------------------------------
@portal(PER_VISITOR=True)
@pytest.mark.parametrize("cookies, headers", VISITORS[1:4], ids=["accepted", "refused", "global-privacy-control"])
def test_per_visitor_no_first_layer_is_rendered_when_a_decision_stands_or_gpc_answers(cookies, headers):
    response = get(cookies=cookies, **headers)
    tree = parse(response.content.decode("utf-8"))
    assert by_id(tree, "cb-banner") is None
    assert find_all(tree, "link") == []          # nothing render-blocking for a return visitor
    assert "data-cb-early" not in script_of(tree)[1]
    assert "private" in response["Cache-Control"]
    assert {"Cookie", "Sec-GPC"} <= {v.strip() for v in response["Vary"].split(",")}


@portal(PER_VISITOR=True)
def test_per_visitor_a_first_visit_gets_the_layer_without_the_hiding_script():
    tree = page()
    assert by_id(tree, "cb-banner") is not None
    assert hiding_scripts(tree) == []


@portal(PER_VISITOR=True)
@pytest.mark.parametrize("value", [
    "garbage", consent_cookie(["analytics"]).replace("analytics=1", "analytics=2"),
    consent_cookie(["analytics"], manifest=dict(copy.deepcopy(DEMO_MANIFEST), revision=99)),
    consent_cookie(["analytics"], decided_at=1000),
], ids=["garbage", "tampered", "other-revision", "expired"])
def test_a_cookie_that_does_not_stand_is_no_choice_the_first_layer_is_rendered(value):
    assert by_id(page(cookies={"cookies_preferences": value}), "cb-banner") is not None


@portal(MANIFEST_URL=None, COOKIE_DOMAIN="example.org", RESPECT_GPC=False, CONFIG={"reopenButton": True})
def test_without_a_manifest_url_the_manifest_is_inline_and_other_settings_reach_data_config():
    config = config_of(page())
    assert config["manifest"] == DEMO_MANIFEST
    assert (config["cookieDomain"], config["respectGPC"], config["reopenButton"]) == ("example.org", False, True)


@portal()
def test_the_csp_nonce_of_django_csp_goes_on_the_script_tag():
    from django.test import override_settings
    from djapp_kit import MIDDLEWARE
    with override_settings(MIDDLEWARE=["djapp_kit.nonce_middleware"] + MIDDLEWARE):
        assert script_of(page())[1]["nonce"] == "n0nce-for-test"
    assert "nonce" not in script_of(page())[1]


def test_manifest_strings_are_text_in_the_rendered_layer(tmp_path):
    manifest = copy.deepcopy(DEMO_MANIFEST)
    manifest["categories"][1]["title"] = {"fr": '<img src=x onerror="alert(1)">"&', "en": "</section><script>"}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with portal(MANIFEST=str(path)):
        for language in ("fr", "en"):
            text = get(cookies={"django_language": language}).content.decode("utf-8")
            assert "<img" not in text and "<script>" not in text.replace("<script src", "")
            banner = by_id(parse(text), "cb-banner")
            assert without_form(without_marks(banner)) == expected_tree(language, manifest)


def test_the_serialiser_refuses_what_the_first_layer_is_not_made_of():
    for tree in (["script", {}, ["x"]], ["div", {"onclick": "x()"}, []], ["a", {"href": "javascript:x()"}, []],
                 ["div", {"style": "x"}, []], ["div", {'a"b': "x"}, []]):
        with pytest.raises(MarkupError):
            to_html(tree)
    assert to_html(["p", {"class": 'a"b'}, ["<b>&"]]) == '<p class="a&quot;b">&lt;b&gt;&amp;</p>'


@portal(SERVER_RENDER=False)
def test_server_rendering_can_be_turned_off():
    assert by_id(page(), "cb-banner") is None


@portal(MANIFEST="/nonexistent/manifest.json")
def test_a_missing_manifest_fails_closed_with_one_logged_error(caplog):
    with caplog.at_level(logging.ERROR, logger="banner.django"):
        tree = page(cookies={"cookies_preferences": consent_cookie(["analytics"])})
    assert by_id(tree, "cb-banner") is None
    assert config_of(tree) == {}              # the page then reports it and runs nothing optional
    assert [s for s in find_all(tree, "script") if "data-consent" in s[1]] == []     # nothing of the block
    assert [t[1] for t in find_all(tree, "template")] == [{"data-cb-refused": ""}]
    assert any("manifest" in r.getMessage() for r in caplog.records)



@pytest.mark.parametrize("manifest_url", [None, "/cookies.json"])
@pytest.mark.parametrize("path", ["/", "/policy/"])
def test_a_manifest_string_holding_a_lone_surrogate_fails_closed_not_500(tmp_path, caplog, manifest_url, path):
    """A "\\ud800" escape without its pair used to pass the parser, then make every page using the tags
    answer 500 (UTF-8 cannot encode it): now the manifest is refused, naming the field, and pages work."""
    data = copy.deepcopy(DEMO_MANIFEST)
    data["categories"][1]["title"]["fr"] = "Mesure d'audience \ud800"
    file = tmp_path / "cookies.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    with portal(MANIFEST=str(file), MANIFEST_URL=manifest_url), caplog.at_level(logging.ERROR, logger="banner.django"):
        response = get(path, cookies={"cookies_preferences": consent_cookie(["analytics"])})
    assert response.status_code == 200
    tree = parse(response.content.decode("utf-8"))
    assert by_id(tree, "cb-banner") is None
    assert any("categories[1].title.fr: holds U+D800" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("path", ["/", "/policy/"])
def test_a_manifest_file_nested_too_deep_fails_closed_with_a_logged_error_not_500(tmp_path, caplog, path):
    file = tmp_path / "cookies.json"
    file.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    with portal(MANIFEST=str(file)), caplog.at_level(logging.ERROR, logger="banner.django"):
        response = get(path, cookies={"cookies_preferences": consent_cookie(["analytics"])})
    assert response.status_code == 200
    tree = parse(response.content.decode("utf-8"))
    assert by_id(tree, "cb-banner") is None
    if path == "/":                            # nothing optional runs: nothing of the block is sent
        assert [s for s in find_all(tree, "script") if "data-consent" in s[1]] == []
        assert [t[1] for t in find_all(tree, "template")] == [{"data-cb-refused": ""}]
    assert any("nested more than 64 levels deep" in r.getMessage() for r in caplog.records)


# -- {% consent_block %} --------------------------------------------------------------------------------------
def block(tree):
    scripts = [s for s in find_all(tree, "script") if "data-consent" in s[1]]
    return scripts, find_all(tree, "iframe")


BLOCKED = [{"type": "text/plain", "data-consent": "analytics", "data-src": "/analytics.js", "async": ""},
           {"type": "text/plain", "data-consent": "analytics"}]


def closed_block(tree):
    """The one block of the test page, sent closed: its template, and the scripts and iframes it holds."""
    templates = find_all(tree, "template")
    assert [t[1] for t in templates] == [{"data-consent": "analytics"}]
    return block(templates[0])


@portal()
@pytest.mark.parametrize("cookies", [{}, {"cookies_preferences": consent_cookie(["analytics"])},
                                     {"cookies_preferences": consent_cookie([])}, {"cookies_preferences": "x"}],
                         ids=["no-choice", "accepted", "refused", "tampered"])
def test_a_block_is_sent_closed_for_every_visitor_the_page_opens_it_once_accepted(cookies):
    scripts, frames = closed_block(page(cookies=cookies))
    assert [s[1] for s in scripts] == BLOCKED
    assert scripts[1][2] == ["window.x = 1 < 2;"]
    assert "src" not in frames[0][1] and frames[0][1]["data-src"] == "/embed.html"
    assert frames[0][1]["data-consent"] == "analytics"


@portal(PER_VISITOR=True)
def test_per_visitor_a_block_is_sent_live_when_the_decision_accepts_its_category():
    response = get(cookies={"cookies_preferences": consent_cookie(["analytics"])})
    text = response.content.decode("utf-8")
    tree = parse(text)
    assert [t[1] for t in find_all(tree, "template")] == [{"data-cb-live": "analytics"}]   # the page counts it as run
    scripts, frames = block(tree)
    assert [s[1] for s in scripts] == [
        {"src": "/analytics.js", "async": "", "data-consent": "analytics", "data-cb-ran": ""},
        {"data-consent": "analytics", "data-cb-ran": ""}]
    assert scripts[1][2] == ["window.x = 1 < 2;"]
    assert frames[0][1]["src"] == frames[0][1]["data-src"] == "/embed.html"
    assert "<p>a &amp; b</p>" in text                      # the rest of the fragment, as the browser reads it
    assert "Cookie" in response["Vary"] and "private" in response["Cache-Control"]


@portal(PER_VISITOR=True)
@pytest.mark.parametrize("cookies", [{}, {"cookies_preferences": consent_cookie([])}, {"cookies_preferences": "x"}],
                         ids=["no-choice", "refused", "tampered"])
def test_per_visitor_a_block_is_closed_otherwise(cookies):
    scripts, _ = closed_block(page(cookies=cookies))
    assert [s[1] for s in scripts] == BLOCKED


@portal(PER_VISITOR=True)
def test_a_category_whose_content_changed_since_the_decision_is_not_accepted():
    before = copy.deepcopy(DEMO_MANIFEST)
    before["categories"][1]["description"] = {"fr": "Autre texte", "en": "Other text"}
    scripts, _ = closed_block(page(cookies={"cookies_preferences": consent_cookie(["analytics"], manifest=before)}))
    assert [s[1] for s in scripts] == BLOCKED


# -- per-visitor pages inside Django's cache tools ------------------------------------------------------------
ACCEPTED = {"cookies_preferences": consent_cookie(["analytics"])}


@pytest.fixture
def empty_cache():
    from django.core.cache import cache
    cache.clear()
    yield
    cache.clear()


@portal(PER_VISITOR=True)
@pytest.mark.parametrize("path, tool", [("/fragment-cache/", "{% cache %}"), ("/page-cache/", "@cache_page"),
                                        ("/page-cache-response/", "TemplateResponse")],
                         ids=["cache-tag", "cache_page", "cache_page-template-response"])
def test_per_visitor_content_is_never_rendered_where_a_django_cache_keeps_it(path, tool, empty_cache, caplog):
    from banner.django.templatetags import consent_banner as tags
    tags._reported.clear()
    with caplog.at_level(logging.ERROR, logger="banner.django"):
        first = get(path, cookies=ACCEPTED)          # the first visitor accepted: their page is what is cached
    later = get(path)                               # a new visitor
    for response in (first, later):
        scripts = [s for s in find_all(parse(response.content.decode("utf-8")), "script") if "data-consent" in s[1]]
        assert scripts and all(s[1].get("type") == "text/plain" for s in scripts)
    assert [r.getMessage() for r in caplog.records if "PER_VISITOR" in r.getMessage() and tool in r.getMessage()]


@portal()
@pytest.mark.parametrize("path", ["/", "/fragment-cache/", "/page-cache/", "/page-cache-response/"],
                         ids=["per-site", "cache-tag", "cache_page", "cache_page-template-response"])
def test_pages_for_every_visitor_go_through_each_django_cache_without_carrying_anyones_choice(path, empty_cache):
    """Under the per-site cache (or a view's own cache tools), the first visitor accepted and was due for the
    refresh; what the cache then gives a new visitor holds neither their decision nor their cookie."""
    from django.test import override_settings
    from djapp_kit import MIDDLEWARE
    site = ["django.middleware.cache.UpdateCacheMiddleware"] + MIDDLEWARE + [
        "django.middleware.cache.FetchFromCacheMiddleware"]
    with override_settings(MIDDLEWARE=site, CACHE_MIDDLEWARE_SECONDS=600):
        first = get(path, cookies=ACCEPTED)
        later = get(path)
    assert "cookies_preferences" not in first.cookies and "cookies_preferences" not in later.cookies
    assert later.content == first.content
    scripts = closed_block(parse(later.content.decode("utf-8")))[0]
    assert scripts and all(s[1]["type"] == "text/plain" for s in scripts)


@portal(PER_VISITOR=True)
def test_per_visitor_pages_behind_the_per_site_cache_are_private_and_never_stored(empty_cache):
    from django.test import override_settings
    from djapp_kit import MIDDLEWARE
    outside = ["django.middleware.cache.UpdateCacheMiddleware"] + MIDDLEWARE + [
        "django.middleware.cache.FetchFromCacheMiddleware"]
    with override_settings(MIDDLEWARE=outside, CACHE_MIDDLEWARE_SECONDS=600):
        first = get(cookies=ACCEPTED)
        later = get()
    assert "private" in first["Cache-Control"]
    assert [s[1] for s in block(parse(first.content.decode("utf-8")))[0]][0]["data-cb-ran"] == ""
    assert [s[1] for s in closed_block(parse(later.content.decode("utf-8")))[0]] == BLOCKED


# -- {% consent_policy %} ---------------------------------------------------------------------------------------
@portal()
def test_the_policy_is_server_rendered_in_the_active_language_from_the_manifest():
    for language, word in (("fr", "Durée"), ("en", "Lifetime")):
        tree = page("/policy/", cookies={"django_language": language})
        policy = [n for n in find_all(tree, "div") if "data-consent-policy" in n[1]][0]
        assert policy[1]["lang"] == language and "data-cb-static" in policy[1]
        cells = [text_of(c) for c in find_all(policy, "td") + find_all(policy, "th")]
        assert {"sessionid", "csrftoken", "cookies_preferences", "demo_analytics"} <= set(cells)
        assert word in json.dumps(policy, ensure_ascii=False)


def stylesheets(tree):
    return [n for n in find_all(tree, "link") if n[1].get("href", "").endswith("consent.css")]


@portal(PER_VISITOR=True)
def test_a_policy_page_without_a_first_layer_brings_our_stylesheet_once():
    """A per-visitor page once the visitor has chosen writes no layer, so no stylesheet came with it:
    without JavaScript the policy's tables and its form's button would be drawn unstyled."""
    decided = {"cookies_preferences": consent_cookie(["analytics"])}
    assert len(stylesheets(page("/policy/", cookies=decided))) == 1
    assert len(stylesheets(page("/", cookies=decided))) == 0          # nothing render-blocking elsewhere
    assert len(stylesheets(page("/"))) == 1                           # a first visit: with the layer


# -- the DSFR look: the first layer the server writes has DSFR's consent-banner structure ----------------------
@portal(CONFIG={"look": "dsfr"})
def test_the_dsfr_first_layer_the_server_writes_has_the_specification_s_structure():
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "browser"))
    from dsfr_spec import class_paths, examples, tree_paths
    banner = by_id(page(), "cb-banner")
    assert "fr-consent-banner" in banner[1]["class"].split() and banner[1]["data-cb-look"] == "dsfr"
    ours = tree_paths(banner)
    missing = class_paths(examples()["banner"]) - ours
    assert missing == set(), "the DSFR specification's banner structure lacks: %r" % sorted(missing)
    # the very structure the page paints ahead of Python and then builds live
    painted = layer_tree({"manifest": "/cookies.json", "languages": ["fr", "en"], "look": "dsfr",
                          "policyUrl": "/policy/"}, parse_manifest(DEMO_MANIFEST, ["fr", "en"]), "fr")
    assert tree_paths(painted) == ours


def csp_portal():
    """The portal behind django-csp 4's own middleware, its script-src allowing 'self' and the nonce."""
    from csp.constants import NONCE, SELF
    from django.test import override_settings
    from djapp_kit import MIDDLEWARE
    return override_settings(MIDDLEWARE=["csp.middleware.CSPMiddleware"] + MIDDLEWARE,
                             CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [SELF, NONCE]}})


@portal(CONFIG={"googleConsentMode": {"analytics": ["analytics_storage"]}})
def test_with_django_csp_every_script_the_tag_writes_carries_the_nonce_the_policy_allows():
    with csp_portal():
        response = get()
    header = response["Content-Security-Policy"]
    assert "'nonce-" in header, header
    nonce = header.split("'nonce-", 1)[1].split("'", 1)[0]
    tree = parse(response.content.decode("utf-8"))
    scripts = [s for s in find_all(tree, "script") if "data-consent" not in s[1] and s[1].get("type") != "text/plain"]
    assert len(scripts) == 3                   # consent-mode.js, the hiding script, the loader
    assert [s[1].get("nonce") for s in scripts] == [nonce] * 3


@portal(POLICY="/cookies/")                    # a mistyped key (POLICY_URL)
def test_an_unknown_setting_fails_closed_and_every_page_is_still_served(caplog):
    accepted = {"cookies_preferences": consent_cookie(["analytics"])}
    with caplog.at_level(logging.ERROR, logger="banner.django"):
        tree = page(cookies=accepted)
        assert get("/policy/", accepted).status_code == 200
        assert get("/private/", accepted).status_code == 200
        assert get("/plain/").status_code == 200
    assert by_id(tree, "cb-banner") is None
    assert config_of(tree) == {}
    assert [t[1] for t in find_all(tree, "template")] == [{"data-cb-refused": ""}]     # nothing of the block
    assert any("POLICY" in r.getMessage() for r in caplog.records)
