"""request.consent and the cookie refresh that outlives Safari's ITP, through Django's test client."""

import time
from http.cookies import SimpleCookie

import pytest
from django.test import Client, RequestFactory

from banner.consent import MAX_AGE_SECONDS
from banner.django.middleware import REFRESHED, ConsentMiddleware
from djapp_kit import DAY_MS, consent_cookie, portal


def set_cookie_headers(response):
    """name -> raw Set-Cookie header text, as the browser receives it."""
    return {m.key: m.OutputString() for m in response.cookies.values()}


def attributes(header):
    parts = [p.strip() for p in header.split(";")]
    return parts[0], {p.partition("=")[0].lower(): p.partition("=")[2] for p in parts[1:]}


def visit(path="/private/", value=None, secure=False, marker=False, **headers):
    cookies = (["cookies_preferences=" + value] if value is not None else []) + ([REFRESHED + "=1"] if marker else [])
    return Client(HTTP_COOKIE="; ".join(cookies), **headers).get(path, secure=secure)   # as a browser sends them


# -- request.consent -----------------------------------------------------------------------------------------
def consent_of(cookie_header, **headers):
    seen = {}

    def view(request):
        seen["consent"] = request.consent
        from django.http import HttpResponse
        return HttpResponse("ok")
    request = RequestFactory().get("/", HTTP_COOKIE=cookie_header, **headers)
    ConsentMiddleware(view)(request)
    return seen["consent"]


@portal()
def test_request_consent_is_the_decision_as_the_page_reads_it():
    value = consent_cookie(["analytics"])
    consent = consent_of("sessionid=x; cookies_preferences=%s; csrftoken=y" % value)
    assert consent.decided and consent.accepted == ["necessary", "analytics"]
    assert consent.accepts("analytics") and "analytics" in consent and consent.value == value
    refused = consent_of("cookies_preferences=" + consent_cookie([]))
    assert refused.decided and refused.accepted == ["necessary"] and not refused.accepts("analytics")
    assert consent_of("", HTTP_SEC_GPC="1").gpc


@portal()
@pytest.mark.parametrize("header", [
    "cookies_preferences=", "cookies_preferences=\"", "cookies_preferences=3.1.1.x.analytics=1",
    "cookies_preferences=%s" % ("9" * 5000), "cookies_preferences=\x00\xff; x=\"", "; ; ;=;",
    "cookies_preferences=a=b=c", "cookies_preferences=3.1.%d.k2m9x0c4a7q1v8z3.analytics=1" % (
        time.time() * 1000 + 3 * DAY_MS),
])
def test_a_tampered_cookie_never_raises_and_accepts_nothing_optional(header):
    consent = consent_of(header)
    assert not consent.decided and consent.accepted == ["necessary"] and consent.value is None
    assert consent.first_visit


@portal()
def test_a_forged_fingerprint_is_a_changed_category_asked_again_not_accepted():
    consent = consent_of("cookies_preferences=3.1.%d.k2m9x0c4a7q1v8z3.analytics=1~zzzzzz" % (time.time() * 1000))
    assert consent.accepted == ["necessary"] and consent.needs_banner and not consent.first_visit


@portal()
def test_of_several_cookies_the_newest_standing_decision_wins():
    old = consent_cookie([], decided_at=int(time.time() * 1000) - 10 * DAY_MS)
    new = consent_cookie(["analytics"], decided_at=int(time.time() * 1000) - DAY_MS)
    consent = consent_of("cookies_preferences=garbage; cookies_preferences=%s; cookies_preferences=%s" % (new, old))
    assert consent.accepted == ["necessary", "analytics"] and consent.value == new


@portal(MANIFEST="/nonexistent.json")
def test_a_broken_portal_configuration_fails_closed_without_raising():
    consent = consent_of("cookies_preferences=" + consent_cookie(["analytics"]))
    assert consent.error and consent.accepted == [] and not consent.accepts("analytics")
    assert not consent.first_visit
    assert "cookies_preferences" not in visit(value=consent_cookie(["analytics"])).cookies


# -- the refresh ----------------------------------------------------------------------------------------------
@portal()
def test_a_valid_cookie_is_sent_back_unchanged_with_its_remaining_lifetime():
    decided = int(time.time() * 1000) - 30 * DAY_MS
    value = consent_cookie(["analytics"], decided_at=decided)
    response = visit(value=value)
    pair, attrs = attributes(set_cookie_headers(response)["cookies_preferences"])
    assert pair == "cookies_preferences=" + value          # the same value, not quoted
    remaining = int(attrs["max-age"])
    expected = (decided + MAX_AGE_SECONDS * 1000) // 1000 - int(time.time())
    assert abs(remaining - expected) <= 2 and remaining <= MAX_AGE_SECONDS - 30 * 24 * 3600 + 2
    assert attrs["path"] == "/" and attrs["samesite"] == "Lax"
    assert "httponly" not in attrs and "secure" not in attrs and "domain" not in attrs
    assert "expires" in attrs
    marker = attributes(set_cookie_headers(response)[REFRESHED])
    assert marker[0] == REFRESHED + "=1" and int(marker[1]["max-age"]) == 24 * 3600 and "httponly" in marker[1]


@portal(COOKIE_DOMAIN="example.org")
def test_the_refresh_is_secure_on_https_and_its_copy_is_not_the_one_the_page_writes():
    """The page writes Domain=example.org (cookieDomain): the server's copy is host-only, another cookie."""
    from django.test import override_settings
    with override_settings(ALLOWED_HOSTS=["*"]):
        attrs = attributes(set_cookie_headers(visit(value=consent_cookie([]), secure=True,
                                                    HTTP_HOST="portal.example.org"))["cookies_preferences"])[1]
    assert "secure" in attrs and "domain" not in attrs


@portal()
@pytest.mark.parametrize("host, domain", [("portal.example.org", "portal.example.org"),
                                          ("portal.example.org:8000", "portal.example.org"),
                                          ("127.0.0.1", None), ("localhost", None)])
def test_without_cookie_domain_the_servers_copy_is_a_domain_cookie_of_the_host(host, domain):
    """The page writes a host-only cookie: the server's copy takes Domain=<host>, a cookie of its own (an
    IP address or a dotless host cannot have one)."""
    from django.test import override_settings
    with override_settings(ALLOWED_HOSTS=["*"]):
        cookies = set_cookie_headers(visit(value=consent_cookie([]), HTTP_HOST=host))
    for name in ("cookies_preferences", REFRESHED):
        assert attributes(cookies[name])[1].get("domain") == domain


@portal()
def test_copies_that_disagree_are_refreshed_with_the_newest_even_under_the_days_marker():
    """A refresh racing a decision left the server's copy older than the page's: the next response no
    cache can share puts the newest decision in it, whatever the marker says."""
    older = consent_cookie(["analytics"], decided_at=int(time.time() * 1000) - 3 * DAY_MS)
    newer = consent_cookie([], decided_at=int(time.time() * 1000) - 60000)
    response = Client(HTTP_COOKIE="cookies_preferences=%s; cookies_preferences=%s; %s=1" % (older, newer, REFRESHED)
                      ).get("/private/")
    assert response.cookies["cookies_preferences"].value == newer
    same = Client(HTTP_COOKIE="cookies_preferences=%s; cookies_preferences=%s; %s=1" % (newer, newer, REFRESHED)
                  ).get("/private/")
    assert "cookies_preferences" not in same.cookies


@portal()
def test_after_a_refresh_raced_a_withdrawal_the_withdrawal_stands():
    """The page withdrew (its host-only copy, newer); a response to a request sent before then re-set the
    older acceptance into the server's copy. Both reach the server and the page: the newest counts."""
    accepted = consent_cookie(["analytics"], decided_at=int(time.time() * 1000) - DAY_MS)
    withdrawn = consent_cookie([], decided_at=int(time.time() * 1000) - 1000)
    for header in ("cookies_preferences=%s; cookies_preferences=%s" % (withdrawn, accepted),
                   "cookies_preferences=%s; cookies_preferences=%s" % (accepted, withdrawn)):
        consent = consent_of(header)
        assert consent.accepted == ["necessary"] and consent.value == withdrawn



@portal(COOKIE_DOMAIN="bücher.example")
def test_a_domain_not_in_ascii_is_refused_and_no_cookie_is_sent_with_it(caplog):
    """A cookie's Domain is ASCII (RFC 6265: a host name as DNS writes it; a WSGI header cannot even carry
    most other characters): the setting is refused, saying to write the punycode form, nothing is sent
    with it, and the page fails closed."""
    import logging
    with caplog.at_level(logging.ERROR, logger="banner.django"):
        response = visit("/", value=consent_cookie(["analytics"]))
    assert response.status_code == 200
    assert "cookies_preferences" not in response.cookies and REFRESHED not in response.cookies
    assert any("cookieDomain: must be ASCII" in r.getMessage() and "punycode" in r.getMessage()
               for r in caplog.records)

@portal()
def test_at_most_once_a_day_while_the_marker_is_there():
    assert "cookies_preferences" not in visit(value=consent_cookie(["analytics"]), marker=True).cookies


@portal()
def test_never_past_the_lifetime_counted_from_the_decision():
    nearly = int(time.time() * 1000) - MAX_AGE_SECONDS * 1000 + 3600 * 1000
    cookies = set_cookie_headers(visit(value=consent_cookie([], decided_at=nearly)))
    assert 0 < int(attributes(cookies["cookies_preferences"])[1]["max-age"]) <= 3601
    assert int(attributes(cookies[REFRESHED])[1]["max-age"]) <= 3601


@portal()
@pytest.mark.parametrize("value", [None, "tampered", consent_cookie([], decided_at=1000)], ids=["none", "tampered", "expired"])
def test_nothing_is_sent_without_a_standing_decision(value):
    response = visit(value=value)
    assert "cookies_preferences" not in response.cookies and REFRESHED not in response.cookies


@portal()
@pytest.mark.parametrize("path, refreshed", [("/plain/", False), ("/", False), ("/private/", True),
                                             ("/session/", True)], ids=["plain", "tagged-page", "private", "session"])
def test_the_refresh_goes_only_on_responses_no_cache_can_give_another_visitor(path, refreshed):
    """A page any cache may keep for everyone must not carry one visitor's Set-Cookie; one that is private,
    no-store or varies with the Cookie header may."""
    response = visit(path, value=consent_cookie(["analytics"]))
    assert ("cookies_preferences" in response.cookies) is refreshed
    assert (REFRESHED in response.cookies) is refreshed


@portal(REFRESH=False)
def test_the_refresh_can_be_turned_off():
    assert "cookies_preferences" not in visit(value=consent_cookie([])).cookies


@portal()
def test_a_view_that_writes_the_decision_itself_is_left_alone():
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("ok")
        response.set_cookie("cookies_preferences", "mine")
        return response
    request = RequestFactory().get("/", HTTP_COOKIE="cookies_preferences=" + consent_cookie([]))
    response = ConsentMiddleware(view)(request)
    assert response.cookies["cookies_preferences"].value == "mine"


def test_the_cookie_value_round_trips_through_a_browser_cookie_parser():
    """What Set-Cookie carries is what document.cookie gives back to the page (no quotes, no escapes)."""
    value = consent_cookie(["analytics"])
    with portal():
        header = set_cookie_headers(visit(value=value))["cookies_preferences"]
    parsed = SimpleCookie()
    parsed.load(header)
    assert parsed["cookies_preferences"].value == value


# -- language ------------------------------------------------------------------------------------------------
def test_a_language_cookie_name_the_banner_does_not_write_is_reported_by_checks():
    from django.test import override_settings
    from banner.django.apps import check_language_cookie
    with portal():
        assert check_language_cookie() == []
        with override_settings(LANGUAGE_COOKIE_NAME="lang"):
            assert [w.id for w in check_language_cookie()] == ["consent_banner.W001"]
    with portal(LANGUAGES=["fr"]), override_settings(LANGUAGE_COOKIE_NAME="lang"):
        assert check_language_cookie() == []          # one language: the banner writes no cookie


# -- withdrawal reaches what the page cannot delete ---------------------------------------------------------
def expired(response):
    """(name, path, domain) of each cookie the response deletes (Max-Age=0), in order."""
    return [(m.key, m["path"], m["domain"] or None) for m in response.cookies.values() if m["max-age"] == 0]


def browser_visit(path, cookies, host="testserver", **headers):
    return Client(HTTP_COOKIE="; ".join(cookies), HTTP_HOST=host, **headers).get(path)


@portal()
def test_a_refused_categorys_cookie_the_browser_still_sends_is_expired_httponly_or_not_on_each_path_and_domain():
    """The page cannot delete an HttpOnly cookie, nor one set on a path it is not on: the server's answer
    to the refusing visitor's next request deletes it, wherever it may have been set."""
    cookies = ["cookies_preferences=" + consent_cookie([]), "demo_analytics_visits=3", "csrftoken=abc", "other=1"]
    response = browser_visit("/private/", cookies, host="www.portal.example")
    gone = expired(response)
    assert {(p, d) for n, p, d in gone if n == "demo_analytics_visits"} == \
        {(p, d) for p in ("/", "/private", "/private/") for d in (None, "www.portal.example", "portal.example")}
    assert {n for n, _, _ in gone} == {"demo_analytics_visits"}         # not the strictly necessary, not unknown
    header = [m.OutputString() for m in response.cookies.values() if m.key == "demo_analytics_visits"][0]
    assert "Max-Age=0" in header and "expires=Thu, 01 Jan 1970" in header.replace("Expires", "expires")


@portal()
def test_an_accepted_categorys_cookie_and_a_visitor_without_a_choice_are_left_alone():
    assert expired(browser_visit("/private/", ["cookies_preferences=" + consent_cookie(["analytics"]),
                                               "demo_analytics_visits=3"])) == []
    # no choice yet: nothing optional is accepted, so a cookie of it set before the banner goes too
    assert {n for n, _, _ in expired(browser_visit("/private/", ["demo_analytics_visits=3"]))} == \
        {"demo_analytics_visits"}


@portal()
def test_a_page_any_cache_could_share_becomes_private_when_it_carries_the_expiry():
    cookies = ["cookies_preferences=" + consent_cookie([]), "demo_analytics_visits=3"]
    response = browser_visit("/plain/", cookies)
    assert expired(response) != [] and "private" in response["Cache-Control"]
    untouched = browser_visit("/plain/", cookies[:1])                   # nothing to expire: still shareable
    assert expired(untouched) == [] and "private" not in untouched.get("Cache-Control", "")


@portal(COOKIE_DOMAIN="portal.example")
def test_a_stale_copy_of_the_choice_left_by_an_earlier_cookie_domain_is_expired():
    """With COOKIE_DOMAIN the page writes under portal.example and the server's copy is host-only: a copy
    under www.portal.example can only be an earlier setting's, and may hold an older choice."""
    cookies = ["cookies_preferences=" + consent_cookie([]), "cookies_preferences=" + consent_cookie(["analytics"])]
    gone = expired(browser_visit("/private/", cookies, host="www.portal.example"))
    assert gone == [("cookies_preferences", "/", "www.portal.example")]
    # one copy: nothing is stale
    assert expired(browser_visit("/private/", cookies[:1], host="www.portal.example")) == []


@portal()
def test_without_cookie_domain_a_copy_under_a_parent_domain_is_the_stale_one():
    cookies = ["cookies_preferences=" + consent_cookie([]), "cookies_preferences=" + consent_cookie([])]
    assert expired(browser_visit("/private/", cookies, host="www.portal.example")) == \
        [("cookies_preferences", "/", "portal.example")]
