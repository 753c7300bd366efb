"""`consent-banner audit` for real: Debian's Chromium, driven by the audit itself, crawls the demo portal
(static, as `make demo-static` serves it, and the Django app) and finds it clean, then crawls a portal with
one fault of each kind planted in it (audit_fixture.py) and finds and names each one, nothing else.

One audit per portal, shared by the module's tests (about 15 s each on 2 cores: 2 or 3 pages x 5 states).
"""

import io
import json
import os
import re

import pytest

from banner.__main__ import main
from banner.audit import AuditError, audit
from banner.audit.report import SCHEMA

import audit_fixture
from django_site import serve

STATES = ["before", "refuse", "accept", "withdraw", "only-analytics"]


@pytest.fixture(scope="module")
def demo(servers, tmp_path_factory):
    """The static demo, audited on up to 4 pages (it has 3 with the demo's manifest), its progress written to
    a stream that is not a terminal."""
    progress = io.StringIO()
    out = str(tmp_path_factory.mktemp("demo-audit"))
    return audit(servers.multi.url("/"), pages=4, out=out, progress=progress), progress.getvalue(), out


@pytest.fixture(scope="module")
def django_demo(tmp_path_factory):
    base, process, _ = serve(tmp_path_factory.mktemp("django-audit"))
    try:
        yield audit(base + "/", pages=2)
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def faulty(servers, tmp_path_factory):
    fixture = audit_fixture.serve()
    out = str(tmp_path_factory.mktemp("faulty-audit"))
    try:
        yield audit(fixture.url, pages=2, out=out, resolve=fixture.resolve), fixture, out
    finally:
        fixture.stop()


def test_the_static_demo_passes_in_every_state(demo):
    report, _, _ = demo
    assert report["findings"] == []
    assert report["summary"]["verdict"] == "clean"
    assert [s["id"] for s in report["states"]] == STATES
    base = report["url"]
    assert sorted(report["pages"]) == sorted(base + p for p in ("", "explore/dataset/frequentation-parkings/",
                                                                "pages/cookies/"))
    assert report["skipped"] == [{"url": base + "google/", "reason": "its banner uses another manifest (%s"
                                  "cookies-google.json): audit it on its own" % base}]


def test_the_demo_s_buttons_did_what_they_say_and_its_analytics_ran_only_when_accepted(demo):
    report, _, _ = demo
    by_id = {s["id"]: s for s in report["states"]}
    refuse, accept = by_id["refuse"]["action"], by_id["accept"]["action"]
    assert (refuse["label"], refuse["event"], refuse["api"], refuse["consentCookie"]["accepted"]) == \
        ("Tout refuser", ["necessary"], {"analytics": False}, [])
    assert (accept["label"], accept["event"], accept["api"], accept["consentCookie"]["accepted"]) == \
        ("Tout accepter", ["necessary", "analytics"], {"analytics": True}, ["analytics"])
    names = {state: sorted({c["name"] for c in by_id[state]["cookies"]}) for state in by_id}
    assert names["before"] == []
    assert names["refuse"] == names["withdraw"] == ["cookies_preferences"]
    assert names["accept"] == names["only-analytics"]               # the analytics tag, and the embed's cookie
    assert {"cookies_preferences", "demo_analytics", "demo_analytics_visits"} <= set(names["accept"])
    analytics = next(c for c in by_id["accept"]["cookies"] if c["name"] == "demo_analytics")
    assert analytics["setBy"] == report["url"] + "analytics.js"
    assert 394 * 86400 < analytics["lifetime"] <= 395 * 86400          # Max-Age=34128000, within « 13 mois »


def test_the_progress_is_plain_lines_when_not_on_a_terminal(demo):
    report, progress, _ = demo
    lines = progress.splitlines()
    assert lines[0] == "audit: [1/%s] before /" % lines[0].split("/")[1].split("]")[0]
    assert all(re.fullmatch(r"audit: \[\d+/\d+\] [a-z-]+ /\S*", line) for line in lines), lines
    assert "\r" not in progress and "\x1b" not in progress
    assert re.match(r"audit: \[(\d+)/\1\] only-analytics ", lines[-1])             # the last step of the last state


def test_the_django_demo_passes_in_every_state(django_demo):
    assert django_demo["findings"] == []
    assert [s["id"] for s in django_demo["states"]] == STATES + ["oppose-audience"]
    # its exempt Matomo-style tracker runs before any choice and stops when opposed: allowed, then gone
    names = {s["id"]: {c["name"] for c in s["cookies"]} for s in django_demo["states"]}
    assert any(n.startswith("_pk_id.") for n in names["before"]), names["before"]
    assert not any(n.startswith("_pk_") for n in names["oppose-audience"]), names["oppose-audience"]
    assert django_demo["manifest"]["source"] == django_demo["url"] + "consent/cookies.json"
    # the server's daily refresh marker is HttpOnly and declared necessary: seen, allowed
    seen = {c["name"]: c for state in django_demo["states"] for c in state["cookies"]}
    assert seen["cookies_preferences_refreshed"]["httpOnly"] is True


def findings(report):
    return {(f["kind"], (f["subject"] or {}).get("name") or (f["subject"] or {}).get("host")): f
            for f in report["findings"]}


def test_each_planted_fault_is_found_and_named_and_nothing_else(faulty):
    report, fixture, _ = faulty
    assert [s["id"] for s in report["states"]] == STATES + ["oppose-measure"]
    found = findings(report)
    assert sorted(found) == sorted([
        ("undeclared_cookie", "fx_uid_42"), ("without_consent", "fx_uid_42"),
        ("undeclared_storage", "fx_seen"), ("without_consent", "fx_seen"),
        ("without_consent", audit_fixture.TRACKER),
        ("lifetime_exceeds_declared", "fx_stats"), ("lifetime_over_13_months", "fx_long"),
        ("without_consent", "fx_srv"), ("without_consent", "demo_analytics_early")])
    assert report["summary"] == dict(report["summary"], verdict="violations", violations=9, warnings=0)

    uid = found["without_consent", "fx_uid_42"]
    assert uid["states"][0] == "before" and uid["setBy"][0] == fixture.url           # the page's inline script
    assert found["undeclared_cookie", "fx_uid_42"]["draft"] == {
        "name": "fx_uid_42", "match": "^fx_uid_[0-9A-Za-z]+$", "provider": "127.0.0.1", "category": None,
        "lifetime": {"fr": "30 jours", "en": "30 days"}, "maxAgeDays": 30,
        "purpose": {"fr": "À décrire", "en": "To describe"}}

    assert found["without_consent", "fx_seen"]["states"][0] == "before"
    assert found["undeclared_storage", "fx_seen"]["draft"]["storage"] == "local"

    tracker = found["without_consent", audit_fixture.TRACKER]
    assert tracker["states"] == ["refuse", "withdraw", "oppose-measure"]           # any choice but accepting it
    assert tracker["category"] == "analytics"
    # made by tag.js: Chromium names it, or the line of the page where the parser ran it
    tag_line = 1 + audit_fixture.page_html(fixture, "/").split("\n").index('<script src="/fixture/tag.js"></script>')
    assert set(tracker["setBy"]) <= {fixture.url + "fixture/tag.js"} | {
        "%s:%d" % (page, tag_line) for page in report["pages"]}, tracker["setBy"]
    assert tracker["message"] == (
        "requests to tracker.audit.test made after « Tout refuser », after withdrawal and after opposing « Mesure "
        "d'audience exemptée »: category « Mesure d'audience » (provider Fixture Tracker) is not accepted")

    assert found["lifetime_exceeds_declared", "fx_stats"]["message"] == \
        "cookie fx_stats lasts 300 days, longer than its declared lifetime « 6 mois »"
    # asked for two years, Chromium keeps it 400 days (its cap): still beyond 13 months
    assert found["lifetime_over_13_months", "fx_long"]["message"] == \
        "cookie fx_long lasts 400 days, beyond the CNIL's 13 months (395 days)"

    # set by the page before any choice, deleted by the banner as it starts: recorded from its setting
    early = found["without_consent", "demo_analytics_early"]
    assert early["states"] == ["before", "refuse", "withdraw", "oppose-measure"] and early["category"] == "analytics"
    before = next(c for c in report["states"][0]["cookies"] if c["name"] == "demo_analytics_early")
    assert before["transient"] is True and before["setBy"] == fixture.url

    # exempt measurement: on before any choice and after refusal, off once opposed, as declared
    visits = {s["id"]: [c for c in s["cookies"] if c["name"] == "fx_visits"] for s in report["states"]}
    assert all(visits[s] for s in ("before", "refuse", "accept", "withdraw", "only-analytics"))
    assert visits["oppose-measure"] == []
    oppose = report["states"][-1]["action"]
    assert (oppose["api"], oppose["consentCookie"]["accepted"]) == ({"analytics": False, "measure": False}, [])

    server = found["without_consent", "fx_srv"]
    assert server["states"] == ["withdraw"]
    assert server["subject"]["httpOnly"] is True
    assert server["message"] == ("cookie fx_srv (HttpOnly) on 127.0.0.1 still present after withdrawal: "
                                 "category « Mesure d'audience » is not accepted")


def test_the_reports_are_written_and_the_evidence_is_self_contained(faulty):
    jsonschema = pytest.importorskip("jsonschema")
    report, _, out = faulty
    states = STATES + ["oppose-measure"]
    assert sorted(os.listdir(out)) == sorted(["report.json", "report.html"] + ["%s.jpg" % s for s in states])
    with open(os.path.join(out, "report.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    with open(SCHEMA, encoding="utf-8") as handle:
        jsonschema.Draft202012Validator(json.load(handle)).validate(data)
    with open(os.path.join(out, "report.html"), encoding="utf-8") as handle:
        page = handle.read()
    assert page.count('<img alt="') == 6 and page.count('src="data:image/jpeg;base64,/9j/') == 6
    assert re.findall(r'\b(?:src|href)="(?!data:image/jpeg;base64,)', page) == []
    for fact in (report["banner"]["build"], report["manifest"]["layerKey"], report["manifest"]["sha256"],
                 report["finishedAt"], "fx_srv"):
        assert fact and fact in page
    with open(os.path.join(out, "before.jpg"), "rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"                                   # a JPEG


def test_a_start_url_that_is_no_page_of_ours_stops_the_audit_with_exit_status_2(faulty):
    _, fixture, _ = faulty
    url = "http://127.0.0.1:%d/hit.gif" % fixture.tracker.server_address[1]
    out, err = io.StringIO(), io.StringIO()
    assert main(["audit", url], out=out, err=err) == 2
    assert (out.getvalue(), err.getvalue()) == ("", "audit: cannot audit %s: not an HTML page (image/gif)\n" % url)
    closed = "http://127.0.0.1:%d/" % fixture.free_port()
    with pytest.raises(AuditError, match="^cannot open %s: net::ERR_CONNECTION_REFUSED$" % closed):
        audit(closed)


def test_the_chromium_found_is_debian_s(demo):
    assert demo[0]["browser"]["path"] == "/usr/bin/chromium"
    assert demo[0]["browser"]["version"].startswith("Chrome/")
