"""The reference receiver under load. 50 concurrent clients post 5,000 valid records
to `banner.server.receiver.make_server` (the server `python -m banner serve-log` runs) on the loopback interface;
every record answered 204 must be in the database exactly once, and the run is bounded in time.
Throughput and the 95th percentile latency are printed (pytest -s, or in the terminal summary)."""

import http.client
import json
import sqlite3
import threading
import time

import pytest

from banner.server.receiver import make_server

CLIENTS = 50
RECORDS = 5000
TIME_LIMIT = 180          # seconds for the whole run, on a loaded 2-core machine
NOW = 1764403200000


def record(n):
    return json.dumps({"consentId": "load%08d" % n, "time": NOW + n, "revision": 1, "language": "fr",
                       "action": "accept_all", "accepted": ["analytics"], "refused": [],
                       "fingerprints": {"analytics": "4ylmn1"}}).encode("utf-8")


def client(port, numbers, results, deadline):
    """Post each record on a fresh connection (the banner's beacons are independent requests)."""
    for n in numbers:
        if time.monotonic() > deadline:
            results.append((n, "timeout", 0.0))
            continue
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", "/consent-log/", record(n), {"Content-Type": "application/json"})
            status = connection.getresponse().status
            connection.close()
        except OSError as error:           # refused, reset, timed out: not acknowledged
            status = type(error).__name__
        results.append((n, status, time.monotonic() - started))


@pytest.fixture
def receiver(tmp_path):
    path = str(tmp_path / "load.sqlite3")
    server = make_server(path)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_address[1], path
    server.shutdown()
    server.server_close()
    thread.join(10)


def test_every_acknowledged_record_is_stored_exactly_once_under_50_concurrent_clients(receiver, capsys):
    port, path = receiver
    results = []
    deadline = time.monotonic() + TIME_LIMIT
    threads = [threading.Thread(target=client, args=(port, range(i, RECORDS, CLIENTS), results, deadline))
               for i in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIME_LIMIT + 30)
    elapsed = time.monotonic() - started
    acknowledged = sorted("load%08d" % n for n, status, _ in results if status == 204)
    with sqlite3.connect(path) as db:
        stored = sorted(row[0] for row in db.execute("SELECT consent_id FROM consent_log"))
    latencies = sorted(seconds for _, status, seconds in results if status == 204)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    failures = {}
    for _, status, _ in results:
        if status != 204:
            failures[status] = failures.get(status, 0) + 1
    with capsys.disabled():
        print("\nreceiver load: %d clients, %d records in %.1f s: %.0f records/s, p95 latency %.1f ms; "
              "%d acknowledged, %d stored, failures %r" % (CLIENTS, RECORDS, elapsed, len(acknowledged) / elapsed,
                                                          p95 * 1000, len(acknowledged), len(stored), failures))
    assert len(results) == RECORDS
    assert elapsed < TIME_LIMIT, "the run took %.0f s" % elapsed
    assert len(set(stored)) == len(stored), "a record was stored twice"
    assert [c for c in acknowledged if c not in set(stored)] == [], "acknowledged records are missing"
    assert stored == acknowledged, "stored records that were never acknowledged"
    assert failures == {}, "requests not acknowledged: %r" % failures
