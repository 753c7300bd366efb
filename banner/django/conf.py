"""The app's settings: one dict, `settings.CONSENT_BANNER`, read with its defaults filled in.

Read at each call, not at import, so tests (override_settings) and a portal's per-environment settings
are seen. A key the app does not know is an error, named, rather than a silently ignored typo.
"""

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    # Consent records older than this are deleted by `manage.py purge_consent_log`: 5 years, the French
    # civil limitation period (Code civil art. 2224) within which proof of consent may be asked for.
    "LOG_RETENTION_DAYS": 5 * 365 + 1,
}


def banner_settings():
    """settings.CONSENT_BANNER merged over DEFAULTS."""
    given = getattr(django_settings, "CONSENT_BANNER", {}) or {}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise ImproperlyConfigured("CONSENT_BANNER: unknown key(s) %s; known: %s"
                                   % (", ".join(unknown), ", ".join(sorted(DEFAULTS))))
    return dict(DEFAULTS, **given)
