"""Medians per condition and banner, and the rows derived from them (all pure functions of the runs)."""

import statistics

from .banners import ALL_KINDS, BANNER_KINDS

# key, row title, unit, kinds it applies to. "{window}" is the condition's long-task window in seconds.
METRICS = [
    ("visible_ms", "Banner visible, first visit, cold cache", "ms", BANNER_KINDS),
    ("reject_ms", "Click « Tout refuser » → consent cookie written", "ms", BANNER_KINDS),
    ("return_ms", "Return visit (consented): analytics script has run", "ms", BANNER_KINDS),
    ("longtask_ms", "Main-thread long tasks, first {window} s", "ms", ALL_KINDS),
    ("longtask_max_ms", "Longest main-thread task, first {window} s (0: none over 50 ms)", "ms", ALL_KINDS),
    ("fcp_ms", "Host page first contentful paint", "ms", ALL_KINDS),
    ("bytes", "Bytes transferred, first visit (whole page)", "KB", ALL_KINDS),
    ("visible_warm_ms", "Banner visible, repeat visit without consent (warm cache)", "ms", BANNER_KINDS),
]
EXTRA_KEYS = ["idle_bytes", "dcl_ms", "load_ms", "requests", "longtask_count", "body_bytes",
              "runtime_loaded_ms", "runtime_ready_ms", "first_run_ms"]
LIGHTHOUSE_KEYS = ["score", "tbt_ms", "fcp_ms", "lcp_ms", "tti_ms", "bootup_ms", "mainthread_ms"]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def counted(results):
    """The runs that count: a failed attempt followed by a successful retry of the same run is dropped
    (and marked superseded_by_retry); a run that failed twice counts as failed."""
    for i, r in enumerate(results):
        nxt = results[i + 1] if i + 1 < len(results) else None
        if "error" in r and nxt and nxt.get("retry") and "error" not in nxt and all(
                nxt.get(k) == r.get(k) for k in ("kind", "condition", "round")):
            r["superseded_by_retry"] = True
    return [r for r in results if not r.get("superseded_by_retry")]


def summarise(runs, conditions):
    """medians[condition][kind][metric], with n (successful runs) and failed."""
    out = {}
    for condition in conditions:
        out[condition] = {}
        for kind in ALL_KINDS:
            mine = [r for r in runs if r["condition"] == condition and r["kind"] == kind]
            ok = [r for r in mine if "error" not in r]
            if not mine:
                continue
            med = {key: median([r.get(key) for r in ok]) for key in [m[0] for m in METRICS] + EXTRA_KEYS}
            med["n"] = len(ok)
            med["failed"] = len(mine) - len(ok)
            out[condition][kind] = med
    return out


def per_kind(runs, keys):
    """medians[kind][key] of runs that are not per condition, with n and failed."""
    out = {}
    for kind in ALL_KINDS:
        mine = [r for r in runs if r["kind"] == kind]
        ok = [r for r in mine if "error" not in r]
        if mine:
            out[kind] = {key: median([r.get(key) for r in ok]) for key in keys}
            out[kind].update(n=len(ok), failed=len(mine) - len(ok))
    return out


def summarise_lighthouse(runs):
    """medians[kind][key] of the Lighthouse runs."""
    return per_kind(runs, LIGHTHOUSE_KEYS)


def summarise_own(runs):
    """medians[kind] of the traced runs (benchmarks/tasks.py): the longest task running the banner's code."""
    return per_kind(runs, ("own_task_max_ms", "longtask_max_ms"))


def _minus(a, b):
    return a - b if a is not None and b is not None else None


def derived(med):
    """Rows computed from one condition's medians: FCP change and bytes beyond the no-banner page, long-task
    time beyond the no-banner page and beyond the Brython runtime alone."""
    none = med.get("none", {})
    rows = {"fcp_delta": {}, "banner_bytes": {}, "longtask_beyond_none": {}, "banner_bytes_busy": {}}
    for kind in BANNER_KINDS + ["brython"]:
        m = med.get(kind)
        if not m:
            continue
        fcp, base_fcp = m.get("fcp_ms"), none.get("fcp_ms")
        rows["fcp_delta"][kind] = (fcp - base_fcp) / base_fcp * 100 if fcp and base_fcp else None
        rows["banner_bytes"][kind] = _minus(m.get("bytes"), none.get("bytes"))
        rows["banner_bytes_busy"][kind] = _minus(rows["banner_bytes"][kind], m.get("idle_bytes") or 0)
        rows["longtask_beyond_none"][kind] = _minus(m.get("longtask_ms"), none.get("longtask_ms"))
    rows["ours_beyond_runtime"] = _minus(med.get("ours", {}).get("longtask_ms"),
                                         med.get("brython", {}).get("longtask_ms"))
    return rows


def fastest_competitor(med, key, competitors):
    """(kind, value) of the competitor with the lowest median `key`, or (None, None)."""
    values = [(med[k][key], k) for k in competitors if med.get(k, {}).get(key) is not None]
    if not values:
        return None, None
    value, kind = min(values)
    return kind, value
