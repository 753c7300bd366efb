"""consent-banner: the pure core, importable in CPython (servers, CLI, tests) and in Brython (the page).

The public names below resolve lazily (PEP 562): `from banner import decode_consent` imports only the
module that defines it. In the page that matters, because Brython compiles each module it imports, and
the loader imports the start-up modules one task at a time so none blocks the main thread for long.
This file never imports `banner.ui`, which needs the browser.
"""

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    "BannerError": "errors", "ConfigError": "errors", "ManifestError": "errors", "CookieError": "errors",
    "Manifest": "manifest", "Category": "manifest", "CookieInfo": "manifest", "parse_manifest": "manifest",
    "Config": "config", "parse_config": "config",
    "Consent": "consent", "decide": "consent", "is_current": "consent", "MAX_AGE_DAYS": "consent",
    "CONSENT_COOKIE": "cookies", "encode_consent": "cookies", "decode_consent": "cookies",
    "Session": "session",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError("module 'banner' has no attribute %r" % name)
    return getattr(__import__("banner." + _EXPORTS[name], None, None, [name]), name)


def __dir__():
    return __all__
