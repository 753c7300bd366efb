"""`consent-banner audit`'s reports without a browser: report.json follows its JSON Schema, the HTML
evidence report is self-contained with every string escaped, the terminal summary names each finding."""

import base64
import json
import os
import re

import pytest

from banner.audit import report as reports

from audit_kit import JPEG, PORTAL, audited_manifest, faulty, full_report

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture
def manifest(demo_data):
    return audited_manifest(demo_data())

def validator():
    with open(reports.SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_a_clean_and_a_faulty_report_follow_the_schema_and_a_broken_one_does_not(manifest):
    check = validator()
    check.validate(reports.as_json(full_report(manifest, [])))
    report = reports.as_json(faulty(manifest))
    check.validate(report)
    del report["findings"][0]["severity"]
    assert not check.is_valid(report)


def test_report_json_names_its_screenshots_and_the_files_are_written_beside_it(manifest, tmp_path):
    report = faulty(manifest)
    reports.write(report, str(tmp_path / "out"))
    names = sorted(os.listdir(tmp_path / "out"))
    assert names == ["before.jpg", "report.html", "report.json"]
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["states"][0]["screenshot"]["file"] == "before.jpg"
    assert "data" not in data["states"][0]["screenshot"]
    validator().validate(data)
    assert (tmp_path / "out" / "before.jpg").read_bytes() == base64.b64decode(JPEG)
    assert report["states"][0]["screenshot"]["data"] == JPEG          # the API's dict keeps it


def test_the_evidence_report_is_self_contained_and_escapes_every_string(manifest):
    page = reports.evidence(faulty(manifest))
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "The first visit &lt;b&gt;" in page
    # no external resource: every src and href is a data: URL or an anchor, nothing is fetched
    assert re.findall(r'\b(?:src|href)="(?!data:image/jpeg;base64,|#)', page) == []
    assert "<link" not in page and "<script" not in page and "@import" not in page and "url(" not in page
    assert 'src="data:image/jpeg;base64,%s"' % JPEG in page


def test_the_evidence_report_is_dated_with_the_build_and_the_manifest_s_fingerprints(manifest):
    page = reports.evidence(faulty(manifest))
    for fact in ("2026-12-01T10:00:00Z", "f852f9f7e853", "consent-banner 0.1.0", "Layer key",
                 manifest_print(manifest), "Chrome/156.0.8078.129", "fx_uid_42"):
        assert fact.lower() in page.lower(), fact


def manifest_print(manifest):
    from banner.fingerprint import fingerprints
    return "analytics=%s" % fingerprints(manifest)["analytics"]


def test_the_summary_lists_each_state_and_each_finding_with_its_draft(manifest):
    text = reports.summary(faulty(manifest))
    assert "consent-banner audit of %s" % PORTAL in text
    assert re.search(r"^  before +4 finding\(s\) +Before any choice$", text, re.M)
    assert re.search(r"^  accept +ok +After « Tout accepter »$", text, re.M)
    assert "VIOLATION [undeclared_cookie] cookie fx_uid_42 on 127.0.0.1 is not in the manifest" in text
    assert '"match": "^fx_uid_[0-9A-Za-z]+$"' in text
    assert text.endswith("Verdict: 4 violation(s)\n")
    assert reports.summary(full_report(manifest, [])).endswith("Verdict: clean: nothing found\n")


def test_the_summary_never_sends_a_page_s_control_characters_to_the_terminal(manifest):
    text = reports.summary(faulty(manifest, name="evil\x1b[2J\x07"))
    assert "\x1b" not in text and "\x07" not in text
    assert "cookie evil\\x1b[2J\\x07 on 127.0.0.1" in text


def test_the_evidence_report_shows_a_page_s_control_characters_escaped_as_the_summary_does(manifest):
    report = faulty(manifest, name="evil\x1b[2J\x07")
    report["states"][0]["storage"][0]["name"] = "key\x1b]0;title\x9b"
    page = reports.evidence(report)
    assert re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", page) == []
    assert "evil\\x1b[2J\\x07" in page and "key\\x1b]0;title\\x9b" in page
    # a bidi override or a zero-width character would reorder or hide what the page wrote: shown escaped
    report["states"][0]["storage"][0]["name"] = "gpj.\u202eexe\u200b"
    page = reports.evidence(report)
    assert "\u202e" not in page and "\u200b" not in page and "gpj.\\u202eexe\\u200b" in page


def test_the_evidence_report_marks_a_cookie_deleted_before_the_audit_looked(manifest):
    report = full_report(manifest, [])
    report["states"][0]["cookies"].append(dict(report["states"][2]["cookies"][-1], name="fx_early", transient=True))
    page = reports.evidence(report)
    row = re.search(r"<tr><td>fx_early</td>.*?</tr>", page).group()
    assert "transient" in row
    assert "transient: written, then deleted before the audit looked" in page
    assert page.count("transient") == 2                       # the one cookie, and what the word means
