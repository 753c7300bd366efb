"""A bar chart of the medians: SVG drawn here, rasterised to PNG by headless Chromium (a screenshot of it)."""

import base64
import shutil
import tempfile

from .banners import BANNER_KINDS, BANNERS
from .runner import CONDITIONS, new_driver

COLORS = {"loopback": "#1f4e9c", "throttled": "#9bb7e8", "cpu4x": "#4a8a5c", "lighthouse": "#7a5a9e"}
OURS_COLORS = {"loopback": "#c0392b", "throttled": "#f1a091", "cpu4x": "#e07b39", "lighthouse": "#c0392b"}
SHORT_LABELS = {"loopback": "loopback", "throttled": "throttled network", "cpu4x": "CPU slowed 4×",
                "lighthouse": "Lighthouse mobile"}
# key, title, kinds; values come from each condition's medians ("lighthouse" panels from the Lighthouse medians)
PANELS = [("visible_ms", "Banner visible, first visit (ms)", BANNER_KINDS),
          ("reject_ms", "« Tout refuser » → cookie written (ms)", BANNER_KINDS),
          ("return_ms", "Return visit: consented script ran (ms)", BANNER_KINDS),
          ("longtask_ms", "Main-thread long tasks (ms)", BANNER_KINDS + ["brython", "none"]),
          ("longtask_max_ms", "Longest main-thread task (ms)", BANNER_KINDS + ["brython", "none"]),
          ("fcp_ms", "Host first contentful paint (ms)", BANNER_KINDS + ["none"]),
          ("bytes", "Transferred, first visit (KB)", BANNER_KINDS + ["brython", "none"]),
          ("lighthouse:tbt_ms", "Lighthouse mobile: Total Blocking Time (ms)", BANNER_KINDS + ["brython", "none"])]


def _series(summary, lighthouse, key):
    """[(series name, {kind: value})] for one panel."""
    if key.startswith("lighthouse:"):
        field = key.split(":", 1)[1]
        return [("lighthouse", {k: v.get(field) for k, v in lighthouse.items()})] if lighthouse else []
    return [(c, {k: v.get(key) for k, v in summary[c].items()}) for c in CONDITIONS if summary.get(c)]


def _bars(px, y, label_w, width, kinds, series, key):
    """SVG elements of one panel's bars, from y down."""
    out, bar_h, gap = [], 11, 7
    vmax = max([v for _, values in series for v in values.values() if v is not None] or [1]) or 1
    scale = (width - label_w - 70) / vmax
    for k in kinds:
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (
            px + label_w - 6, y + bar_h * len(series) / 2 + 4, BANNERS[k]["short"]))
        for name, values in series:
            v = values.get(k)
            if v is not None:
                shown = v / 1000 if key == "bytes" else v
                w = max(1, v * scale)
                fill = (OURS_COLORS if k == "ours" else COLORS)[name]
                out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (
                    px + label_w, y, w, bar_h - 1, fill))
                out.append('<text x="%.1f" y="%d" font-size="10">%s</text>' % (
                    px + label_w + w + 4, y + bar_h - 2, "%.0f" % shown if shown >= 10 or shown == 0 else
                    "%.1f" % shown))
            y += bar_h
        y += gap
    return out, y


def chart_svg(summary, lighthouse, runs, note=""):
    """Horizontal bars, one panel per metric, two panels a row; one bar per condition."""
    col_w, label_w, top = 470, 110, 62
    panels = []
    for key, title, kinds in PANELS:
        series = _series(summary, lighthouse, key)
        kinds = [k for k in kinds if any(values.get(k) is not None for _, values in series)]
        if kinds:
            panels.append((key, title, kinds, series))
    heights = [34 + len(p[2]) * (11 * len(p[3]) + 7) + 6 for p in panels]
    row_h = [max(heights[i:i + 2]) for i in range(0, len(panels), 2)]
    width, height = 2 * col_w + 20, top + sum(row_h) + 10
    names = sorted({name for p in panels for name, _ in p[3]}, key=list(COLORS).index)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="DejaVu Sans, sans-serif" '
           'font-size="11">' % (width, height), '<rect width="100%" height="100%" fill="#fff"/>',
           '<text x="12" y="22" font-size="15" font-weight="bold">Consent banners: medians (%s)'
           '<tspan font-size="11" font-weight="normal" fill="#c0392b"> %s</tspan></text>'
           % (", ".join("%s n=%d" % (SHORT_LABELS[c], n) for c, n in runs.items()), note)]
    x = 12
    for name in names:
        out.append('<rect x="%d" y="34" width="12" height="10" fill="%s"/><text x="%d" y="43">%s</text>'
                   % (x, COLORS[name], x + 16, SHORT_LABELS[name]))
        x += 30 + 7 * len(SHORT_LABELS[name])
    out.append('<text x="%d" y="43" fill="#c0392b">red/orange = ours</text>' % x)
    for i, (key, title, kinds, series) in enumerate(panels):
        px, py = 10 + (i % 2) * col_w, top + sum(row_h[:i // 2])
        out.append('<text x="%d" y="%d" font-weight="bold" font-size="12">%s</text>' % (px, py + 14, title))
        out += _bars(px, py + 26, label_w, col_w, kinds, series, key)[0]
    out.append("</svg>")
    return "\n".join(out)


def render_png(svg, path):
    """Rasterise the SVG with headless Chromium (an element screenshot of the inline SVG)."""
    from selenium.webdriver.common.by import By
    profile = tempfile.mkdtemp(prefix="bench-chart-")
    driver = None
    try:
        driver = new_driver(profile, 1100, 1400, scale=2)
        html = "<!doctype html><html><head><meta charset='utf-8'></head><body style='margin:0'>%s</body></html>" % svg
        driver.get("data:text/html;base64," + base64.b64encode(html.encode("utf-8")).decode("ascii"))
        png = driver.find_element(By.TAG_NAME, "svg").screenshot_as_png
        with open(path, "wb") as handle:
            handle.write(png)
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
