"""The data-config attribute of the script tag: decoded JSON in, a Config (plus warnings) out.

The keys are KNOWN_KEYS, described once for integrators in docs/reference.md (README's table lists the
same keys; tests/core/test_docs.py keeps both in step with KNOWN_KEYS).
Unknown keys are warnings, not errors: a typo in an optional key must not take consent down with it.
Wrong types and unsafe URLs are errors: the banner then fails closed.
"""

from .errors import ConfigError
from .text import is_language_code, is_safe_url, is_fetch_url, is_identifier, surrogate_check, within
from .i18n import pick_language

DEFAULT_LANGUAGES = ("fr",)       # `languages` when data-config omits it
RESPECT_GPC_DEFAULT = True
KNOWN_KEYS = ("manifest", "languages", "language", "languageUrls", "languageCookie", "policyUrl", "cookieDomain",
              "respectGPC", "googleConsentMode", "vendors", "consentLog", "reopenButton", "theme", "darkClass", "look")
# The audience-measurement tools whose consent API `vendors` drives (banner/vendors.py, extra bundle).
VENDORS = ("matomo", "piano", "dsfrAnalytics")
CORNERS = ("bottom-left", "bottom-right", "top-left", "top-right")
# Google Consent Mode v2 types (consent-mode and privacy parameters).
# `theme`: the colours of our own look. "auto" follows the page (its dark class, then its color-scheme), and
# only when the page says nothing, the visitor's system; the loader resolves it (static/src/consent.js).
THEMES = ("light", "dark", "auto")
# `look`: our own stylesheet ("default"), or the French government's design system's consent-manager
# classes and structure ("dsfr"), drawn by the DSFR stylesheet the portal loads.
LOOKS = ("default", "dsfr")
CLASS_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
DOMAIN_CHARS = CLASS_CHARS[:-1]     # ASCII letters, digits and "-": what a Domain attribute may hold
GOOGLE_TYPES = ("ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
                "functionality_storage", "personalization_storage", "security_storage")


class Config:
    __slots__ = ("manifest", "languages", "language", "language_urls", "language_cookie", "policy_url",
                 "cookie_domain", "respect_gpc", "google_consent_mode", "vendors", "consent_log", "reopen_button",
                 "theme", "dark_class", "look")

    def __init__(self, *, manifest, languages, language, language_urls=None, language_cookie=False, policy_url=None,
                 cookie_domain=None, respect_gpc=True, google_consent_mode=None, vendors=None, consent_log=None,
                 reopen_button=None, theme="light", dark_class=None, look="default"):
        self.manifest = manifest            # str (URL) or dict (inline manifest)
        self.languages = languages          # list of language codes, first is the default
        self.language = language            # the language this page view uses (the banner's choice changes it)
        # The language choice: to a language's own URL when the portal has one (language_urls), else writing
        # django_language and reloading when the server reads it (language_cookie: the Django app), else
        # the banner alone changes language, at once (a static page serves one language whatever it says).
        self.language_urls = language_urls or {}
        self.language_cookie = language_cookie
        self.policy_url = policy_url        # str or None
        self.cookie_domain = cookie_domain  # str or None: host-only
        self.respect_gpc = respect_gpc      # Global Privacy Control refuses optional categories by default
        self.google_consent_mode = google_consent_mode  # dict category -> list of Google consent types, or None
        self.vendors = vendors              # dict vendor (banner.vendors.VENDORS) -> category id, or None
        self.consent_log = consent_log      # URL receiving a record of each decision, or None
        self.reopen_button = reopen_button  # None, or the corner of the persistent reopen button
        self.theme = theme                  # one of THEMES
        self.dark_class = dark_class        # the class on <html> or <body> that marks the page dark, or None
        self.look = look                    # one of LOOKS

    @property
    def dsfr(self):
        return self.look == "dsfr"

    @property
    def multilingual(self):
        return len(self.languages) > 1


def _languages(data):
    value = data.get("languages", list(DEFAULT_LANGUAGES))
    if not isinstance(value, list) or not value:
        raise ConfigError("languages", "must be a non-empty list of language codes, e.g. [\"fr\", \"en\"]")
    codes = []
    for item in value:
        code = item.lower() if isinstance(item, str) else item
        if not is_language_code(code):
            raise ConfigError("languages", "%r is not a language code" % (item,))
        if code in codes:
            raise ConfigError("languages", "%r is listed twice" % code)
        codes.append(code)
    return codes


def _language_urls(value, languages):
    """{code: URL} for languages of `languages`: where each language of the portal lives."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError("languageUrls", "must map language codes to URLs, e.g. {\"en\": \"/en/\"}")
    urls = {}
    for code, url in value.items():
        if not isinstance(code, str) or code.lower() not in languages:
            raise ConfigError("languageUrls." + str(code), "is not one of the languages (%s)" % ", ".join(languages))
        if not is_fetch_url(url):
            raise ConfigError("languageUrls." + code, "must be an http(s) or relative URL (got %r)" % (url,))
        urls[code.lower()] = url
    return urls


def _domain(value):
    if value is None:
        return None
    if isinstance(value, str) and not value.isascii():
        raise ConfigError("cookieDomain", "must be ASCII: give an internationalised domain in its punycode form, "
                                          "e.g. \"xn--bcher-kva.example\" for \"bücher.example\" (got %r)" % (value,))
    labels = value.lstrip(".").split(".") if isinstance(value, str) else []
    ok = labels and all(0 < len(p) <= 63 and all(c in DOMAIN_CHARS for c in p) for p in labels)
    if not ok:
        raise ConfigError("cookieDomain", "must be a domain name such as \"example.org\" (got %r)" % (value,))
    return value.lstrip(".").lower()


def check_cookie_domain(domain, host):
    """A `cookieDomain` must be the page's host or a parent of it: the browser refuses a cookie written for
    any other domain (and for a single label such as "com"), so no choice would ever be stored and every
    page would ask again, with nothing to say why."""
    host = (host or "").lower()
    if not domain or not host:
        return
    if not within(host, domain):
        raise ConfigError("cookieDomain", "%r is not this page's host %r nor a parent domain of it: the browser "
                                          "would refuse the consent cookie" % (domain, host))
    if "." not in domain and host != domain:
        raise ConfigError("cookieDomain", "%r is a top-level domain: the browser would refuse the consent "
                                          "cookie (give the site's own domain, e.g. \"example.org\")" % (domain,))


def _google(value):
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        raise ConfigError("googleConsentMode", "must map category ids to lists of consent types, e.g. "
                                               "{\"analytics\": [\"analytics_storage\"]}")
    for category, types in value.items():
        if not isinstance(types, list) or not types:
            raise ConfigError("googleConsentMode." + str(category), "must be a non-empty list of consent types")
        for item in types:
            if item not in GOOGLE_TYPES:
                raise ConfigError("googleConsentMode." + str(category), "unknown consent type %r (known: %s)" % (
                    item, ", ".join(GOOGLE_TYPES)))
    return value


def _vendors(value):
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        raise ConfigError("vendors", "must map tools to category ids, e.g. {\"matomo\": \"analytics\"}")
    for vendor, category in value.items():
        if vendor not in VENDORS:
            raise ConfigError("vendors." + str(vendor), "unknown tool (known: %s)" % ", ".join(VENDORS))
        if not is_identifier(category):
            raise ConfigError("vendors." + vendor, "must be a category id (got %r)" % (category,))
    return value


def _reopen(value):
    if value is None or value is False:
        return None
    if value is True:
        return "bottom-left"
    if value not in CORNERS:
        raise ConfigError("reopenButton", "must be true, false or one of %s" % ", ".join(CORNERS))
    return value


def _choice(data, key, choices):
    value = data.get(key, choices[0])
    if value not in choices:
        raise ConfigError(key, "must be one of %s (got %r)" % (", ".join('"%s"' % c for c in choices), value))
    return value


def _dark_class(value):
    """A class name, checked by hand (no `re` in the page): letters, digits, "-" and "_", no leading digit."""
    if value is None:
        return None
    ok = isinstance(value, str) and value and value[0] not in "0123456789" and not value.startswith("--")
    if not ok or not all(c in CLASS_CHARS for c in value):
        raise ConfigError("darkClass", "must be a class name such as \"dark\" (got %r)" % (value,))
    return value


def _url(data, key, check=is_safe_url):
    value = data.get(key)
    if value is not None and not check(value):
        raise ConfigError(key, "must be an http(s) or relative URL (got %r)" % (value,))
    return value


def parse_config(data, html_lang="", surrogate_free=False):
    """Return (Config, warnings) from decoded data-config JSON, or raise ConfigError naming the key.
    `surrogate_free`: the caller vouches that no string can hold a lone surrogate (text.surrogate_check)."""
    if not isinstance(data, dict):
        raise ConfigError("", "must be a JSON object such as {\"manifest\": \"/cookies.json\"}")
    manifest = data.get("manifest")
    problems = surrogate_check(surrogate_free)("", data, ["manifest"] if isinstance(manifest, dict) else [])
    if problems:                                # an inline manifest is the manifest parser's to check
        raise ConfigError(*problems[0])
    warnings = ["data-config: unknown key %r ignored" % k for k in data if k not in KNOWN_KEYS]
    if isinstance(manifest, str):
        if not is_fetch_url(manifest):
            raise ConfigError("manifest", "must be an http(s) or relative URL (got %r)" % manifest)
    elif not isinstance(manifest, dict):
        raise ConfigError("manifest", "is required: the URL of the cookie manifest, or the manifest object")
    languages = _languages(data)
    requested = data.get("language")
    if requested is not None and (not isinstance(requested, str) or requested.lower() not in languages):
        raise ConfigError("language", "must be one of %s (got %r)" % (", ".join(languages), requested))
    respect_gpc = data.get("respectGPC", RESPECT_GPC_DEFAULT)
    if not isinstance(respect_gpc, bool):
        raise ConfigError("respectGPC", "must be true or false")
    language_cookie = data.get("languageCookie", False)
    if not isinstance(language_cookie, bool):
        raise ConfigError("languageCookie", "must be true or false")
    language = pick_language(languages, requested.lower() if requested else None, html_lang)
    return Config(manifest=manifest, languages=languages, language=language,
                  language_urls=_language_urls(data.get("languageUrls"), languages), language_cookie=language_cookie,
                  policy_url=_url(data, "policyUrl"),
                  cookie_domain=_domain(data.get("cookieDomain")), respect_gpc=respect_gpc,
                  google_consent_mode=_google(data.get("googleConsentMode")), vendors=_vendors(data.get("vendors")),
                  consent_log=_url(data, "consentLog", is_fetch_url),
                  reopen_button=_reopen(data.get("reopenButton")), theme=_choice(data, "theme", THEMES),
                  dark_class=_dark_class(data.get("darkClass")), look=_choice(data, "look", LOOKS)), warnings
