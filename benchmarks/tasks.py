"""Where the main thread's time goes, task by task: `python -m benchmarks.tasks [--cpu 4] [--runs 3] [--mobile]`.

For development, not for claims (claims come from `make bench`). It builds our files for the benchmark's
page as `make bench` does, loads the page once per run in a fresh headless Chromium with a Chrome trace
recorded (the devtools.timeline category, as DevTools' Performance panel), and prints every main-thread
task of the page over --min milliseconds with what took its time (script evaluation, function calls by
script, layout, style, GC). The page's own long tasks (PerformanceObserver, what `make bench` counts)
come first.
"""

import argparse
import json
import os
import shutil
import tempfile
import threading
import time
import urllib.parse
from bisect import bisect_left

from .banners import BANNERS
from .build import build_for
from .page import ours_config
from .runner import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, instrument_source
from .server import make_server

HERE = os.path.dirname(os.path.abspath(__file__))
CATEGORIES = "devtools.timeline,disabled-by-default-devtools.timeline,v8,blink.user_timing"
SHOWN = ("EvaluateScript", "FunctionCall", "TimerFire", "EventDispatch", "FireAnimationFrame", "Layout",
         "UpdateLayoutTree", "Paint", "ParseHTML", "MinorGC", "MajorGC", "RunMicrotasks")


# The events that name whose code a task runs: a script evaluated or compiled, a callback called.
CODE_EVENTS = ("EvaluateScript", "FunctionCall", "v8.compile", "v8.run")
# Code continued after `await scheduler.yield()` (our loader's tasks) is reported by this event alone, which
# names no script. On the benchmark's pages only the banner can have yielded: the instrument never does
# (tests/bench checks it). (Chrome's sampling profiler would name the script, but logging the code of a
# runtime as large as Brython's made its evaluation 30 ms slower.)
YIELDED = "RunYieldContinuation"

MOBILE = {"width": 412, "height": 823, "deviceScaleFactor": 1.75, "mobile": True}   # Lighthouse's mobile screen


def trace(base, kind, cpu, mobile=False):
    """(the page's __bench record, the trace events) of one cold visit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="tasks-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + ("--user-data-dir=" + profile, "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": False, "enablePage": False,
                                                         "traceCategories": CATEGORIES})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": instrument_source(kind)})
        if cpu > 1:
            driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": cpu})
        if mobile:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", MOBILE)
        driver.get("%s/p/%s/" % (base, kind))
        time.sleep(3 * cpu)
        state = driver.execute_script("return window.__bench")
        logs = driver.get_log("performance")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    events = []
    for entry in logs:
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Tracing.dataCollected":
            events += message["params"].get("value", [message["params"]])
    return state, events


def page_tasks(events, path):
    """(navigation start, main-thread RunTask events, their timed children) of the page at `path`."""
    mentions = lambda e: path in json.dumps(e.get("args", {}))
    starts = [e["ts"] for e in events if e.get("name") == "navigationStart" and mentions(e)]
    threads = {}
    for e in events:
        if e.get("name") in ("ParseHTML", "EvaluateScript") and mentions(e):
            threads[(e["pid"], e["tid"])] = threads.get((e["pid"], e["tid"]), 0) + 1
    if not starts or not threads:
        return None, [], []
    main = max(threads, key=threads.get)
    mine = [e for e in events if (e.get("pid"), e.get("tid")) == main and e.get("ph") == "X"]
    tasks = sorted((e for e in mine if e["name"] == "RunTask"), key=lambda e: e["ts"])
    return max(starts), tasks, [e for e in mine if e["name"] in SHOWN]


def script_path(event):
    """The path of the script whose code a CODE_EVENTS event runs ("" when it names none)."""
    args = event.get("args") or {}
    data = args.get("data") or {}
    return urllib.parse.urlsplit(data.get("url") or args.get("fileName") or "").path


def own_tasks(events, path, code, window_ms):
    """Durations (ms) of the main-thread tasks of the page at `path`, in its first `window_ms`, that run the
    banner's code: a script served under `code`, one of the page's inline scripts (on the benchmark's
    pages only a competitor's tags are inline), or a continuation after scheduler.yield(). A task counts
    whole, whatever else it does (a frame's layout of the whole page included); a rendering update that
    runs none of the banner's code is the page's, even when it lays out the banner."""
    start, tasks, _ = page_tasks(events, path)
    if start is None or not tasks:
        return None
    main = (tasks[0]["pid"], tasks[0]["tid"])
    runs = sorted(e["ts"] for e in events if (e.get("pid"), e.get("tid")) == main and e.get("ph") == "X" and (
        e.get("name") == YIELDED or e.get("name") in CODE_EVENTS and (
            script_path(e).startswith(code) or script_path(e) == path)))
    inside = lambda t: bisect_left(runs, t["ts"] + t["dur"]) > bisect_left(runs, t["ts"])
    return [t["dur"] / 1000 for t in tasks if start <= t["ts"] <= start + window_ms * 1000 and inside(t)]


def own_task_run(base, kind, window_ms):
    """One cold first visit of `make bench`'s traced pass (normal CPU, loopback): the longest task running
    the banner's code, and the page-wide longest task of the same visit."""
    out = {"kind": kind}
    try:
        state, events = trace(base, kind, 1)
        durations = own_tasks(events, "/p/%s/" % kind, BANNERS[kind]["code"], window_ms)
        if durations is None:
            raise RuntimeError("the trace holds no task of the page")
        out.update(own_task_max_ms=round(max(durations or [0]), 1), own_task_count=len(durations),
                   own_long_tasks=sorted(round(d, 1) for d in durations if d >= 50),
                   longtask_max_ms=max([d for s, d in (state or {}).get("longtasks", []) if s < window_ms] or [0]))
    except Exception as error:    # reported, never turned into a number
        out["error"] = "%s: %s" % (type(error).__name__, (str(error).strip().splitlines() or [""])[0])
    return out


def describe(task, children, top):
    inside = [c for c in children if task["ts"] <= c["ts"] < task["ts"] + task["dur"]]
    parts = []
    for c in sorted(inside, key=lambda c: -c.get("dur", 0))[:top]:
        data = c.get("args", {}).get("data", {}) or {}
        what = os.path.basename(data.get("url") or "") or data.get("functionName") or data.get("type") or ""
        parts.append("%s %.1f %s" % (c["name"], c.get("dur", 0) / 1000, what))
    return "; ".join(parts)


def main():
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tasks", description=__doc__.split("\n")[0])
    parser.add_argument("--cpu", type=float, default=1, help="CPU slow-down rate (default 1)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--min", type=float, default=20, help="print tasks over this many ms (default 20)")
    parser.add_argument("--top", type=int, default=5, help="children shown per task")
    parser.add_argument("--mobile", action="store_true", help="Lighthouse's mobile screen (412x823, DPR 1.75)")
    parser.add_argument("--banner", default="ours", help="the page: ours, none, vanilla, klaro, tarteaucitron")
    args = parser.parse_args()
    server = make_server(build_for(ours_config(), os.path.join(HERE, ".dist")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    try:
        for run in range(args.runs):
            state, events = trace(base, args.banner, args.cpu, args.mobile)
            long_tasks = state["longtasks"] if state else []
            print("run %d: long tasks %d ms (%s); banner visible at %s ms" % (
                run + 1, sum(d for _, d in long_tasks), ", ".join("%.0f ms at %.0f" % (d, s) for s, d in long_tasks),
                state and state["visible"] and round(state["visible"])))
            start, tasks, children = page_tasks(events, "/p/%s/" % args.banner)
            for task in tasks:
                if task["dur"] / 1000 >= args.min:
                    print("  %6.1f ms at %6.0f  %s" % (task["dur"] / 1000, (task["ts"] - start) / 1000,
                                                       describe(task, children, args.top)))
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
