"""The Django app: `INSTALLED_APPS += ["banner.django"]` and one `CONSENT_BANNER` settings dict.

CPython only, like the CLI and the receiver: the page bundles leave this package out (tools/release.py,
CPYTHON_SUBPACKAGES). It renders and decides with the same core the page runs (banner.consent,
banner.cookies, banner.ui.notice), so the server and the page never disagree about a decision.
"""
