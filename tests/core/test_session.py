"""banner.session: what a page view shows and writes, given the manifest, the cookies and the clock."""

import pytest

from banner.consent import FORMAT_VERSION, decide
from banner.cookies import encode_consent
from banner.fingerprint import fingerprints
from banner.session import Session
from core_kit import NOW, DAY_MS, CID


@pytest.fixture
def three(parse, manifest_data):
    """necessary + analytics, video, social: one exact-name cookie each."""
    return parse(manifest_data(["analytics", "video", "social"]))


def value(manifest, accepted, revision=None, decided_at=NOW, **fingerprint_changes):
    """The cookies_preferences value a visitor accepting `accepted` under `manifest` would have, with the
    given fingerprints replaced (e.g. analytics="000000": the category changed since)."""
    prints = dict(fingerprints(manifest), **fingerprint_changes)
    entries = ["%s=%d~%s" % (c, c in accepted, f) for c, f in prints.items()]
    return "%d.%d.%d.%s.%s" % (FORMAT_VERSION, revision or manifest.revision, decided_at, CID, ":".join(entries))


def stored(manifest, accepted=("analytics",), **options):
    return "sessionid=abc; cookies_preferences=%s; csrftoken=t" % value(manifest, accepted, **options)


def test_without_a_consent_cookie_the_banner_shows_and_only_the_required_category_is_accepted(demo, config):
    session = Session(demo, config(), "sessionid=abc; csrftoken=t", NOW)
    assert session.needs_banner
    assert not session.decided
    assert session.accepted == ["necessary"]
    assert session.is_accepted("necessary")
    assert not session.is_accepted("analytics")


def test_a_valid_consent_cookie_hides_the_banner_and_gives_the_accepted_categories(demo, config):
    session = Session(demo, config(), stored(demo), NOW)
    assert not session.needs_banner
    assert session.decided
    assert session.accepted == ["necessary", "analytics"]
    assert session.is_accepted("analytics")


def test_a_stored_refusal_hides_the_banner_and_accepts_only_the_required_category(demo, config):
    session = Session(demo, config(), stored(demo, ()), NOW)
    assert not session.needs_banner
    assert session.accepted == ["necessary"]


def test_a_consent_made_under_another_manifest_revision_shows_the_banner_again(demo, config):
    session = Session(demo, config(), stored(demo, revision=2), NOW)
    assert session.needs_banner
    assert session.accepted == ["necessary"]


def test_a_consent_older_than_six_months_shows_the_banner_again(demo, config):
    assert Session(demo, config(), stored(demo, decided_at=NOW - 182 * DAY_MS), NOW).decided
    assert Session(demo, config(), stored(demo, decided_at=NOW - 183 * DAY_MS), NOW).needs_banner


def test_a_tampered_consent_cookie_counts_as_no_choice(demo, config):
    session = Session(demo, config(), "cookies_preferences=2.1.%d.%s.analytics=1:ads=1" % (NOW, CID), NOW)
    assert session.needs_banner
    assert session.accepted == ["necessary"]


def test_a_portal_with_only_strictly_necessary_cookies_never_shows_the_banner(parse, manifest_data, config):
    manifest = parse(manifest_data([]))
    session = Session(manifest, config(), "", NOW)
    assert not session.needs_banner
    assert not session.decided
    assert session.accepted == ["necessary"]


def test_decide_returns_the_cookie_string_and_updates_the_accepted_categories(demo, config):
    session = Session(demo, config(), "", NOW)
    written = session.decide("accept_all", NOW, CID)
    fingerprint = fingerprints(demo)["analytics"]
    assert written == ("cookies_preferences=4.1.%d.%s.analytics=1~%s; Path=/; Max-Age=15724800; SameSite=Lax"
                       % (NOW, CID, fingerprint))
    assert session.accepted == ["necessary", "analytics"]
    assert not session.needs_banner


def test_work_done_ahead_of_a_click_changes_neither_the_choice_nor_what_the_click_writes(three, config):
    assert three.prints is None                    # a first visit: nothing has hashed the categories yet
    ahead, fresh = Session(three, config(), "", NOW), Session(three, config(), "", NOW)
    ahead.prepare(NOW)
    assert three.prints is not None                # the fingerprints the click needs, worked out ahead
    assert (ahead.consent, ahead.accepted, ahead.changed) == (fresh.consent, fresh.accepted, fresh.changed)
    for action in ("reject_all", "accept_all"):
        assert ahead.decide(action, NOW + 5000, CID) == fresh.decide(action, NOW + 5000, CID)
        assert ahead.accepted == fresh.accepted
    partly = "cookies_preferences=" + value(three, ["analytics"])
    ahead, fresh = Session(three, config(), partly, NOW), Session(three, config(), partly, NOW)
    ahead.prepare(NOW)
    assert ahead.decide("reject_all", NOW + 5000, CID, scope=["video"]) == \
        fresh.decide("reject_all", NOW + 5000, CID, scope=["video"])


def test_a_decision_read_back_by_the_next_page_view_gives_the_same_categories(demo, config):
    written = Session(demo, config(), "", NOW).decide("custom", NOW, CID, ["analytics"])
    next_view = Session(demo, config(), written.split(";")[0], NOW + 1000)
    assert next_view.accepted == ["necessary", "analytics"]


def test_a_withdrawal_stamped_by_a_clock_running_behind_still_outranks_the_acceptance_it_withdraws(demo, config):
    """The browser keeps two copies when the Django refresh copied an acceptance the server's form stamped
    with the server's clock; the page withdraws with the visitor's clock, two minutes behind. The next page
    view reads both copies, and the newest counts: it must be the withdrawal."""
    acceptance = value(demo, ["analytics"], decided_at=NOW + 120_000)
    both = "cookies_preferences=%s" % acceptance
    written = Session(demo, config(), both, NOW).decide("reject_all", NOW, CID).split(";")[0]
    next_view = Session(demo, config(), "%s; %s" % (written, both), NOW + 1000)
    assert next_view.accepted == ["necessary"]
    assert not next_view.needs_banner


def test_decide_on_https_with_a_cookie_domain_writes_a_secure_domain_cookie(demo, config):
    session = Session(demo, config(cookieDomain=".example.org"), "", NOW, secure=True)
    written = session.decide("reject_all", NOW, CID)
    assert written.endswith("; SameSite=Lax; Domain=example.org; Secure")
    assert session.accepted == ["necessary"]


def test_load_rereads_a_choice_made_in_another_tab(demo, config):
    session = Session(demo, config(), "", NOW)
    session.load(stored(demo), NOW)
    assert session.accepted == ["necessary", "analytics"]
    session.load("", NOW)
    assert session.needs_banner


def test_forget_drops_the_choice_and_erases_the_consent_cookie_everywhere_it_may_be(demo, config):
    session = Session(demo, config(), stored(demo), NOW)
    erase = session.forget("www.example.org")
    assert session.needs_banner
    assert session.accepted == ["necessary"]
    assert [s.split("=")[0] for s in erase] == ["cookies_preferences"] * 3
    assert erase[0] == "cookies_preferences=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    assert erase[1].endswith("; Domain=www.example.org") and erase[2].endswith("; Domain=example.org")


def test_cookies_to_erase_deletes_present_cookies_of_refused_categories_on_every_domain(demo, config, regex_test):
    session = Session(demo, config(), stored(demo, ()), NOW)
    cookie_text = stored(demo, ()) + "; demo_analytics=1; demo_analytics_visits=4; other=1; django_language=fr"
    strings = session.cookies_to_erase(cookie_text, "data.example.org", regex_test)
    assert [s.split("=")[0] for s in strings] == ["demo_analytics"] * 3 + ["demo_analytics_visits"] * 3
    assert any(s.endswith("; Domain=example.org") for s in strings)


def test_cookies_to_erase_is_empty_once_the_category_is_accepted(demo, config, regex_test):
    session = Session(demo, config(), stored(demo), NOW)
    assert session.cookies_to_erase("demo_analytics=1; sessionid=s", "data.example.org", regex_test) == []


def test_without_a_choice_optional_cookies_are_erased_too(demo, config, regex_test):
    session = Session(demo, config(), "", NOW)
    assert session.cookies_to_erase("demo_analytics=1", "localhost", regex_test) == [
        "demo_analytics=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]


def test_storage_keys_to_remove_lists_local_keys_of_refused_categories(parse, load_fixture, config, regex_test):
    manifest = parse(load_fixture("good/full"), ["fr", "en"])
    session = Session(manifest, config(), stored(manifest, ["video"]), NOW)
    assert session.accepted == ["necessary", "video"]
    assert session.storage_keys_to_remove(["_ga", "yt-player-quality", "theme"], regex_test) == ["_ga"]


def test_a_choice_stored_in_the_older_format_counts_as_no_choice(demo, config):
    session = Session(demo, config(), "cookies_preferences=1.1.%d.%s.analytics" % (NOW, CID), NOW)
    assert not session.decided
    assert session.needs_banner
    assert session.accepted == ["necessary"]


# --- categories changed since the stored choice -------------------------------------------------------------

def test_a_stored_choice_whose_analytics_fingerprint_differs_asks_again_about_analytics_only(three, config):
    session = Session(three, config(), stored(three, ("analytics", "video"), analytics="000000"), NOW)
    assert session.decided
    assert session.changed == ["analytics"]
    assert session.needs_banner
    assert session.accepted == ["necessary", "video"]
    assert not session.is_accepted("analytics")


def test_an_unchanged_stored_choice_has_nothing_changed(three, config):
    session = Session(three, config(), stored(three, ("analytics", "video")), NOW)
    assert session.changed == []
    assert not session.needs_banner
    assert session.accepted == ["necessary", "analytics", "video"]


def test_a_refused_category_that_changed_is_not_asked_again_its_refusal_stands(three, config):
    """RE_ASK_RULES: nobody is asked twice within six months to accept what they refused."""
    session = Session(three, config(), stored(three, ("analytics",), social="000000"), NOW)
    assert session.changed == []
    assert not session.needs_banner
    assert session.accepted == ["necessary", "analytics"]


def test_an_accepted_category_that_changed_is_asked_again_and_not_accepted_meanwhile(three, config):
    session = Session(three, config(), stored(three, ("analytics",), analytics="000000"), NOW)
    assert session.changed == ["analytics"]
    assert session.needs_banner
    assert session.accepted == ["necessary"]


def test_a_cookie_added_to_a_category_asks_again_about_it(parse, manifest_data, config):
    data = manifest_data(["analytics", "video"])
    before = parse(data)
    data["cookies"].append({"name": "_pk_id", "provider": "P", "category": "analytics", "lifetime": "1 an",
                            "purpose": "X"})
    session = Session(parse(data), config(), stored(before, ("analytics", "video")), NOW)
    assert session.changed == ["analytics"]
    assert session.needs_banner
    assert session.accepted == ["necessary", "video"]


def test_a_category_added_to_the_manifest_counts_as_changed(parse, manifest_data, config):
    before = parse(manifest_data(["analytics"]))
    after = parse(manifest_data(["analytics", "video"]))
    session = Session(after, config(), stored(before, ("analytics",)), NOW)
    assert session.decided
    assert session.changed == ["video"]
    assert session.needs_banner
    assert session.accepted == ["necessary", "analytics"]


def test_a_category_removed_from_the_manifest_makes_the_stored_choice_no_choice(parse, manifest_data, config):
    before = parse(manifest_data(["analytics", "video"]))
    after = parse(manifest_data(["analytics"]))
    session = Session(after, config(), stored(before, ("analytics",)), NOW)    # video refused, but named
    assert not session.decided
    assert session.needs_banner
    assert session.accepted == ["necessary"]


def test_deciding_again_clears_the_changed_categories(three, config):
    session = Session(three, config(), stored(three, ("analytics", "video"), analytics="000000"), NOW)
    written = session.decide("custom", NOW + 1000, CID, ["analytics", "video"])
    assert session.changed == [] and not session.needs_banner
    assert session.accepted == ["necessary", "analytics", "video"]
    next_view = Session(three, config(), written.split(";")[0], NOW + 2000)
    assert next_view.changed == [] and not next_view.needs_banner
    assert next_view.accepted == ["necessary", "analytics", "video"]


def test_forget_clears_the_changed_categories(three, config):
    session = Session(three, config(), stored(three, ("analytics",), analytics="000000"), NOW)
    session.forget("example.org")
    assert session.changed == []
    assert session.needs_banner and not session.decided


def test_load_recomputes_the_changed_categories(three, config):
    session = Session(three, config(), stored(three, ("analytics",), analytics="000000"), NOW)
    session.load(stored(three, ("analytics",)), NOW)
    assert session.changed == []
    assert session.accepted == ["necessary", "analytics"]


def test_a_changed_category_is_erased_until_the_visitor_accepts_it_again(parse, demo_data, config, regex_test):
    demo = parse(demo_data(), ["fr", "en"])
    session = Session(demo, config(), stored(demo, ("analytics",), analytics="000000"), NOW)
    assert session.cookies_to_erase("demo_analytics=1", "localhost", regex_test) == [
        "demo_analytics=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]


# --- Global Privacy Control -----------------------------------------------------------------------------------

def test_with_gpc_and_no_stored_choice_no_banner_shows_and_only_the_required_category_is_accepted(three, config):
    session = Session(three, config(), "sessionid=abc", NOW, gpc=True)
    assert config().respect_gpc is True
    assert not session.needs_banner
    assert not session.decided
    assert session.accepted == ["necessary"]


def test_with_gpc_nothing_is_written_until_the_visitor_decides(three, config):
    session = Session(three, config(), "", NOW, gpc=True)
    assert session.consent is None
    written = session.decide("custom", NOW, CID, ["video"])      # through the footer link
    assert written.startswith("cookies_preferences=4.1.")
    assert session.accepted == ["necessary", "video"]


def test_gpc_is_ignored_when_the_portal_sets_respect_gpc_false(three, config):
    session = Session(three, config(respectGPC=False), "", NOW, gpc=True)
    assert session.needs_banner
    assert session.accepted == ["necessary"]


def test_without_gpc_the_banner_shows(three, config):
    assert Session(three, config(), "", NOW, gpc=False).needs_banner


def test_an_explicit_stored_choice_wins_over_gpc(three, config):
    session = Session(three, config(), stored(three, ("analytics", "video")), NOW, gpc=True)
    assert session.decided
    assert not session.needs_banner
    assert session.accepted == ["necessary", "analytics", "video"]


def test_with_gpc_changed_categories_are_refused_without_asking(three, config):
    session = Session(three, config(), stored(three, ("analytics", "video"), analytics="000000"), NOW, gpc=True)
    assert session.changed == ["analytics"]
    assert not session.needs_banner
    assert session.accepted == ["necessary", "video"]


def test_a_stored_value_made_by_decide_is_read_back_unchanged(three, config):
    written = Session(three, config(), "", NOW).decide("custom", NOW, CID, ["social"])
    assert written.split(";")[0] == "cookies_preferences=" + encode_consent(
        decide(three, "custom", NOW, CID, ["social"]))
    assert written.split(";")[0] == "cookies_preferences=" + value(three, ("social",))


# --- the rules the page applies after a decision -----------------------------------------------------------

def test_allowing_an_embed_always_adds_its_category_to_what_is_accepted(three, config):
    session = Session(three, config(), stored(three, ("social",)), NOW)
    assert session.choices_with("video") == ["social", "video"]
    session.decide("custom", NOW, CID, session.choices_with("video"))
    assert session.accepted == ["necessary", "video", "social"]


@pytest.mark.parametrize("category", ["analytics", "necessary", "unknown"])
def test_allowing_an_accepted_required_or_unknown_category_changes_nothing(three, config, category):
    session = Session(three, config(), stored(three, ("analytics",)), NOW)
    assert session.choices_with(category) is None


def test_withdrawn_names_the_refused_categories_whose_scripts_already_ran(three, config):
    session = Session(three, config(), stored(three, ("analytics", "video")), NOW)
    before = session.accepted
    session.decide("custom", NOW, CID, ["video"])
    assert session.withdrawn(before, ran=["analytics", "video"]) == ["analytics"]
    assert session.withdrawn(before, ran=["video"]) == []
    session.decide("accept_all", NOW, CID)
    assert session.withdrawn(before, ran=["analytics", "video"]) == []


def test_reload_applies_a_decision_made_in_another_tab(three, config):
    session = Session(three, config(), "sessionid=abc", NOW)
    assert session.reload(stored(three, ("video",)), NOW) == "apply"
    assert session.accepted == ["necessary", "video"]
    assert session.reload(stored(three, ("video",)), NOW) is None


def test_reload_asks_again_when_the_choice_was_forgotten_or_changed(three, config):
    session = Session(three, config(), stored(three), NOW)
    assert session.reload("sessionid=abc", NOW) == "ask"
    session = Session(three, config(), stored(three), NOW)
    assert session.reload(stored(three, analytics="000000"), NOW) == "ask"
    assert session.changed == ["analytics"]


def test_reload_under_gpc_with_the_choice_gone_neither_applies_nor_asks(three, config):
    session = Session(three, config(), stored(three), NOW, gpc=True)
    assert session.reload("sessionid=abc", NOW) is None
    assert session.accepted == ["necessary"]
