"""Settings of the demo portal (local use only: DEBUG, a fixed secret key, SQLite)."""

import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.dirname(HERE)
SITE = os.path.join(DEMO, "site")

SECRET_KEY = "demo-only-never-use-this-key-in-production"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "banner.django",
    "demo.portal",                   # its `demo_data` command: the manifest's versions and a consent log
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "banner.django.middleware.ConsentMiddleware",
]

ROOT_URLCONF = "demo.portal.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [os.path.join(HERE, "templates")],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.environ.get("DEMO_DATABASE", os.path.join(DEMO, "portal.sqlite3"))}}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

STATIC_URL = "/static/"
STATICFILES_DIRS = [SITE]            # demo.css, analytics.js, embed.html; the banner's are the app's own

with open(os.path.join(SITE, "cookies.json"), encoding="utf-8") as _handle:
    MANIFEST = json.load(_handle)
MANIFEST = copy.deepcopy(MANIFEST)
# The daily refresh marker of the middleware (banner.django.middleware.REFRESHED), declared like the
# portal's other strictly necessary cookies.
MANIFEST["cookies"].insert(3, {
    "provider": "Opendatasoft", "name": "cookies_preferences_refreshed", "category": "necessary",
    "lifetime": {"fr": "1 jour", "en": "1 day"},
    "purpose": {"fr": "Préférences de cookies : le serveur a renouvelé aujourd'hui le cookie de vos choix.",
                "en": "Cookie preferences: the server renewed the cookie of your choices today."},
})

# Beside the demo's analytics, which needs consent: audience measurement under the CNIL's exemption, the way
# French portals run Matomo. It runs without a choice, the first layer, the centre and the policy page say
# so, and the visitor can oppose it; `vendors` has its tracker follow the banner through its own API.
MANIFEST["categories"].append({
    "id": "audience", "exempt": True,
    "title": {"fr": "Mesure d'audience exemptée", "en": "Exempt audience measurement"},
    "description": {"fr": "Des statistiques de visite anonymes (Matomo, hébergé par la ville, configuré selon "
                          "les conditions de la CNIL), qui ne servent qu'à améliorer le portail.",
                    "en": "Anonymous visit statistics (Matomo, hosted by the city, set up within the CNIL's "
                          "conditions), used only to improve the portal."},
})
MANIFEST["cookies"] += [
    {"provider": "Ville (Matomo)", "name": "_pk_id", "match": "^_pk_(id|ses)\\.", "category": "audience",
     "lifetime": {"fr": "13 mois", "en": "13 months"}, "maxAgeDays": 395,
     "purpose": {"fr": "Mesure d'audience exemptée : reconnaître une visite, anonymement.",
                 "en": "Exempt audience measurement: recognising a visit, anonymously."}},
    {"provider": "Ville (Matomo)", "name": "mtm_consent_removed", "category": "necessary",
     "lifetime": {"fr": "13 mois", "en": "13 months"},
     "purpose": {"fr": "Retient votre opposition à la mesure d'audience.",
                 "en": "Keeps your objection to audience measurement."}},
    # The demo's tracker is a recording of Matomo's API (demo/site/matomo-style.js): its log of the commands
    # it received is kept for the session, and declared like any other storage the portal uses.
    {"provider": "Ville (démo)", "name": "matomoStyle", "storage": "session", "category": "necessary",
     "lifetime": {"fr": "Session", "en": "Session"},
     "purpose": {"fr": "Démonstration : le journal des commandes reçues par l'outil de mesure d'audience.",
                 "en": "Demonstration: the log of the commands the audience-measurement tool received."}},
]

CONSENT_BANNER = {
    # The manifest lives in the database, edited and published in /admin/; MANIFEST is what `demo_data`
    # publishes first (`make demo` runs it).
    "DATABASE_MANIFEST": True,
    "MANIFEST": MANIFEST,
    "MANIFEST_URL": "consent_banner:manifest",      # the app serves the very manifest it decides with
    "POLICY_URL": "cookie-policy",
    "CONFIG": {"reopenButton": True, "theme": "auto", "vendors": {"matomo": "audience"}},
    # Pages the same for every visitor (cacheable) by default; DEMO_PER_VISITOR=1 renders each visitor's
    # decision into the page instead (private responses).
    "PER_VISITOR": os.environ.get("DEMO_PER_VISITOR") == "1",
}
