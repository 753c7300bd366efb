"""The Django log view under load, served by a real threaded WSGI server (Django's own, as `runserver`
uses) on the loopback interface: 50 concurrent clients, in a process of their own, post valid records,
on SQLite and on PostgreSQL. Every record answered 204 must be stored exactly once, none may fail, and
the run is bounded in time. Throughput and the 95th percentile latency are printed.

The suite posts 10,000 records per database (30-45 s each on a 2-core machine);
CONSENT_LOG_LOAD_RECORDS=N posts fewer while working on the log."""

import concurrent.futures
import json
import os
import subprocess
import sys
import threading
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.db import connections

from banner.django.models import ConsentRecord

CLIENTS = 50
RECORDS = int(os.environ.get("CONSENT_LOG_LOAD_RECORDS", "10000"))
TIME_LIMIT = 240          # seconds for one run, on a loaded 2-core machine
HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.join(HERE, "load_clients.py")


class PooledWSGIServer(WSGIServer):
    """Django's WSGI server (runserver's) answering on a fixed pool of worker threads, as gunicorn's
    gthread workers do, so each thread keeps its database connection (CONN_MAX_AGE) instead of opening
    one per request; and with the reference receiver's listen backlog: 50 clients connecting at once
    must queue, not be dropped (Django's default is 10)."""

    request_queue_size = 128
    WORKERS = 16

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool = concurrent.futures.ThreadPoolExecutor(self.WORKERS)

    def process_request(self, request, client_address):
        self.pool.submit(self.work, request, client_address)

    def work(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def server_close(self):
        super().server_close()
        for _ in range(self.WORKERS):         # each worker closes its own connections, then the pool ends
            self.pool.submit(connections.close_all)
        self.pool.shutdown(wait=True)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):       # 10,000 access-log lines would only slow the run
        pass


@pytest.fixture
def served(log_db):
    entry = connections.settings[log_db]
    entry["CONN_MAX_AGE"], saved = None, entry["CONN_MAX_AGE"]     # persistent, as a production portal's
    server = PooledWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(10)
    entry["CONN_MAX_AGE"] = saved


def test_every_acknowledged_record_is_stored_exactly_once_under_50_concurrent_clients(served, log_db, capsys):
    started = time.monotonic()
    done = subprocess.run([sys.executable, CLIENT, str(served), str(RECORDS), str(CLIENTS), str(TIME_LIMIT)],
                          stdout=subprocess.PIPE, check=True, timeout=TIME_LIMIT + 120, cwd=HERE)
    elapsed = time.monotonic() - started
    results = json.loads(done.stdout)
    acknowledged = sorted("load%08d" % n for n, status, _ in results if status == 204)
    stored = sorted(ConsentRecord.objects.using(log_db).values_list("consent_id", flat=True))
    latencies = sorted(seconds for _, status, seconds in results if status == 204)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    failures = {}
    for _, status, _ in results:
        if status != 204:
            failures[status] = failures.get(status, 0) + 1
    with capsys.disabled():
        print("\nDjango consent log load (%s): %d clients, %d records in %.1f s: %.0f records/s, p95 latency "
              "%.1f ms; %d acknowledged, %d stored, failures %r" % (
                  log_db, CLIENTS, RECORDS, elapsed, len(acknowledged) / elapsed, p95 * 1000, len(acknowledged),
                  len(stored), failures))
    assert len(results) == RECORDS
    assert elapsed < TIME_LIMIT, "the run took %.0f s" % elapsed
    assert len(set(stored)) == len(stored), "a record was stored twice"
    stored_set = set(stored)
    assert [c for c in acknowledged if c not in stored_set] == [], "acknowledged records are missing"
    assert stored == acknowledged, "stored records that were never acknowledged"
    assert failures == {}, "requests not acknowledged: %r" % failures
