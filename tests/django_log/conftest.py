"""The consent log's fixtures: the same tests on SQLite and on a private PostgreSQL server.

`log_db` is parametrised over both, at session scope, so pytest runs every SQLite test, then every
PostgreSQL one; the PostgreSQL server starts on a thread when this file is imported and is ready by
then. Each database is migrated once by the app's own migrations, and emptied of consent records before
each test. PostgreSQL tests skip, with one message saying why, only when a server cannot run here."""

import pytest

import djlog_settings

djlog_settings.configure()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

import postgres_kit  # noqa: E402

SQLITE, POSTGRES = "djlog_sqlite", "djlog_postgres"
_server = postgres_kit.start_in_background()


def pytest_sessionfinish(session):
    """Stop the server, waiting for its start first when no test asked for it (never leave one running)."""
    try:
        server = _server.result(timeout=300)
    except Exception:
        return
    connections.close_all()
    server.stop()


def _migrated(alias, entry, fast_options):
    """Add `alias`, migrate it with commits that do not wait for the disk (a fresh test database: nothing
    to lose), then reconnect with the settings under test."""
    djlog_settings.add_database(alias, dict(entry, OPTIONS=dict(entry.get("OPTIONS", {}), **fast_options)))
    with djlog_settings.ours():
        call_command("migrate", database=alias, verbosity=0, interactive=False)
    connections[alias].close()
    djlog_settings.add_database(alias, entry)
    return alias


@pytest.fixture(scope="session")
def sqlite_alias(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("djlog") / "log.sqlite3")
    entry = {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": djlog_settings.SQLITE_OPTIONS}
    fast = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"}
    yield _migrated(SQLITE, entry, fast)
    connections[SQLITE].close()


@pytest.fixture(scope="session")
def postgres_alias():
    try:
        server = _server.result(timeout=300)
    except (postgres_kit.Unavailable, OSError) as error:
        pytest.skip("PostgreSQL cannot run as a service here, its consent-log tests are skipped: %s" % error)
    yield _migrated(POSTGRES, server.database(), {"options": "-c synchronous_commit=off"})
    connections[POSTGRES].close()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request):
    return request.getfixturevalue(request.param + "_alias")


def _routed(alias):
    """`alias` emptied of consent records, every model routed to it, the URLconf with the admin and the
    log view."""
    from banner.django.models import ConsentRecord
    ConsentRecord.objects.using(alias).all().delete()
    unroute = djlog_settings.route_to(alias)
    with djlog_settings.ours():
        yield alias
    unroute()


@pytest.fixture
def log_db(backend):
    """The database under test, SQLite then PostgreSQL (see _routed)."""
    yield from _routed(backend)


@pytest.fixture
def sqlite_db(sqlite_alias):
    """SQLite only, for what only SQLite does (see _routed)."""
    yield from _routed(sqlite_alias)
