"""`consent-banner audit` without a browser: declared lifetimes read in several languages, measured ones
written back, manifest entries drafted for what is undeclared, and the verdicts on recorded data (a report's
states as the crawl records them)."""

import copy
import json

import pytest
from hypothesis import given, strategies as st

from banner.audit import lifetimes
from banner.audit.drafts import cookie_entry, guess_provider, name_pattern, provider_entry, site_of
from banner.audit.judge import judge
from banner.manifest import parse_manifest

from audit_kit import PAGE2, PORTAL, audited_manifest, clean, consent_cookie, cookie

DAY = 86400


# -- declared lifetimes ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, days", [
    ("13 mois", 395.6875),
    ("2 semaines par défaut", 14),
    ("Token réinitialisé aléatoirement entre 2 requêtes ou 2 sessions. 12 mois maximum.", 365.25),
    ("1 an", 365.25),
    ("un an", 365.25),
    ("2 ans", 730.5),
    ("6 months", 182.625),
    ("a year", 365.25),
    ("12 months at most", 365.25),
    ("1 Jahr", 365.25),
    ("13 Monate", 395.6875),
    ("1 año", 365.25),
    ("6 mesi", 182.625),
    ("1 jaar", 365.25),
    ("24 heures", 1),
    ("30 minutes", 30 / 1440),
    ("1,5 an", 547.875),
    ("De 1 jour à 13 mois", 395.6875),          # the longest the text allows
])
def test_a_declared_lifetime_is_read_as_its_longest_duration(text, days):
    assert lifetimes.parse_text(text) == pytest.approx(days * DAY)


@pytest.mark.parametrize("text", ["Session", "Durée de la session", "Until the browser is closed", "Sitzung",
                                  "Jusqu'à la fermeture du navigateur"])
def test_a_lifetime_naming_a_session_and_no_duration_reads_as_a_session_cookie(text):
    assert lifetimes.parse_text(text) == lifetimes.SESSION


@pytest.mark.parametrize("text", ["Permanent", "Variable", "Jusqu'à la déconnexion", "2 requêtes", ""])
def test_a_lifetime_naming_no_duration_cannot_be_read(text):
    assert lifetimes.parse_text(text) is None


def test_max_age_days_says_it_in_numbers_and_wins_over_the_text():
    assert lifetimes.declared_seconds({"fr": "13 mois"}, 30) == (30 * DAY, "maxAgeDays 30")


def test_the_french_text_is_read_first_then_any_language_that_can_be():
    assert lifetimes.declared_seconds({"en": "6 months", "fr": "13 mois"}) == (pytest.approx(395.6875 * DAY), "13 mois")
    assert lifetimes.declared_seconds({"fr": "Variable", "en": "1 year"}) == (pytest.approx(365.25 * DAY), "1 year")
    assert lifetimes.declared_seconds({"fr": "Variable", "en": "Depends"}) == (None, "Variable")
    assert lifetimes.declared_seconds("2 semaines")[0] == 14 * DAY


def test_a_measured_lifetime_exceeds_a_declared_one_only_beyond_a_day():
    declared = lifetimes.parse_text("6 mois")                      # 182.6 days
    assert not lifetimes.exceeds(15724800, declared)               # cookies_preferences: 182 days
    assert not lifetimes.exceeds(183 * DAY, declared)
    assert lifetimes.exceeds(300 * DAY, declared)
    assert not lifetimes.exceeds(None, declared)                   # a session cookie lasts less than anything
    assert lifetimes.exceeds(60, lifetimes.SESSION)                # a persistent cookie declared for the session


def test_the_cnil_limit_is_thirteen_months():
    assert not lifetimes.over_cnil(34128000)                       # the demo's analytics: 395 days
    assert not lifetimes.over_cnil(396 * DAY) and lifetimes.over_cnil(397 * DAY)   # 395 days, and a day's margin
    assert lifetimes.over_cnil(400 * DAY)                          # Chromium's own cap
    assert not lifetimes.over_cnil(None)


@pytest.mark.parametrize("seconds, fr, en", [
    (None, "Session", "Session"),
    (1800, "30 minutes", "30 minutes"),
    (DAY - 1, "1 jour", "1 day"),
    (30 * DAY, "30 jours", "30 days"),
    (15724800, "6 mois", "6 months"),
    (31536000, "12 mois", "12 months"),
    (34128000, "13 mois", "13 months"),
    (400 * DAY, "14 mois", "14 months"),
    (730 * DAY, "2 ans", "2 years"),
])
def test_a_measured_lifetime_is_written_as_a_policy_would_say_it(seconds, fr, en):
    assert lifetimes.describe(seconds, "fr") == fr
    assert lifetimes.describe(seconds, "en") == en


@given(st.integers(min_value=60, max_value=5 * 365 * DAY), st.sampled_from(["fr", "en", "de", "es", "it", "nl"]))
def test_a_drafted_lifetime_never_declares_less_than_was_measured(seconds, language):
    text = lifetimes.describe(seconds, language)
    assert not lifetimes.exceeds(seconds, lifetimes.parse_text(text)), text


# -- drafted entries ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, pattern", [
    ("fx_uid_42", r"^fx_uid_[0-9A-Za-z]+$"),
    ("_ga_ABC123", r"^_ga_[0-9A-Za-z]+$"),
    ("_pk_id.1.2fa3", r"^_pk_id\.[0-9A-Za-z]+\.[0-9A-Za-z]+$"),
    ("sessionid", None),
    ("_ga", None),
    ("<img src=x onerror=alert(1)>", None),           # a name the pattern would not match stays exact
])
def test_a_name_with_a_number_gets_a_match_pattern_for_its_variants(name, pattern):
    assert name_pattern(name) == pattern


def test_providers_are_guessed_from_well_known_names_and_sites_else_the_site():
    assert guess_provider("www.google-analytics.com") == "Google Analytics"
    assert guess_provider(".example.org", name="_pk_ses.1.abcd") == "Matomo"
    assert guess_provider("tracker.audit.test") == "audit.test"
    assert site_of("www.portal.gouv.fr") == "portal.gouv.fr"
    assert site_of("127.0.0.1") == "127.0.0.1"
    assert provider_entry("cdn.tracker.example.com") == {"name": "example.com", "hosts": ["example.com"]}


def test_a_drafted_cookie_entry_says_what_was_seen_and_leaves_the_category_to_choose():
    cookie = {"name": "_ga_XY12", "domain": ".portal.example", "path": "/explore/", "lifetime": 400 * DAY,
              "setBy": "https://www.googletagmanager.com/gtag/js?id=G-1"}
    entry = cookie_entry(cookie, ["fr", "en"], "www.portal.example")
    assert entry == {"name": "_ga_XY12", "match": r"^_ga_[0-9A-Za-z]+$", "provider": "Google Analytics",
                     "category": None, "lifetime": {"fr": "14 mois", "en": "14 months"}, "maxAgeDays": 400,
                     "purpose": {"fr": "À décrire", "en": "To describe"}, "paths": ["/explore/"]}


def test_another_site_s_cookie_is_drafted_with_its_domain():
    cookie = {"name": "IDE", "domain": ".doubleclick.net", "path": "/", "lifetime": 390 * 86400, "setBy": None}
    entry = cookie_entry(cookie, ["fr"], "www.portal.example")
    assert (entry["provider"], entry["domain"], entry["maxAgeDays"], entry["lifetime"]) == \
        ("Google (DoubleClick)", "doubleclick.net", 390, "13 mois")


def test_a_first_party_cookie_written_by_a_third_party_script_is_that_third_party_s():
    cookie = {"name": "trk", "domain": "www.portal.example", "path": "/", "lifetime": 30 * DAY,
              "setBy": "https://cdn.tracker.example.com/t.js"}
    assert cookie_entry(cookie, ["fr"], "www.portal.example")["provider"] == "example.com"
    cookie["setBy"] = "https://www.portal.example/"
    assert cookie_entry(cookie, ["fr"], "www.portal.example")["provider"] == "portal.example"


def test_a_drafted_entry_is_a_valid_manifest_entry_once_its_category_is_chosen(demo_data, regex_ok):
    data = demo_data()
    for seen, storage in (({"name": "fx_uid_42", "domain": "127.0.0.1", "path": "/a/", "lifetime": 30 * DAY}, "cookie"),
                            ({"name": "fx_seen", "origin": "http://127.0.0.1"}, "local")):
        entry = cookie_entry(seen, ["fr", "en"], "127.0.0.1", storage)
        entry["category"] = "analytics"
        data["cookies"].append(entry)
    parse_manifest(data, ["fr", "en"], regex_ok)


# -- verdicts on recorded data -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def manifest(demo_data):
    return audited_manifest(demo_data())


def states(report, *ids):
    return [s for s in report["states"] if s["id"] in ids]


def kinds(findings):
    return sorted((f["kind"], f["subject"] and (f["subject"].get("name") or f["subject"].get("host"))) for f in findings)


def test_a_portal_doing_what_its_manifest_says_has_no_finding(manifest):
    assert judge(clean(manifest), manifest) == []


def test_an_undeclared_cookie_before_any_choice_is_found_twice_with_a_drafted_entry(manifest):
    report = clean(manifest)
    for state in states(report, "before", "refuse"):
        state["cookies"].append(cookie("fx_uid_42", 30 * DAY, setBy=PORTAL))
    found = judge(report, manifest)
    assert kinds(found) == [("undeclared_cookie", "fx_uid_42"), ("without_consent", "fx_uid_42")]
    undeclared, consent = sorted(found, key=lambda f: f["kind"])
    assert undeclared["draft"]["match"] == r"^fx_uid_[0-9A-Za-z]+$"
    assert undeclared["draft"]["lifetime"] == {"fr": "30 jours", "en": "30 days"}
    assert consent["states"] == ["before", "refuse"]
    assert consent["message"] == ("cookie fx_uid_42 on 127.0.0.1 stored before any choice and after « Tout refuser »:"
                                  " not declared, so in no required category")
    assert consent["setBy"] == [PORTAL]


def test_an_optional_category_s_cookie_is_allowed_only_where_its_category_is_accepted(manifest):
    report = clean(manifest)
    states(report, "withdraw")[0]["cookies"].append(cookie("demo_analytics_visits", httpOnly=True))
    found = judge(report, manifest)
    assert kinds(found) == [("without_consent", "demo_analytics_visits")]
    assert found[0]["message"] == ("cookie demo_analytics_visits (HttpOnly) on 127.0.0.1 still present after "
                                   "withdrawal: category « Mesure d'audience » is not accepted")
    assert found[0]["category"] == "analytics"


def test_a_request_to_an_optional_provider_s_host_after_refusal_is_found_with_its_initiator(manifest):
    report = clean(manifest)
    request = {"host": "tracker.example", "url": "http://tracker.example/hit.gif", "page": PAGE2, "document": PAGE2,
               "initiator": PORTAL + "tag.js", "type": "Image"}
    for state in states(report, "refuse", "accept"):
        state["requests"].append(dict(request))
    found = judge(report, manifest)
    assert kinds(found) == [("without_consent", "tracker.example")]
    assert found[0]["message"] == ("requests to tracker.example made after « Tout refuser »: category « Mesure "
                                   "d'audience » (provider Tracker) is not accepted")
    assert found[0]["setBy"] == [PORTAL + "tag.js"]


def test_hosts_of_the_required_category_and_of_the_portal_s_own_site_are_allowed_before_any_choice(manifest):
    report = clean(manifest)
    report["host"] = "www.portal.example"
    before = states(report, "before")[0]
    before["requests"] += [{"host": h, "url": "https://%s/x" % h, "page": PORTAL, "document": None, "initiator": None,
                            "type": "Script"} for h in ("a.tiles.example", "static.portal.example")]
    assert judge(report, manifest) == []


def test_a_tracker_the_portal_hosts_on_its_own_site_waits_for_consent_like_a_third_party(demo_data):
    data = copy.deepcopy(demo_data())
    data["categories"][1]["providers"].append({"name": "Matomo", "hosts": ["stats.portal.example"]})
    manifest = parse_manifest(data, ["fr", "en"])
    report = clean(manifest)
    report["host"] = "www.portal.example"
    for state in report["states"]:
        state["requests"] += [{"host": h, "url": "https://%s/matomo.php" % h, "page": PORTAL, "document": None,
                               "initiator": PORTAL + "matomo.js", "type": "Ping"}
                              for h in ("stats.portal.example", "static.portal.example")]
    found = judge(report, manifest)
    assert kinds(found) == [("without_consent", "stats.portal.example")]     # static.: the portal's, undeclared
    assert found[0]["states"] == ["before", "refuse", "withdraw"]
    assert found[0]["message"] == (
        "requests to stats.portal.example made before any choice, after « Tout refuser » and after withdrawal: "
        "category « Mesure d'audience » (provider Matomo) is not accepted")


def test_an_undeclared_host_gets_a_drafted_provider(manifest):
    report = clean(manifest)
    states(report, "accept")[0]["requests"].append({"host": "stats.other.example", "url": "https://stats.other.example/",
                                                    "page": PORTAL, "document": None, "initiator": None, "type": "XHR"})
    found = judge(report, manifest)
    assert kinds(found) == [("undeclared_host", "stats.other.example")]
    assert found[0]["draft"] == {"name": "other.example", "hosts": ["other.example"]}


def test_storage_before_consent_is_found_and_an_indexeddb_database_cannot_be_declared(manifest):
    report = clean(manifest)
    states(report, "before")[0]["storage"] += [
        {"type": "local", "origin": "http://127.0.0.1:8000", "name": "fx_seen", "firstSeen": PORTAL, "setBy": PORTAL},
        {"type": "indexeddb", "origin": "http://127.0.0.1:8000", "name": "cache", "firstSeen": PORTAL, "setBy": None}]
    found = judge(report, manifest)
    assert kinds(found) == [("undeclared_storage", "cache"), ("undeclared_storage", "fx_seen"),
                            ("without_consent", "cache"), ("without_consent", "fx_seen")]
    drafts = {f["subject"]["name"]: f["draft"] for f in found if f["kind"] == "undeclared_storage"}
    assert drafts["cache"] is None
    assert drafts["fx_seen"]["storage"] == "local"


def test_lifetimes_beyond_the_declared_one_and_beyond_13_months_are_found(manifest):
    report = clean(manifest)
    states(report, "accept")[0]["cookies"] += [cookie("fx_stats", 300 * DAY), cookie("demo_analytics_x", 400 * DAY)]
    found = judge(report, manifest)
    assert kinds(found) == [("lifetime_exceeds_declared", "demo_analytics_x"), ("lifetime_exceeds_declared", "fx_stats"),
                            ("lifetime_over_13_months", "demo_analytics_x")]
    by_name = {(f["kind"], f["subject"]["name"]): f["message"] for f in found}
    assert by_name[("lifetime_exceeds_declared", "fx_stats")] == \
        "cookie fx_stats lasts 300 days, longer than its declared lifetime « 6 mois »"
    assert by_name[("lifetime_over_13_months", "demo_analytics_x")] == \
        "cookie demo_analytics_x lasts 400 days, beyond the CNIL's 13 months (395 days)"


def test_a_declared_lifetime_that_cannot_be_read_is_a_warning(demo_data):
    data = demo_data()
    data["cookies"][0]["lifetime"] = {"fr": "Variable", "en": "It depends"}
    manifest = parse_manifest(data, ["fr", "en"])
    report = clean(manifest)
    states(report, "before")[0]["cookies"].append(cookie("sessionid", 14 * DAY))
    found = judge(report, manifest)
    assert [(f["kind"], f["severity"]) for f in found] == [("lifetime_unreadable", "warning")]
    assert "« Variable »" in found[0]["message"]


def test_a_banner_not_shown_or_not_started_is_found(manifest):
    report = clean(manifest)
    before = states(report, "before")[0]
    before["pages"][1]["bannerShown"] = False
    states(report, "accept")[0]["pages"][1]["failed"] = "consent-banner: the manifest could not be loaded"
    found = judge(report, manifest)
    assert [f["kind"] for f in found] == ["banner_not_shown", "banner_failed"]
    assert found[0]["message"] == "the banner was not shown on %s before any choice" % PAGE2


def test_a_button_that_does_not_do_what_it_says_is_named_with_what_it_did(manifest):
    report = clean(manifest)
    action = states(report, "refuse")[0]["action"]
    action.update(api={"analytics": True}, event=["necessary", "analytics"],
                  consentCookie=consent_cookie(manifest, ["analytics"]), bannerShown=True)
    found = judge(report, manifest)
    assert [f["kind"] for f in found] == ["button_mismatch"]
    assert found[0]["message"] == (
        "« Tout refuser » does not do what it says: consent:change announced analytics; "
        "consentBanner.accepted('analytics') is true; cookies_preferences records analytics accepted; "
        "the banner is still shown")


def test_a_click_that_could_not_be_made_is_a_button_finding(manifest):
    report = clean(manifest)
    states(report, "only-analytics")[0]["action"] = {"name": "custom", "error": "« Personnaliser » is covered by div#ad"}
    found = judge(report, manifest)
    assert [(f["kind"], f["message"]) for f in found] == [
        ("button_mismatch", "« custom » does not do what it says: « Personnaliser » is covered by div#ad")]


def test_a_choice_not_kept_on_a_later_page_is_found(manifest):
    report = clean(manifest)
    accept = states(report, "accept")[0]
    accept["pages"][1]["api"] = {"analytics": False}
    states(report, "refuse")[0]["pages"][1]["bannerShown"] = True
    found = judge(report, manifest)
    assert sorted(f["message"] for f in found) == [
        "After « Tout accepter »: on %s, consentBanner.accepted() says accepted('analytics') is false" % PAGE2,
        "After « Tout refuser »: the banner asks again on %s" % PAGE2]


def test_a_decision_made_with_another_manifest_is_found(manifest):
    report = clean(manifest)
    states(report, "accept")[0]["action"]["consentCookie"]["fingerprints"] = {"analytics": "aaaaaa"}
    found = judge(report, manifest)
    assert [f["kind"] for f in found] == ["manifest_differs"]
    assert "(analytics=aaaaaa)" in found[0]["message"]


def test_the_recorded_data_round_trips_through_json(manifest):
    report = json.loads(json.dumps(clean(manifest)))
    assert judge(report, manifest) == []


# -- exempt audience measurement ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exempt_manifest(demo_data):
    data = demo_data()
    data["categories"].append({"id": "measure", "exempt": True, "title": "Mesure exemptée",
                               "description": "Mesure d'audience exemptée de consentement."})
    data["cookies"].append({"name": "_pk_id", "match": "^_pk_id\\.", "provider": "Matomo", "category": "measure",
                            "lifetime": {"fr": "13 mois", "en": "13 months"}, "maxAgeDays": 30,
                            "purpose": "Mesure"})
    return parse_manifest(data, ["fr", "en"])


def exempt_report(manifest):
    """The clean recorded audit, with exempt measurement on wherever it is not opposed, and its state."""
    report = clean(manifest)
    for state in report["states"]:
        state["accepts"] = [c for c in manifest.optional_ids if c in state["accepts"] or c == "measure"]
        for record in [p["api"] for p in state["pages"]] + ([state["action"]["api"]] if state["action"] else []):
            record["measure"] = True
        if state["action"]:
            state["action"]["event"].append("measure")
            state["action"]["consentCookie"] = consent_cookie(manifest, state["accepts"])
        state["cookies"].append(cookie("_pk_id.1.ab12", 29 * DAY))
    opposed = copy.deepcopy(states(report, "refuse")[0])
    opposed.update(id="oppose-measure", title="« Mesure exemptée » opposed", accepts=[])
    opposed["cookies"] = [c for c in opposed["cookies"] if c["name"] != "_pk_id.1.ab12"]
    for record in [p["api"] for p in opposed["pages"]] + [opposed["action"]["api"]]:
        record["measure"] = False
    opposed["action"].update(event=["necessary"], consentCookie=consent_cookie(manifest, []), name="custom")
    report["states"].append(opposed)
    return report


def test_exempt_measurement_is_allowed_before_any_choice_and_after_refusal_until_opposed(exempt_manifest):
    report = exempt_report(exempt_manifest)
    assert judge(report, exempt_manifest) == []
    states(report, "oppose-measure")[0]["cookies"].append(cookie("_pk_id.1.ab12", 29 * DAY))
    found = judge(report, exempt_manifest)
    assert [(f["kind"], f["message"]) for f in found] == [
        ("without_consent", "cookie _pk_id.1.ab12 on 127.0.0.1 stored after opposing « Mesure exemptée »: "
                            "category « Mesure exemptée » is not accepted")]


def test_exempt_measurement_s_cookie_beyond_its_max_age_days_or_from_another_site_is_found(exempt_manifest):
    report = exempt_report(exempt_manifest)
    states(report, "accept")[0]["cookies"].append(cookie("_pk_id.2.cd34", 200 * DAY, domain=".stats.example"))
    found = judge(report, exempt_manifest)
    assert sorted((f["kind"], f["message"]) for f in found) == [
        ("exempt_third_party", "cookie _pk_id.2.cd34 on stats.example belongs to « Mesure exemptée », exempt audience "
                               "measurement, but another site sets it: the exemption allows first-party cookies only"),
        ("lifetime_exceeds_declared", "cookie _pk_id.2.cd34 lasts 200 days, longer than its declared maxAgeDays 30")]
