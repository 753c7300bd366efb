"""The consent log in Django's admin, through the test client as a logged-in superuser, on SQLite and on
PostgreSQL: the list, its filters (date, action, revision), the CSV export, and no way to edit proof."""

import csv
import datetime
import html
import json
import re
import io
import os

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from banner.django.models import ConsentRecord
from banner.server.receiver import parse_record, record_columns
from log_cases import body, superuser_client

LIST = "/admin/consent_banner/consentrecord/"
DEMO_MANIFEST = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                             "demo", "site", "cookies.json")
NOW = timezone.now()


def add(days_ago=0, **changes):
    columns = record_columns(parse_record(body(**changes)))
    return ConsentRecord.objects.create(received_at=NOW - datetime.timedelta(days=days_ago), **columns)


@pytest.fixture
def admin_client(log_db):
    return superuser_client()


@pytest.fixture
def records(log_db):
    return [add(0, consentId="today0001", action="accept_all", accepted=["analytics", "video"], refused=[]),
            add(3, consentId="lastweek1", action="withdraw", accepted=[], refused=["analytics", "video"]),
            add(40, consentId="oldrev001", revision=2, action="custom"),
            add(400, consentId="lastyear1", revision=1, action="reject_all", accepted=[],
                refused=["analytics", "video"], bannerVersion="-1+1")]


def listed(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    page = response.content.decode("utf-8")
    return sorted(r.consent_id for r in ConsentRecord.objects.all() if ">%s<" % r.consent_id in page)


def test_the_list_shows_every_record(admin_client, records):
    assert listed(admin_client) == ["lastweek1", "lastyear1", "oldrev001", "today0001"]


def test_the_list_filters_by_action_revision_and_date(admin_client, records):
    assert listed(admin_client, "?action__exact=withdraw") == ["lastweek1"]
    assert listed(admin_client, "?revision=2") == ["oldrev001"]
    page = admin_client.get(LIST).content.decode("utf-8")
    for choice in ("?action__exact=reject_all", "?revision=1"):        # the filters are offered
        assert choice in page
    assert listed(admin_client, offered(page, "Past 7 days")) == ["lastweek1", "today0001"]
    assert listed(admin_client, offered(page, "This year")) == sorted(
        r.consent_id for r in records if r.received_at.year == timezone.localtime(NOW).year)


def offered(page, label):
    """The query string of the admin's own link for a filter choice."""
    link = re.search(r'<a href="(\?[^"]*)"[^>]*>%s</a>' % re.escape(label), page)
    assert link, label
    return html.unescape(link.group(1))


def test_the_csv_export_holds_every_selected_record_and_every_column_oldest_first(admin_client, records):
    response = admin_client.post(LIST + "?revision=3", {"action": "export_csv", "select_across": "1", "index": "0",
                                                        "_selected_action": [str(records[0].pk)]})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="consent-log-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0][:6] == ["received_at", "consent_id", "decided_at", "revision", "language", "action"]
    assert [r[1] for r in rows[1:]] == ["lastweek1", "today0001"]          # both revision 3, oldest first
    today = dict(zip(rows[0], rows[2]))
    assert today["accepted"] == "analytics,video" and today["refused"] == "" and today["revision"] == "3"
    assert datetime.datetime.fromisoformat(today["received_at"]) == records[0].received_at


def test_the_csv_export_and_the_records_page_show_the_providers_accepted_per_category(admin_client, records):
    record = add(1, consentId="someprov1", providers={"analytics": ["Atlas"], "video": []})
    response = admin_client.post(LIST, {"action": "export_csv", "_selected_action": [str(record.pk)]})
    [header, row] = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert json.loads(dict(zip(header, row))["providers"]) == {"analytics": ["Atlas"], "video": []}
    page = html.unescape(admin_client.get("%s%d/change/" % (LIST, record.pk)).content.decode("utf-8"))
    assert '{"analytics":["Atlas"],"video":[]}' in page


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(admin_client, records):
    response = admin_client.post(LIST, {"action": "export_csv", "_selected_action": [str(records[3].pk)]})
    [header, row] = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert dict(zip(header, row))["banner_version"] == "'-1+1"


def test_records_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, records):
    record = records[0]
    change = "%s%d/change/" % (LIST, record.pk)
    page = admin_client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content        # view only
    assert admin_client.post(change, {"action": "reject_all"}).status_code == 403
    assert admin_client.get(LIST + "add/").status_code == 403
    assert admin_client.post("%s%d/delete/" % (LIST, record.pk), {"post": "yes"}).status_code == 403
    response = admin_client.post(LIST, {"action": "delete_selected", "_selected_action": [str(record.pk)],
                                        "post": "yes"})
    assert ConsentRecord.objects.count() == 4
    assert response.status_code in (200, 302)
    assert ConsentRecord.objects.get(pk=record.pk).action == "accept_all"


# --- filters bounded whatever is posted --------------------------------------------------------------------

POSTED = 3000


@pytest.fixture
def flooded(admin_client):
    """The portal's records (manifest revision 50, languages fr and en), then 3,000 records anybody could have
    posted to the public log view, each with a revision and a language of its own."""
    with open(DEMO_MANIFEST, encoding="utf-8") as handle:
        manifest = dict(json.load(handle), revision=50)
    with override_settings(CONSENT_BANNER={"MANIFEST": manifest, "LANGUAGES": ["fr", "en"]}):
        add(0, consentId="current01", revision=50, language="fr")
        add(1, consentId="current02", revision=50, language="en")
        add(2, consentId="previous1", revision=49, language="fr")
        add(3, consentId="ancient01", revision=7, language="fr", action="reject_all", accepted=[],
            refused=["analytics", "video"])
        add(4, consentId="foreign01", revision=51, language="de", source="api")
        old = NOW - datetime.timedelta(days=30)
        ConsentRecord.objects.bulk_create(
            [ConsentRecord(received_at=old, **record_columns(parse_record(body(
                consentId="spam%06d" % i, revision=100 + i, language="x%s-%d" % ("abcdefghijklmnopqrstuvwxyz"[i % 26],
                                                                              i))))) for i in range(POSTED)],
            batch_size=500)
        yield admin_client


def filter_links(page):
    """The query strings of the links of the changelist's filter sidebar."""
    sidebar = page.split('id="changelist-filter"', 1)[1].split("</nav>", 1)[0]
    return [html.unescape(q) for q in re.findall(r'<a href="(\?[^"]*)"', sidebar)]


def test_posted_values_do_not_grow_the_filters_which_still_filter(flooded):
    """20,000 posted records made the changelist a 2.5 MB page of 40,200 filter links, one per distinct
    revision and language: the filters now offer what the portal knows, plus "other"."""
    response = flooded.get(LIST)
    assert response.status_code == 200
    page = response.content.decode("utf-8")
    links = filter_links(page)
    assert len(links) < 40, links                    # date 6, action 6, revision 5, source 5, language 4
    assert len(page) < 200000
    revision = [q for q in links if "revision=" in q]
    assert [re.search(r"revision=(\w+)", q).group(1) for q in revision] == ["50", "49", "7", "other"]
    assert "50 (current)" in page
    assert sorted(re.search(r"language=(\w+)", q).group(1) for q in links if "language=" in q) == [
        "en", "fr", "other"]
    assert listed(flooded, "?revision=50") == ["current01", "current02"]
    assert listed(flooded, "?revision=7") == ["ancient01"]
    assert listed(flooded, "?revision=151") == ["spam000051"]          # any revision, typed in the URL
    assert ConsentRecord.objects.filter(revision__gt=50).count() == POSTED + 1
    assert "foreign01" in listed(flooded, "?revision=other")
    assert not {"current01", "previous1", "ancient01"} & set(listed(flooded, "?revision=other"))
    assert listed(flooded, "?language=en") == ["current02"]
    other = listed(flooded, "?language=other")
    assert "foreign01" in other and not {"current01", "current02"} & set(other)
    assert listed(flooded, "?revision=50&language=fr") == ["current01"]
    assert listed(flooded, "?action__exact=reject_all") == ["ancient01"]
    assert listed(flooded, "?source__exact=api") == ["foreign01"]
    facets = flooded.get(LIST + "?_facets=True")                # the admin's counts per choice, bounded too
    assert facets.status_code == 200 and len(filter_links(facets.content.decode("utf-8"))) < 40


# --- in the admin's language ---------------------------------------------------------------------------------
LOCALE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "banner", "django", "locale")
LANGUAGES = ("fr", "de", "es", "it", "nl", "ar")           # English is the source text


def catalog(code):
    """{msgid: msgstr} of a language's django.po (one-line entries: the catalogs are written that way)."""
    with open(os.path.join(LOCALE, code, "LC_MESSAGES", "django.po"), encoding="utf-8") as handle:
        text = handle.read()
    return {json.loads('"%s"' % i): json.loads('"%s"' % s)
            for i, s in re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, re.M)}


def test_the_admin_speaks_the_language_of_a_french_admin(admin_client, records):
    with override_settings(LANGUAGE_CODE="fr"):
        page = html.unescape(admin_client.get(LIST).content.decode("utf-8"))
        index = html.unescape(admin_client.get("/admin/").content.decode("utf-8"))
    assert "Bandeau de consentement" in index and "Enregistrements de consentement" in index
    for text in ("Par langue", "Par révision", "Par origine", "autre",
                 "Exporter en CSV les enregistrements de consentement sélectionnés",   # the action
                 "Reçu le", "Identifiant de consentement", "Acceptées", "Refusées",   # the columns
                 "tout accepter", "retrait", "tout refuser", "choix personnalisé"):     # the actions recorded
        assert text in page, text
    for english in ("Export selected consent records as CSV", "By language", "Received at", "preferences centre"):
        assert english not in page, english


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_string_of_the_app_is_translated_and_compiled(code):
    """Each string the app marks for translation has its entry in the language's catalog, and Django (which
    reads the compiled django.mo) gives that entry: a .po edited without compiling it fails here."""
    import glob
    from django.utils import translation
    marked = set()
    for path in glob.glob(os.path.join(LOCALE, "..", "*.py")):
        with open(path, encoding="utf-8") as handle:
            marked |= {json.loads('"%s"' % s) for s in re.findall(r'\b_\("((?:[^"\\]|\\.)+)"\)', handle.read())}
    entries = catalog(code)
    assert marked and marked <= set(entries), marked - set(entries)
    with translation.override(code):
        for msgid, msgstr in entries.items():
            assert msgstr and translation.gettext(msgid) == msgstr, (msgid, msgstr)
