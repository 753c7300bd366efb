"""What a decision is about, and for how long: the "something changed" banner decides only the changed
categories, an embed's "Toujours autoriser" only its own, and each category's answer lives 182 days from
its own decision (format 3 cookie); a format 2 cookie still reads. Also the key of the first layer
painted ahead of time (fingerprint.layer_key)."""

import copy

import pytest

from banner.consent import MAX_AGE_DAYS, decide
from banner.cookies import MAX_VALUE_LENGTH, consent_cookie_string, decode_consent, encode_consent
from banner.fingerprint import fingerprints, layer_key
from banner.manifest import MAX_CATEGORIES, parse_manifest
from banner.session import Session
from core_kit import NOW, DAY_MS, CID


@pytest.fixture
def three(parse, manifest_data):
    return parse(manifest_data(["analytics", "video", "social"]))


def cookie(consent):
    return "cookies_preferences=" + encode_consent(consent)


def retitled(parse, manifest_data, category):
    data = manifest_data(["analytics", "video", "social"])
    for c in data["categories"]:
        if c["id"] == category:
            c["title"] = "Nouveau titre"
    return parse(data)


@pytest.mark.parametrize("action, expected", [("accept_all", ("video", "social")), ("reject_all", ("social",))])
def test_in_the_changed_state_the_first_layer_buttons_decide_the_changed_categories_only(
        parse, manifest_data, three, config, action, expected):
    before = decide(three, "custom", NOW - DAY_MS, CID, ["video", "social"])       # analytics refused
    after = retitled(parse, manifest_data, "video")
    session = Session(after, config(), cookie(before), NOW)
    assert session.changed == ["video"] and session.first_layer_scope == ["video"]
    session.decide(action, NOW, CID, scope=session.first_layer_scope)
    assert session.consent.accepted == expected
    assert session.consent.decided_time("analytics") == NOW - DAY_MS     # untouched answers keep their age
    assert session.consent.decided_time("video") == NOW
    assert not session.needs_banner


def test_without_a_stored_choice_or_a_change_the_first_layer_decides_everything(three, config):
    assert Session(three, config(), "", NOW).first_layer_scope is None
    standing = decide(three, "reject_all", NOW - DAY_MS, CID)
    assert Session(three, config(), cookie(standing), NOW).first_layer_scope is None


def test_always_allow_keeps_the_other_categories_decision_times(three, config):
    before = decide(three, "custom", NOW - 100 * DAY_MS, CID, ["analytics"])
    session = Session(three, config(), cookie(before), NOW)
    session.decide("custom", NOW, CID, session.choices_with("video"), ["video"])
    again = decode_consent(encode_consent(session.consent))
    assert again.accepted == ("analytics", "video")
    assert again.decided_time("analytics") == NOW - 100 * DAY_MS
    assert again.decided_time("social") == NOW - 100 * DAY_MS
    assert again.decided_time("video") == NOW


def test_the_centre_or_a_first_decision_decides_every_category_now(three, config):
    before = decide(three, "custom", NOW - 100 * DAY_MS, CID, ["analytics"])
    session = Session(three, config(), cookie(before), NOW)
    session.decide("custom", NOW, CID, ["video"])                        # "Enregistrer mes choix"
    assert all(session.consent.decided_time(c) == NOW for c in three.optional_ids)


def test_a_category_expires_182_days_after_its_own_decision_and_is_asked_alone(three, config):
    old = decide(three, "accept_all", NOW - (MAX_AGE_DAYS + 8) * DAY_MS, CID)
    recent = decide(three, "custom", NOW - 10 * DAY_MS, CID, ["analytics", "video"], old, ["video"])
    session = Session(three, config(), cookie(recent), NOW)
    assert session.decided and session.needs_banner
    assert session.changed == ["analytics", "social"]
    assert session.accepted == ["necessary", "video"]
    day_before = Session(three, config(), cookie(recent), NOW - 9 * DAY_MS)
    assert day_before.changed == [] and day_before.accepted == ["necessary", "analytics", "video", "social"]


def test_when_every_category_expired_there_is_no_choice_at_all(three, config):
    old = decide(three, "accept_all", NOW - (MAX_AGE_DAYS + 1) * DAY_MS, CID)
    assert not Session(three, config(), cookie(old), NOW).decided


def test_ages_round_up_so_a_category_never_looks_younger_than_it_is(three):
    before = decide(three, "accept_all", NOW - 1500, CID)                # 1.5 s earlier
    made = decide(three, "accept_all", NOW, CID, (), before, ["video"])
    read = decode_consent(encode_consent(made))
    assert read.decided_time("analytics") == NOW - 2000 <= NOW - 1500
    assert read.decided_time("video") == NOW


def test_a_format_2_cookie_reads_with_every_category_decided_at_its_time(three, config):
    prints = fingerprints(three)
    value = "2.1.%d.%s.analytics=1~%s:video=0~%s:social=0~%s" % (
        NOW - DAY_MS, CID, prints["analytics"], prints["video"], prints["social"])
    read = decode_consent(value)
    assert read.version == 2 and read.accepted == ("analytics",)
    assert all(read.decided_time(c) == NOW - DAY_MS for c in three.optional_ids)
    session = Session(three, config(), "cookies_preferences=" + value, NOW)
    assert session.accepted == ["necessary", "analytics"] and not session.needs_banner
    written = session.decide("custom", NOW, CID, ["analytics", "social"], ["social"])
    assert written.startswith("cookies_preferences=4.1.%d." % NOW)    # written again as format 4


def test_a_server_decodes_a_format_3_cookie_with_the_same_code(three):
    made = decide(three, "custom", NOW, CID, ["video"], decide(three, "accept_all", NOW - 5 * DAY_MS, CID),
                  ["video"])
    header = "sessionid=x; " + cookie(made) + "; csrftoken=y"
    from http.cookies import SimpleCookie
    jar = SimpleCookie()
    jar.load(header)
    assert decode_consent(jar["cookies_preferences"].value) == made


def test_64_categories_each_decided_at_another_time_stay_well_under_4_kb():
    ids = ["c%02d" % i + "x" * 29 for i in range(MAX_CATEGORIES)]
    categories = [{"id": c, "title": c, "description": c} for c in ids]
    categories[0]["required"] = True
    cookies = [{"name": "n" + c, "provider": "P", "category": c, "lifetime": "1", "purpose": "X"} for c in ids]
    manifest = parse_manifest({"revision": 999999999999999, "categories": categories, "cookies": cookies})
    made = decide(manifest, "accept_all", NOW - MAX_AGE_DAYS * DAY_MS, "z" * 40)
    for i, c in enumerate(manifest.optional_ids):                     # one decision per category, all apart
        made = decide(manifest, "accept_all", NOW - (MAX_AGE_DAYS - i - 1) * DAY_MS + i * 997, "z" * 40,
                      (), made, [c])
    assert len(set(made.decided.values())) == MAX_CATEGORIES - 1
    header = consent_cookie_string(made, secure=True, domain="a-rather-long-subdomain.example.org")
    assert len(header.encode("utf-8")) < 3400 and len(encode_consent(made)) <= MAX_VALUE_LENGTH
    assert decode_consent(encode_consent(made)).decided == {
        c: made.decided_at - -(-(made.decided_at - t) // 1000) * 1000 for c, t in made.decided.items()}


# --- the key of a first layer painted ahead of time ---------------------------------------------------

@pytest.mark.parametrize("edit", [
    lambda d: d["categories"].append({"id": "video", "title": "Vidéos", "description": "Lecteurs"}),
    lambda d: d["categories"][1].update(title={"fr": "Mesure d'audience", "en": "Statistics"}),   # a translation
    lambda d: d["categories"][1].update(description="Autre chose"),
    lambda d: d["categories"][1].update(providers=[{"name": "Matomo"}]),
    lambda d: d["cookies"][1].update(name="_other"),
    lambda d: d.update(revision=2),
    lambda d: d["categories"].reverse(),
])
def test_the_layer_key_changes_with_anything_the_first_layer_shows_or_decides(edit):
    data = {"revision": 1, "categories": [
        {"id": "necessary", "required": True, "title": "Nécessaires", "description": "Toujours actifs"},
        {"id": "analytics", "title": {"fr": "Mesure d'audience", "en": "Audience"}, "description": "Compter"}],
        "cookies": [{"name": "sessionid", "provider": "P", "category": "necessary", "lifetime": "1", "purpose": "A"},
                    {"name": "_ga", "provider": "G", "category": "analytics", "lifetime": "1", "purpose": "B"}]}
    before = layer_key(parse_manifest(data, ["fr", "en"]))
    changed = copy.deepcopy(data)
    edit(changed)
    assert layer_key(parse_manifest(changed, ["fr", "en"])) != before
    assert layer_key(parse_manifest(copy.deepcopy(data), ["fr", "en"])) == before
