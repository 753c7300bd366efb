"""Side-by-side benchmark of our Brython consent banner against vanilla-cookieconsent, Klaro and tarteaucitron.

    .venv/bin/python -m benchmarks              # the default run (`make bench`)
    .venv/bin/python -m benchmarks --quick      # 3 runs per condition, 1 Lighthouse run per page
    .venv/bin/python -m benchmarks --only cpu4x --banners ours,none --lighthouse-runs 0

One local server serves the same portal page for every banner ("none" = no banner, "brython" = only the
Brython runtime). Each run is a fresh headless Chromium profile driven through Selenium; the banners take
turns run by run. A traced pass (normal CPU) then finds which tasks run each banner's code, and Lighthouse
runs on each page. See benchmarks/README.md for the metrics and method.
"""

import argparse
import gzip
import json
import os
import statistics
import sys
import threading
import time
from datetime import datetime, timezone

from . import clicks, lighthouse, machine, report, stats, tasks
from .banners import ALL_KINDS, BANNERS
from .build import build_for
from .chart import chart_svg, render_png
from .page import ours_config
from .runner import CONDITIONS, one_run
from .server import NODE, make_server

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
# Fewer runs where a session is slow (throttled network, slowed CPU) so that `make bench` fits ~15 minutes.
DEFAULT_RUNS = {"loopback": 7, "throttled": 4, "cpu4x": 4}
DEFAULT_LIGHTHOUSE_RUNS = 3
DEFAULT_TRACED_RUNS = 5
QUICK_RUNS, QUICK_LIGHTHOUSE_RUNS, QUICK_TRACED_RUNS = 2, 1, 1


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m benchmarks",
                                description="Benchmark our consent banner against three JS banners.")
    p.add_argument("--runs", type=int, help="runs per banner and condition (default: %s)" % ", ".join(
        "%d %s" % (n, c) for c, n in DEFAULT_RUNS.items()))
    p.add_argument("--throttled-runs", type=int, help="runs per banner on the throttled network")
    p.add_argument("--slow-cpu-runs", type=int, help="runs per banner with the CPU slowed 4×")
    p.add_argument("--lighthouse-runs", type=int, help="Lighthouse runs per page (default %d; 0: none)"
                   % DEFAULT_LIGHTHOUSE_RUNS)
    p.add_argument("--traced-runs", type=int, help="traced runs per banner at normal CPU, for the longest task "
                   "running its code (default %d; 0: none)" % DEFAULT_TRACED_RUNS)
    p.add_argument("--click-runs", type=int, help="click sessions per banner and network (default: %s; 0: none)"
                   % ", ".join("%d %s" % (n, c) for c, n in clicks.DEFAULT_RUNS.items()))
    p.add_argument("--quick", action="store_true", help="for development: %d runs per condition, %d Lighthouse "
                   "run per page" % (QUICK_RUNS, QUICK_LIGHTHOUSE_RUNS))
    p.add_argument("--only", choices=list(CONDITIONS), action="append",
                   help="only this condition (repeatable)")
    p.add_argument("--banners", help="comma-separated subset of %s" % ",".join(ALL_KINDS))
    p.add_argument("--window-ms", type=int, help="long-task window after navigation start, every condition "
                   "(default: %s)" % ", ".join("%s %d" % (c, s["window_ms"]) for c, s in CONDITIONS.items()))
    p.add_argument("--out", default=RESULTS, help="where latest.md/.json/.png/.svg go")
    p.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                   help="before each run, wait up to SECONDS for other work to leave the CPUs idle (shared machines)")
    p.add_argument("--no-readme", action="store_true",
                   help="do not copy the tables into benchmarks/README.md (only full, default runs ever do)")
    return p.parse_args(argv)


def plan(args):
    """(runs per condition, Lighthouse runs per page, kinds, traced runs per banner) from the options."""
    runs = {c: QUICK_RUNS for c in CONDITIONS} if args.quick else dict(DEFAULT_RUNS)
    if args.runs:
        runs = {c: args.runs for c in CONDITIONS}
    if args.throttled_runs:
        runs["throttled"] = args.throttled_runs
    if args.slow_cpu_runs:
        runs["cpu4x"] = args.slow_cpu_runs
    if args.only:
        runs = {c: runs[c] for c in args.only}
    lh_runs = QUICK_LIGHTHOUSE_RUNS if args.quick else DEFAULT_LIGHTHOUSE_RUNS
    if args.lighthouse_runs is not None:
        lh_runs = args.lighthouse_runs
    kinds = args.banners.split(",") if args.banners else list(ALL_KINDS)
    unknown = [k for k in kinds if k not in ALL_KINDS]
    if unknown:
        sys.exit("unknown banner(s): %s" % ", ".join(unknown))
    traced = QUICK_TRACED_RUNS if args.quick else DEFAULT_TRACED_RUNS
    if args.traced_runs is not None:
        traced = args.traced_runs
    if "loopback" not in runs:
        traced = 0
    return runs, lh_runs, kinds, traced


def rotated(kinds, rnd):
    """The order of round `rnd`: rotated so that no banner is always first after a browser start."""
    return kinds[rnd % len(kinds):] + kinds[:rnd % len(kinds)]


def browser_runs(base, runs, kinds, args, log):
    """Every browser session, banners taking turns run by run; a failed run is retried once (both kept)."""
    results, done, total = [], 0, sum(runs.values()) * len(kinds)
    for rnd in range(max(runs.values())):
        for condition in [c for c in runs if rnd < runs[c]]:
            for kind in rotated(kinds, rnd):
                busy = machine.wait_idle(args.wait_idle) if args.wait_idle else machine.cpu_busy()
                r = one_run(base, kind, condition, args.window_ms)
                r["cpu_busy_before"] = None if busy is None else round(busy, 3)
                r["round"] = rnd
                if "error" in r:
                    results.append(r)
                    log("  ! %s %s round %d: %s — retrying once" % (condition, kind, rnd + 1, r["error"]))
                    r = dict(one_run(base, kind, condition, args.window_ms), retry=True, round=rnd,
                             cpu_busy_before=r["cpu_busy_before"])
                results.append(r)
                done += 1
                brief = ("ERROR " + r["error"]) if "error" in r else (
                    "visible %s, reject %s, return %s, LT %s (max %s), FCP %s, %s KB") % tuple(
                    report.fmt(r.get(k), u) for k, u in (
                        ("visible_ms", "ms"), ("reject_ms", "ms"), ("return_ms", "ms"), ("longtask_ms", "ms"),
                        ("longtask_max_ms", "ms"), ("fcp_ms", "ms"), ("bytes", "KB")))
                log("  [%3d/%d] %-9s round %d %-13s %s" % (done, total, condition, rnd + 1, kind, brief))
    return results


def click_runs(base, runs, kinds, log):
    """The click sessions (benchmarks/clicks.py), banners taking turns; a failed one is retried once."""
    results = []
    for rnd in range(max(list(runs.values()) or [0])):
        for condition in [c for c in runs if rnd < runs[c]]:
            for kind in rotated(kinds, rnd):
                r = dict(clicks.click_run(base, kind, condition), round=rnd)
                if "error" in r:
                    results.append(r)
                    log("  ! clicks %s %s round %d: %s — retrying once" % (condition, kind, rnd + 1, r["error"]))
                    r = dict(clicks.click_run(base, kind, condition), round=rnd, retry=True)
                results.append(r)
                log("  [clicks %d] %-9s %-13s %s" % (rnd + 1, condition, kind, clicks.describe(r)))
    return results


def lighthouse_runs(base, n, kinds, log, keep_dir):
    results = []
    for rnd in range(n):
        for kind in rotated(kinds, rnd):
            r = lighthouse.run("%s/p/%s/" % (base, kind), kind, keep_dir)
            r["round"] = rnd
            results.append(r)
            log("  [lighthouse %d/%d] %-13s %s" % (rnd + 1, n, kind, ("ERROR " + r["error"]) if "error" in r else
                                                   "score %s, TBT %s ms (%.0f s)" % (
                                                       r["score"], report.fmt(r["tbt_ms"], "ms"), r["elapsed_s"])))
    return results


def traced_runs(base, n, kinds, window_ms, log):
    results = []
    for rnd in range(n):
        for kind in rotated(kinds, rnd):
            r = dict(tasks.own_task_run(base, kind, window_ms), round=rnd)
            results.append(r)
            log("  [traced %d/%d] %-13s %s" % (rnd + 1, n, kind, ("ERROR " + r["error"]) if "error" in r else
                                               "longest task running its code %.0f ms (%d such tasks)" % (
                                                   r["own_task_max_ms"], r["own_task_count"])))
    return results


def runtime_gzip_reference(served, dist):
    """(name, gzip size) of the Brython runtime the bytes target is measured against: the file our pages were
    served during this run, else the one in the build."""
    for path, (_, gz) in sorted(served.items()):
        name = path.rsplit("/", 1)[-1]
        if name.startswith("brython") and name.endswith(".js") and gz:
            return name, gz
    for name in ("brython.min.js", "brython.js"):
        if os.path.exists(os.path.join(dist, name)):
            with open(os.path.join(dist, name), "rb") as handle:
                return name, len(gzip.compress(handle.read(), 6, mtime=0))
    return None, None


def machine_summary(counted_runs, started_busy):
    info = machine.machine_info()
    busy = [r["cpu_busy_before"] for r in counted_runs if r.get("cpu_busy_before") is not None]
    loads = [r["loadavg_1m"] for r in counted_runs]
    info["cpu_busy_before_run_median"] = round(statistics.median(busy), 3) if busy else started_busy
    info["loadavg_1m_median"] = round(statistics.median(loads), 2) if loads else round(os.getloadavg()[0], 2)
    info["loadavg_1m_max"] = round(max(loads), 2) if loads else round(os.getloadavg()[0], 2)
    info["busy"] = (info["cpu_busy_before_run_median"] or 0) > machine.BUSY
    return info


def main(argv=None):
    args = parse_args(argv)
    runs, lh_runs, kinds, traced = plan(args)
    for pkg in ("vanilla-cookieconsent", "klaro", "tarteaucitronjs"):
        if not os.path.isdir(os.path.join(NODE, pkg)):
            sys.exit("node_modules/%s is missing: run `npm ci` (`make bench` does)" % pkg)
    if lh_runs and not lighthouse.available():
        sys.exit("node_modules/.bin/lighthouse is missing: run `npm ci` (`make bench` does), or --lighthouse-runs 0")

    def log(text):
        print("%5.0fs %s" % (time.monotonic() - started, text), flush=True)

    started = time.monotonic()
    dist = build_for(ours_config(), os.path.join(HERE, ".dist"))
    busy = machine.cpu_busy(0.5)
    if busy is not None and busy > machine.BUSY:
        log("Warning: the CPUs are %.0f%% busy with other work (1-minute load average %.1f on %d CPUs); it will "
            "slow and scatter the timings (see --wait-idle)." % (100 * busy, os.getloadavg()[0], os.cpu_count() or 1))
    server = make_server(dist)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    log("Benchmark: %s; %d browser sessions, banners taking turns; then Lighthouse %d× on %d pages." % (
        ", ".join("%s %d runs" % (c, n) for c, n in runs.items()), sum(runs.values()) * len(kinds), lh_runs,
        len(kinds)))
    results = browser_runs(base, runs, kinds, args, log)
    click_plan = {c: n for c, n in clicks.plan(args).items() if n}
    click_results = stats.counted(click_runs(base, click_plan, [k for k in kinds if k in report.BANNER_KINDS],
                                             log))
    own_results = traced_runs(base, traced, [k for k in kinds if BANNERS[k].get("code")],
                              args.window_ms or CONDITIONS["loopback"]["window_ms"], log)
    lh_results = lighthouse_runs(base, lh_runs, kinds, log, os.path.join(args.out, "raw"))
    server.shutdown()
    served = server.content.served()
    elapsed = time.monotonic() - started

    final = stats.counted(results)
    summary = stats.summarise(final, runs)
    lh = stats.summarise_lighthouse(lh_results)
    own = stats.summarise_own(own_results)
    info = machine_summary(final, busy)
    info["lighthouse"] = lighthouse.version() if lh_runs else None
    info["served"] = {path: {"raw": raw, "gzip": gz} for path, (raw, gz) in sorted(served.items())}
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    failures = ["%s %s round %d: %s" % (r["condition"], r["kind"], r["round"] + 1, r["error"])
                for r in final if "error" in r]
    failures += ["traced %s round %d: %s" % (r["kind"], r["round"] + 1, r["error"]) for r in own_results
                 if "error" in r]
    failures += ["Lighthouse %s round %d: %s" % (r["kind"], r["round"] + 1, r["error"])
                 for r in lh_results if "error" in r]
    failures += ["clicks %s %s round %d: %s" % (r["condition"], r["kind"], r["round"] + 1, r["error"])
                 for r in click_results if "error" in r]
    click_summary = clicks.summarise(click_results)
    window_ms = {c: args.window_ms or CONDITIONS[c]["window_ms"] for c in runs}
    markdown = report.document(date, info, runs, lh_runs, summary, lh, served,
                               runtime_gzip_reference(served, dist), failures, elapsed, args.wait_idle, window_ms,
                               own, traced, click_summary, click_plan)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "latest.md"), "w", encoding="utf-8") as handle:
        handle.write(markdown)
    with open(os.path.join(args.out, "latest.json"), "w", encoding="utf-8") as handle:
        json.dump({"date": date, "machine": info, "runs": runs, "lighthouse_runs": lh_runs, "window_ms": window_ms,
                   "conditions": CONDITIONS, "elapsed_s": round(elapsed, 1), "medians": summary,
                   "lighthouse_medians": lh, "results": results, "lighthouse": lh_results,
                   "traced_runs": traced, "traced_medians": own, "traced": own_results,
                   "click_runs": click_plan, "click_medians": click_summary, "clicks": click_results},
                  handle, indent=1, ensure_ascii=False)
    svg = chart_svg(summary, lh, runs, "machine busy with other work: noisy" if info["busy"] else "")
    with open(os.path.join(args.out, "latest.svg"), "w", encoding="utf-8") as handle:
        handle.write(svg)
    try:
        render_png(svg, os.path.join(args.out, "latest.png"))
    except Exception as error:
        print("chart: could not render the PNG (%s)" % error, file=sys.stderr)
    partial = args.quick or args.only or args.banners or args.no_readme or args.runs or args.throttled_runs or \
        args.slow_cpu_runs or args.lighthouse_runs is not None or args.window_ms or args.traced_runs is not None \
        or args.click_runs is not None
    if not partial and not failures and report.update_readme(markdown):
        print("Updated the latest-results sections of README.md and benchmarks/README.md.")
    print()
    print(markdown)
    print("Wrote %s/latest.md, latest.json, latest.svg, latest.png in %.0f s." % (os.path.relpath(args.out, ROOT),
                                                                                 time.monotonic() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
