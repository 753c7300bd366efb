"""The report: markdown tables (one per condition, one for Lighthouse), the targets met or missed, and the
copy quoted in benchmarks/README.md. Ratios are ours ÷ theirs, computed from medians of the same run."""

import os

from .banners import ALL_KINDS, BANNER_KINDS, BANNERS, COMPETITORS
from .runner import CONDITIONS
from .stats import METRICS, derived, fastest_competitor

HERE = os.path.dirname(os.path.abspath(__file__))
CONDITION_TITLES = {name: c["label"] for name, c in CONDITIONS.items()}
README_START, README_END = "<!-- latest-results:start -->", "<!-- latest-results:end -->"


def fmt(value, unit):
    if value is None:
        return "—"
    if unit == "KB":
        return "%.1f" % (value / 1000)
    return "%.0f" % value


def ratio(a, b):
    if a is None or b is None:
        return "—"
    if b == 0:
        return "—" if a == 0 else "n/a (theirs: 0)"
    return "%.2f×" % (a / b)


def _header(first, cols, reference):
    return ["| %s | %s | %s | %s |" % (first, " | ".join(BANNERS[k]["label"] for k in cols), reference,
                                       " | ".join("ours ÷ %s" % BANNERS[k]["label"].split(" ")[0]
                                                  for k in COMPETITORS)),
            "|---|" + "---:|" * (len(cols) + 1 + len(COMPETITORS))]


def _row(title, values, unit, reference="—"):
    cells = [fmt(values.get(k), unit) for k in BANNER_KINDS]
    rs = [ratio(values.get("ours"), values.get(k)) for k in COMPETITORS]
    return "| %s | %s | %s | %s |" % (title, " | ".join(cells), reference, " | ".join(rs))


def condition_table(med, window_ms):
    """The markdown table of one condition's medians, and the line of run counts."""
    lines = _header("metric (median)", BANNER_KINDS, "no banner")
    d = derived(med)
    for key, title, unit, kinds in METRICS:
        values = {k: med[k][key] for k in BANNER_KINDS if k in med}
        ref = fmt(med["none"][key], unit) if "none" in kinds and "none" in med else "—"
        lines.append(_row("%s (%s)" % (title.format(window="%g" % (window_ms / 1000)), unit), values, unit, ref))
        if key == "longtask_ms":
            lines.append(_row("Main-thread long tasks beyond no banner (ms, page minus no-banner page)",
                              d["longtask_beyond_none"], "ms", "0"))
        if key == "fcp_ms":
            lines.append("| FCP change vs no banner (%%) | %s | 0 | %s |" % (
                " | ".join("—" if d["fcp_delta"].get(k) is None else "%+.1f%%" % d["fcp_delta"][k]
                           for k in BANNER_KINDS), " | ".join("—" for _ in COMPETITORS)))
        if key == "bytes":
            lines.append(_row("Bytes added by the banner (KB, page minus no-banner page)", d["banner_bytes"], "KB",
                              "0"))
            lines.append(_row("of which before the page is idle (KB: without what is prefetched once idle, "
                              "ours: the centre's code)", d["banner_bytes_busy"], "KB", "0"))
    counts = ", ".join("%s n=%d%s" % (k, med[k]["n"], " (%d FAILED)" % med[k]["failed"] if med[k]["failed"] else "")
                       for k in ALL_KINDS if k in med)
    return "\n".join(lines), counts


def runtime_note(med):
    rt = med.get("brython")
    if not rt:
        return ""
    return ("Brython runtime alone (page with only our compiler-free `brython.js`, async, then one trivial import "
            "of the built-in `javascript` module through Brython's import system, as our loader starts our "
            "precompiled code): long tasks %s ms, FCP %s ms, %s KB "
            "transferred; runtime evaluated at %s ms, the trivial import took %s ms more (%s ms). "
            "**Our code's long-task time beyond the runtime's: %s ms** (ours %s − runtime %s)." % (
                fmt(rt["longtask_ms"], "ms"), fmt(rt["fcp_ms"], "ms"), fmt(rt["bytes"], "KB"),
                fmt(rt.get("runtime_loaded_ms"), "ms"),
                "%.1f" % rt["first_run_ms"] if rt.get("first_run_ms") is not None else "—",
                fmt(rt.get("runtime_ready_ms"), "ms"), fmt(derived(med)["ours_beyond_runtime"], "ms"),
                fmt(med.get("ours", {}).get("longtask_ms"), "ms"), fmt(rt["longtask_ms"], "ms")))


LIGHTHOUSE_ROWS = [("score", "Performance score (0–100)", ""), ("tbt_ms", "Total Blocking Time", "ms"),
                   ("fcp_ms", "First Contentful Paint", "ms"), ("lcp_ms", "Largest Contentful Paint", "ms"),
                   ("tti_ms", "Time to Interactive", "ms"), ("bootup_ms", "JavaScript execution time", "ms")]


def clicks_table(med):
    """One network condition's click sessions (benchmarks/clicks.py)."""
    from .clicks import ROWS
    lines = _header("clicks (median)", BANNER_KINDS, "—")
    for key, title, unit in ROWS:
        lines.append(_row("%s (%s)" % (title, unit), {k: med[k][key] for k in BANNER_KINDS if k in med}, unit))
    lines.append(_row("When that click reached the page, after navigation start (ms)",
                      {k: med[k]["click_at_ms"] for k in BANNER_KINDS if k in med}, "ms"))
    counts = ", ".join("%s n=%d%s%s" % (k, med[k]["n"], " (%d early clicks lost)" % med[k]["lost"] if med[k]["lost"]
                                        else "", " (%d FAILED)" % med[k]["failed"] if med[k]["failed"] else "")
                       for k in BANNER_KINDS if k in med)
    return "\n".join(lines), counts


def responsiveness_targets(summary, clicks, lh):
    """Usable, not only visible: every click answered at once whatever has loaded, and a lighter first visit."""
    t = Targets()
    g3, lb = clicks.get("3g", {}), clicks.get("loopback", {})
    ours, vanilla = g3.get("ours", {}), g3.get("vanilla", {})
    # "Choice stored" read two ways: kept in the browser (ours: the record Python writes from, on
    # this page or the next; theirs: their cookie), and the consent cookie itself, which only Python writes.
    for key, limit, what in (("gone_ms", 1.0, "banner gone"),
                             ("kept_ms", 2.0, "choice stored, kept in the browser (ours: the record Python "
                                              "writes it from, on this page or the next within a week)"),
                             ("stored_ms", 2.0, "choice stored, consent cookie written")):
        if ours.get(key) is not None and vanilla.get(key):
            t.check(ours[key] <= limit * vanilla[key], "Regular 3G, « Tout refuser » as soon as the banner shows: "
                    "%s ≤ %.1f× vanilla-cookieconsent: %.0f ms vs %.0f ms (%.2f×)" % (
                        what, limit, ours[key], vanilla[key], ours[key] / vanilla[key]))
    mine, theirs = summary.get("loopback", {}).get("ours", {}), summary.get("loopback", {}).get("vanilla", {})
    if mine.get("reject_ms") is not None and theirs.get("reject_ms"):
        t.check(mine["reject_ms"] <= theirs["reject_ms"], "loopback, normal CPU: click → choice stored ≤ 1.0× "
                "vanilla-cookieconsent: %.0f ms vs %.0f ms (%.2f×)" % (
                    mine["reject_ms"], theirs["reject_ms"], mine["reject_ms"] / theirs["reject_ms"]))
    for label, med in (("loopback", lb), ("Regular 3G", g3)):
        centre = med.get("ours", {}).get("centre_ms")
        if centre is not None:
            t.check(centre <= 100, "footer link → centre visible ≤ 100 ms once the page is idle (%s): %.0f ms"
                    % (label, centre))
    added = derived(summary.get("loopback", {}))["banner_bytes"].get("ours")
    busy = derived(summary.get("loopback", {}))["banner_bytes_busy"].get("ours")
    if added is not None:
        t.check(added <= 150000, "bytes added by the banner on a first visit ≤ 150 KB: %.1f KB (%.1f KB before "
                "the centre's code is prefetched once the page is idle)" % (added / 1000, (busy or 0) / 1000))
    mine, theirs = lh.get("ours", {}).get("bootup_ms"), lh.get("vanilla", {}).get("bootup_ms")
    if mine is not None and theirs:
        t.check(mine <= 3 * theirs, "Lighthouse JavaScript execution time ≤ 3× vanilla-cookieconsent: %.0f ms vs "
                "%.0f ms (%.2f×)" % (mine, theirs, mine / theirs))
    return t.text()


def lighthouse_table(lh):
    cols = [k for k in BANNER_KINDS]
    lines = _header("Lighthouse mobile (median)", cols, "no banner · Brython only")
    for key, title, unit in LIGHTHOUSE_ROWS:
        values = {k: lh[k][key] for k in cols if k in lh}
        ref = " · ".join(fmt(lh.get(k, {}).get(key), unit) for k in ("none", "brython"))
        lines.append(_row("%s%s" % (title, " (%s)" % unit if unit else ""), values, unit, ref))
    counts = ", ".join("%s n=%d%s" % (k, lh[k]["n"], " (%d FAILED)" % lh[k]["failed"] if lh[k]["failed"] else "")
                       for k in ALL_KINDS if k in lh)
    return "\n".join(lines), counts


def own_table(own):
    """The traced pass: per banner, the longest task that runs its code, and the page's longest in the same runs."""
    lines = _header("traced, normal CPU (median)", BANNER_KINDS, "no banner")
    lines.append(_row("Longest task running the banner's code (ms)", {k: own[k]["own_task_max_ms"] for k in own},
                      "ms", "0"))
    lines.append(_row("Longest main-thread task, same runs (ms, 0: none over 50 ms)",
                      {k: own[k]["longtask_max_ms"] for k in own}, "ms"))
    counts = ", ".join("%s n=%d%s" % (k, own[k]["n"], " (%d FAILED)" % own[k]["failed"] if own[k]["failed"] else "")
                       for k in ALL_KINDS if k in own)
    return "\n".join(lines), counts


class Targets:
    """Collects target lines, each met or missed."""

    def __init__(self):
        self.lines = []

    def check(self, ok, text):
        self.lines.append("- %s %s" % ("✅ met" if ok else "❌ missed", text))

    def text(self):
        return "\n".join(self.lines)


def _visible_vs_fastest(t, med, label):
    ours = med.get("ours", {}).get("visible_ms")
    kind, best = fastest_competitor(med, "visible_ms", COMPETITORS)
    if ours is not None and best:
        t.check(ours <= best, "banner visible ≤ 1.0× the fastest competitor (%s): %.0f ms vs %.0f ms, %s (%.2f×)"
                % (label, ours, best, BANNERS[kind]["label"], ours / best))


def _return_vs_vanilla(t, lb, limit, note=""):
    ours, v = lb.get("ours", {}).get("return_ms"), lb.get("vanilla", {}).get("return_ms")
    if ours is not None and v:
        t.check(ours <= limit * v, "return visit: consented script within %.1f× vanilla-cookieconsent%s: %.0f ms "
                "vs %.0f ms (%.2f×)" % (limit, note, ours, v, ours / v))


def first_release_targets(summary, runtime_gzip):
    """The targets set for the first release (loopback medians; FCP in both network conditions)."""
    lb = summary.get("loopback", {})
    t = Targets()
    if not lb.get("ours"):
        return ""
    _visible_vs_fastest(t, lb, "loopback")
    _return_vs_vanilla(t, lb, 1.5)
    for condition in ("loopback", "throttled"):
        dc = derived(summary.get(condition, {}))["fcp_delta"].get("ours")
        if dc is not None:
            t.check(abs(dc) < 5, "host FCP moves by < 5%% (%s): %+.1f%%" % (condition, dc))
    d = derived(lb)
    if d["ours_beyond_runtime"] is not None:
        t.check(d["ours_beyond_runtime"] < 50, "our code adds < 50 ms long-task time beyond the runtime alone: "
                "%.0f ms" % d["ours_beyond_runtime"])
    name, gz = runtime_gzip
    added = d["banner_bytes"].get("ours")
    if gz and added is not None:
        t.check(added <= gz + 20000, "first-visit bytes ≤ runtime + 20 KB: %.1f KB added by our banner (transferred, "
                "headers included) vs `%s` as served, %.1f KB gzip, + 20 KB = %.1f KB" % (
                    added / 1000, name, gz / 1000, (gz + 20000) / 1000))
    return t.text()


FRAME_MS = 1000 / 60


def django_targets(summary):
    """The Django app's targets (loopback medians): a consented script live at parse on a return visit,
    and the server-rendered first layer painted in the page's first contentful paint."""
    lb = summary.get("loopback", {})
    dj, vanilla = lb.get("django", {}), lb.get("vanilla", {})
    t = Targets()
    if dj.get("return_ms") is not None and vanilla.get("return_ms"):
        t.check(dj["return_ms"] <= vanilla["return_ms"], "return visit, Django page: consented script within 1.0× "
                "vanilla-cookieconsent: %.0f ms vs %.0f ms (%.2f×)" % (
                    dj["return_ms"], vanilla["return_ms"], dj["return_ms"] / vanilla["return_ms"]))
    if dj.get("visible_ms") is not None and dj.get("fcp_ms") is not None:
        t.check(dj["visible_ms"] <= dj["fcp_ms"] + FRAME_MS, "first visit, Django page: banner visible no later "
                "than FCP + one frame: %.0f ms vs FCP %.0f ms" % (dj["visible_ms"], dj["fcp_ms"]))
    return t.text()


def precompiled_targets(summary, lh, own=None):
    """The targets of the precompiled build (no compiler in the page, no task of ours over 50 ms)."""
    lb, slow = summary.get("loopback", {}), summary.get("cpu4x", {})
    t = Targets()
    for med, limit, label in ((lb, 50, "normal CPU"), (slow, 250, "CPU slowed 4×")):
        beyond = derived(med)["longtask_beyond_none"].get("ours")
        if beyond is not None:
            t.check(beyond <= limit, "our main-thread long-task time beyond no banner ≤ %d ms (%s): %.0f ms "
                    "(ours %.0f − no banner %.0f)" % (limit, label, beyond, med["ours"]["longtask_ms"],
                                                      med["none"]["longtask_ms"]))
    longest = lb.get("ours", {}).get("longtask_max_ms")
    own_longest = (own or {}).get("ours", {}).get("own_task_max_ms")
    if own_longest is not None:
        t.check(own_longest <= 50, "no single task of ours over 50 ms (normal CPU): the longest task running our "
                "code %.0f ms (traced runs); the page's longest task %s (no banner: %s)" % (
                    own_longest, "none over 50 ms" if not longest else "%.0f ms" % longest,
                    fmt(lb.get("none", {}).get("longtask_max_ms"), "ms") + " ms"))
    elif longest is not None:
        t.check(longest <= 50, "no single task of ours over 50 ms (normal CPU): longest %s (no banner: %s)" % (
            "none over 50 ms" if longest == 0 else "%.0f ms" % longest,
            fmt(lb.get("none", {}).get("longtask_max_ms"), "ms") + " ms"))
    ours = lh.get("ours", {})
    if ours.get("score") is not None:
        t.check(ours["score"] >= 100, "Lighthouse mobile performance score 100: %.0f" % ours["score"])
    if ours.get("tbt_ms") is not None:
        t.check(ours["tbt_ms"] <= 100, "Lighthouse mobile Total Blocking Time ≤ 100 ms: %.0f ms" % ours["tbt_ms"])
    _return_vs_vanilla(t, lb, 2.0)
    _return_vs_vanilla(t, lb, 1.5, " (stretch)")
    _visible_vs_fastest(t, lb, "normal CPU")
    _visible_vs_fastest(t, slow, "CPU slowed 4×")
    added = derived(lb)["banner_bytes"].get("ours")
    if added is not None:
        t.check(added <= 230000, "bytes added by the banner on a first visit ≤ 230 KB: %.1f KB" % (added / 1000))
    return t.text()


def _between_markers(path, body):
    """Write `body` between README_START and README_END in the file at `path`; False if it has no markers."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return False
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head + README_START + "\n" + body.strip() + "\n\n" + README_END + tail)
    return True


def sections(markdown):
    """{heading: its lines} of latest.md's "## " sections, and the lines before the first one under ""."""
    out, title = {"": []}, ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            title = line[3:]
            out[title] = []
        else:
            out[title].append(line)
    return out


def project_summary(markdown):
    """The performance section of the project's README.md: the loopback, CPU-slowed, Lighthouse and traced
    tables and the targets of the compiled build and the Django app, quoted from this run's latest.md,
    so the README never shows numbers from two runs."""
    parts = sections(markdown)
    date = next((line[len("Date: "):] for line in parts[""] if line.startswith("Date: ")), "?").split(" · ")
    table = lambda title: "\n".join(line for line in parts.get(title, []) if line.startswith("|"))
    bullets = lambda title: "\n".join(line for line in parts.get(title, []) if line.startswith("- "))
    find = lambda prefix: next((title for title in parts if title.startswith(prefix)), None)
    out = ["Latest run (%s, %s, %s; every table, the throttled network's included, in "
           "[benchmarks/results/latest.md](benchmarks/results/latest.md)), loopback:" % (
               date[0], date[1] if len(date) > 1 else "?", date[2].split(",")[0] if len(date) > 2 else "?"),
           "", table(CONDITION_TITLES["loopback"])]
    if CONDITION_TITLES["cpu4x"] in parts:
        out += ["", "With the CPU slowed 4× (a mid-range phone):", "", table(CONDITION_TITLES["cpu4x"])]
    lighthouse = find("Lighthouse")
    if lighthouse:
        out += ["", lighthouse.replace(" (simulated throttling)", "") + ":", "", table(lighthouse)]
    traced = find("Tasks that run")
    if traced:
        out += ["", "Tasks that run each banner's code (Chrome traces of %s more cold visits per banner, normal CPU; "
                "a task counts whole, layout included; see [benchmarks/README.md](benchmarks/README.md)):" %
                traced.rsplit(" ", 1)[-1], "", table(traced)]
    for title in [t for t in parts if t.startswith("Clicks: ")]:
        out += ["", title + ":", "", table(title)]
    targets = [bullets(title) for title in ("Targets: Python compiled before it reaches the visitor",
                                            "Targets: usable, not only visible", "Targets: the Django app")
               if title in parts]
    if targets:
        out += ["", "Targets for the compiled build and the Django app (same run):", "", "\n".join(targets)]
    return "\n".join(out)


def update_readme(markdown, here=HERE):
    """Quote the latest results in benchmarks/README.md (all of them, headings demoted) and their summary
    in the project's README.md, each between the two markers. True if both were written."""
    body = "\n".join(("#" + line if line.startswith("## ") else line) for line in markdown.splitlines()
                     if not line.startswith("# "))
    bench = _between_markers(os.path.join(here, "README.md"), body)
    return _between_markers(os.path.join(os.path.dirname(here), "README.md"), project_summary(markdown)) and bench


def busy_note(info, wait_idle_s):
    return "Other work on the machine: 1-minute load average before each run median %s, max %s (on %d CPUs); " \
        "CPUs busy in the 0.2 s before each run: median %s%%%s%s." % (
            info["loadavg_1m_median"], info["loadavg_1m_max"], info["nproc"],
            "—" if info["cpu_busy_before_run_median"] is None else "%.0f" % (100 * info["cpu_busy_before_run_median"]),
            " (each run waited up to %g s for idle CPUs)" % wait_idle_s if wait_idle_s else "",
            " — **the machine was busy with other work during this run: numbers are noisier and slower than "
            "on an idle machine**" if info["busy"] else "")


def document(date, info, runs, lh_runs, summary, lh, served, runtime_gzip, failures, elapsed, wait_idle_s,
             window_ms, own=None, traced=0, clicks=None, click_runs=None):
    """The whole latest.md."""
    parts = ["# Consent-banner benchmark — latest results", "",
             "Date: %s · commit %s · %d CPU (%s), %s · %s · Python %s, Selenium %s · Lighthouse %s on Node %s · "
             "wall time %.0f s" % (date, info["commit"] or "?", info["nproc"], info["cpu"] or "?", info["memory"],
                                   info["chromium"], info["python"], info["selenium"], info.get("lighthouse", "—"),
                                   info.get("node") or "?", elapsed),
             "",
             "Our files as served in this run (each file is read once, at its first request, and kept in memory "
             "for the whole run; raw / gzip bytes): %s." % (", ".join(
                 "`%s` %d / %s" % (path.rsplit("/", 1)[-1], raw, gz if gz else "—")
                 for path, (raw, gz) in sorted(served.items())) or "—"),
             "", busy_note(info, wait_idle_s), "",
             "Runs per banner: %s (fresh Chromium profile each; banners take turns run by run); Lighthouse %s. "
             "Medians; ratios are ours ÷ theirs (below 1 = ours is faster/smaller). Method: "
             "`benchmarks/README.md`." % (", ".join("%s %d" % (c, n) for c, n in runs.items()),
                                         "%d runs per page" % lh_runs if lh_runs else "not run"), ""]
    for condition in runs:
        med = summary.get(condition, {})
        if not med:
            continue
        table, counts = condition_table(med, window_ms[condition])
        parts += ["## %s" % CONDITION_TITLES[condition], "", table, "", "Successful runs: %s." % counts, ""]
        note = runtime_note(med)
        if note:
            parts += [note, ""]
    if own:
        table, counts = own_table(own)
        parts += ["## Tasks that run the banner's code: normal CPU, traced, median of %d" % traced, "",
                  "Each run records a Chrome trace (`benchmarks/tasks.py`); a main-thread task counts as the "
                  "banner's when it evaluates or calls code from the banner's files or the page's inline scripts "
                  "(only a competitor's tags are inline), or continues after `scheduler.yield()` (only the banner "
                  "yields on these pages), and it counts whole, a frame's layout of the whole page "
                  "included.", "", table, "", "Successful runs: %s." % counts, ""]
    from .clicks import CONDITIONS as CLICK_CONDITIONS, IDLE_S
    for condition, med in (clicks or {}).items():
        table, counts = clicks_table(med)
        parts += ["## Clicks: %s, %d sessions per banner" % (CLICK_CONDITIONS[condition]["label"],
                                                              click_runs[condition]), "",
                  "A fresh profile per session; « Tout refuser » is clicked as soon as the banner shows, without "
                  "waiting for the page to load, then, %d s after the load event, the footer's « Gestion des "
                  "cookies » link (`benchmarks/clicks.py`). An early click that hid nothing within 8 s counts as "
                  "lost, not as a number." % IDLE_S, "", table, "", "Sessions that counted: %s." % counts, ""]
    if lh:
        table, counts = lighthouse_table(lh)
        parts += ["## Lighthouse 12, mobile preset (simulated throttling), median of %d" % lh_runs, "", table, "",
                  "Successful runs: %s." % counts, ""]
    first, precompiled = first_release_targets(summary, runtime_gzip), precompiled_targets(summary, lh, own)
    if first:
        parts += ["## Targets: first release", "", first, ""]
    if precompiled:
        parts += ["## Targets: Python compiled before it reaches the visitor", "", precompiled, ""]
    usable = responsiveness_targets(summary, clicks or {}, lh or {})
    if usable:
        parts += ["## Targets: usable, not only visible", "", usable, ""]
    served = django_targets(summary)
    if served:
        parts += ["## Targets: the Django app", "", served, ""]
    if failures:
        parts += ["## Failed runs (not in the medians)", ""]
        parts += ["- %s" % f for f in failures]
        parts.append("")
    return "\n".join(parts)
