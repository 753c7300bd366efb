"""banner.consent: which categories a user action accepts, and when a stored choice still stands."""

import pytest
from hypothesis import given, settings, strategies as st

from banner.consent import (ACTIONS, CLOCK_SKEW_MS, FORMAT_VERSION, MAX_AGE_DAYS, Consent, changed_categories, decide,
                            is_current)
from banner.cookies import decode_consent, encode_consent, new_consent_id
from banner.fingerprint import fingerprints
from banner.manifest import MAX_CATEGORIES, parse_manifest
from core_kit import NOW, DAY_MS, CID, consent


@pytest.fixture
def manifest(manifest_data):
    return parse_manifest(manifest_data(["analytics", "video", "social"], revision=3), ["fr"])


def other(fingerprint):
    """A fingerprint of the same shape that differs from the given one."""
    return ("1" if fingerprint[0] == "0" else "0") + fingerprint[1:]


# --- decide ----------------------------------------------------------------------------------------------

def test_accept_all_accepts_every_optional_category_in_manifest_order(manifest):
    made = decide(manifest, "accept_all", NOW, CID)
    assert made.accepted == ("analytics", "video", "social")
    assert (made.version, made.revision, made.decided_at, made.consent_id) == (FORMAT_VERSION, 3, NOW, CID)


def test_reject_all_accepts_nothing_optional(manifest):
    assert decide(manifest, "reject_all", NOW, CID).accepted == ()


def test_a_custom_choice_is_stored_in_manifest_order_whatever_the_click_order(manifest):
    assert decide(manifest, "custom", NOW, CID, ["social", "analytics"]).accepted == ("analytics", "social")


def test_the_required_category_is_never_stored_in_a_decision(manifest):
    assert "necessary" not in decide(manifest, "accept_all", NOW, CID).accepted


@pytest.mark.parametrize("choices", [["necessary"], ["ads"], ["analytics", "ads"]])
def test_a_custom_choice_naming_an_unknown_or_required_category_is_a_programming_error(manifest, choices):
    with pytest.raises(ValueError):
        decide(manifest, "custom", NOW, CID, choices)


def test_a_decision_records_the_fingerprint_of_every_optional_category_whatever_it_accepts(manifest):
    for action in ("accept_all", "reject_all"):
        made = decide(manifest, action, NOW, CID)
        assert made.fingerprints == fingerprints(manifest)
        assert list(made.fingerprints) == ["analytics", "video", "social"]
        assert "necessary" not in made.fingerprints
        assert all(len(f) == 6 for f in made.fingerprints.values())


def test_an_unknown_action_is_a_programming_error(manifest):
    with pytest.raises(ValueError):
        decide(manifest, "accept_some", NOW, CID)


def test_the_known_actions_are_accept_all_reject_all_and_custom():
    assert sorted(ACTIONS) == ["accept_all", "custom", "reject_all"]


def test_a_consent_is_equal_to_another_with_the_same_fields_only():
    assert consent() == consent()
    assert consent() != consent(accepted=())
    assert consent() != consent(consent_id="zzzzzzzzzzzzzzzz")
    assert consent() != "2.3.%d.%s.analytics=1" % (NOW, CID)
    assert consent(fingerprints={"analytics": "000000"}) == consent(fingerprints={"analytics": "000000"})
    assert consent(fingerprints={"analytics": "000000"}) != consent(fingerprints={"analytics": "000001"})
    assert consent(fingerprints={"analytics": "000000"}) != consent()


# --- is_current ------------------------------------------------------------------------------------------

def test_a_fresh_consent_for_this_revision_is_current(manifest):
    assert is_current(consent(), manifest, NOW)


def test_a_consent_made_under_another_revision_is_not_current(manifest):
    assert not is_current(consent(revision=2), manifest, NOW)
    assert not is_current(consent(revision=4), manifest, NOW)


def test_a_consent_naming_a_category_the_manifest_no_longer_has_is_not_current(manifest):
    assert not is_current(consent(accepted=("analytics", "ads")), manifest, NOW)


def test_a_consent_that_stores_the_required_category_is_not_current(manifest):
    assert not is_current(consent(accepted=("necessary",)), manifest, NOW)


def test_a_consent_with_a_fingerprint_for_a_category_the_manifest_no_longer_has_is_not_current(manifest):
    current = fingerprints(manifest)
    assert is_current(consent(accepted=(), fingerprints=current), manifest, NOW)
    assert not is_current(consent(accepted=(), fingerprints=dict(current, ads="000000")), manifest, NOW)
    assert not is_current(consent(accepted=(), fingerprints=dict(current, necessary="000000")), manifest, NOW)


def test_a_consent_from_up_to_one_day_in_the_future_is_tolerated_as_clock_skew(manifest):
    assert CLOCK_SKEW_MS == DAY_MS
    assert is_current(consent(decided_at=NOW + DAY_MS), manifest, NOW)


def test_a_consent_from_more_than_one_day_in_the_future_is_not_current(manifest):
    assert not is_current(consent(decided_at=NOW + DAY_MS + 1), manifest, NOW)


def test_a_consent_is_current_for_182_days_and_not_a_millisecond_more(manifest):
    assert MAX_AGE_DAYS == 182
    assert is_current(consent(decided_at=NOW - 182 * DAY_MS), manifest, NOW)
    assert not is_current(consent(decided_at=NOW - 182 * DAY_MS - 1), manifest, NOW)
    assert not is_current(consent(decided_at=NOW - 365 * DAY_MS), manifest, NOW)


# --- changed_categories ---------------------------------------------------------------------------------

def test_nothing_changed_right_after_a_decision(manifest):
    assert changed_categories(decide(manifest, "accept_all", NOW, CID), manifest) == []
    assert changed_categories(decide(manifest, "reject_all", NOW, CID), manifest) == []


def test_a_category_whose_fingerprint_differs_has_changed_and_only_that_one(manifest):
    made = decide(manifest, "accept_all", NOW, CID)
    prints = dict(made.fingerprints, video=other(made.fingerprints["video"]))
    stale = consent(accepted=made.accepted, fingerprints=prints)
    assert changed_categories(stale, manifest) == ["video"]


def test_a_category_whose_content_changed_in_the_manifest_has_changed(manifest_data):
    before = parse_manifest(manifest_data(["analytics", "video"], revision=3), ["fr"])
    data = manifest_data(["analytics", "video"], revision=3)
    data["cookies"][2]["provider"] = "Another provider"        # c_video
    after = parse_manifest(data, ["fr"])
    made = decide(before, "custom", NOW, CID, ["video"])
    assert changed_categories(made, after) == ["video"]


def test_a_category_added_to_the_manifest_since_the_decision_has_changed(manifest_data):
    before = parse_manifest(manifest_data(["analytics"], revision=3), ["fr"])
    after = parse_manifest(manifest_data(["ads", "analytics", "video"], revision=3), ["fr"])
    made = decide(before, "accept_all", NOW, CID)
    assert is_current(made, after, NOW)
    assert changed_categories(made, after) == ["ads", "video"]


def test_a_refused_category_whose_content_changed_is_not_asked_again_before_six_months(manifest_data):
    """The re-ask rules (RE_ASK_RULES): an accepted category that changed is asked again; a refused one stands
    until its refusal expires, whatever changed; a new one is asked."""
    before = parse_manifest(manifest_data(["analytics", "video"], revision=3), ["fr"])
    data = manifest_data(["analytics", "video", "social"], revision=3)
    for cookie in data["cookies"]:
        cookie["purpose"] = "Une autre finalité"            # both categories' wording changes
    after = parse_manifest(data, ["fr"])
    made = decide(before, "custom", NOW, CID, ["video"])   # analytics refused, video accepted
    assert changed_categories(made, after, NOW + DAY_MS) == ["video", "social"]
    expiring = NOW + (MAX_AGE_DAYS + 1) * DAY_MS
    assert changed_categories(made, after, expiring) == ["analytics", "video", "social"]


def test_the_re_ask_rules_are_stated_once_and_readme_follows_them():
    import os
    from banner.consent import RE_ASK_RULES
    from core_kit import ROOT
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    for rule in RE_ASK_RULES:
        assert rule in readme, rule


def test_a_decision_stored_without_fingerprints_counts_every_category_as_changed(manifest):
    assert changed_categories(consent(accepted=("analytics",)), manifest) == ["analytics", "video", "social"]


# --- properties ------------------------------------------------------------------------------------------

IDS = st.from_regex(r"\A[a-z][a-z0-9_-]{0,31}\Z")


@st.composite
def decisions(draw):
    """A random manifest (1 required + up to 63 optional categories, some with a cookie), a random subset of
    its optional categories, and a random revision, decision time and consent id."""
    ids = draw(st.lists(IDS, min_size=1, max_size=MAX_CATEGORIES, unique=True))
    required_index = draw(st.integers(0, len(ids) - 1))
    revision = draw(st.integers(1, 999999999999999))
    categories = [{"id": cid, "title": cid, "description": cid} for cid in ids]
    categories[required_index]["required"] = True
    with_cookie = draw(st.lists(st.sampled_from(ids), unique=True))
    cookies = [{"name": "c%d" % i, "provider": cid, "category": cid, "lifetime": "1", "purpose": "P"}
               for i, cid in enumerate(with_cookie)]
    manifest = parse_manifest({"revision": revision, "categories": categories, "cookies": cookies}, ["fr"])
    optional = [cid for i, cid in enumerate(ids) if i != required_index]
    chosen = draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []
    now = draw(st.integers(0, 10 ** 13))
    consent_id = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=8, max_size=40))
    return manifest, chosen, now, consent_id


@settings(max_examples=100, deadline=None)
@given(decisions())
def test_any_decision_round_trips_through_the_cookie_and_stays_current(decision):
    manifest, chosen, now, consent_id = decision
    made = decide(manifest, "custom", now, consent_id, chosen)
    decoded = decode_consent(encode_consent(made))
    assert decoded == made
    assert set(decoded.accepted) == set(chosen)
    assert is_current(decoded, manifest, now)
    assert is_current(decoded, manifest, now + MAX_AGE_DAYS * DAY_MS)
    assert changed_categories(decoded, manifest) == []


FINGERPRINT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=6, max_size=6)


@settings(max_examples=60, deadline=None)
@given(decisions(), st.data())
def test_any_decision_with_any_fingerprints_round_trips_and_changes_exactly_where_they_differ(decision, data):
    manifest, chosen, now, consent_id = decision
    made = decide(manifest, "custom", now, consent_id, chosen)
    current = made.fingerprints
    drawn = {c: data.draw(FINGERPRINT | st.just(current[c])) for c in manifest.optional_ids}
    stored = Consent(version=FORMAT_VERSION, revision=made.revision, decided_at=now, consent_id=consent_id,
                     accepted=made.accepted, fingerprints=drawn)
    decoded = decode_consent(encode_consent(stored))
    assert decoded == stored
    assert decoded.fingerprints == drawn
    assert is_current(decoded, manifest, now)
    assert changed_categories(decoded, manifest) == [c for c in manifest.optional_ids
                                                     if drawn[c] != current[c] and c in decoded.accepted]


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=16, max_size=16))
def test_a_consent_id_made_from_random_bytes_is_a_valid_16_character_id(random_bytes):
    made = consent(consent_id=new_consent_id(random_bytes))
    assert len(made.consent_id) == 16
    assert decode_consent(encode_consent(made)) == made


def test_a_choice_accepting_nothing_optional_carries_the_same_id_for_every_visitor(manifest):
    """Nothing needs proving about a refusal: its cookie, kept six months, identifies no one. Two visitors who
    refused hold values that differ by their decision times only."""
    from banner.consent import NO_CONSENT_ID
    from banner.cookies import encode_consent
    first = decide(manifest, "reject_all", 1_700_000_000_000, "aaaaaaaaaaaaaaaa")
    second = decide(manifest, "custom", 1_700_000_000_000, "bbbbbbbbbbbbbbbb", [])
    assert first.consent_id == second.consent_id == NO_CONSENT_ID
    assert encode_consent(first) == encode_consent(second)
    accepted = decide(manifest, "accept_all", 1_700_000_000_000, "aaaaaaaaaaaaaaaa")
    assert accepted.consent_id == "aaaaaaaaaaaaaaaa"


def test_a_withdrawal_record_names_the_acceptance_it_takes_back_though_the_cookie_names_no_one(manifest):
    from banner.consent import NO_CONSENT_ID
    from banner.record import decision_record
    accepted = decide(manifest, "accept_all", 1_700_000_000_000, "aaaaaaaaaaaaaaaa")
    withdrawn = decide(manifest, "reject_all", 1_700_000_100_000, "bbbbbbbbbbbbbbbb", previous=accepted)
    assert withdrawn.consent_id == NO_CONSENT_ID
    record = decision_record(withdrawn, accepted, "reject_all", "fr", manifest, "centre", "")
    assert (record["action"], record["consentId"]) == ("withdraw", "aaaaaaaaaaaaaaaa")
    first = decision_record(decide(manifest, "reject_all", 1, "cccccccccccccccc"), None, "reject_all", "fr",
                            manifest, "first_layer", "")
    assert first["consentId"] == NO_CONSENT_ID
