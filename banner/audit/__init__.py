"""`consent-banner audit` (CPython only: banner/build.py leaves this package out of the page's bundles, like
banner/django/). This first part judges what a crawl recorded: `judge` (the verdicts), `lifetimes`
(declared lifetimes read and measured ones written), `drafts` (manifest entries drafted for what is
undeclared)."""
