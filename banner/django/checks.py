"""System checks (`manage.py check`, and every runserver start): what would make the banner misbehave on
this portal, said before a visitor meets it, each with the fix. Warnings only: the app never stops the
host project's own commands.

- W001 (apps.py): LANGUAGE_COOKIE_NAME is not the cookie the banner's language choice writes.
- W002: MANIFEST_URL is served by nothing: neither the URLconf nor the static files have it (the page's
  manifest fetch would fail, and the banner with it, after the server-rendered layer showed).
- W003: the manifest's required category does not list the refresh marker the middleware sets
  (cookies_preferences_refreshed), so the policy does not name a cookie the portal sets.
- W004: the banner's languages do not cover a language the site serves: its visitors get another one.
- W005: several languages without LocaleMiddleware: the language choice would change nothing.
- W006: LANGUAGE_CODE is still startproject's "en-us" and the manifest has no English: the banner speaks
  English to every visitor, around texts in another language.
- W007: the settings or the manifest cannot be used at all (every request logs it and accepts nothing),
  or DATABASE_MANIFEST is on and no version is published yet.
- W008: DATABASE_MANIFEST is on and MANIFEST_URL is not the app's manifest view: the page would fetch
  another manifest than the published version the server decides with.
- W009: POLICY_URL is neither a URL name of the URLconf nor a path or an absolute URL (a mistyped name):
  the banner's policy links would lead to a relative address that serves nothing.
- W010: several languages, the language choice writing django_language, and the manifest does not
  declare that cookie: the policy does not name a cookie the portal sets.
"""

import json
from urllib.parse import urlsplit

from django.conf import global_settings, settings
from django.core import checks
from django.db import DatabaseError

from .middleware import REFRESHED

LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
# The marker's own texts, in the languages we ship them in; any other gets the English ones.
MARKER_TEXTS = {
    "lifetime": {"fr": "1 jour", "en": "1 day"},
    "purpose": {"fr": "Préférences de cookies : le serveur a renouvelé aujourd'hui le cookie de vos choix.",
                "en": "Cookie preferences: the server renewed the cookie of your choices today."},
}
LANGUAGE_TEXTS = {
    "lifetime": {"fr": "12 mois", "en": "12 months"},
    "purpose": {"fr": "Langue : mémorise la langue choisie pour le portail.",
                "en": "Language: remembers the language chosen for the portal."},
}


def warning(number, message, hint):
    return checks.Warning(message, hint=hint, id="consent_banner.W%03d" % number)


def site_languages():
    """The languages the site itself serves: settings.LANGUAGES when the project sets its own, else
    LANGUAGE_CODE."""
    if settings.LANGUAGES is not global_settings.LANGUAGES:
        return [code.lower() for code, _ in settings.LANGUAGES]
    return [settings.LANGUAGE_CODE.lower()]


def check_portal(app_configs=None, **kwargs):
    from banner.i18n import pick_language
    from banner.manifest import text_languages
    from .conf import banner_settings
    from .portal import languages, manifest_data, portal
    try:
        conf = banner_settings()
        if conf["MANIFEST"] is None and not conf["DATABASE_MANIFEST"]:
            return []                   # not configured yet: the app is installed, nothing more
        published_elsewhere = database_manifest_url(conf)
        codes = languages()
        data = manifest_data()
        page_data = portal()[0]
    except DatabaseError:
        return published_elsewhere      # the manifest's tables are not migrated yet: `migrate` says so
    except Exception as error:
        return [warning(7, "CONSENT_BANNER cannot be used: %s: %s" % (type(error).__name__, error),
                        "Until this is fixed every page logs this error, shows no banner and accepts nothing "
                        "optional. `consent-banner validate FILE --languages %s` names each problem of a manifest."
                        % ",".join(languages_or_default()))]
    found = published_elsewhere + manifest_url(conf["MANIFEST_URL"]) + policy_url(conf["POLICY_URL"])
    if conf["REFRESH"]:
        found += refresh_marker(data, codes)
    if len(codes) > 1 and page_data.get("languageCookie"):
        found += language_cookie(data, codes)
    if conf["LANGUAGES"]:
        for code in site_languages():
            given = pick_language(codes, None, code)
            if given.split("-")[0] != code.split("-")[0]:
                found.append(warning(4, "visitors reading the site in %r get the banner in %r: "
                                        'CONSENT_BANNER["LANGUAGES"] is %r' % (code, given, codes),
                                     'Add %r to CONSENT_BANNER["LANGUAGES"] (and to the manifest\'s texts), or '
                                     "leave the setting out: the banner then offers the site's own LANGUAGES."
                                     % code))
    if len(codes) > 1 and LOCALE_MIDDLEWARE not in settings.MIDDLEWARE:
        found.append(warning(5, "the banner offers %s but MIDDLEWARE has no LocaleMiddleware: every page is in "
                                "%r, and the banner's language choice changes nothing" % (
                                    ", ".join(codes), settings.LANGUAGE_CODE),
                             "Add %r to MIDDLEWARE, after SessionMiddleware and before CommonMiddleware "
                             "(Django's order)." % LOCALE_MIDDLEWARE))
    if (settings.LANGUAGE_CODE.lower() == "en-us" and settings.LANGUAGES is global_settings.LANGUAGES
            and not conf["LANGUAGES"] and "en" not in text_languages(data)):
        found.append(warning(6, "LANGUAGE_CODE is \"en-us\", the value `django-admin startproject` writes: the "
                                "banner speaks English to every visitor, whatever language the manifest's texts "
                                "are in",
                             "Set LANGUAGE_CODE to the site's language (e.g. LANGUAGE_CODE = \"fr\"), and LANGUAGES "
                             "for several (e.g. [(\"fr\", \"Français\"), (\"en\", \"English\")]); an English site "
                             "sets LANGUAGE_CODE = \"en\"."))
    return found


def database_manifest_url(conf):
    """W008: with DATABASE_MANIFEST, MANIFEST_URL must be the app's own view (or None: written inline)."""
    from .portal import _url, app_url
    given = conf["MANIFEST_URL"]
    if not conf["DATABASE_MANIFEST"] or not given:
        return []
    view = app_url("consent_banner:manifest")
    if view is not None and _url(given) == view:
        return []
    return [warning(8, "DATABASE_MANIFEST is on and MANIFEST_URL %r is not the app's manifest view: the page "
                       "would fetch another manifest than the published version the server decides with" % given,
                    'Set "MANIFEST_URL": "consent_banner:manifest" (with banner.django.urls included), or leave '
                    "MANIFEST_URL out to write the published manifest into the page.")]


def languages_or_default():
    try:
        from .portal import languages
        return languages()
    except Exception:
        return ["fr"]


def manifest_url(value):
    """W002: MANIFEST_URL names nothing the portal serves (an http(s) URL of another site is not checked)."""
    if not value:
        return []
    from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse
    hint = ('Point it at the app\'s own view, "MANIFEST_URL": "consent_banner:manifest", with '
            'path("consent/", include("banner.django.urls")) in the URLconf (it serves the very manifest the server '
            "decides with), or leave MANIFEST_URL out to write the manifest into the page.")
    if not value.startswith(("/", ".")) and "://" not in value:
        try:
            reverse(value)
            return []
        except NoReverseMatch:
            return [warning(2, "MANIFEST_URL %r is not a URL name of the URLconf (nor a URL)" % value, hint)]
        except Exception as error:           # no URLconf at all, a broken one: Django's own checks say so
            return [warning(2, "MANIFEST_URL %r cannot be resolved: %s" % (value, error), hint)]
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("."):
        return []                             # another site's, or relative to each page: cannot be known here
    path = parts.path
    static = settings.STATIC_URL or ""
    static_path = urlsplit(static).path if static else ""
    if static_path and path.startswith(static_path):
        import os
        from django.contrib.staticfiles import finders
        name = path[len(static_path):]
        root = getattr(settings, "STATIC_ROOT", None)
        if finders.find(name) or (root and os.path.isfile(os.path.join(root, name))):
            return []
        return [warning(2, "MANIFEST_URL %r is under STATIC_URL, but no static files finder (nor STATIC_ROOT) has "
                           "%r" % (value, name), hint)]
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = "/" + path[len(prefix):]         # resolve() takes the path without the script's prefix
    try:
        resolve(path)
        return []
    except Resolver404:
        return [warning(2, "MANIFEST_URL %r is served by nothing: no URL pattern matches it and it is not a static "
                           "file, so the page's manifest request fails and the banner with it" % value, hint)]
    except Exception as error:
        return [warning(2, "MANIFEST_URL %r cannot be resolved: %s" % (value, error), hint)]


def policy_url(value):
    """W009: POLICY_URL is taken for a URL name (no leading "/" or ".", no scheme) that the URLconf does not
    have: the page would link to it as a relative address (banner.django.portal._url)."""
    if not value or value.startswith(("/", ".")) or "://" in value:
        return []
    from django.urls import NoReverseMatch, reverse
    hint = ('Give the name of the policy page\'s URL pattern (path("cookies/", ..., name="cookie-policy") and '
            '"POLICY_URL": "cookie-policy"), a path such as "/cookies/", or an absolute URL.')
    try:
        reverse(value)
        return []
    except NoReverseMatch:
        return [warning(9, "POLICY_URL %r is not a URL name of the URLconf, nor a path or an absolute URL: the "
                           "banner's policy links lead to a relative address that serves nothing" % value, hint)]
    except Exception as error:           # no URLconf at all, a broken one: Django's own checks say so
        return [warning(9, "POLICY_URL %r cannot be resolved: %s" % (value, error), hint)]


def _required_entry(data, codes, name, texts, **extra):
    """A cookie entry for the manifest's required category, its texts in the banner's languages."""
    required = [c.get("id") for c in data.get("categories", []) if isinstance(c, dict) and c.get("required") is True]
    provider = next((k.get("provider") for k in data.get("cookies", [])
                     if isinstance(k, dict) and k.get("category") == required[0] and k.get("provider")), None)
    localized = {key: {code: value.get(code.split("-")[0], value["en"]) for code in codes} if len(codes) > 1
                 else value.get(codes[0].split("-")[0], value["en"]) for key, value in texts.items()}
    return dict({"name": name, "category": required[0], "provider": provider or "…"}, **extra,
                lifetime=localized["lifetime"], purpose=localized["purpose"])


def language_cookie(data, codes):
    """W010: the banner's language choice writes django_language (languageCookie), which the manifest does
    not declare: the cookie policy never names it."""
    from banner.i18n import LANGUAGE_COOKIE
    from .middleware import regex_test
    required = [c.get("id") for c in data.get("categories", []) if isinstance(c, dict) and c.get("required") is True]
    if not required or any(isinstance(k, dict) and k.get("storage", "cookie") == "cookie" and (
            k.get("name") == LANGUAGE_COOKIE or (isinstance(k.get("match"), str) and regex_test(k["match"], LANGUAGE_COOKIE)))
            for k in data.get("cookies", [])):
        return []
    entry = _required_entry(data, codes, LANGUAGE_COOKIE, LANGUAGE_TEXTS, multilingualOnly=True)
    return [warning(10, "the banner offers %s and its language choice writes %r, which the manifest does not "
                        "declare: the cookie policy does not name a cookie the portal sets"
                        % (", ".join(codes), LANGUAGE_COOKIE),
                    "Add to the manifest's \"cookies\": %s" % json.dumps(entry, ensure_ascii=False))]


def refresh_marker(data, codes):
    """W003: the required category does not list the marker the middleware's daily refresh sets."""
    required = [c.get("id") for c in data.get("categories", []) if isinstance(c, dict) and c.get("required") is True]
    if not required or any(isinstance(k, dict) and k.get("name") == REFRESHED and k.get("category") == required[0]
                           for k in data.get("cookies", [])):
        return []
    entry = _required_entry(data, codes, REFRESHED, MARKER_TEXTS)
    return [warning(3, "the manifest's required category %r does not list %r, the one-day marker ConsentMiddleware "
                       "sets when it refreshes the consent cookie: the cookie policy does not name a cookie the "
                       "portal sets" % (required[0], REFRESHED),
                    "Add to the manifest's \"cookies\": %s (or set CONSENT_BANNER[\"REFRESH\"] = False)"
                    % json.dumps(entry, ensure_ascii=False))]
