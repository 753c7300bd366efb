"""banner.record: the proof-of-consent record sent to `consentLog` for each decision."""

import json

import pytest

from banner.consent import decide
from banner.fingerprint import fingerprints
from banner.server.receiver import FIELDS, parse_record
from banner import __version__
from banner.record import LOGGED_ACTIONS, SOURCES, classify, decision_record, once_record, reset_record
from core_kit import NOW, CID

CID2 = "a0b1c2d3e4f5g6h7"


@pytest.fixture
def manifest(parse, manifest_data):
    return parse(manifest_data(["analytics", "video", "social"], revision=3))


def made(manifest, action, choices=(), consent_id=CID2, now=NOW + 1000):
    return decide(manifest, action, now, consent_id, choices)


def test_a_record_holds_the_decision_and_nothing_about_the_visitor(manifest):
    record = decision_record(made(manifest, "custom", ["social", "analytics"]), None, "custom", "en", manifest,
                             "centre", "3f9a0c1b2d4e")
    assert record == {"bannerVersion": __version__, "build": "3f9a0c1b2d4e", "source": "centre","consentId": CID2, "time": NOW + 1000, "revision": 3, "language": "en", "action": "custom",
                      "accepted": ["analytics", "social"], "refused": ["video"],
                      "fingerprints": fingerprints(manifest)}
    assert sorted(record) == sorted(FIELDS + ("bannerVersion", "build", "source"))


def test_a_record_names_the_content_the_visitor_decided_on_with_the_fingerprints_the_cookie_stores(manifest):
    consent = made(manifest, "reject_all")
    record = decision_record(consent, None, "reject_all", "fr", manifest, "first_layer", "")
    assert record["fingerprints"] == consent.fingerprints
    assert sorted(record["fingerprints"]) == ["analytics", "social", "video"]


def test_accepted_and_refused_split_the_optional_categories_in_manifest_order(manifest):
    assert decision_record(made(manifest, "accept_all"), None, "accept_all", "fr", manifest, "first_layer", "")["refused"] == []
    record = decision_record(made(manifest, "reject_all"), None, "reject_all", "fr", manifest, "first_layer", "")
    assert (record["accepted"], record["refused"]) == ([], ["analytics", "video", "social"])


def test_the_known_actions_are_the_three_decisions_withdraw_and_allow_once():
    assert LOGGED_ACTIONS == ("accept_all", "reject_all", "custom", "withdraw", "allow_once")
    assert SOURCES == ("first_layer", "centre", "embed", "api", "form", "policy_form")


def test_the_banner_version_is_a_release_number():
    parts = __version__.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)


@pytest.mark.parametrize("action", ["accept_all", "reject_all", "custom"])
def test_a_first_decision_keeps_its_action(manifest, action):
    assert classify(None, made(manifest, action, ["video"] if action == "custom" else ()), action) == action


@pytest.mark.parametrize("action, choices", [("reject_all", ()), ("custom", ["video"]), ("custom", ["social"])])
def test_refusing_a_category_accepted_before_is_a_withdrawal(manifest, action, choices):
    previous = made(manifest, "custom", ["analytics", "video"], consent_id=CID, now=NOW)
    now = made(manifest, action, choices)
    assert classify(previous, now, action) == "withdraw"
    assert decision_record(now, previous, action, "fr", manifest, "centre", "")["action"] == "withdraw"


@pytest.mark.parametrize("action, choices", [
    ("accept_all", ()), ("custom", ["analytics", "video"]), ("custom", ["analytics", "video", "social"]),
])
def test_keeping_or_adding_to_what_was_accepted_is_not_a_withdrawal(manifest, action, choices):
    previous = made(manifest, "custom", ["analytics", "video"], consent_id=CID, now=NOW)
    assert classify(previous, made(manifest, action, choices), action) == action


def test_refusing_again_after_a_refusal_is_not_a_withdrawal(manifest):
    previous = made(manifest, "reject_all", consent_id=CID, now=NOW)
    assert classify(previous, made(manifest, "reject_all"), "reject_all") == "reject_all"
    assert classify(previous, made(manifest, "custom", ["video"]), "custom") == "custom"


@pytest.mark.parametrize("action, choices", [
    ("accept_all", ()), ("reject_all", ()), ("custom", ["video"]),
])
def test_every_record_the_banner_sends_is_one_the_reference_receiver_accepts(manifest, action, choices):
    previous = made(manifest, "accept_all", consent_id=CID, now=NOW)
    record = decision_record(made(manifest, action, choices), previous, action, "en-gb", manifest, "embed",
                             "0123456789abcdef")
    assert parse_record(json.dumps(record).encode("utf-8")) == record


def test_allow_once_is_logged_with_the_stored_choice_unchanged_and_the_category_it_loaded(manifest):
    stored = made(manifest, "custom", ["video"], consent_id=CID, now=NOW)
    record = once_record(CID, NOW + 5000, ("necessary",) + stored.accepted, "social", "fr", manifest, "ab12")
    assert record == {"bannerVersion": __version__, "build": "ab12", "source": "embed", "consentId": CID,
                      "time": NOW + 5000, "revision": 3, "language": "fr", "action": "allow_once", "once": "social",
                      "accepted": ["video"], "refused": ["analytics", "social"], "fingerprints": fingerprints(manifest)}
    assert parse_record(json.dumps(record).encode("utf-8")) == record


def test_a_reset_through_the_api_is_a_withdrawal_only_when_something_was_accepted(manifest):
    assert reset_record(None, NOW, "fr", manifest, "") is None
    assert reset_record(made(manifest, "reject_all"), NOW, "fr", manifest, "") is None
    record = reset_record(made(manifest, "custom", ["video"], consent_id=CID), NOW + 9, "en", manifest, "ab")
    assert (record["consentId"], record["time"], record["action"], record["source"]) == (CID, NOW + 9, "withdraw", "api")
    assert (record["accepted"], record["refused"]) == ([], ["analytics", "video", "social"])
    assert parse_record(json.dumps(record).encode("utf-8")) == record


# --- the providers accepted in a category offering a choice per provider -----------------------------------

@pytest.fixture
def choosing(parse, manifest_data):
    """analytics offers a choice between three providers; video does not."""
    data = manifest_data(["analytics", "video"], revision=3)
    data["categories"][1].update(providerChoice=True, providers=[
        {"name": "Carto Zeta", "hosts": ["maps.example"]}, {"name": "Atlas"}, {"name": "Orthophotos"}])
    return parse(data)


def chose(manifest, choices, providers=None, now=NOW + 1000):
    return decide(manifest, "custom", now, CID2, choices, providers=providers)


def test_a_record_names_the_providers_accepted_in_a_category_offering_the_choice(choosing):
    consent = chose(choosing, ["analytics"], {"analytics": ["Orthophotos", "Atlas"]})
    record = decision_record(consent, None, "custom", "fr", choosing, "centre", "")
    assert record["providers"] == {"analytics": ["Atlas", "Orthophotos"]}
    assert parse_record(json.dumps(record).encode("utf-8")) == record


def test_a_category_accepted_whole_names_every_provider_and_a_refused_one_none(choosing):
    whole = decision_record(chose(choosing, ["analytics"]), None, "custom", "fr", choosing, "centre", "")
    assert whole["providers"] == {"analytics": ["Atlas", "Carto Zeta", "Orthophotos"]}
    refused = decision_record(chose(choosing, ["video"]), None, "custom", "fr", choosing, "centre", "")
    assert refused["providers"] == {"analytics": []}
    assert parse_record(json.dumps(refused).encode("utf-8")) == refused


def test_a_manifest_offering_no_choice_per_provider_gives_records_without_the_field(manifest):
    assert "providers" not in decision_record(made(manifest, "accept_all"), None, "accept_all", "fr", manifest,
                                              "centre", "")


def test_taking_back_a_provider_is_a_withdrawal_and_adding_one_is_not(choosing):
    two = chose(choosing, ["analytics"], {"analytics": ["Atlas", "Carto Zeta"]}, now=NOW)
    one = chose(choosing, ["analytics"], {"analytics": ["Atlas"]})
    every = chose(choosing, ["analytics"])
    assert decision_record(one, two, "custom", "fr", choosing, "centre", "")["action"] == "withdraw"
    assert decision_record(every, two, "custom", "fr", choosing, "centre", "")["action"] == "custom"
    assert decision_record(one, every, "custom", "fr", choosing, "centre", "")["action"] == "withdraw"


def test_allow_once_and_reset_name_the_providers_of_the_choice_that_stands(choosing):
    stored = chose(choosing, ["analytics"], {"analytics": ["Atlas"]})
    once = once_record(CID, NOW, stored.accepted, "video", "fr", choosing, "", stored.providers)
    assert once["providers"] == {"analytics": ["Atlas"]}
    assert "providers" not in once_record(CID, NOW, stored.accepted, "video", "fr", choosing, "")
    reset = reset_record(stored, NOW + 9, "fr", choosing, "")
    assert reset["providers"] == {"analytics": []}
    for record in (once, reset):
        assert parse_record(json.dumps(record).encode("utf-8")) == record
