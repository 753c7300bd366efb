"""The manifest kept in the database (CONSENT_BANNER["DATABASE_MANIFEST"]) on SQLite and PostgreSQL, through
the test client as a logged-in superuser: the draft checked by banner.manifest with each problem named by
its field, publishing (revision kept or raised, fingerprints, SHA-256), versions that cannot change, the
banner and the log reading the published version, a record's page showing what its visitor saw, the
retention command keeping the versions records name, and the statistics page."""

import copy
import datetime
import hashlib
import html
import io
import json
import os
import re
import time

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from banner.django import versions
from banner.django.models import ConsentRecord, ManifestDraft, ManifestVersion
from banner.django.portal import RequestConsent, manifest_data
from banner.consent import decide
from banner.cookies import encode_consent
from banner.fingerprint import fingerprints
from banner.manifest import parse_manifest

from log_cases import superuser_client

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(ROOT, "demo", "site", "cookies.json"), encoding="utf-8") as _handle:
    MANIFEST = json.load(_handle)
DRAFT = "/admin/consent_banner/manifestdraft/"
VERSIONS = "/admin/consent_banner/manifestversion/"
RECORDS = "/admin/consent_banner/consentrecord/"
SETTINGS = {"DATABASE_MANIFEST": True, "MANIFEST": MANIFEST, "LANGUAGES": ["fr", "en"], "DATABASE_MANIFEST_CHECK": 60}


@pytest.fixture
def db_manifest(log_db):
    ManifestVersion.objects.all().delete()
    ManifestDraft.objects.all().delete()
    versions.forget()
    with override_settings(CONSENT_BANNER=SETTINGS):
        yield log_db
    versions.forget()


@pytest.fixture
def dpo(db_manifest):
    return superuser_client()


def edited(**changes):
    """The demo manifest with its analytics category's first cookie changed."""
    data = copy.deepcopy(MANIFEST)
    analytics = next(c for c in data["cookies"] if c["category"] == "analytics")
    analytics.update(changes)
    return data


def save_draft(client, data, publish=True):
    existing = ManifestDraft.objects.first()
    url = DRAFT + ("%d/change/" % existing.pk if existing else "add/")
    form = {"text": data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)}
    if publish:
        form["_publish"] = "1"
    return client.post(url, form)


def text_of(response):
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode("utf-8")))


def test_check_says_nothing_is_published_and_names_a_manifest_url_serving_something_else(db_manifest):
    from django.core.checks import run_checks

    def ours(**conf):
        with override_settings(CONSENT_BANNER=dict(SETTINGS, **conf)):
            return {w.id for w in run_checks() if w.id.startswith("consent_banner.")}

    assert "consent_banner.W007" in ours()                          # nothing published yet
    versions.publish(MANIFEST, ["fr", "en"], "dpo")
    assert not {"consent_banner.W007", "consent_banner.W008"} & ours(MANIFEST_URL="consent_banner:manifest")
    assert "consent_banner.W008" in ours(MANIFEST_URL="/static/cookies.json")
    assert "consent_banner.W008" not in ours(MANIFEST_URL="/cookies.json")    # the app's view, by its path


def test_a_draft_with_problems_is_refused_with_each_problem_named_by_its_field(dpo):
    broken = copy.deepcopy(MANIFEST)
    del broken["categories"][1]["title"]["en"]
    broken["cookies"][0]["lifetime"] = 3
    response = save_draft(dpo, broken)
    assert response.status_code == 200                      # the form again, nothing saved or published
    page = text_of(response)
    assert "categories[1].title: no text for language 'en'" in page
    assert "cookies[0].lifetime: must be a string or an object keyed by language code" in page
    assert "not JSON" in text_of(save_draft(dpo, "{\"revision\": 1,"))
    assert not ManifestDraft.objects.exists() and not ManifestVersion.objects.exists()


def test_publishing_keeps_the_first_revision_and_changes_fingerprints_only_for_a_rewording(dpo):
    assert save_draft(dpo, MANIFEST).status_code == 302
    first = ManifestVersion.objects.get()
    assert (first.number, first.revision, first.published_by) == (1, MANIFEST["revision"], "dpo")
    assert first.sha256 == hashlib.sha256(first.text.encode("utf-8")).hexdigest()
    assert json.loads(first.text) == MANIFEST
    shown = parse_manifest(MANIFEST, ["fr", "en"])
    assert first.fingerprints == ",".join("%s=%s" % i for i in sorted(fingerprints(shown).items()))

    save_draft(dpo, edited(lifetime={"fr": "7 mois", "en": "7 months"}))
    second = ManifestVersion.objects.get(number=2)
    assert second.revision == first.revision and second.changes == "fingerprints changed: analytics"
    assert second.fingerprints != first.fingerprints
    assert "7 mois" not in first.text and "7 mois" in second.text
    assert "Nothing published" in text_of(dpo.get(save_draft(dpo, edited(lifetime={"fr": "7 mois", "en": "7 months"}))
                                                  ["Location"]))
    assert ManifestVersion.objects.count() == 2              # the same content again: no version


def test_a_new_provider_or_purpose_raises_the_revision(dpo):
    save_draft(dpo, MANIFEST)
    new_purpose = edited(purpose={"fr": "Publicité ciblée.", "en": "Targeted advertising."})
    save_draft(dpo, new_purpose)
    version = ManifestVersion.objects.get(number=2)
    assert version.revision == MANIFEST["revision"] + 1
    assert version.changes == "new purpose in analytics: Publicité ciblée."
    new_provider = copy.deepcopy(new_purpose)
    new_provider["categories"][1]["providers"].append({"name": "Vidéos SA", "hosts": ["video.example"]})
    save_draft(dpo, new_provider)
    version = ManifestVersion.objects.get(number=3)
    assert (version.revision, version.changes) == (MANIFEST["revision"] + 2, "new provider Vidéos SA in analytics")


def test_a_new_category_needs_a_new_consent_and_a_rewording_of_its_description_does_not():
    old = parse_manifest(MANIFEST, ["fr", "en"])
    grown = copy.deepcopy(MANIFEST)
    grown["categories"].append({"id": "video", "title": "Vidéos", "description": "Lecteurs vidéo intégrés."})
    assert versions.new_consent_reasons(old, parse_manifest(grown, ["fr", "en"])) == ["new category video"]
    reworded = copy.deepcopy(MANIFEST)
    reworded["categories"][1]["description"] = {"fr": "Compter les visites.", "en": "Counting visits."}
    assert versions.new_consent_reasons(old, parse_manifest(reworded, ["fr", "en"])) == []


def french_only(node):
    """`node` with its English texts left out: a manifest written before a portal added English."""
    if isinstance(node, dict):
        return {k: french_only(v) for k, v in node.items() if k != "en"}
    return [french_only(v) for v in node] if isinstance(node, list) else node


def test_a_language_added_to_the_portal_after_a_version_was_published(dpo):
    with override_settings(CONSENT_BANNER=dict(SETTINGS, LANGUAGES=["fr"])):
        first = versions.publish(french_only(MANIFEST), ["fr"], "dpo")
    second = versions.publish(MANIFEST, ["fr", "en"], "dpo")
    assert (second.number, second.revision) == (2, first.revision)
    page = dpo.get("%s%d/change/" % (VERSIONS, first.pk)).content.decode("utf-8")
    assert re.findall(r'<div lang="(\w+)"><div class="cb-policy"', page) == ["fr"]     # its policy, as it was


def test_a_published_version_never_changes_and_the_admin_cannot_edit_or_delete_it(dpo):
    save_draft(dpo, MANIFEST)
    version = ManifestVersion.objects.get()
    version.text = "{}"
    with pytest.raises(ValueError):
        version.save()
    change = "%s%d/change/" % (VERSIONS, version.pk)
    page = text_of(dpo.get(change))
    assert version.sha256 in page and "Mesure d'audience" in page and "Audience measurement" in page
    assert dpo.post(change, {"revision": "9"}).status_code == 403
    assert dpo.post("%s%d/delete/" % (VERSIONS, version.pk), {"post": "yes"}).status_code == 403
    assert dpo.get(VERSIONS + "add/").status_code == 403
    download = dpo.get("%s%d/export/" % (VERSIONS, version.pk))
    assert download.content.decode("utf-8") == ManifestVersion.objects.get().text


def test_the_draft_imports_a_json_file_and_exports_its_text(dpo):
    upload = io.BytesIO(json.dumps(edited(lifetime="1 an"), ensure_ascii=False).encode("utf-8"))
    upload.name = "cookies.json"
    response = dpo.post(DRAFT + "add/", {"text": "{}", "import_file": upload})
    assert response.status_code == 302
    draft = ManifestDraft.objects.get()
    assert json.loads(draft.text)["cookies"][4]["lifetime"] == "1 an"
    assert json.loads(dpo.get("%s%d/export/" % (DRAFT, draft.pk)).content) == json.loads(draft.text)
    preview = dpo.get("%s%d/change/" % (DRAFT, draft.pk)).content.decode("utf-8")   # as visitors will see it
    assert len(re.findall(r'<div lang="(?:fr|en)"><div class="cb-policy"', preview)) == 2
    assert re.search(r"<td[^>]*>1 an</td>", preview)
    assert not ManifestVersion.objects.exists()              # saved, not published


def test_the_banner_reads_the_published_version_cached_without_a_query_per_request(db_manifest):
    with pytest.raises(versions.NoPublishedVersion):
        manifest_data()
    versions.publish(MANIFEST, ["fr", "en"], "dpo")
    assert manifest_data() == MANIFEST
    served = Client().get("/cookies.json")
    assert served.content.decode("utf-8") == ManifestVersion.objects.get().text
    with CaptureQueriesContext(connections[db_manifest]) as queries:
        for _ in range(5):
            manifest_data()
    assert len(queries) == 0
    # another worker publishes: this process sees it at its next check, not before
    other = edited(lifetime="1 an")
    later = ManifestVersion(number=2, revision=1, fingerprints="", text=json.dumps(other), sha256="0" * 64)
    later.save()
    assert manifest_data() == MANIFEST
    with override_settings(CONSENT_BANNER=dict(SETTINGS, DATABASE_MANIFEST_CHECK=0)):
        assert manifest_data() == other


def test_the_servers_decision_asks_again_after_a_published_change(db_manifest):
    """A visitor who accepted analytics: the server's decision (request.consent) stands until a change of
    that category is published, then asks again, as the page does (the same core)."""
    versions.publish(MANIFEST, ["fr", "en"], "dpo")
    when = int(time.time() * 1000) - 60000
    cookie = "cookies_preferences=" + encode_consent(decide(parse_manifest(MANIFEST, ["fr", "en"]), "custom", when,
                                                            "k2m9x0c4a7q1v8z3", ["analytics"]))
    assert consent_of(cookie).accepts("analytics") and not consent_of(cookie).needs_banner
    versions.publish(edited(lifetime={"fr": "25 mois", "en": "25 months"}), ["fr", "en"], "dpo")
    assert consent_of(cookie).needs_banner and not consent_of(cookie).accepts("analytics")


def consent_of(cookie):
    return RequestConsent(RequestFactory().get("/", HTTP_COOKIE=cookie))


def post_record(version, **changes):
    record = {"consentId": "k2m9x0c4a7q1v8z3", "time": 1764403200000, "revision": version.revision,
              "language": "fr", "action": "accept_all", "accepted": ["analytics"], "refused": [],
              "fingerprints": dict(p.split("=") for p in version.fingerprints.split(",")),
              "bannerVersion": "0.1.0", "build": "b1d2", "source": "first_layer"}
    record.update(changes)
    response = Client().post("/consent-log/", json.dumps(record), content_type="application/json")
    assert response.status_code == 204, response.content
    return ConsentRecord.objects.order_by("-id").first()


def test_a_record_links_the_version_it_was_given_under_and_its_page_shows_what_was_seen(dpo):
    save_draft(dpo, edited(lifetime={"fr": "7 mois", "en": "7 months"}))
    first = ManifestVersion.objects.get()
    record = post_record(first, consentId="earlier001")
    save_draft(dpo, MANIFEST)
    second = ManifestVersion.objects.get(number=2)
    later = post_record(second, consentId="later00001", language="en")
    assert (record.manifest_version, later.manifest_version) == (first, second)
    page = text_of(dpo.get("%s%d/change/" % (RECORDS, record.pk)))
    assert first.sha256 in page and "7 mois" in page and "13 mois" not in page and "b1d2" in page
    page = text_of(dpo.get("%s%d/change/" % (RECORDS, later.pk)))
    assert second.sha256 in page and "13 months" in page and "7 months" not in page
    unknown = post_record(first, consentId="forged0001", revision=77)
    assert unknown.manifest_version is None


def test_the_retention_command_keeps_every_version_a_kept_record_names(dpo):
    long_ago = timezone.now() - datetime.timedelta(days=3000)
    old = versions.publish(edited(lifetime="1 an"), ["fr", "en"], "dpo", long_ago)
    named = versions.publish(edited(lifetime="2 ans"), ["fr", "en"], "dpo", long_ago)
    versions.publish(edited(lifetime="3 ans"), ["fr", "en"], "dpo", long_ago)          # named by no record
    current = versions.publish(MANIFEST, ["fr", "en"], "dpo", long_ago)
    post_record(old)
    ConsentRecord.objects.filter(manifest_version=old).update(received_at=long_ago)
    post_record(named)
    call_command("purge_consent_log", stdout=io.StringIO())
    assert list(ManifestVersion.objects.order_by("number")) == [named, current]


def test_the_statistics_page_counts_per_day_category_source_and_language(dpo):
    data = copy.deepcopy(MANIFEST)
    data["categories"][1]["title"] = {"fr": "<script>alert(1)</script>Mesure", "en": "Measurement"}
    version = versions.publish(data, ["fr", "en"], "dpo")
    post_record(version)
    post_record(version, action="reject_all", accepted=[], refused=["analytics"], source="centre")
    post_record(version, action="withdraw", accepted=[], refused=["analytics"], source="centre", language="en")
    post_record(version, action="allow_once", once="analytics", source="embed")
    stale = post_record(version, consentId="lastmonth1")
    ConsentRecord.objects.filter(pk=stale.pk).update(received_at=timezone.now() - datetime.timedelta(days=40))
    with override_settings(LANGUAGE_CODE="fr"):
        response = dpo.get(RECORDS + "statistics/")
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;Mesure" in body
    assert "<svg" in body and "<table" in body and "<script" not in body.split('id="content-main"')[1]
    today = timezone.localdate().isoformat()
    rows = re.findall(r"<tr><th scope=\"row\">(\S+)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", body)
    assert (today, "1", "1", "1") in rows                  # the last 30 days: accepted, refused, withdrew
    by_source = table_rows(body, "premier niveau") + table_rows(body, "centre de préférences")
    assert by_source == ["1 / 0 / 0", "0 / 1 / 1"]
    start = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    month = dpo.get(RECORDS + "statistics/?start=%s&language=en" % start).content.decode("utf-8")
    assert re.findall(r"<tfoot><tr><th scope=\"row\">[^<]+</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", month)[0] \
        == ("0", "0", "1")
    every = dpo.get(RECORDS + "statistics/?start=%s" % start).content.decode("utf-8")
    assert re.findall(r"<tfoot><tr><th scope=\"row\">[^<]+</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", every)[0] \
        == ("2", "1", "1")


def table_rows(body, label):
    return re.findall(r"<tr><th scope=\"row\">%s</th><td>([^<]+)</td>" % re.escape(html.escape(label)), body)
