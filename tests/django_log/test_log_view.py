"""The consent log's POST view through Django's test client, on SQLite and on PostgreSQL: a good record
is stored once, with the columns the reference receiver writes; anything else is refused and leaves
nothing behind."""

import json
import threading

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from banner.django.portal import log_url
from banner.fingerprint import WIDTH
from banner.django.models import ConsentRecord
from banner.server.receiver import MAX_BODY
from log_cases import body, without

URL = "/consent-log/"


def post(data, client=None, **headers):
    return (client or Client()).post(URL, data, content_type="application/json", headers=headers)


def stored(alias):
    return list(ConsentRecord.objects.using(alias).order_by("id").values())


def test_the_urlconf_names_the_path_the_page_posts_to(log_db):
    assert log_url() == URL


def test_a_good_record_is_answered_204_and_stored_once_with_every_column(log_db):
    before = timezone.now()
    response = post(body(), Client(enforce_csrf_checks=True))      # the page sends no CSRF token
    assert response.status_code == 204
    [row] = stored(log_db)
    assert before <= row.pop("received_at") <= timezone.now()
    row.pop("id")
    assert row == {"consent_id": "k2m9x0c4a7q1v8z3", "decided_at": 1764403200000, "revision": 3, "language": "fr",
                   "action": "custom", "accepted": "analytics", "refused": "video",
                   "fingerprints": "analytics=%s,video=%s" % ("4" * WIDTH, "z" * WIDTH),
                   "banner_version": "0.1.0", "build": "ab12", "source": "centre", "once": "", "providers": "",
                   "manifest_version_id": None}          # a file manifest: no published version to name


def test_the_providers_accepted_per_category_are_stored_as_the_reference_receiver_stores_them(log_db):
    chosen = {"video": [], "analytics": ["Atlas", "Carte é"]}
    assert post(body(providers=chosen)).status_code == 204
    assert post(body(providers={"video": ["Atlas"]})).status_code == 400      # a refused category accepts none
    [row] = stored(log_db)
    assert json.loads(row["providers"]) == chosen
    assert row["providers"] == '{"analytics":["Atlas","Carte é"],"video":[]}'


def test_records_at_the_fields_limits_and_of_older_banners_are_stored(log_db):
    assert post(body(time=999999999999999, revision=999999999999999, language="zh-hans-" + "-".join(["abcdefgh"] * 40))).status_code == 204
    old = {k: v for k, v in json.loads(body()).items() if k not in ("bannerVersion", "build", "source")}
    assert post(old).status_code == 204
    assert post(body(action="allow_once", once="video", source="embed")).status_code == 204
    rows = stored(log_db)
    assert [r["revision"] for r in rows] == [999999999999999, 3, 3]
    assert rows[1]["banner_version"] == rows[1]["source"] == ""
    assert (rows[2]["action"], rows[2]["once"]) == ("allow_once", "video")


@pytest.mark.parametrize("raw, words", [
    (b"", "not JSON"),
    (b"{not json", "not JSON"),
    (b"\xff\xfe", "not JSON"),
    (b"[" * 4000 + b"]" * 4000, "not JSON"),
    (b"[]", "must be a JSON object"),
    (without("consentId"), "missing fields ['consentId']"),
    (body(ip="203.0.113.9"), "unknown fields ['ip']"),
    (body(consentId="SHOUTING1234"), "consentId:"),
    (body(action="accept"), "action:"),
    (body(revision=0), "revision:"),
    (body(time=10 ** 15), "time:"),
    (body(accepted=["video"], refused=["video"]), "a category cannot be both"),
    (body(action="allow_once"), "once:"),
    (body(bannerVersion="<script>"), "bannerVersion:"),
])
def test_a_bad_body_is_answered_400_naming_the_problem_and_nothing_is_stored(log_db, raw, words):
    response = post(raw)
    assert response.status_code == 400
    assert words in response.content.decode("utf-8")
    assert stored(log_db) == []


def test_a_body_over_the_receivers_limit_is_answered_413_and_nothing_is_stored(log_db):
    padded = body()[:-1] + b"," + b" " * (MAX_BODY - len(body())) + b"}"
    assert len(padded) == MAX_BODY + 1
    assert post(padded).status_code == 413
    assert post(b"x" * 10 ** 6).status_code == 413
    assert stored(log_db) == []
    at_limit = body()[:-1] + b" " * (MAX_BODY - len(body())) + b"}"
    assert len(at_limit) == MAX_BODY and post(at_limit).status_code == 204


def test_only_post_is_accepted(log_db):
    assert Client().get(URL).status_code == 405
    assert Client().put(URL, body(), content_type="application/json").status_code == 405
    assert stored(log_db) == []


def test_a_page_of_another_site_is_refused_and_this_sites_pages_are_not(log_db):
    assert post(body(), Origin="https://evil.example").status_code == 403
    assert post(body(), Origin="null").status_code == 403
    assert stored(log_db) == []
    assert post(body(), Origin="http://testserver").status_code == 204
    with override_settings(CSRF_TRUSTED_ORIGINS=["https://portal.example"]):
        assert post(body(), Origin="https://portal.example").status_code == 204
    assert len(stored(log_db)) == 2


def test_concurrent_records_on_sqlite_never_meet_its_lock(sqlite_db):
    """Writers of one process take turns before SQLite's lock, so even a busy timeout of 1 ms loses
    nothing; writing side by side, they would fail with "database is locked"."""
    entry = connections.settings[sqlite_db]
    saved = entry["OPTIONS"]
    entry["OPTIONS"] = dict(saved, timeout=0.001)
    statuses = []

    def writer(first):
        client = Client()
        try:
            for n in range(first, 400, 16):
                statuses.append(post(body(consentId="burst%05d" % n), client).status_code)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=writer, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        entry["OPTIONS"] = saved
    assert sorted(set(statuses)) == [204] and len(statuses) == 400
    assert len(stored(sqlite_db)) == 400


REFUSE = {
    "sqlite": ["CREATE TRIGGER full_disk BEFORE INSERT ON consent_banner_consentrecord "
               "BEGIN SELECT RAISE(ABORT, 'disk full'); END"],
    "postgresql": ["CREATE FUNCTION full_disk() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ "
                   "LANGUAGE plpgsql",
                   "CREATE TRIGGER full_disk BEFORE INSERT ON consent_banner_consentrecord "
                   "FOR EACH ROW EXECUTE FUNCTION full_disk()"],
}
ALLOW = {"sqlite": ["DROP TRIGGER full_disk"],
         "postgresql": ["DROP TRIGGER full_disk ON consent_banner_consentrecord", "DROP FUNCTION full_disk()"]}


def test_a_record_the_database_refuses_is_answered_500_so_the_page_retries_it(log_db, caplog):
    connection = connections[log_db]

    def run(statements):
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    run(REFUSE[connection.vendor])
    try:
        response = post(body())
    finally:
        run(ALLOW[connection.vendor])
    assert response.status_code == 500
    assert response.content == b"internal error: the record was not stored"
    assert "consent log: the record was not stored" in caplog.text
    assert stored(log_db) == []
    assert post(body()).status_code == 204          # the page's retry
    assert len(stored(log_db)) == 1
