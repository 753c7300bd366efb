"""`consent-banner audit`: proves in a real Chromium that a portal does what its manifest says (CPython
only: the release step (tools/release.py) leaves this package out of the page's bundles, like banner/django/).

    from banner.audit import audit
    report = audit("https://portal.example/", pages=5, out="audit-report")   # the report as a dict
    report["summary"]["verdict"]                                             # "clean" or "violations"

Modules: `cdp` (Chromium found, started and driven over DevTools through a pipe), `crawl` (the states and
what each records), `judge` (the verdicts, on recorded data), `lifetimes` (declared lifetimes read and
measured ones written), `drafts` (manifest entries drafted for what is undeclared), `report` (summary,
JSON, HTML), `run` (one audit from start to end). docs/reference.md describes the command and the reports.
"""

from .run import audit, AuditError, DEFAULT_PAGES

__all__ = ["audit", "AuditError", "DEFAULT_PAGES"]
