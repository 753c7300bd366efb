"""Tampered and duplicated cookies_preferences values, at the Session level: a value that cannot be
trusted counts as no choice and the next decision replaces it; when the browser sends several values
(host-only and on a parent domain, or a stale copy), the newest one that still stands wins, whatever the
order, and a broken or future-dated copy never hides the decision.
Browser counterparts: tests/browser/test_stored_choice.py and test_cookies_on_real_hosts.py."""

import pytest
from hypothesis import given, strategies as st

from banner.consent import decide
from banner.cookies import decode_consent, encode_consent
from banner.session import Session
from core_kit import NOW, DAY_MS, CID


def choice(manifest, action, decided_at=NOW - 60000, consent_id=CID):
    return encode_consent(decide(manifest, action, decided_at, consent_id))


def header(*values):
    return "; ".join(["sessionid=abc"] + ["cookies_preferences=" + v for v in values] + ["csrftoken=t"])


def tampered(manifest):
    valid = choice(manifest, "accept_all")
    _, _, decided, cid, entries = valid.split(".")
    return {
        "truncated": valid[:-9],
        "oversized": valid + "".join(":x%d=1" % i for i in range(600)),
        "older-format-version": "1.1.%s.%s.analytics" % (decided, cid),
        "unknown-category": "2.1.%s.%s.%s:marketing=1" % (decided, cid, entries),
        "future-timestamp": choice(manifest, "accept_all", decided_at=NOW + 3 * DAY_MS),
        "hand-edited-accept-all": "2.1.%s.%s.*=1:analytics=yes" % (decided, cid),
        "json": '{"analytics":true}',
    }


CASES = ["truncated", "oversized", "older-format-version", "unknown-category", "future-timestamp",
         "hand-edited-accept-all", "json"]


@pytest.mark.parametrize("case", CASES)
def test_a_tampered_value_is_no_choice_and_the_next_decision_replaces_it(demo, config, case):
    value = tampered(demo)[case]
    session = Session(demo, config(), header(value), NOW)
    assert session.needs_banner and session.accepted == ["necessary"]

    written = session.decide("accept_all", NOW, "n3wc0ns3nt1d0000")
    new_value = written.split(";")[0].split("=", 1)[1]
    assert decode_consent(new_value).consent_id == "n3wc0ns3nt1d0000"
    # what the browser sends next: the new value replaced the old one (same name, host and path)
    reread = Session(demo, config(), header(new_value), NOW + 1000)
    assert not reread.needs_banner and reread.accepted == ["necessary", "analytics"]


# Values no version of ours wrote: the page names them in one console error. The others are choices that
# merely no longer stand (an older format, a category since removed, a clock ahead): no error for those.
UNREADABLE = ["truncated", "oversized", "hand-edited-accept-all", "json"]


@pytest.mark.parametrize("case", CASES)
def test_a_value_no_version_of_ours_wrote_is_set_apart_for_the_integrator(demo, config, case):
    value = tampered(demo)[case]
    session = Session(demo, config(), header(value, choice(demo, "reject_all")), NOW)
    assert session.unreadable == ([value] if case in UNREADABLE else [])


@pytest.mark.parametrize("case", CASES)
def test_a_tampered_copy_next_to_a_valid_decision_never_hides_it(demo, config, case):
    """A parent-domain copy is sent before or after the host's own cookie depending on its age and path."""
    valid = choice(demo, "reject_all")
    for text in (header(tampered(demo)[case], valid), header(valid, tampered(demo)[case])):
        session = Session(demo, config(), text, NOW)
        assert not session.needs_banner, text
        assert session.accepted == ["necessary"]
        assert session.consent == decode_consent(valid)


def test_of_two_valid_decisions_the_newest_counts_in_either_order(demo, config):
    older = choice(demo, "accept_all", decided_at=NOW - 2 * DAY_MS, consent_id="olderolderolder1")
    newer = choice(demo, "reject_all", decided_at=NOW - DAY_MS, consent_id="newernewernewer1")
    for text in (header(older, newer), header(newer, older)):
        session = Session(demo, config(), text, NOW)
        assert session.consent.decided_at == NOW - DAY_MS
        assert session.accepted == ["necessary"]


def test_a_copy_from_the_future_does_not_beat_a_current_decision(demo, config):
    future = choice(demo, "accept_all", decided_at=NOW + 3 * DAY_MS, consent_id="futurefuturefut1")
    current = choice(demo, "reject_all")
    session = Session(demo, config(), header(future, current), NOW)
    assert session.consent.decided_at < NOW + DAY_MS and session.accepted == ["necessary"]


def test_load_in_another_tab_sees_the_newest_of_several_copies(demo, config):
    session = Session(demo, config(), header(choice(demo, "reject_all")), NOW)
    newer = choice(demo, "accept_all", decided_at=NOW, consent_id="fromtheothertab1")
    session.load(header(choice(demo, "reject_all"), newer), NOW + 1000)
    assert session.accepted == ["necessary", "analytics"]


@given(junk=st.lists(st.text(alphabet="0123456789abcdefz.:=~*-_\"{}", max_size=60), max_size=4))
def test_any_mix_of_junk_copies_leaves_a_valid_decision_standing(parse, demo_data, config, junk):
    demo = parse(demo_data(), ["fr", "en"])
    valid = choice(demo, "accept_all")
    # junk never holds ";" (a cookie separator) and is never itself a newer valid decision
    junk = [v for v in junk if ";" not in v
            and (decode_consent(v) is None or decode_consent(v).decided_at < NOW - 60000)]
    session = Session(demo, config(), header(*(junk + [valid] + junk)), NOW)
    assert session.consent == decode_consent(valid)
