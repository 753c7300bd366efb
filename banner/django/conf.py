"""The app's settings: one dict, `settings.CONSENT_BANNER`, read with its defaults filled in.

Read at each call, not at import, so tests (override_settings) and a portal's per-environment settings
are seen. A key the app does not know is an error, named, rather than a silently ignored typo: system
check W007 reports it, and at each request it fails closed like a broken manifest (logged, no banner,
nothing optional accepted, the page served), never an HTTP 500.
"""

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    # The cookie manifest (required): the path of its JSON file, or the manifest itself (a dict). With
    # DATABASE_MANIFEST, what the admin's draft starts from (and `publish_manifest` imports by default).
    "MANIFEST": None,
    # True: the manifest lives in the database, edited and published in the admin; the banner, the policy
    # page and the server's decisions read the latest published version (banner/django/versions.py).
    "DATABASE_MANIFEST": False,
    # How often (seconds) a process asks the database whether a newer version was published (one indexed
    # query); a publish in the process itself is seen at once. 0: at every request.
    "DATABASE_MANIFEST_CHECK": 5,
    # Where the page fetches it (e.g. its static URL); None: the manifest is written inline in data-config.
    "MANIFEST_URL": None,
    # The cookie policy page: a URL, or a URL name reversed at each request.
    "POLICY_URL": None,
    # The banner's languages; None: the codes of settings.LANGUAGES when the project sets them, else the
    # primary code of LANGUAGE_CODE.
    "LANGUAGES": None,
    # Domain attribute of cookies_preferences (None: host-only), for the page and the server alike.
    "COOKIE_DOMAIN": None,
    # Global Privacy Control (Sec-GPC: 1, navigator.globalPrivacyControl) refuses when no choice is stored.
    "RESPECT_GPC": True,
    # Any other data-config keys, as written in JSON (reopenButton, googleConsentMode, consentLog...).
    "CONFIG": {},
    # The loader's path among the static files (the packaged assets live in banner/static/consent_banner/).
    "LOADER": "consent_banner/consent.js",
    # {% consent_banner %} renders the first layer into the page (a form that works without JavaScript).
    "SERVER_RENDER": True,
    # False (the default): the HTML is the same for every visitor, so pages stay cacheable by any cache
    # (the first layer is always there and hidden before the first paint when a choice is stored;
    # consent blocks are sent closed and opened by the page). True: each visitor's decision is rendered
    # into the page (consented blocks live at parse, no first layer once decided); such responses are
    # private (Cache-Control: private, Vary: Cookie, Sec-GPC), and a block rendered inside a Django
    # cache ({% cache %}, @cache_page, an inner cache middleware) is sent as for everyone, with an error.
    "PER_VISITOR": False,
    # The middleware re-sends a valid cookies_preferences with Set-Cookie at most once a day (Safari's ITP
    # caps cookies written by scripts at 7 days).
    "REFRESH": True,
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


def given_settings():
    """The settings as given over DEFAULTS, unknown keys left out: what a page that fails closed still
    needs (the loader's path), when banner_settings() refuses them."""
    given = getattr(django_settings, "CONSENT_BANNER", {}) or {}
    return dict(DEFAULTS, **{k: v for k, v in given.items() if k in DEFAULTS} if isinstance(given, dict) else {})
