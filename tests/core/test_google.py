"""banner.google: the Google Consent Mode v2 signals a portal's categories produce."""

import pytest

from banner.config import GOOGLE_TYPES
from banner.fingerprint import fingerprints
from banner.google import WAIT_FOR_UPDATE_MS, consent_default, consent_update, unknown_categories
from banner.session import Session
from core_kit import NOW, CID

MAPPING = {
    "necessary": ["security_storage"],
    "analytics": ["analytics_storage"],
    "ads": ["ad_storage", "ad_user_data", "ad_personalization"],
}


@pytest.fixture
def manifest(parse, manifest_data):
    return parse(manifest_data(["analytics", "ads", "video"]))


def test_the_known_types_are_the_seven_of_consent_mode_v2():
    assert sorted(GOOGLE_TYPES) == sorted([
        "ad_storage", "ad_user_data", "ad_personalization", "analytics_storage", "functionality_storage",
        "personalization_storage", "security_storage"])


def test_the_default_denies_every_type_and_waits_for_the_update():
    signal = consent_default()
    assert signal == dict({t: "denied" for t in GOOGLE_TYPES}, wait_for_update=500)
    assert WAIT_FOR_UPDATE_MS == 500


def test_the_update_grants_the_types_of_accepted_categories_and_denies_the_other_mapped_types(manifest):
    assert consent_update(MAPPING, ["necessary", "analytics"], manifest) == {
        "security_storage": "granted", "analytics_storage": "granted",
        "ad_storage": "denied", "ad_user_data": "denied", "ad_personalization": "denied"}


def test_the_update_after_accept_all_grants_every_mapped_type(manifest):
    assert set(consent_update(MAPPING, ["necessary", "analytics", "ads", "video"], manifest).values()) == {"granted"}


def test_the_update_names_only_mapped_types(manifest):
    assert set(consent_update(MAPPING, [], manifest)) == {"security_storage", "analytics_storage", "ad_storage",
                                                          "ad_user_data", "ad_personalization"}
    assert consent_update({"analytics": ["analytics_storage"]}, [], manifest) == {"analytics_storage": "denied"}


@pytest.mark.parametrize("mapping", [
    {"analytics": ["analytics_storage", "ad_storage"], "ads": ["ad_storage"]},
    {"ads": ["ad_storage"], "analytics": ["analytics_storage", "ad_storage"]},
])
def test_a_type_mapped_from_two_categories_is_granted_when_either_is_accepted_whatever_the_order(mapping, manifest):
    assert consent_update(mapping, ["analytics"], manifest)["ad_storage"] == "granted"
    assert consent_update(mapping, ["ads"], manifest)["ad_storage"] == "granted"
    assert consent_update(mapping, ["ads"], manifest)["analytics_storage"] == "denied"
    assert consent_update(mapping, [], manifest)["ad_storage"] == "denied"


def test_unknown_categories_lists_mapped_categories_the_manifest_does_not_define(manifest):
    assert unknown_categories(MAPPING, manifest) == []                   # the required category may be mapped
    assert unknown_categories(dict(MAPPING, marketing=["ad_storage"], social=["ad_storage"]), manifest) == [
        "marketing", "social"]


def test_a_category_changed_since_the_choice_is_denied_until_asked_again(manifest, config):
    prints = dict(fingerprints(manifest), ads="000000")
    entries = ":".join("%s=1~%s" % (c, f) for c, f in prints.items())
    session = Session(manifest, config(), "cookies_preferences=2.1.%d.%s.%s" % (NOW, CID, entries), NOW)
    assert consent_update(MAPPING, session.accepted, manifest) == {
        "security_storage": "granted", "analytics_storage": "granted",
        "ad_storage": "denied", "ad_user_data": "denied", "ad_personalization": "denied"}


def test_an_exempt_category_grants_no_google_type_so_refusing_never_grants_more_than_not_answering(manifest_data):
    from banner.google import exempt_categories, problems
    from banner.manifest import parse_manifest
    from test_exempt import with_exempt
    manifest = parse_manifest(with_exempt(manifest_data), ["fr"])
    mapping = {"audience": ["ad_storage", "analytics_storage"], "analytics": ["analytics_storage"]}
    assert exempt_categories(mapping, manifest) == ["audience"]
    # after « Tout refuser » the exempt category is still accepted: its types stay denied all the same
    assert consent_update(mapping, ["necessary", "audience"], manifest) == {"ad_storage": "denied",
                                                                         "analytics_storage": "denied"}
    assert consent_update(mapping, ["necessary", "audience", "analytics"], manifest)["analytics_storage"] == "granted"
    assert [p.split(": ")[2] for p in problems(mapping, manifest)] == ["audience"]
