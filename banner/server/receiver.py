"""Reference receiver for consent records (CPython only; never bundled for the page).

    python -m banner serve-log [--db consent-log.sqlite3] [--port 8001] [--path /consent-log/]
                               [--allow-origin https://portal.example ...]

It accepts the JSON records the banner POSTs to `consentLog` (see banner/record.py), validates every
field, and appends them to an SQLite table with the time of receipt. It stores no IP address and no
user agent. The Django app (banner.django) stores the same records in the portal's own database.

Proof that is acknowledged must exist: a record is answered 204 only once its transaction is committed
with `synchronous=FULL`, one writer at a time (the server's threads share one connection, which SQLite
does not serialise on its own: without the lock, concurrent requests interleave their transactions and
acknowledged records are lost). Anything unexpected answers 500, and nothing the receiver prints, its
error reports included, carries the client's address.

Like the Django view, it refuses (403) a record a browser posts from another site: its Origin must be
the receiver's own (as the browser addressed it) or one given with --allow-origin (the portal's, when
the receiver sits behind it). A connection silent for REQUEST_TIMEOUT seconds is closed, and control
characters in what it logs are escaped.
"""

import json
import sqlite3
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from banner.cookies import ID_ALPHABET, is_consent_id
from banner.fingerprint import WIDTH as FINGERPRINT_WIDTH
from banner.manifest import MAX_CATEGORIES, MAX_CHOICE_PROVIDERS
from banner.record import LOGGED_ACTIONS, SOURCES
from banner.text import is_identifier, is_language_code

MAX_BODY = 8192
MAX_INT = 999999999999999        # 15 digits, as in the cookie; SQLite's INTEGER overflows past 2**63 - 1
FIELDS = ("consentId", "time", "revision", "language", "action", "accepted", "refused", "fingerprints")
# Sent by banner 0.1.0 and later; optional so that records of earlier banners still count as proof.
# `once` is required exactly when the action is allow_once.
ORIGIN_FIELDS = ("bannerVersion", "build", "source", "once")
# Sent for a manifest offering a choice per provider: {category id: accepted provider names}.
OPTIONAL_FIELDS = ("providers",)
MAX_PROVIDER_NAME = 200          # characters; the manifest bounds their number per category, not their length
VERSION_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz.+-"
HEX = "0123456789abcdef"
SCHEMA = """CREATE TABLE IF NOT EXISTS consent_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at INTEGER NOT NULL,
    consent_id TEXT NOT NULL,
    decided_at INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    language TEXT NOT NULL,
    action TEXT NOT NULL,
    accepted TEXT NOT NULL,
    refused TEXT NOT NULL,
    fingerprints TEXT NOT NULL DEFAULT '',
    banner_version TEXT NOT NULL DEFAULT '',
    build TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    once TEXT NOT NULL DEFAULT '',
    providers TEXT NOT NULL DEFAULT ''
)"""
ADDED_COLUMNS = ("fingerprints", "banner_version", "build", "source", "once", "providers")  # absent from older logs
REQUEST_TIMEOUT = 10             # seconds a connection may stay silent: an idle client must not hold a thread
# Control characters (C0, DEL, C1) and the backslash, as \xNN and \\ in what the receiver logs: a request
# line or header holding ESC [ ... must not reach the terminal as a command (http.server's own escaping).
LOG_ESCAPES = {c: "\\x%02x" % c for c in list(range(0x20)) + list(range(0x7f, 0xa0))}
LOG_ESCAPES[ord("\\")] = "\\\\"


class RecordError(ValueError):
    """The body is not a consent record; the message names the field."""


def _int(value, field):
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_INT:
        raise RecordError("%s: must be a non-negative integer of at most 15 digits" % field)
    return value


def _ids(value, field):
    if not isinstance(value, list) or not all(is_identifier(v) for v in value) or len(value) > 100:
        raise RecordError("%s: must be a list of category ids" % field)
    return value


def _fingerprints(value):
    ok = isinstance(value, dict) and len(value) <= 100 and all(
        is_identifier(k) and isinstance(v, str) and len(v) == FINGERPRINT_WIDTH and all(c in ID_ALPHABET for c in v)
        for k, v in value.items())
    if not ok:
        raise RecordError("fingerprints: must map category ids to %d-character fingerprints" % FINGERPRINT_WIDTH)
    return value


def _providers(value, accepted):
    """{category id: distinct non-empty provider names}, bounded as a manifest bounds them; only an
    accepted category names accepted providers."""
    ok = isinstance(value, dict) and len(value) <= MAX_CATEGORIES and all(
        is_identifier(k) and isinstance(v, list) and len(v) <= MAX_CHOICE_PROVIDERS
        and all(isinstance(n, str) and 0 < len(n) <= MAX_PROVIDER_NAME for n in v) and len(set(v)) == len(v)
        for k, v in value.items())
    if not ok:
        raise RecordError("providers: must map category ids to lists of at most %d distinct provider names "
                          "(1-%d characters)" % (MAX_CHOICE_PROVIDERS, MAX_PROVIDER_NAME))
    if any(names and category not in accepted for category, names in value.items()):
        raise RecordError("providers: a refused category accepts no provider")
    return value


def parse_record(body):
    """bytes -> validated record dict, or RecordError."""
    if len(body) > MAX_BODY:
        raise RecordError("body larger than %d bytes" % MAX_BODY)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:     # [[[[...]]]] nested too deep
        raise RecordError("not JSON: %s" % error)
    if not isinstance(data, dict):
        raise RecordError("must be a JSON object")
    unknown = sorted(set(data) - set(FIELDS) - set(ORIGIN_FIELDS) - set(OPTIONAL_FIELDS))
    missing = [f for f in FIELDS if f not in data]
    if unknown or missing:
        raise RecordError("unknown fields %s, missing fields %s" % (unknown, missing))
    if not is_consent_id(data["consentId"]):
        raise RecordError("consentId: must be 8-40 characters of [0-9a-z]")
    if not is_language_code(data["language"]):
        raise RecordError("language: must be a language code")
    if data["action"] not in LOGGED_ACTIONS:
        raise RecordError("action: must be one of %s" % ", ".join(LOGGED_ACTIONS))
    _int(data["time"], "time")
    if _int(data["revision"], "revision") < 1:
        raise RecordError("revision: must be at least 1")
    _ids(data["accepted"], "accepted")
    _ids(data["refused"], "refused")
    if set(data["accepted"]) & set(data["refused"]):
        raise RecordError("accepted/refused: a category cannot be both")
    _fingerprints(data["fingerprints"])
    if "providers" in data:
        _providers(data["providers"], data["accepted"])
    _origin(data)
    return data


def _origin(data):
    """The optional fields saying which banner asked and where the visitor answered."""
    version, build = data.get("bannerVersion", ""), data.get("build", "")
    if not isinstance(version, str) or len(version) > 32 or not all(c in VERSION_CHARS for c in version):
        raise RecordError("bannerVersion: must be a version such as 0.1.0")
    if not isinstance(build, str) or len(build) > 64 or not all(c in HEX for c in build):
        raise RecordError("build: must be a lower-case hexadecimal hash of at most 64 digits")
    if "source" in data and data["source"] not in SOURCES:
        raise RecordError("source: must be one of %s" % ", ".join(SOURCES))
    once = data.get("once")
    if (once is not None) != (data["action"] == "allow_once") or (once is not None and not is_identifier(once)):
        raise RecordError("once: the category id of an allow_once record, and only of one")


INSERT = ("INSERT INTO consent_log (received_at, consent_id, decided_at, revision, language, action, accepted, "
          "refused, fingerprints, banner_version, build, source, once, providers) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_LOCK = threading.Lock()         # for a connection not made by open_db (a Django view's own)


class GroupCommit:
    """One writer at a time, with group commit: rows that arrive while a commit is under way wait, then
    go together in the next transaction. Every writer still returns only once its own row is committed
    (or raises the error that kept its batch out), but one fsync serves many records. `commit(rows)`
    stores and commits a batch, returning None or the exception when nothing was stored. Used by this
    receiver's connection and by the Django app's log view on SQLite (banner/django/log.py)."""

    def __init__(self, commit):
        self.commit = commit
        self.turn = threading.Condition()
        self.pending = []               # [row, done, error] waiting for the next commit
        self.committing = False

    def append(self, row):
        entry = [row, False, None]
        with self.turn:
            self.pending.append(entry)
            while self.committing and not entry[1]:
                self.turn.wait()
            if not entry[1]:            # nobody is committing: this writer commits everything pending
                self.committing = True
                batch, self.pending = self.pending, []
        if not entry[1]:
            try:
                error = self.commit([e[0] for e in batch])
            except BaseException as escaped:     # never leave the others waiting for a dead committer
                error = escaped
            with self.turn:
                for e in batch:
                    e[1], e[2] = True, error
                self.committing = False
                self.turn.notify_all()
        if entry[2] is not None:
            raise entry[2]


class LogConnection(sqlite3.Connection):
    """An SQLite connection shared by the server's threads, writing through a GroupCommit (4.5x the
    records per second of one commit each in tests/core/test_receiver_load.py, on a loaded 2-core
    machine)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = GroupCommit(lambda rows: _insert(self, rows))

    def append(self, row):
        self.group.append(row)


def _insert(db, rows):
    """Insert and commit `rows` in one transaction; the exception when nothing was stored, else None."""
    try:
        db.executemany(INSERT, rows)
        db.commit()
    except Exception as error:
        db.rollback()             # never leave a half-open transaction for the next writer
        return error
    return None


def open_db(path):
    db = sqlite3.connect(path, check_same_thread=False, factory=LogConnection)
    if path != ":memory:":
        db.execute("PRAGMA journal_mode=WAL")     # readers never block the writer
    db.execute("PRAGMA synchronous=FULL")         # a committed record survives a power cut
    db.execute(SCHEMA)
    columns = [row[1] for row in db.execute("PRAGMA table_info(consent_log)")]
    for column in ADDED_COLUMNS:                  # a log created before records carried these
        if column not in columns:
            db.execute("ALTER TABLE consent_log ADD COLUMN %s TEXT NOT NULL DEFAULT ''" % column)
    db.commit()
    return db


def record_columns(record):
    """A validated record as the log's columns after `received_at`, in the table's order: the one mapping
    of record fields to stored values, shared by this receiver and the Django app's model
    (banner/django/models.py)."""
    return {
        "consent_id": record["consentId"],
        "decided_at": record["time"],
        "revision": record["revision"],
        "language": record["language"],
        "action": record["action"],
        "accepted": ",".join(record["accepted"]),
        "refused": ",".join(record["refused"]),
        "fingerprints": ",".join("%s=%s" % item for item in sorted(record["fingerprints"].items())),
        "banner_version": record.get("bannerVersion", ""),
        "build": record.get("build", ""),
        "source": record.get("source", ""),
        "once": record.get("once") or "",
        # JSON, categories in sorted order: {"maps": ["Atlas"]}; "" for a record without the field
        "providers": json.dumps(record["providers"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if "providers" in record else "",
    }


def store_record(db, body, now=None):
    """Validate and append one record; return the stored dict once it is committed (RecordError when
    invalid, sqlite3.Error when it could not be stored)."""
    record = parse_record(body)
    row = (int((now or time.time()) * 1000),) + tuple(record_columns(record).values())
    if isinstance(db, LogConnection):
        db.append(row)
    else:
        with _LOCK:
            error = _insert(db, [row])
        if error is not None:
            raise error
    return record


def handle_post(db, handler, allowed_origins=None):
    """Answer one POST on an http.server handler: 204 stored, 400 invalid, 413 too large, 500 when the
    record could not be stored (a 204 is only ever sent after the commit); with `allowed_origins` (a set,
    maybe empty), 403 for a browser's request from an origin neither this receiver's nor in the set."""
    text = (handler.headers.get("Content-Length") or "0").strip()
    if not (text.isascii() and text.isdigit()):   # "-1" would make read() go to the end of the connection
        _answer(handler, 400, "Content-Length: must be a non-negative integer")
        return
    if len(text) > 9 or int(text) > MAX_BODY:
        handler.send_response(413)
        handler.end_headers()
        return
    try:
        body = handler.rfile.read(int(text))
    except OSError:                               # the body stopped coming (socket timeout) or the client left
        handler.close_connection = True
        return
    if allowed_origins is not None and not same_origin(handler, allowed_origins):     # body read: a clean close
        handler.log_message("refused a record posted by a page of %s (neither this receiver's origin nor an "
                            "--allow-origin)", handler.headers.get("Origin"))
        _answer(handler, 403, "consent records are accepted from this site's pages only")
        return
    try:
        store_record(db, body)
    except RecordError as error:
        _answer(handler, 400, str(error))
        return
    except Exception:
        report_error()
        _answer(handler, 500, "internal error: the record was not stored")
        return
    handler.send_response(204)
    handler.end_headers()


def _answer(handler, status, message):
    body = message.encode("utf-8")
    handler.send_response(status)
    handler.send_header("Content-Type", "text/plain; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def report_error():
    """The current exception's traceback on stderr, and nothing about the request: no client address."""
    sys.stderr.write("[%s] consent log: internal error\n%s" % (
        time.strftime("%d/%b/%Y %H:%M:%S"), traceback.format_exc()))


def log_text(text):
    """`text` with control characters escaped (LOG_ESCAPES): safe to print on a terminal."""
    return text.translate(LOG_ESCAPES)


def origin_arg(value):
    """An --allow-origin value: scheme://host[:port] of the portal's pages, as a browser sends it in Origin."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or value != "%s://%s" % (parts.scheme, parts.netloc):
        raise ValueError("%r is not an origin such as https://portal.example (scheme and host, no path)" % value)
    return value.lower()


def same_origin(handler, allowed=()):
    """False only for a browser's request from another origin, as the Django view decides
    (banner/django/log.py `_same_site`): no Origin header (curl, a server) is not a browser's cross-site
    request; else Origin must be this receiver as the browser addressed it (its Host), or be allowed."""
    origin = handler.headers.get("Origin")
    if origin is None:
        return True
    host = (handler.headers.get("Host") or "").strip().lower()
    mine = {"http://" + host, "https://" + host} if host else set()
    return origin.strip().lower() in mine | set(allowed)


def make_handler(db, path, allow_origins=(), timeout=None):
    """The request handler of `serve`: POST `path` -> handle_post, from this receiver's own origin or one of
    `allow_origins` (403 otherwise). A connection silent for `timeout` seconds (default REQUEST_TIMEOUT) is
    closed. Its access log leaves out the client address that http.server prints by default (the receiver
    keeps no IP address, not even on stderr) and escapes control characters."""
    allowed = {origin_arg(o) for o in allow_origins}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            if self.path.split("?")[0] != path:
                self.send_response(404)
                self.end_headers()
                return
            handle_post(db, self, allowed)

        def log_message(self, format, *args):
            sys.stderr.write("[%s] %s\n" % (self.log_date_time_string(), log_text(format % args)))

    Handler.timeout = REQUEST_TIMEOUT if timeout is None else timeout
    return Handler


class LogServer(ThreadingHTTPServer):
    """http.server's threading server, minus its two leaks and its small backlog: an error escaping a
    handler is reported without the client address that socketserver prints by default, and up to
    128 connections wait to be accepted instead of 5 (beyond which a burst of visitors is dropped)."""

    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request, client_address):
        report_error()


def make_server(db_path, port=0, path="/consent-log/", allow_origins=(), timeout=None):
    """The reference receiver on 127.0.0.1 (port 0: any free port), not yet serving."""
    return LogServer(("127.0.0.1", port), make_handler(open_db(db_path), path, allow_origins, timeout))


def serve(db_path, port, path, allow_origins=()):
    server = make_server(db_path, port, path, allow_origins)
    print("consent log receiver on http://127.0.0.1:%d%s -> %s" % (port, path, db_path), flush=True)
    server.serve_forever()
