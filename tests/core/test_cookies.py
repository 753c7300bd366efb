"""banner.cookies: the cookies_preferences value, the Set-Cookie strings, and which cookies get deleted."""

import pytest
from hypothesis import given, settings, strategies as st

import banner.cookies
from banner.consent import FORMAT_VERSION, MAX_AGE_SECONDS, Consent, decide
from banner.cookies import (MAX_VALUE_LENGTH, consent_cookie_string, cookie_domains,
                            decode_consent, encode_consent, erase_strings, names_to_clear, parse_cookie_header,
                            set_cookie_string)
from banner.manifest import MAX_CATEGORIES, parse_manifest
import core_kit
from core_kit import NOW, CID

FINGERPRINTS = {"analytics": "4ylmn1", "video": "0k9a2c"}
VALUE = "4.3.%d.%s.analytics=1~4ylmn1:video=0~0k9a2c" % (NOW, CID)       # the example of the module docstring
ERASE = "=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"


def consent(accepted=("analytics",), fingerprints=FINGERPRINTS, **fields):
    return core_kit.consent(accepted, fingerprints=fingerprints, **fields)


# --- the value -------------------------------------------------------------------------------------------

def test_the_format_version_is_4():
    assert FORMAT_VERSION == 4


def test_a_consent_encodes_to_the_documented_value():
    assert encode_consent(consent()) == VALUE
    aged = consent(decided={"analytics": NOW - 64095 * 1000})      # analytics decided 17 h 48 min 15 s earlier
    documented = VALUE.replace("4ylmn1:", "4ylmn1~1dgf:")
    assert encode_consent(aged) == documented
    assert "e.g. " + documented in banner.cookies.__doc__


def test_a_refusal_keeps_a_refused_entry_with_its_fingerprint_for_each_category():
    assert encode_consent(consent(accepted=())) == "4.3.%d.%s.analytics=0~4ylmn1:video=0~0k9a2c" % (NOW, CID)


def test_a_consent_without_fingerprints_encodes_accepted_entries_only():
    assert encode_consent(consent(accepted=("analytics", "video"), fingerprints={})) == (
        "4.3.%d.%s.analytics=1:video=1" % (NOW, CID))
    assert encode_consent(consent(accepted=(), fingerprints={})) == "4.3.%d.%s." % (NOW, CID)


def test_decode_reads_back_what_encode_wrote():
    decoded = decode_consent(VALUE)
    assert decoded == consent()
    assert decoded.version == 4
    assert decoded.accepted == ("analytics",)
    assert decoded.fingerprints == {"analytics": "4ylmn1", "video": "0k9a2c"}


def test_decode_reads_a_refusal_as_no_optional_category():
    decoded = decode_consent("3.3.%d.%s.analytics=0~4ylmn1:video=0~0k9a2c" % (NOW, CID))
    assert decoded.accepted == ()
    assert decoded.fingerprints == FINGERPRINTS
    assert decode_consent("3.3.%d.%s." % (NOW, CID)).accepted == ()


def test_decode_accepts_entries_without_a_fingerprint():
    decoded = decode_consent("3.3.%d.%s.analytics=1:video=0~0k9a2c:social=0" % (NOW, CID))
    assert decoded.accepted == ("analytics",)
    assert decoded.fingerprints == {"video": "0k9a2c"}


@pytest.mark.parametrize("value", [
    "3.3.%d.%s.analytics=1:video=1~0k9a2c" % (NOW, CID),              # fingerprints on some entries only
    "3.3.%d.%s.video=1~0k9a2c:analytics=1:social=0~000000" % (NOW, CID),
    "3.3.%d.%s.social=0~000000:video=1:analytics=1~4ylmn1" % (NOW, CID),
])
def test_a_value_with_fingerprints_on_some_entries_reads_back_as_the_same_consent(value):
    decoded = decode_consent(value)
    assert decoded is not None
    assert decode_consent(encode_consent(decoded)) == decoded


def test_a_consent_keeps_the_order_of_its_accepted_categories_whatever_it_has_fingerprints_for():
    made = consent(accepted=("analytics", "video", "social"), fingerprints={"video": "0k9a2c", "other": "000000"})
    assert encode_consent(made) == "4.3.%d.%s.analytics=1:video=1~0k9a2c:other=0~000000:social=1" % (NOW, CID)
    assert decode_consent(encode_consent(made)) == made


def test_decode_accepts_the_value_in_rfc_6265_quotes():
    assert decode_consent('"%s"' % VALUE) == consent()


def test_the_value_uses_only_cookie_octet_safe_characters():
    ids = ("a-b_c", "z9", "social_media-2")
    value = encode_consent(consent(accepted=ids[:2], fingerprints={c: "0az9zz" for c in ids}))
    for forbidden in ' ",;\\':
        assert forbidden not in value
    assert all(c in "0123456789abcdefghijklmnopqrstuvwxyz_:.=~-" for c in value)


@pytest.mark.parametrize("value", [
    "3.3.%d.%s" % (NOW, CID),                             # truncated: 4 fields
    "3.3.%d" % NOW,
    "2",
    "",
    "1.3.%d.%s.analytics" % (NOW, CID),                   # the older format version 1
    "1.3.%d.%s.analytics=1~4ylmn1" % (NOW, CID),          # a version-2 body under version 1
    "5.3.%d.%s.analytics=1~4ylmn1" % (NOW, CID),          # a newer format version
    "03.3.%d.%s.analytics=1~4ylmn1" % (NOW, CID),
    "0.3.%d.%s.analytics=1" % (NOW, CID),
    "02.3.%d.%s.analytics=1" % (NOW, CID),
    "2.0.%d.%s.analytics=1" % (NOW, CID),                 # revision 0
    "2.03.%d.%s.analytics=1" % (NOW, CID),                # leading zero
    "2.-3.%d.%s.analytics=1" % (NOW, CID),
    "3.3.%d.%s.analytics=1" % (NOW * 1000000, CID),       # a time of 19 digits
    "2.1234567890123456.%d.%s.analytics=1" % (NOW, CID),  # a revision of 16 digits
    "3.3.%d.short.analytics=1" % NOW,                     # consent id under 8 characters
    "3.3.%d.%s.analytics=1" % (NOW, "a" * 41),            # consent id over 40 characters
    "3.3.%d.K2M9X0C4A7Q1V8Z3.analytics=1" % NOW,          # consent id in capitals
    "3.3.%d.%s.analytics" % (NOW, CID),                   # an entry without "="
    "3.3.%d.%s.analytics~4ylmn1" % (NOW, CID),
    "3.3.%d.%s.analytics=1~4ylmn1:video" % (NOW, CID),
    "3.3.%d.%s.analytics=" % (NOW, CID),                  # a flag other than 0 or 1
    "3.3.%d.%s.analytics=2" % (NOW, CID),
    "3.3.%d.%s.analytics=true" % (NOW, CID),
    "3.3.%d.%s.analytics=01" % (NOW, CID),
    "3.3.%d.%s.analytics==1" % (NOW, CID),
    "3.3.%d.%s.analytics=1~" % (NOW, CID),                # a fingerprint of the wrong length
    "3.3.%d.%s.analytics=1~4ylmn" % (NOW, CID),
    "3.3.%d.%s.analytics=1~4ylmn12" % (NOW, CID),
    "2.3.%d.%s.analytics=1~~4ylmn" % (NOW, CID),          # an age in format 2
    "3.3.%d.%s.analytics=1~4ylmn1~" % (NOW, CID),         # an empty age
    "3.3.%d.%s.analytics=1~4ylmn1~0a" % (NOW, CID),       # an age with a leading zero
    "3.3.%d.%s.analytics=1~4ylmn1~9dmh3" % (NOW, CID),    # an age past the 182-day lifetime and its margin
    "3.3.%d.%s.analytics=1~4ylmn1~a~b" % (NOW, CID),      # a fourth part
    "3.3.%d.%s.analytics=1~4YLMN1" % (NOW, CID),          # a fingerprint with capitals
    "3.3.%d.%s.analytics=1~4ylm_1" % (NOW, CID),          # ... or another character
    "3.3.%d.%s.analytics=1~4ylmn1~4ylmn1" % (NOW, CID),
    "3.3.%d.%s.analytics=1~4ylmn1:analytics=0~4ylmn1" % (NOW, CID),   # a duplicate category
    "3.3.%d.%s.analytics=1:analytics=1" % (NOW, CID),
    "3.3.%d.%s.analytics=1:video=0~0k9a2c:analytics=0" % (NOW, CID),
    "3.3.%d.%s.Analytics=1" % (NOW, CID),                 # a category id that is not an id
    "3.3.%d.%s.=1~4ylmn1" % (NOW, CID),                   # an empty category id
    "3.3.%d.%s.analytics=1:" % (NOW, CID),                # an empty entry
    "3.3.%d.%s.:analytics=1" % (NOW, CID),
    "3.3.%d.%s.9lives=1" % (NOW, CID),
    "3.3.%d.%s.analytics=1.video=0" % (NOW, CID),         # 6 fields
    "2.３.%d.%s.analytics=1" % (NOW, CID),                # a non-ASCII digit
    '"%s' % VALUE,                                        # half-quoted
    "3.3.%d.%s.%s" % (NOW, CID, ":".join("c%d=1~000000" % i for i in range(400))),   # oversized
    "tarteaucitron=!analytics=true",
    "%7B%22necessary%22%3Atrue%7D",
    "{\"analytics\": true}",
])
def test_decode_returns_none_for_a_value_it_did_not_write(value):
    assert decode_consent(value) is None


def test_decode_rejects_a_truncated_value():
    assert decode_consent(VALUE[:VALUE.rindex(".")]) is None
    assert decode_consent(VALUE[:-1]) is None          # a fingerprint cut short


def test_decode_rejects_an_oversized_value_before_reading_it():
    accepted = ["c%d" % i for i in range(1200)]
    value = encode_consent(consent(accepted=accepted, fingerprints={}))
    assert len(value) > MAX_VALUE_LENGTH
    assert decode_consent(value) is None


@pytest.mark.parametrize("value", [None, 3, b"2.3.0.abcdefgh.", ["2"], {"a": 1}])
def test_decode_returns_none_for_something_that_is_not_a_string(value):
    assert decode_consent(value) is None


_ENTRY = r"[a-z][a-z0-9_-]{0,3}=[01](~[a-z0-9]{6})?"
WELL_FORMED = st.from_regex(r"\A2\.[1-9][0-9]{0,2}\.[0-9]{1,14}\.[a-z0-9]{8,12}\.(%s:){0,4}%s\Z" % (_ENTRY, _ENTRY))
ALMOST_VALID = st.from_regex(
    r"\A\"?2\.[0-9]{1,3}\.[0-9]{1,14}\.[a-z0-9]{6,12}\."
    r"([a-z9][a-z0-9_-]{0,3}=[01a]?(~[a-z0-9A]{5,7})?:){0,4}([a-z][a-z0-9_-]{0,3}=[01](~[a-z0-9]{6})?)?\"?\Z")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | ALMOST_VALID | WELL_FORMED)
def test_decode_never_raises_whatever_the_text(value):
    result = decode_consent(value)
    assert result is None or isinstance(result, Consent)
    if result is not None:
        # what it read is what it would write again
        assert decode_consent(encode_consent(result)) == result
        entries = value.strip('"').split(".")[4].split(":")
        for category in result.accepted:
            assert any(e == category + "=1" or e.startswith(category + "=1~") for e in entries)
        for category, fingerprint in result.fingerprints.items():
            assert category + ("=1~" if category in result.accepted else "=0~") + fingerprint in entries


def _categories(count):
    """`count` distinct 32-character category ids."""
    ids = ["c%02d" % i + "x" * 29 for i in range(count)]
    assert all(len(c) == 32 for c in ids)
    return ids


def test_64_categories_with_32_character_ids_all_accepted_fit_in_one_cookie():
    ids = _categories(MAX_CATEGORIES)
    made = consent(accepted=ids, revision=999999999999999, decided_at=9999999999999, consent_id="z" * 40,
                   fingerprints={c: "zzzzzz" for c in ids})
    header = consent_cookie_string(made, secure=True, domain="a-rather-long-subdomain.example.org")
    assert len(header.encode("utf-8")) < 4096
    assert len(encode_consent(made)) <= MAX_VALUE_LENGTH
    assert decode_consent(encode_consent(made)) == made


def test_accept_all_on_the_largest_manifest_fits_in_one_cookie_and_reads_back():
    ids = _categories(MAX_CATEGORIES)
    categories = [{"id": c, "title": c, "description": c} for c in ids]
    categories[0]["required"] = True
    cookies = [{"name": "n" + c, "provider": "P", "category": c, "lifetime": "1", "purpose": "X"} for c in ids]
    manifest = parse_manifest({"revision": 999999999999999, "categories": categories, "cookies": cookies})
    made = decide(manifest, "accept_all", 9999999999999, "z" * 40)
    assert len(made.accepted) == len(made.fingerprints) == MAX_CATEGORIES - 1
    header = consent_cookie_string(made, secure=True, domain="a-rather-long-subdomain.example.org")
    assert len(header.encode("utf-8")) < 4096
    assert decode_consent(encode_consent(made)) == made


# --- Set-Cookie strings ----------------------------------------------------------------------------------

def test_the_consent_cookie_string_on_http_has_path_max_age_and_samesite_only():
    assert consent_cookie_string(consent(), secure=False) == (
        "cookies_preferences=%s; Path=/; Max-Age=15724800; SameSite=Lax" % VALUE)


def test_the_consent_cookie_string_on_https_is_secure():
    assert consent_cookie_string(consent(), secure=True).endswith("; SameSite=Lax; Secure")


def test_the_consent_cookie_string_has_a_domain_only_when_one_is_configured():
    assert "Domain=" not in consent_cookie_string(consent(), secure=True)
    assert "Domain=" not in consent_cookie_string(consent(), secure=True, domain=None)
    assert "; Domain=example.org;" in consent_cookie_string(consent(), secure=True, domain="example.org")


def test_the_consent_cookie_lives_six_months():
    assert MAX_AGE_SECONDS == 15724800 == 182 * 24 * 3600


def test_set_cookie_string_puts_the_attributes_in_a_fixed_order():
    assert set_cookie_string("x", "1", 60, True, "example.org") == (
        "x=1; Path=/; Max-Age=60; SameSite=Lax; Domain=example.org; Secure")


# --- reading document.cookie -----------------------------------------------------------------------------

def test_parse_cookie_header_keeps_order_duplicates_and_values_with_equals_signs():
    text = "a=1; b=x=y;  a=2 ;junk; =nameless; c="
    assert parse_cookie_header(text) == [("a", "1"), ("b", "x=y"), ("a", "2"), ("c", "")]


@pytest.mark.parametrize("text", ["", None])
def test_parse_cookie_header_of_nothing_is_empty(text):
    assert parse_cookie_header(text) == []


# --- deleting cookies ------------------------------------------------------------------------------------

def test_cookie_domains_lists_the_host_and_each_parent_domain():
    assert cookie_domains("a.b.example.org") == ["a.b.example.org", "b.example.org", "example.org"]


@pytest.mark.parametrize("hostname", ["localhost", "127.0.0.1", "::1", "[::1]", "", "intranet"])
def test_cookie_domains_is_empty_for_a_single_label_host_or_an_ip_address(hostname):
    assert cookie_domains(hostname) == []


def test_cookie_domains_ignores_case_and_a_trailing_dot():
    assert cookie_domains("Data.Example.ORG.") == ["data.example.org", "example.org"]


def test_erase_strings_delete_a_cookie_host_only_and_on_every_parent_domain():
    assert erase_strings("_ga", "www.example.org") == [
        "_ga" + ERASE, "_ga" + ERASE + "; Domain=www.example.org", "_ga" + ERASE + "; Domain=example.org"]


def test_erase_strings_on_localhost_are_host_only():
    assert erase_strings("_ga", "localhost") == ["_ga" + ERASE]


@pytest.fixture
def full(parse, load_fixture):
    # categories: analytics (_ga + regex, local _ga), necessary (sessionid, django_language),
    # video (local yt-player-quality, VISITOR_INFO1_LIVE), social_media-2 (share_session + "^share_")
    return parse(load_fixture("good/full"), ["fr", "en"])


PRESENT = ["sessionid", "django_language", "_ga", "_ga_ABC123", "_gat", "VISITOR_INFO1_LIVE", "share_session",
           "share_count", "unrelated", "csrftoken"]


def test_names_to_clear_after_a_refusal_are_the_declared_optional_cookies_present(full, regex_test):
    assert names_to_clear(full, ["necessary"], PRESENT, regex_test) == [
        "_ga", "_ga_ABC123", "VISITOR_INFO1_LIVE", "share_session", "share_count"]


def test_names_to_clear_spare_the_accepted_categories(full, regex_test):
    assert names_to_clear(full, ["necessary", "analytics", "video"], PRESENT, regex_test) == [
        "share_session", "share_count"]


def test_names_to_clear_is_empty_when_everything_is_accepted(full, regex_test):
    assert names_to_clear(full, ["necessary"] + full.optional_ids, PRESENT, regex_test) == []


def test_names_to_clear_match_an_exact_name_only_when_there_is_no_regex(full, regex_test):
    assert names_to_clear(full, ["necessary"], ["VISITOR_INFO1_LIVE_2", "VISITOR_INFO1_LIVE"], regex_test) == [
        "VISITOR_INFO1_LIVE"]


def test_names_to_clear_use_the_regex_of_an_entry(full, regex_test):
    assert names_to_clear(full, ["necessary"], ["_ga_X9", "_ga_x9", "_gab"], regex_test) == ["_ga_X9"]


def test_names_to_clear_leave_cookies_the_manifest_does_not_declare(full, regex_test):
    assert names_to_clear(full, ["necessary"], ["unrelated", "csrftoken", "_gid"], regex_test) == []


def test_names_to_clear_list_each_present_name_once(full, regex_test):
    assert names_to_clear(full, ["necessary"], ["_ga", "_ga", "share_x"], regex_test) == ["_ga", "share_x"]


def test_names_to_clear_for_local_storage_use_the_local_entries_only(full, regex_test):
    keys = ["_ga", "yt-player-quality", "_ga_ABC123", "sessionid"]
    assert names_to_clear(full, ["necessary"], keys, regex_test, storage="local") == ["_ga", "yt-player-quality"]
    assert names_to_clear(full, ["necessary", "video"], keys, regex_test, storage="local") == ["_ga"]


def test_names_to_clear_never_clear_a_required_cookie_even_with_a_broad_regex_on_a_refused_category(
        parse, manifest_data, regex_test):
    data = manifest_data(["ads"])
    data["cookies"][1]["match"] = "^(c_|o)"             # "ads" claims the required cookie's name too
    manifest = parse(data)
    assert names_to_clear(manifest, ["necessary"], ["c_necessary", "c_ads", "other"], regex_test) == [
        "c_ads", "other"]


def test_names_to_clear_never_clear_a_required_cookie_declared_with_a_regex(parse, manifest_data, regex_test):
    data = manifest_data(["ads"])
    data["cookies"][0]["match"] = "^c_necessary(_[0-9]+)?$"   # a load-balancer cookie with a varying suffix
    data["cookies"][1]["match"] = "^c_"                       # a refused category with a broad regex
    manifest = parse(data)
    present = ["c_necessary", "c_necessary_42", "c_ads", "c_other"]
    assert names_to_clear(manifest, ["necessary"], present, regex_test) == ["c_ads", "c_other"]


def test_names_to_clear_spare_the_declared_name_of_an_accepted_entry_with_a_regex(parse, manifest_data, regex_test):
    data = manifest_data(["stats", "ads"])
    data["cookies"][1]["match"] = "^c_stats_"                 # accepted, declared by name and regex
    data["cookies"][2]["match"] = "^c_"                       # refused, broad
    manifest = parse(data)
    assert names_to_clear(manifest, ["necessary", "stats"], ["c_stats", "c_ads"], regex_test) == ["c_ads"]


# --- withdrawal on other paths -----------------------------------------------------------------------------

from banner.cookies import page_paths, withdrawal_strings  # noqa: E402

GONE = "=; Path=%s; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"


def test_the_paths_a_visible_cookie_may_have_are_the_prefixes_of_the_page_path():
    assert page_paths("/") == ["/"]
    assert page_paths("/explore/dataset/x") == ["/", "/explore", "/explore/", "/explore/dataset",
                                                "/explore/dataset/", "/explore/dataset/x"]
    assert page_paths("/pages/cookies/") == ["/", "/pages", "/pages/", "/pages/cookies", "/pages/cookies/"]
    assert page_paths("") == ["/"] and page_paths(None) == ["/"]
    assert len(page_paths("/a" * 100)) == 16


def _withdrawal_manifest(manifest_data):
    data = manifest_data(["analytics", "video"])
    data["cookies"][1]["paths"] = ["/explore/", "/api"]           # c_analytics
    data["cookies"][0]["paths"] = ["/admin/"]                     # c_necessary: never deleted
    return parse_manifest(data, ["fr"])


def test_a_present_cookie_of_a_refused_category_is_deleted_on_every_path_it_may_have(manifest_data):
    manifest = _withdrawal_manifest(manifest_data)
    strings = withdrawal_strings(manifest, ["necessary"], ["c_analytics", "c_necessary"], "localhost",
                                 "/explore/x", lambda p, n: False)
    assert strings == ["c_analytics" + GONE % p for p in ("/", "/explore", "/explore/", "/explore/x", "/api")]


def test_after_a_decision_cookies_declared_on_other_paths_are_deleted_there_even_unseen(manifest_data):
    manifest = _withdrawal_manifest(manifest_data)
    quiet = withdrawal_strings(manifest, ["necessary"], [], "portal.example.org", "/", lambda p, n: False)
    assert quiet == []                          # a plain page view writes nothing for what it cannot see
    strings = withdrawal_strings(manifest, ["necessary"], [], "portal.example.org", "/", lambda p, n: False,
                                 everywhere=True)
    for path in ("/explore/", "/api"):
        base = "c_analytics" + GONE % path
        assert [base, base + "; Domain=portal.example.org", base + "; Domain=example.org"] == \
            [s for s in strings if s.startswith(base)]
    assert not [s for s in strings if "c_necessary" in s or "c_video" in s]
    assert withdrawal_strings(manifest, ["necessary", "analytics"], [], "localhost", "/", lambda p, n: False,
                              everywhere=True) == []
