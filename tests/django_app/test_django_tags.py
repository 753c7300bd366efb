"""{% consent_banner %}, {% consent_block %} and {% consent_policy %}, through Django's test client."""

import copy
import json
import logging

import pytest
from django.test import Client

from banner.fingerprint import layer_key
from banner.manifest import parse_manifest
from banner.prerender import layer_tree
from banner.django.markup import MarkupError, to_html
from djapp_kit import DAY_MS, DEMO_MANIFEST, by_id, consent_cookie, find_all, parse, portal


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


def config_of(tree):
    return json.loads(script_of(tree)[1]["data-config"])


def expected_tree(language="fr", manifest=None, **config):
    data = {"manifest": "/cookies.json", "languages": ["fr", "en"], "language": language,
            "policyUrl": "/policy/"}
    data.update(config)
    return layer_tree(data, parse_manifest(manifest or DEMO_MANIFEST, ["fr", "en"]), language)


def text_of(node):
    return "".join(c if isinstance(c, str) else text_of(c) for c in node[2])


def without_marks(node):
    tag, attrs, children = node
    marks = ("data-cb-prerendered", "data-cb-content", "data-cb-entered")
    return [tag, {k: v for k, v in attrs.items() if k not in marks}, children]


# -- {% consent_banner %} -----------------------------------------------------------------------------------
@portal()
def test_a_first_visit_gets_the_first_layer_the_page_would_build_as_html_before_the_script():
    tree = page()
    body = find_all(tree, "body")[0]
    banner = by_id(tree, "cb-banner")
    assert banner is not None
    # the very tree banner.ui.notice builds in the page for this data-config, as the browser will parse it
    assert without_marks(banner) == expected_tree("fr")
    assert banner[1]["data-cb-prerendered"] == ""
    assert banner[1]["data-cb-entered"] == ""           # painted with the page: no slide-in (consent.css)
    assert banner[1]["data-cb-content"] == layer_key(parse_manifest(DEMO_MANIFEST, ["fr", "en"]))
    # its stylesheet first (painted styled in the first frame), then the layer, then the loader
    order = [child[0] for child in body[2] if isinstance(child, list)][:3]
    assert order == ["link", "section", "script"]
    assert find_all(tree, "link")[0][1]["href"] == "/static/consent_banner/consent.css"
    assert script_of(tree)[1]["src"] == "/static/consent_banner/consent.js"


@portal()
def test_the_script_tag_carries_the_data_config_of_the_settings_and_the_active_language():
    assert config_of(page()) == {"manifest": "/cookies.json", "languages": ["fr", "en"], "language": "fr",
                                 "policyUrl": "/policy/"}
    english = page(cookies={"django_language": "en"})
    assert config_of(english)["language"] == "en"
    assert without_marks(by_id(english, "cb-banner")) == expected_tree("en")
    assert config_of(page(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8"))["language"] == "en"


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


@portal()
@pytest.mark.parametrize("cookies, headers", [
    ({"cookies_preferences": consent_cookie(["analytics"])}, {}),
    ({"cookies_preferences": consent_cookie([])}, {}),
    ({}, {"HTTP_SEC_GPC": "1"}),
], ids=["accepted", "refused", "global-privacy-control"])
def test_no_first_layer_is_rendered_when_a_decision_stands_or_gpc_answers(cookies, headers):
    tree = page(cookies=cookies, **headers)
    assert by_id(tree, "cb-banner") is None
    assert find_all(tree, "link") == []          # nothing render-blocking for a return visitor
    assert script_of(tree)


@portal()
@pytest.mark.parametrize("value", [
    "garbage", consent_cookie(["analytics"]).replace("analytics=1", "analytics=2"),
    consent_cookie(["analytics"], manifest=dict(copy.deepcopy(DEMO_MANIFEST), revision=99)),
    consent_cookie(["analytics"], decided_at=1000),
], ids=["garbage", "tampered", "other-revision", "expired"])
def test_a_cookie_that_does_not_stand_is_no_choice_the_first_layer_is_rendered(value):
    assert by_id(page(cookies={"cookies_preferences": value}), "cb-banner") is not None


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
            assert without_marks(banner) == expected_tree(language, manifest)


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
    scripts = [s for s in find_all(tree, "script") if "data-consent" in s[1]]
    assert scripts and all(s[1]["type"] == "text/plain" for s in scripts)
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
    if path == "/":
        scripts = [s for s in find_all(tree, "script") if "data-consent" in s[1]]
        assert scripts and all(s[1]["type"] == "text/plain" for s in scripts)      # nothing optional runs
    assert any("nested more than 64 levels deep" in r.getMessage() for r in caplog.records)

# -- {% consent_block %} --------------------------------------------------------------------------------------
def block(tree):
    scripts = [s for s in find_all(tree, "script") if "data-consent" in s[1]]
    return scripts, find_all(tree, "iframe")


@portal()
def test_a_block_is_sent_live_when_the_decision_accepts_its_category():
    response = get(cookies={"cookies_preferences": consent_cookie(["analytics"])})
    text = response.content.decode("utf-8")
    scripts, frames = block(parse(text))
    assert [s[1] for s in scripts] == [
        {"src": "/analytics.js", "async": "", "data-consent": "analytics", "data-cb-ran": ""},
        {"data-consent": "analytics", "data-cb-ran": ""}]
    assert scripts[1][2] == ["window.x = 1 < 2;"]
    assert frames[0][1]["src"] == frames[0][1]["data-src"] == "/embed.html"
    assert "<p>a &amp; b</p>" in text                      # the rest of the fragment as written
    assert "Cookie" in response["Vary"]


@portal()
@pytest.mark.parametrize("cookies", [{}, {"cookies_preferences": consent_cookie([])}, {"cookies_preferences": "x"}],
                         ids=["no-choice", "refused", "tampered"])
def test_a_block_is_blocked_as_the_page_expects_otherwise(cookies):
    scripts, frames = block(page(cookies=cookies))
    assert [s[1] for s in scripts] == [
        {"type": "text/plain", "data-consent": "analytics", "data-src": "/analytics.js", "async": ""},
        {"type": "text/plain", "data-consent": "analytics"}]
    assert scripts[1][2] == ["window.x = 1 < 2;"]
    assert "src" not in frames[0][1] and frames[0][1]["data-src"] == "/embed.html"
    assert frames[0][1]["data-consent"] == "analytics"


@portal()
def test_a_category_whose_content_changed_since_the_decision_is_not_accepted():
    before = copy.deepcopy(DEMO_MANIFEST)
    before["categories"][1]["description"] = {"fr": "Autre texte", "en": "Other text"}
    scripts, _ = block(page(cookies={"cookies_preferences": consent_cookie(["analytics"], manifest=before)}))
    assert all(s[1].get("type") == "text/plain" for s in scripts)


def test_content_of_an_undeclared_third_party_stays_blocked_even_when_accepted():
    from banner.django.blocking import gate
    manifest = parse_manifest(DEMO_MANIFEST, ["fr", "en"])

    def undeclared(category, named, url):
        return manifest.undeclared(category, named, url, "portal.example")
    out = parse(gate('<script src="https://tracker.example/t.js"></script><iframe src="/m" data-provider="Other">'
                     '</iframe><script src="/own.js"></script>', "analytics", True, undeclared))
    scripts, frames = find_all(out, "script"), find_all(out, "iframe")
    assert scripts[0][1]["type"] == "text/plain" and "src" not in frames[0][1]
    assert scripts[1][1] == {"src": "/own.js", "data-consent": "analytics", "data-cb-ran": ""}


def test_a_script_type_is_kept_for_the_page_to_restore():
    from banner.django.blocking import gate
    out = find_all(parse(gate('<script type="module" src="/m.js"></script>', "analytics", False)), "script")
    assert out[0][1] == {"type": "text/plain", "data-consent": "analytics", "data-src": "/m.js",
                         "data-type": "module"}


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
