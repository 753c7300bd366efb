"""The CPython side of the boundary: what runs on a contributor's, a portal's or a server's machine and
never in the page. The portal build (`consent-banner build`), the first layer rendered ahead of time, the
static policy page, the loader's build-time facts, the reference consent-log receiver, `validate --pages`,
the services CPython hands the core (`host`: regular expressions, bounded JSON) and the server-side
document the views build into. Nothing in the page imports from here (tests/core/test_imports.py)."""
