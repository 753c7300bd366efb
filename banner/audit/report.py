"""The audit's reports: the terminal summary, report.json (schema: report.schema.json beside this module)
and report.html, a self-contained evidence file (inline CSS, screenshots as data: URLs, no external
resource, every string escaped) that a DPO can file."""

import base64
import copy
import html
import json
import os
import tempfile

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report.schema.json")
KIND_TITLES = {
    "banner_failed": "Banner did not start",
    "banner_not_shown": "Banner not shown",
    "button_mismatch": "Button does not do what it says",
    "choice_not_kept": "Choice not kept",
    "manifest_differs": "Another manifest",
    "without_consent": "Without consent",
    "undeclared_cookie": "Undeclared cookie",
    "undeclared_storage": "Undeclared storage",
    "undeclared_host": "Undeclared host",
    "lifetime_exceeds_declared": "Lifetime beyond the declared one",
    "lifetime_over_13_months": "Lifetime over 13 months",
    "lifetime_unreadable": "Declared lifetime unreadable",
    "exempt_third_party": "Exempt measurement, third-party cookie",
    "page_unreachable": "Page not loaded",
}


def printable(text):
    """A line for a terminal: control characters a page could have put in a name (ESC sequences) shown
    escaped, never sent raw."""
    return "".join(c if c.isprintable() or c == " " else "\\x%02x" % ord(c) if ord(c) < 256 else "\\u%04x" % ord(c)
                   for c in text)


def summary(report):
    """The terminal summary: what was audited, each state in one line, then each finding (every line
    passed through printable())."""
    return "".join(printable(line) + "\n" for line in _summary_lines(report))


def _summary_lines(report):
    lines = []
    counts = report["summary"]
    lines.append("consent-banner audit of %s" % report["url"])
    banner = report.get("banner") or {}
    manifest = report["manifest"]
    lines.append("  banner %s, build %s; manifest %s (revision %s, layer key %s)" % (
        banner.get("version") or "?", banner.get("build") or "?", manifest["source"], manifest["revision"],
        manifest["layerKey"]))
    lines.append("  %d page(s) x %d state(s), %d page loads in %.0f s, %s" % (
        len(report["pages"]), counts["states"], counts["pageLoads"], report["seconds"], report["browser"]["version"]))
    for skipped in report.get("skipped", []):
        lines.append("  skipped %s: %s" % (skipped["url"], skipped["reason"]))
    lines.append("")
    width = max(len(state["id"]) for state in report["states"])
    for state in report["states"]:
        mine = [f for f in report["findings"] if state["id"] in f["states"]]
        lines.append("  %s  %-12s %s" % (state["id"].ljust(width), "ok" if not mine else "%d finding(s)" % len(mine),
                                         state["title"]))
    lines.append("")
    for finding in report["findings"]:
        mark = "VIOLATION" if finding["severity"] == "violation" else "warning"
        lines.append("%s [%s] %s" % (mark, finding["kind"], finding["message"]))
        where = []
        if finding["pages"]:
            where.append("on " + ", ".join(finding["pages"][:3]) + (" ..." if len(finding["pages"]) > 3 else ""))
        if finding["setBy"]:
            where.append("by " + ", ".join(finding["setBy"][:2]))
        if where:
            lines.append("    " + "; ".join(where))
        if finding.get("draft"):
            lines.append("    drafted entry: " + json.dumps(finding["draft"], ensure_ascii=False))
    if report["findings"]:
        lines.append("")
    verdict = "clean: nothing found" if counts["verdict"] == "clean" else \
        "%d violation(s)" % counts["violations"]
    if counts["warnings"]:
        verdict += ", %d warning(s)" % counts["warnings"]
    lines.append("Verdict: " + verdict)
    return lines


def as_json(report):
    """report.json's content: the report, screenshots named by file instead of held inline."""
    data = copy.deepcopy(report)
    for state in data["states"]:
        if state.get("screenshot"):
            state["screenshot"].pop("data", None)
    return data


def write(report, out):
    """report.json, report.html and one JPEG per state into `out` (created when missing)."""
    os.makedirs(out, exist_ok=True)
    for state in report["states"]:
        shot = state.get("screenshot")
        if shot and shot.get("data"):
            _write(os.path.join(out, shot["file"]), base64.b64decode(shot["data"]))
    _write(os.path.join(out, "report.json"),
           (json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    _write(os.path.join(out, "report.html"), evidence(report).encode("utf-8"))


def _write(path, data):
    """A file written whole or not at all (a temporary file renamed over it)."""
    if os.path.islink(path):
        raise OSError("%s is a symbolic link: not written through" % path)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".audit-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


# -- the HTML evidence report --------------------------------------------------------------------------------
CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1e1e1e;margin:0;background:#f6f6f6}
main{max-width:72rem;margin:0 auto;padding:1.5rem;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #000091}
h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eee}td:first-child{white-space:nowrap}.verdict{font-size:1.2rem;font-weight:700;padding:.6rem 1rem;border-radius:.3rem}
.clean{background:#b8fec9;color:#18753c}.bad{background:#ffe9e9;color:#ce0500}
.violation{color:#ce0500;font-weight:700}.warning{color:#b34000;font-weight:700}
figure{margin:.5rem 0}img{max-width:min(100%,60rem);height:auto;border:1px solid #999}figcaption{font-size:.85rem;color:#555}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.82rem}pre{white-space:pre-wrap;background:#f3f3f3;padding:.5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:700}dd{margin:0}
.muted{color:#666}
"""


def e(value):
    """Text for the HTML report: escaped, and what printable() escapes for the summary (an ESC in a storage
    key, a bidi override or a zero-width character in a name) shown escaped the same way: raw, they are
    invisible, reorder the text around them, or break the file. Tabs and line breaks stay."""
    text = "".join(c if c in "\t\n" else printable(c) for c in ("" if value is None else str(value)))
    return html.escape(text, quote=True)


def _table(headers, rows):
    if not rows:
        return "<p class=\"muted\">None.</p>"
    head = "".join("<th scope=\"col\">%s</th>" % e(h) for h in headers)
    body = "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % cell for cell in row) for row in rows)
    return "<table><thead><tr>%s</tr></thead><tbody>%s</tbody></table>" % (head, body)


def _lifetime(seconds):
    if seconds is None:
        return "session"
    days = seconds / 86400
    return "%.1f days" % days if days < 2 else "%d days" % round(days)


def evidence(report):
    """The HTML evidence report: self-contained, every string escaped."""
    counts = report["summary"]
    manifest = report["manifest"]
    banner = report.get("banner") or {}
    parts = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
             "<title>Cookie audit of %s, %s</title><style>%s</style></head><body><main>" % (
                 e(report["url"]), e(report["finishedAt"]), CSS),
             "<h1>Cookie consent audit</h1>",
             "<p>%s</p>" % e(report["url"])]
    clean = counts["verdict"] == "clean"
    parts.append("<p class=\"verdict %s\">%s</p>" % ("clean" if clean else "bad", e(
        "Clean: nothing stored or contacted beyond what the manifest declares and the visitor accepted"
        if clean else "%d violation(s) found" % counts["violations"]) + (
        e(", %d warning(s)" % counts["warnings"]) if counts["warnings"] else "")))
    facts = [("Audited", "%s to %s (UTC), %s s" % (report["startedAt"], report["finishedAt"], report["seconds"])),
             ("Start page", report["url"]),
             ("Pages", ", ".join(report["pages"])),
             ("Browser", "%s (%s)" % (report["browser"]["version"], report["browser"]["path"])),
             ("Banner", "consent-banner %s, build %s" % (banner.get("version") or "?", banner.get("build") or "?")),
             ("Manifest", "%s, revision %s" % (manifest["source"], manifest["revision"])),
             ("Manifest SHA-256", manifest["sha256"]),
             ("Manifest layer key", manifest["layerKey"]),
             ("Category fingerprints", ", ".join("%s=%s" % kv for kv in sorted(manifest["fingerprints"].items()))
              or "none"),
             ("Auditor", "%s %s" % (report["tool"], report["version"]))]
    parts.append("<dl>%s</dl>" % "".join("<dt>%s</dt><dd>%s</dd>" % (e(k), e(v)) for k, v in facts))
    parts.append("<p class=\"muted\">%s</p>" % e(report["scope"]))
    for skipped in report.get("skipped", []):
        parts.append("<p class=\"muted\">Skipped %s: %s</p>" % (e(skipped["url"]), e(skipped["reason"])))

    parts.append("<h2>Findings</h2>")
    rows = []
    for finding in report["findings"]:
        draft = "<pre>%s</pre>" % e(json.dumps(finding["draft"], ensure_ascii=False, indent=1)) \
            if finding.get("draft") else ""
        rows.append(["<span class=\"%s\">%s</span>" % (e(finding["severity"]), e(finding["severity"])),
                     e(KIND_TITLES.get(finding["kind"], finding["kind"])),
                     e(finding["message"]) + draft,
                     e(", ".join(finding["states"])),
                     e(", ".join(finding["pages"])) + ("<br>by " + e(", ".join(finding["setBy"]))
                                                       if finding["setBy"] else "")])
    parts.append(_table(["", "kind", "what", "states", "where"], rows))

    for state in report["states"]:
        parts.append("<h2 id=\"state-%s\">%s</h2>" % (e(state["id"]), e(state["title"])))
        action = state.get("action")
        if action:
            if action.get("error"):
                parts.append("<p class=\"violation\">%s</p>" % e(action["error"]))
            else:
                cookie = action.get("consentCookie") or {}
                parts.append("<p>Clicked « %s » on %s. consent:change announced: %s. consentBanner.accepted(): %s. "
                             "cookies_preferences: %s.</p>" % (
                                 e(action.get("label")), e(action.get("page")),
                                 e(", ".join(action.get("event") or []) or "nothing"),
                                 e(", ".join("%s=%s" % (k, "true" if v else "false")
                                             for k, v in sorted((action.get("api") or {}).items()))),
                                 e(cookie.get("value") if cookie else "absent")))
        shot = state.get("screenshot")
        if shot and shot.get("data"):
            parts.append("<figure><img alt=\"%s\" src=\"data:image/jpeg;base64,%s\"><figcaption>%s, %s, %s"
                         "</figcaption></figure>" % (e(shot["caption"]), e(shot["data"]), e(shot["caption"]),
                                                     e(shot["page"]), e(shot["takenAt"])))
        parts.append("<h3>Pages</h3>")
        parts.append(_table(["page", "banner shown", "accepted (consentBanner)", "note"], [
            [e(p["url"]), e("yes" if p.get("bannerShown") else "no"),
             e(", ".join(k for k, v in sorted((p.get("api") or {}).items()) if v) or "nothing optional"),
             e(p.get("failed") or p.get("loadError") or ("after the click" if p.get("afterAction") else ""))]
            for p in state.get("pages", [])]))
        parts.append("<h3>Cookies</h3>")
        if any(c.get("transient") for c in state.get("cookies", [])):
            parts.append("<p class=\"muted\">transient: written, then deleted before the audit looked (recorded from "
                         "what was written).</p>")
        parts.append(_table(["name", "domain", "path", "lifetime", "expires", "flags", "first seen", "set by"], [
            [e(c["name"]), e(c["domain"]), e(c["path"]), e(_lifetime(c.get("lifetime"))), e(c.get("expires") or ""),
             e(" ".join(f for f, on in (("HttpOnly", c.get("httpOnly")), ("Secure", c.get("secure")),
                                        ("SameSite=%s" % c.get("sameSite"), c.get("sameSite")),
                                        ("Partitioned", c.get("partitioned")),
                                        ("transient", c.get("transient"))) if on)),
             e(c.get("firstSeen")), e(c.get("setBy") or "")] for c in state.get("cookies", [])]))
        parts.append("<h3>Storage</h3>")
        parts.append(_table(["kind", "name", "origin", "first seen", "set by"], [
            [e(s["type"]), e(s["name"]), e(s.get("origin")), e(s.get("firstSeen")), e(s.get("setBy") or "")]
            for s in state.get("storage", [])]))
        parts.append("<h3>Requests to other hosts</h3>")
        parts.append(_table(["host", "URL", "page", "initiator", "type"], [
            [e(r["host"]), e(r["url"]), e(r.get("page")), e(r.get("initiator") or ""), e(r.get("type") or "")]
            for r in state.get("requests", [])]))
    parts.append("</main></body></html>\n")
    return "".join(parts)
