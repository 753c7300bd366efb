"""Reference receiver for consent records (CPython only; never bundled for the page).

    python -m banner serve-log [--db consent-log.sqlite3] [--port 8001] [--path /consent-log/]

It accepts the JSON records the banner POSTs to `consentLog` (see banner/record.py), validates every
field, and appends them to an SQLite table with the time of receipt. It stores no IP address and no
user agent. `store_record(db, body)` is the piece to call from a Django view instead.
"""

import json
import sqlite3
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .cookies import ID_ALPHABET, is_consent_id
from .fingerprint import WIDTH as FINGERPRINT_WIDTH
from .record import LOGGED_ACTIONS
from .text import is_identifier, is_language_code

MAX_BODY = 8192
MAX_INT = 999999999999999        # 15 digits, as in the cookie; SQLite's INTEGER overflows past 2**63 - 1
FIELDS = ("consentId", "time", "revision", "language", "action", "accepted", "refused", "fingerprints")
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
    fingerprints TEXT NOT NULL DEFAULT ''
)"""


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
    unknown = sorted(set(data) - set(FIELDS))
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
    return data


def open_db(path):
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute(SCHEMA)
    columns = [row[1] for row in db.execute("PRAGMA table_info(consent_log)")]
    if "fingerprints" not in columns:             # a log created before records carried fingerprints
        db.execute("ALTER TABLE consent_log ADD COLUMN fingerprints TEXT NOT NULL DEFAULT ''")
    db.commit()
    return db


def store_record(db, body, now=None):
    """Validate and append one record; return the stored dict (RecordError when invalid)."""
    record = parse_record(body)
    fingerprints = ",".join("%s=%s" % item for item in sorted(record["fingerprints"].items()))
    db.execute("INSERT INTO consent_log (received_at, consent_id, decided_at, revision, language, action, "
               "accepted, refused, fingerprints) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (int((now or time.time()) * 1000), record["consentId"], record["time"], record["revision"],
                record["language"], record["action"], ",".join(record["accepted"]), ",".join(record["refused"]),
                fingerprints))
    db.commit()
    return record


def handle_post(db, handler):
    """Answer one POST on an http.server handler: 204 stored, 400 invalid, 413 too large."""
    text = (handler.headers.get("Content-Length") or "0").strip()
    if not (text.isascii() and text.isdigit()):   # "-1" would make read() go to the end of the connection
        _answer(handler, 400, "Content-Length: must be a non-negative integer")
        return
    if len(text) > 9 or int(text) > MAX_BODY:
        handler.send_response(413)
        handler.end_headers()
        return
    try:
        store_record(db, handler.rfile.read(int(text)))
    except RecordError as error:
        _answer(handler, 400, str(error))
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


def make_handler(db, path):
    """The request handler of `serve`: POST `path` -> handle_post. Its access log leaves out the client
    address that http.server prints by default: the receiver keeps no IP address, not even on stderr."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            if self.path.split("?")[0] != path:
                self.send_response(404)
                self.end_headers()
                return
            handle_post(db, self)

        def log_message(self, format, *args):
            sys.stderr.write("[%s] %s\n" % (self.log_date_time_string(), format % args))

    return Handler


def serve(db_path, port, path):
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(open_db(db_path), path))
    print("consent log receiver on http://127.0.0.1:%d%s -> %s" % (port, path, db_path), flush=True)
    server.serve_forever()
