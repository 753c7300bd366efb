"""Django for the consent log's tests: the app, the admin it registers with, and the log's URLs.

Django is configured once per process. When another conftest configured it first, these tests add
what they need at run time instead: their own database aliases (`add_database`), the settings of
SETTINGS that differ (`ours`: apps, middleware, templates, URLconf) and a router sending every query to
the database under test (`route_to`)."""

import django
from django.conf import settings
from django.db import connections, router

SETTINGS = dict(
    SECRET_KEY="consent-log-tests",
    DEBUG=False,
    USE_TZ=True,
    ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions",
                    "django.contrib.messages", "django.contrib.admin", "banner.django"],
    MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware",
                "django.middleware.common.CommonMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
                "django.contrib.auth.middleware.AuthenticationMiddleware",
                "django.contrib.messages.middleware.MessageMiddleware"],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
                "OPTIONS": {"context_processors": ["django.template.context_processors.request",
                                                   "django.contrib.auth.context_processors.auth",
                                                   "django.contrib.messages.context_processors.messages"]}}],
    ROOT_URLCONF="djlog_urls",
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
)

# What keeps SQLite correct under concurrent writers: WAL (readers never block the writer), a busy
# timeout long enough for a queue of 50 writers, write transactions that take the lock when they begin
# (IMMEDIATE: no deadlock upgrading a read lock), and FULL sync (an acknowledged record survives a power cut).
SQLITE_OPTIONS = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", "timeout": 30,
                  "transaction_mode": "IMMEDIATE"}


def configure():
    if not settings.configured:
        settings.configure(**SETTINGS)
        django.setup()


def ours():
    """override_settings for those of SETTINGS (but the databases) that differ from the running ones:
    nothing when this module configured Django; the admin's apps, middleware and templates when another
    conftest did it first with less."""
    from django.test.utils import override_settings
    changed = {k: v for k, v in SETTINGS.items()
               if k not in ("DATABASES", "SECRET_KEY") and getattr(settings, k, None) != v}
    return override_settings(**changed)


def add_database(alias, entry):
    """Add a database alias after Django started (settings.DATABASES is read once, by the handler)."""
    given = {"default": connections.settings["default"], alias: entry}
    connections.settings[alias] = connections.configure_settings(given)[alias]


class RouteTo:
    """Every model, read and written, to one alias: the view, the admin and the command run unchanged."""

    def __init__(self, alias):
        self.alias = alias

    def db_for_read(self, model, **hints):
        return self.alias

    db_for_write = db_for_read


def route_to(alias):
    """Install a RouteTo router first in line; returns the function that removes it."""
    entry = RouteTo(alias)
    router.routers.insert(0, entry)
    return lambda: router.routers.remove(entry)
