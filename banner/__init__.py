"""consent-banner: the pure core, importable in CPython (servers, CLI, tests) and in Brython (the page).

This file never imports `banner.ui`, which needs the browser.
"""

from .errors import BannerError, ConfigError, ManifestError, CookieError
from .manifest import Manifest, Category, CookieInfo, parse_manifest
from .config import Config, parse_config
from .consent import Consent, decide, is_current, MAX_AGE_DAYS
from .cookies import CONSENT_COOKIE, encode_consent, decode_consent
from .session import Session

__all__ = [
    "BannerError", "CONSENT_COOKIE", "Category", "Config", "ConfigError", "Consent", "CookieError",
    "CookieInfo", "MAX_AGE_DAYS", "Manifest", "ManifestError", "Session", "decide", "decode_consent",
    "encode_consent", "is_current", "parse_config", "parse_manifest",
]
