"""Exempt audience measurement (a category with "exempt": true): listed, on until the visitor opposes it,
its opposition remembered like any choice, never the reason for a banner; and the CNIL exemption's limits
on its cookies checked with a message naming the condition that fails."""

import pytest

from banner.consent import decide
from banner.cookies import decode_consent, encode_consent
from banner.errors import ManifestError
from banner.manifest import EXEMPT_MAX_AGE_DAYS, parse_manifest
from banner.session import Session
from core_kit import CID, NOW


def with_exempt(manifest_data, **cookie):
    data = manifest_data(["analytics"])
    data["categories"].append({"id": "audience", "exempt": True, "title": "Audience", "description": "Exempt"})
    data["cookies"].append(dict({"name": "_pk_id", "provider": "Matomo", "category": "audience",
                                 "lifetime": "13 mois", "purpose": "Mesure", "maxAgeDays": 395}, **cookie))
    return data


@pytest.fixture
def exempt(manifest_data):
    return parse_manifest(with_exempt(manifest_data), ["fr"])


def session(manifest, config, cookie="", gpc=False):
    return Session(manifest, config(), cookie, NOW, gpc=gpc)


def test_it_is_on_before_any_choice_and_needs_no_banner_by_itself(exempt, config, manifest_data):
    s = session(exempt, config)
    assert s.accepted == ["necessary", "audience"]
    assert s.needs_banner                              # for analytics, which needs consent
    alone = manifest_data([])
    alone["categories"].append({"id": "audience", "exempt": True, "title": "A", "description": "E"})
    only = parse_manifest(alone, ["fr"])
    assert only.consent_ids == [] and only.exempt_ids == ["audience"]
    assert not session(only, config).needs_banner and session(only, config).accepted == ["necessary", "audience"]


def test_refusing_everything_leaves_it_on_and_accepting_everything_keeps_it_on(exempt, config):
    s = session(exempt, config)
    s.decide("reject_all", NOW, CID)
    assert s.accepted == ["necessary", "audience"] and not s.needs_banner
    s.decide("accept_all", NOW + 1, CID)
    assert s.accepted == ["necessary", "analytics", "audience"]


def test_opposing_it_is_remembered_in_the_cookie_like_any_choice_and_outlives_tout_refuser(exempt, config):
    s = session(exempt, config)
    text = s.decide("custom", NOW, CID, ["analytics"])       # its switch off
    assert s.accepted == ["necessary", "analytics"]
    stored = decode_consent(text.split(";")[0].split("=", 1)[1])
    assert stored.fingerprints.keys() == {"analytics", "audience"} and "audience" not in stored.accepted
    back = session(exempt, config, "cookies_preferences=" + encode_consent(stored))
    assert back.accepted == ["necessary", "analytics"] and not back.needs_banner
    back.decide("reject_all", NOW + 1, CID)
    assert back.accepted == ["necessary"]                      # still opposed


def test_global_privacy_control_opposes_it_until_the_visitor_says_otherwise(exempt, config):
    assert session(exempt, config, gpc=True).accepted == ["necessary"]
    chosen = encode_consent(decide(exempt, "custom", NOW, CID, ["audience"]))
    assert session(exempt, config, "cookies_preferences=" + chosen, gpc=True).accepted == ["necessary", "audience"]


def test_a_change_in_it_asks_nobody_anything(exempt, config, manifest_data):
    made = encode_consent(decide(exempt, "accept_all", NOW, CID))
    data = with_exempt(manifest_data, purpose="Autre finalité")
    changed = parse_manifest(data, ["fr"])
    s = session(changed, config, "cookies_preferences=" + made)
    assert s.changed == [] and not s.needs_banner


@pytest.mark.parametrize("cookie, field, words", [
    ({"maxAgeDays": 400}, "cookies[2].maxAgeDays", "400 days is over the exemption's 13 months"),
    ({"maxAgeDays": None}, "cookies[2]", "needs each cookie's maxAgeDays"),
    ({"domain": "matomo.cloud"}, "cookies[2].domain", "exempt audience measurement uses first-party cookies only"),
])
def test_the_exemptions_limits_are_checked_and_the_failing_condition_named(manifest_data, cookie, field, words):
    data = with_exempt(manifest_data, **{k: v for k, v in cookie.items() if v is not None})
    if cookie.get("maxAgeDays", 0) is None:
        del data["cookies"][2]["maxAgeDays"]
    with pytest.raises(ManifestError) as raised:
        parse_manifest(data, ["fr"])
    assert [(p, m) for p, m in raised.value.problems if p == field and words in m], raised.value.problems
    assert EXEMPT_MAX_AGE_DAYS == 395


def test_a_category_is_never_both_required_and_exempt(manifest_data):
    data = manifest_data(["analytics"])
    data["categories"][0]["exempt"] = True
    with pytest.raises(ManifestError) as raised:
        parse_manifest(data, ["fr"])
    assert any(p == "categories[0].exempt" for p, _ in raised.value.problems)


def test_refusing_everything_that_needs_consent_stores_no_identifier_though_measurement_stays_on(exempt):
    """« Tout refuser » keeps exempt measurement on, and nothing about that needs proving: the six-month cookie
    must not carry a consent id that tells this visitor from every other who refused."""
    from banner.consent import NO_CONSENT_ID
    first = decide(exempt, "reject_all", NOW, "aaaaaaaaaaaaaaaa")
    second = decide(exempt, "custom", NOW, "bbbbbbbbbbbbbbbb", ["audience"])
    assert list(first.accepted) == list(second.accepted) == ["audience"]
    assert first.consent_id == second.consent_id == NO_CONSENT_ID
    assert encode_consent(first) == encode_consent(second)
    assert decide(exempt, "accept_all", NOW, "aaaaaaaaaaaaaaaa").consent_id == "aaaaaaaaaaaaaaaa"
