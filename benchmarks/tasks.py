"""Where our main-thread time goes, task by task: `python -m benchmarks.tasks [--cpu 4] [--runs 3]`.

For development, not for claims (claims come from `make bench`). It builds our files for the benchmark's
page as `make bench` does, loads the page in a fresh headless Chromium with the V8 sampling profiler on
(CDP Profiler, 100 µs samples), and cuts the samples into busy stretches separated by idle samples: each
stretch is about one main-thread task. Every stretch over --min ms is printed with the functions that took
most of its time (self time, by script and function), so that a long task can be traced to its code.
The page's own long tasks (PerformanceObserver) are printed too: they are what `make bench` counts.
"""

import argparse
import collections
import os
import shutil
import tempfile
import time

from .page import ours_config
from .build import build_for
from .runner import CHROMIUM_FLAGS, instrument_source, new_driver
from .server import make_server

HERE = os.path.dirname(os.path.abspath(__file__))
IDLE = {"(idle)", "(program)", "(garbage collector)"}


def stretches(profile, gap_us=1000):
    """[(start_ms, duration_ms, Counter of (url, function) -> self µs)] of busy sample runs."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    out, current, t = [], None, profile["startTime"]
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"]):
        t += delta
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        if name in ("(idle)",):
            if current and t - current["end"] > gap_us:
                out.append(current)
                current = None
            continue
        if current is None:
            current = {"start": t, "end": t, "self": collections.Counter()}
        current["end"] = t
        url = os.path.basename(frame["url"]) or "-"
        current["self"][(url, name, frame["lineNumber"], frame["columnNumber"])] += delta
    if current:
        out.append(current)
    return [((s["start"] - profile["startTime"]) / 1000, (s["end"] - s["start"]) / 1000, s["self"]) for s in out]


def one(base, cpu, min_ms, top):
    profile_dir = tempfile.mkdtemp(prefix="tasks-")
    driver = new_driver(profile_dir)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": instrument_source("ours")})
        if cpu > 1:
            driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": cpu})
        driver.execute_cdp_cmd("Profiler.enable", {})
        driver.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": 100})
        driver.execute_cdp_cmd("Profiler.start", {})
        driver.get(base + "/p/ours/")
        time.sleep(3 * cpu)
        profile = driver.execute_cdp_cmd("Profiler.stop", {})["profile"]
        state = driver.execute_script("return window.__bench")
    finally:
        driver.quit()
        shutil.rmtree(profile_dir, ignore_errors=True)
    long_tasks = state["longtasks"]
    print("long tasks (PerformanceObserver): %d ms in all: %s" % (
        sum(d for _, d in long_tasks), ", ".join("%.0f@%.0f" % (d, s) for s, d in long_tasks)))
    print("banner visible at %s ms" % (state["visible"] and round(state["visible"])))
    for start, duration, counter in stretches(profile):
        if duration < min_ms:
            continue
        print("  busy %6.1f ms at +%.0f ms" % (duration, start))
        for (url, name, line, col), us in counter.most_common(top):
            print("      %6.1f  %s %s:%d:%d" % (us / 1000, name, url, line, col))


def main():
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tasks", description=__doc__.split("\n")[0])
    parser.add_argument("--cpu", type=float, default=1, help="CPU slow-down rate (default 1)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--min", type=float, default=20, help="print busy stretches over this many ms")
    parser.add_argument("--top", type=int, default=6)
    args = parser.parse_args()
    dist = build_for(ours_config(), os.path.join(HERE, ".dist"))
    server = make_server(dist)
    import threading
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    for run in range(args.runs):
        print("run %d" % (run + 1))
        one(base, args.cpu, args.min, args.top)
    server.shutdown()


if __name__ == "__main__":
    main()
