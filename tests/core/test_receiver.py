"""banner.server.receiver: the reference receiver for consent records (CPython only), through its functions and
through a real HTTP server on the loopback interface."""

import http.client as http_client
import json
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from banner.server.receiver import FIELDS, MAX_BODY, RecordError, handle_post, open_db, parse_record, store_record
from core_kit import NOW, CID

RECORD = {"consentId": CID, "time": NOW, "revision": 3, "language": "fr", "action": "custom",
          "accepted": ["analytics", "social_media-2"], "refused": ["video"],
          "fingerprints": {"analytics": "4ylmn1", "social_media-2": "000000", "video": "0k9a2c"}}
FINGERPRINTS = "analytics=4ylmn1,social_media-2=000000,video=0k9a2c"


def body(**changes):
    data = dict(RECORD, **changes)
    return json.dumps(data).encode("utf-8")


def without(field):
    data = dict(RECORD)
    del data[field]
    return json.dumps(data).encode("utf-8")


def rejected(raw):
    with pytest.raises(RecordError) as caught:
        parse_record(raw)
    return str(caught.value)


def rows(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT received_at, consent_id, decided_at, revision, language, action, accepted, refused "
                          "FROM consent_log ORDER BY id").fetchall()


# --- parse_record ----------------------------------------------------------------------------------------

def test_a_valid_record_is_returned_as_it_was_sent():
    assert parse_record(body()) == RECORD
    assert sorted(RECORD) == sorted(FIELDS)


@pytest.mark.parametrize("field, value", [
    ("consentId", "short"), ("consentId", "K2M9X0C4A7Q1V8Z3"), ("consentId", "a" * 41), ("consentId", 12345678),
    ("consentId", None), ("consentId", "k2m9x0c4-7q1v8z3"),
    ("time", -1), ("time", 1.5), ("time", str(NOW)), ("time", True), ("time", None), ("time", 10 ** 15),
    ("time", 10 ** 30),
    ("revision", -3), ("revision", "3"), ("revision", False), ("revision", [3]), ("revision", 10 ** 20),
    ("language", "EN"), ("language", "english"), ("language", ""), ("language", 3), ("language", "en-"),
    ("action", "accept"), ("action", "ACCEPT_ALL"), ("action", "withdrawn"), ("action", None), ("action", ["custom"]),
    ("accepted", "analytics"), ("accepted", ["Analytics"]), ("accepted", [1]), ("accepted", [""]),
    ("accepted", ["a"] * 101), ("accepted", None), ("accepted", {"analytics": True}),
    ("refused", "video"), ("refused", ["9lives"]), ("refused", [None]), ("refused", ["x" * 33]),
    ("fingerprints", None), ("fingerprints", ["4ylmn1"]), ("fingerprints", {"analytics": "4YLMN1"}),
    ("fingerprints", {"analytics": "4ylmn"}), ("fingerprints", {"analytics": 4}), ("fingerprints", {"9a": "4ylmn1"}),
    ("fingerprints", {"c%d" % i: "4ylmn1" for i in range(101)}),
])
def test_each_invalid_field_is_rejected_with_its_name_in_the_message(field, value):
    message = rejected(body(**{field: value}))
    assert message.startswith(field + ": "), message


@pytest.mark.parametrize("field, value", [
    ("time", 0), ("time", 999999999999999), ("revision", 999999999999999), ("language", "zh-hans"),
    ("action", "withdraw"), ("accepted", []), ("refused", ["a"] * 100), ("consentId", "0" * 8),
    ("consentId", "z" * 40), ("fingerprints", {}), ("fingerprints", {"c%d" % i: "zzzzzz" for i in range(100)}),
])
def test_the_limits_of_each_field_are_accepted(field, value):
    assert parse_record(body(**{field: value}))[field] == value


@pytest.mark.parametrize("field", FIELDS)
def test_a_missing_field_is_named(field):
    assert "missing fields ['%s']" % field in rejected(without(field))


@pytest.mark.parametrize("extra", ["ip", "userAgent", "url"])
def test_an_unknown_field_is_named_and_refused(extra):
    message = rejected(body(**{extra: "x"}))
    assert "unknown fields ['%s']" % extra in message


@pytest.mark.parametrize("raw, words", [
    (b"", "not JSON"), (b"{", "not JSON"), (b"\xff\xfe{}", "not JSON"), (b"[]", "must be a JSON object"),
    (b'"record"', "must be a JSON object"), (b"null", "must be a JSON object"),
    (b"[" * 4000 + b"]" * 4000, "not JSON"),               # nested deeper than the parser's recursion limit
    (b'{"a":' * 1300 + b"1" + b"}" * 1300, "not JSON"),
])
def test_a_body_that_is_not_a_json_object_is_refused(raw, words):
    assert len(raw) <= MAX_BODY
    assert words in rejected(raw)


def test_a_body_larger_than_8_kib_is_refused_before_parsing():
    assert MAX_BODY == 8192
    raw = body()
    padded = raw[:-1] + b" " * (MAX_BODY - len(raw)) + b"}"
    assert len(padded) == MAX_BODY and parse_record(padded) == RECORD
    assert rejected(padded + b" ") == "body larger than 8192 bytes"


# --- which banner asked, where, and "Autoriser une fois" ----------------------------------------------------

ORIGIN = {"bannerVersion": "0.1.0", "build": "3f9a0c1b2d4e", "source": "centre"}


def test_a_record_naming_its_banner_version_build_and_source_is_accepted():
    assert parse_record(body(**ORIGIN)) == dict(RECORD, **ORIGIN)
    once = dict(RECORD, action="allow_once", once="video", source="embed", bannerVersion="0.1.0", build="ab12")
    assert parse_record(json.dumps(once).encode("utf-8")) == once


@pytest.mark.parametrize("changes, field", [
    ({"bannerVersion": "0.1.0 beta"}, "bannerVersion"), ({"bannerVersion": 1}, "bannerVersion"),
    ({"bannerVersion": "1" * 33}, "bannerVersion"), ({"build": "3F9A"}, "build"), ({"build": "x" * 8}, "build"),
    ({"build": "a" * 65}, "build"), ({"build": None}, "build"), ({"source": "footer"}, "source"),
    ({"source": None}, "source"), ({"once": "video"}, "once"),                  # once without allow_once
    ({"action": "allow_once"}, "once"),                                            # allow_once without once
    ({"action": "allow_once", "once": "Video"}, "once"), ({"action": "allow_once", "once": ["video"]}, "once"),
])
def test_a_wrong_origin_field_is_rejected_with_its_name(changes, field):
    assert rejected(body(**changes)).startswith(field + ": ")


def test_the_origin_and_the_category_allowed_once_are_stored(tmp_path):
    path = str(tmp_path / "log.sqlite3")
    db = open_db(path)
    store_record(db, body(**ORIGIN), now=1)
    store_record(db, body(action="allow_once", once="video", source="embed", bannerVersion="0.1.0", build="ab"), now=2)
    store_record(db, body(), now=3)                       # a record from a banner before 0.1.0
    db.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT action, banner_version, build, source, once FROM consent_log ORDER BY id").fetchall() == [
            ("custom", "0.1.0", "3f9a0c1b2d4e", "centre", ""), ("allow_once", "0.1.0", "ab", "embed", "video"),
            ("custom", "", "", "", "")]


# --- store_record ----------------------------------------------------------------------------------------

def test_a_valid_record_is_stored_in_sqlite_and_read_back(tmp_path):
    path = str(tmp_path / "log.sqlite3")
    db = open_db(path)
    assert store_record(db, body(), now=1764403300.25) == RECORD
    store_record(db, body(action="withdraw", accepted=[], refused=["analytics", "video"]), now=1764403400)
    db.close()
    assert rows(path) == [
        (1764403300250, CID, NOW, 3, "fr", "custom", "analytics,social_media-2", "video"),
        (1764403400000, CID, NOW, 3, "fr", "withdraw", "", "analytics,video"),
    ]


def test_reopening_the_database_keeps_what_it_holds(tmp_path):
    path = str(tmp_path / "log.sqlite3")
    store_record(open_db(path), body(), now=1)
    store_record(open_db(path), body(), now=2)
    assert [r[0] for r in rows(path)] == [1000, 2000]


def test_the_largest_numbers_a_record_may_hold_are_stored(tmp_path):
    path = str(tmp_path / "log.sqlite3")
    store_record(open_db(path), body(time=999999999999999, revision=999999999999999), now=1)
    assert rows(path)[0][2:4] == (999999999999999, 999999999999999)


def test_an_invalid_record_stores_nothing(tmp_path):
    path = str(tmp_path / "log.sqlite3")
    db = open_db(path)
    for raw in (body(action="accept"), body(time=10 ** 30), without("refused"), b"[" * 4000):
        with pytest.raises(RecordError):
            store_record(db, raw)
    assert rows(path) == []


def test_the_table_has_no_column_for_an_ip_address_or_a_user_agent(tmp_path):
    path = str(tmp_path / "log.sqlite3")
    open_db(path).close()
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(consent_log)")]
    assert columns == ["id", "received_at", "consent_id", "decided_at", "revision", "language", "action",
                       "accepted", "refused", "fingerprints", "banner_version", "build", "source", "once",
                       "providers"]


def test_the_fingerprints_are_stored_as_category_fingerprint_pairs(tmp_path):
    path = str(tmp_path / "log.sqlite3")
    store_record(open_db(path), body(), now=1)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT fingerprints FROM consent_log").fetchall() == [(FINGERPRINTS,)]


def test_a_log_created_before_records_had_fingerprints_gains_the_column(tmp_path):
    path = str(tmp_path / "log.sqlite3")
    with sqlite3.connect(path) as db:
        db.execute(open_db(":memory:").execute("SELECT sql FROM sqlite_master").fetchone()[0]
                   .replace(",\n    fingerprints TEXT NOT NULL DEFAULT ''", ""))
        db.execute("INSERT INTO consent_log (received_at, consent_id, decided_at, revision, language, action, "
                   "accepted, refused) VALUES (1, 'oldrecord', 1, 1, 'fr', 'accept_all', 'analytics', '')")
        assert "fingerprints" not in [row[1] for row in db.execute("PRAGMA table_info(consent_log)")]
    store_record(open_db(path), body(), now=2)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT consent_id, fingerprints FROM consent_log ORDER BY id").fetchall() == [
            ("oldrecord", ""), (CID, FINGERPRINTS)]


# --- the providers accepted in a category offering a choice per provider -----------------------------------

PROVIDERS = {"analytics": ["Atlas", "Carto Zeta"], "video": []}


def test_a_record_naming_the_accepted_providers_is_accepted_and_stored_as_json(tmp_path):
    assert parse_record(body(providers=PROVIDERS))["providers"] == PROVIDERS
    path = str(tmp_path / "log.sqlite3")
    db = open_db(path)
    store_record(db, body(providers=PROVIDERS), now=1)
    store_record(db, body(), now=2)
    with sqlite3.connect(path) as read:
        stored = [row[0] for row in read.execute("SELECT providers FROM consent_log ORDER BY id")]
    assert json.loads(stored[0]) == PROVIDERS and stored[1] == ""


@pytest.mark.parametrize("providers", [
    [], "analytics", {"Analytics": ["Atlas"]}, {"analytics": "Atlas"}, {"analytics": [""]}, {"analytics": [1]},
    {"analytics": ["Atlas", "Atlas"]}, {"analytics": ["x" * 201]}, {"analytics": ["p%d" % i for i in range(21)]},
    {"c%d" % i: [] for i in range(65)}, {"video": ["Atlas"]}, {"unknown": ["Atlas"]},
], ids=["list", "string", "bad-id", "names-not-a-list", "empty-name", "not-a-string", "duplicate", "long-name",
        "too-many-names", "too-many-categories", "refused-category", "category-not-accepted"])
def test_a_wrong_providers_field_is_rejected_with_its_name(providers):
    assert "providers" in rejected(body(providers=providers))


def test_the_largest_providers_field_a_manifest_allows_is_accepted():
    names = ["p%02d" % i for i in range(20)]
    assert parse_record(body(providers={"analytics": names, "video": []}))["providers"]["analytics"] == names


def test_a_log_created_before_records_named_providers_gains_the_column(tmp_path):
    path = str(tmp_path / "log.sqlite3")
    with sqlite3.connect(path) as db:
        db.execute(open_db(":memory:").execute("SELECT sql FROM sqlite_master").fetchone()[0]
                   .replace(",\n    providers TEXT NOT NULL DEFAULT ''", ""))
        assert "providers" not in [row[1] for row in db.execute("PRAGMA table_info(consent_log)")]
    store_record(open_db(path), body(providers=PROVIDERS), now=2)
    with sqlite3.connect(path) as db:
        assert [json.loads(r[0]) for r in db.execute("SELECT providers FROM consent_log")] == [PROVIDERS]


# --- handle_post over HTTP -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A ThreadingHTTPServer on 127.0.0.1 whose POST handler is handle_post; yields (url, db path)."""
    path = str(tmp_path_factory.mktemp("receiver") / "log.sqlite3")
    db = open_db(path)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            handle_post(db, self)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d/consent-log/" % httpd.server_address[1], path
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
        db.close()


def post(url, raw, headers=None):
    """(status, body) of a POST with a JSON body (and `headers`)."""
    request = urllib.request.Request(url, data=raw, method="POST",
                                     headers=dict({"Content-Type": "application/json"}, **(headers or {})))
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


def raw_post(url, content_length, payload=b""):
    """The status line and body of a POST sent by hand, with whatever Content-Length we like."""
    port = int(url.split(":")[2].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"POST /consent-log/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %s\r\n\r\n"
                     % content_length.encode("utf-8") + payload)
        answer = b""
        while True:
            chunk = sock.recv(65536)        # a socket.timeout here means the server never answered
            if not chunk:
                break
            answer += chunk
    head, _, rest = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode("ascii"), rest


def test_a_valid_record_is_answered_204_and_stored(server):
    url, path = server
    before = len(rows(path))
    assert post(url, body(consentId="p0st0ne0k")) == (204, b"")
    stored = rows(path)
    assert len(stored) == before + 1
    assert stored[-1][1:] == ("p0st0ne0k", NOW, 3, "fr", "custom", "analytics,social_media-2", "video")


def test_an_invalid_record_is_answered_400_with_the_field_and_not_stored(server):
    url, path = server
    before = len(rows(path))
    status, message = post(url, body(language="French"))
    assert status == 400
    assert message == b"language: must be a language code"
    assert post(url, body(ip="203.0.113.9"))[0] == 400
    assert len(rows(path)) == before


def test_a_body_of_exactly_8_kib_is_accepted(server):
    url, _ = server
    raw = body()
    assert post(url, raw[:-1] + b" " * (MAX_BODY - len(raw)) + b"}")[0] == 204


def test_a_declared_body_over_8_kib_is_answered_413_without_reading_it(server):
    url, path = server
    before = len(rows(path))
    assert raw_post(url, str(MAX_BODY + 1)) == ("HTTP/1.0 413 Request Entity Too Large", b"")
    assert raw_post(url, "9" * 5000)[0] == "HTTP/1.0 413 Request Entity Too Large"
    assert len(rows(path)) == before


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "٣"])
def test_a_content_length_that_is_not_a_number_is_answered_400(server, length):
    status, message = raw_post(server[0], length, body())
    assert status == "HTTP/1.0 400 Bad Request"
    assert message.startswith(b"Content-Length: ")


def test_a_nesting_bomb_is_answered_400_not_dropped(server):
    url, _ = server
    status, message = post(url, b"[" * 4000 + b"]" * 4000)
    assert status == 400
    assert message.startswith(b"not JSON")


def test_the_reference_server_answers_only_its_path_and_logs_no_client_address(tmp_path, capsys):
    from banner.server.receiver import make_handler
    path = str(tmp_path / "log.sqlite3")
    db = open_db(path)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(db, "/consent-log/"))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        base = "http://127.0.0.1:%d" % httpd.server_address[1]
        assert post(base + "/consent-log/", body())[0] == 204
        assert post(base + "/elsewhere/", body())[0] == 404
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
        db.close()
    assert len(rows(path)) == 1
    logged = capsys.readouterr().err
    assert "POST /consent-log/" in logged and "204" in logged
    assert "127.0.0.1" not in logged


# --- failures inside the receiver ------------------------------------------------------------------------

def test_a_record_that_cannot_be_stored_is_answered_500_and_no_output_names_the_client(tmp_path, capfd):
    """The database refuses the insert (here a trigger standing in for a full disk or a locked file): the
    client hears 500, not 204, nothing is stored, neither the answer nor the receiver's log (error report
    included) holds the client's address, and the next record is stored normally."""
    from banner.server.receiver import make_server
    path = str(tmp_path / "log.sqlite3")
    server = make_server(path)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = "http://127.0.0.1:%d/consent-log/" % server.server_address[1]
    try:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TRIGGER full_disk BEFORE INSERT ON consent_log "
                       "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        status, answer = post(url, body(consentId="f4iled000"))
        assert status == 500
        assert answer == b"internal error: the record was not stored"
        with sqlite3.connect(path) as db:
            db.execute("DROP TRIGGER full_disk")
        assert post(url, body(consentId="st0red000")) == (204, b"")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert [r[1] for r in rows(path)] == ["st0red000"]
    out, err = capfd.readouterr()
    assert "database or disk is full" in err and "Traceback" in err      # the error is reported...
    assert "127.0.0.1" not in out + err                                   # ...without the client address


def test_an_error_escaping_a_handler_is_reported_without_the_client_address(tmp_path, capfd):
    """socketserver's default report reads 'Exception occurred during processing of request from
    ('127.0.0.1', port)': the receiver's server leaves the address out."""
    from banner.server.receiver import LogServer

    class Broken(BaseHTTPRequestHandler):
        def do_POST(self):
            raise RuntimeError("handler bug")

    server = LogServer(("127.0.0.1", 0), Broken)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with pytest.raises((urllib.error.URLError, ConnectionError, http_client.RemoteDisconnected)):
            post("http://127.0.0.1:%d/consent-log/" % server.server_address[1], body())
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    _, err = capfd.readouterr()
    assert "handler bug" in err
    assert "127.0.0.1" not in err


# --- the serve-log server: origins, idle connections, what it prints ------------------------------------

@pytest.fixture
def serve_log(tmp_path):
    """start(**make_server options) -> (base URL, db path): `consent-banner serve-log`'s server on loopback."""
    from banner.server.receiver import make_server
    started = []

    def start(**options):
        path = str(tmp_path / ("log%d.sqlite3" % len(started)))
        server = make_server(path, **options)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        started.append((server, thread))
        return "http://127.0.0.1:%d" % server.server_address[1], path
    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(5)


def post_from(url, origin, raw=None):
    """(status, body) of a POST a browser would send from a page of `origin` (None: no Origin, as curl)."""
    return post(url, raw or body(), {} if origin is None else {"Origin": origin})


def test_a_record_posted_by_a_page_of_another_site_is_refused_403_and_not_stored(serve_log):
    """As the Django view does: a third-party page cannot fill the log through its visitors' browsers."""
    base, path = serve_log()
    url = base + "/consent-log/"
    assert post_from(url, "https://evil.example") == (403, b"consent records are accepted from this site's pages only")
    assert post_from(url, "null")[0] == 403                        # a sandboxed frame, a file: page
    assert post_from(url, base.replace("127.0.0.1", "localhost"))[0] == 403    # another origin than the one addressed
    assert rows(path) == []
    assert post_from(url, base) == (204, b"")                      # a page of the receiver's own origin
    assert post_from(url, None) == (204, b"")                      # no Origin: curl, a server, as in Django
    assert len(rows(path)) == 2


def test_allow_origin_names_the_portal_whose_pages_may_post(serve_log):
    base, path = serve_log(allow_origins=["https://Portal.example"])
    url = base + "/consent-log/"
    assert post_from(url, "https://portal.example") == (204, b"")
    assert post_from(url, "https://portal.example:8443")[0] == 403
    assert post_from(url, "http://portal.example")[0] == 403
    assert len(rows(path)) == 1


@pytest.mark.parametrize("value", ["portal.example", "https://portal.example/", "ftp://portal.example",
                                   "https://portal.example/consent-log/"])
def test_an_allow_origin_that_is_not_an_origin_is_a_usage_error(value, capsys):
    from banner.__main__ import main
    with pytest.raises(SystemExit) as caught:
        main(["serve-log", "--allow-origin", value])
    assert caught.value.code == 2
    assert "--allow-origin" in capsys.readouterr().err


def test_a_connection_that_sends_nothing_is_closed_after_the_timeout(serve_log, monkeypatch):
    """Before, a client that connected and said nothing held a server thread for ever (many such clients:
    as many threads); now the receiver hangs up once the connection has been silent for the timeout."""
    monkeypatch.setattr("banner.server.receiver.REQUEST_TIMEOUT", 0.5, raising=False)
    base, _ = serve_log()
    port = int(base.rsplit(":", 1)[1])
    silent = socket.create_connection(("127.0.0.1", port), timeout=5)
    slow = socket.create_connection(("127.0.0.1", port), timeout=5)
    with silent, slow:
        slow.sendall(b"POST /consent-log/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")   # then nothing
        for sock in (silent, slow):
            started = time.monotonic()
            while sock.recv(65536):       # a socket.timeout here (5 s): the receiver kept the connection open
                pass
            assert time.monotonic() - started < 4
    assert post_from(base + "/consent-log/", None)[0] == 204


def test_control_characters_in_a_request_reach_the_log_escaped(serve_log, capfd):
    """A request line or an Origin header holding ESC [ ... would drive the terminal showing the log
    (clear it, rewrite earlier lines): the receiver prints them as \\x1b."""
    base, _ = serve_log()
    port = int(base.rsplit(":", 1)[1])
    for request in (b"POST /consent-log/\x1b[2J\x1b[1;1H HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
                    b"POST /consent-log/ HTTP/1.0\r\nOrigin: https://evil.example\x1b]0;owned\x07\r\n"
                    b"Content-Length: 2\r\n\r\n{}"):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(request)
            while sock.recv(65536):
                pass
    _, err = capfd.readouterr()
    assert "\x1b" not in err and "\x07" not in err
    assert "/consent-log/\\x1b[2J\\x1b[1;1H" in err
    assert "https://evil.example\\x1b]0;owned\\x07" in err
