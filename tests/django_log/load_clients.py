"""The load test's clients, in a process of their own so that they do not share the server's
interpreter lock: `python load_clients.py PORT RECORDS CLIENTS TIME_LIMIT` posts records 0..RECORDS-1
from CLIENTS threads, each on a fresh connection (the banner's records are independent requests), and
prints one JSON list of [number, status or error name, seconds]. Standard library only."""

import http.client
import json
import sys
import threading
import time

from log_cases import record


def payload(n):
    return json.dumps(record(consentId="load%08d" % n, time=record()["time"] + n)).encode("utf-8")


def client(port, numbers, results, deadline):
    for n in numbers:
        if time.monotonic() > deadline:
            results.append((n, "timeout", 0.0))
            continue
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("POST", "/consent-log/", payload(n), {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            status = response.status
            connection.close()
        except OSError as error:           # refused, reset, timed out: not acknowledged
            status = type(error).__name__
        results.append((n, status, time.monotonic() - started))


def main(port, records, clients, time_limit):
    results = []
    deadline = time.monotonic() + time_limit
    threads = [threading.Thread(target=client, args=(port, range(i, records, clients), results, deadline))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(time_limit + 60)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:5]))
