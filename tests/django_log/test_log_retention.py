"""`manage.py purge_consent_log` on SQLite and on PostgreSQL: records received longer ago than the
retention period go, the others stay; the setting, its override and its dry run."""

import datetime
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test.utils import override_settings
from django.utils import timezone

from banner.django.conf import DEFAULTS, banner_settings
from banner.django.models import ConsentRecord
from banner.server.receiver import parse_record, record_columns
from log_cases import body

AGES = {"fresh0001": 1, "halfyear1": 183, "lastyear1": 400, "fouryears": 4 * 365, "sixyears1": 6 * 365}


@pytest.fixture
def aged(log_db):
    now = timezone.now()
    for consent_id, days in AGES.items():
        ConsentRecord.objects.create(received_at=now - datetime.timedelta(days=days),
                                     **record_columns(parse_record(body(consentId=consent_id))))
    return log_db


def purge(*args):
    out = io.StringIO()
    call_command("purge_consent_log", *args, stdout=out)
    return out.getvalue()


def kept():
    return sorted(ConsentRecord.objects.values_list("consent_id", flat=True))


def test_the_default_retention_is_five_years():
    assert DEFAULTS["LOG_RETENTION_DAYS"] == 1826


def test_by_default_only_records_older_than_five_years_are_deleted(aged):
    assert purge().startswith("1 consent record(s) received before ")
    assert kept() == ["fouryears", "fresh0001", "halfyear1", "lastyear1"]
    assert purge().startswith("0 consent record(s)")


def test_the_setting_sets_the_retention(aged):
    with override_settings(CONSENT_BANNER={"LOG_RETENTION_DAYS": 365}):
        purge()
    assert kept() == ["fresh0001", "halfyear1"]


def test_days_on_the_command_line_override_the_setting_and_a_dry_run_deletes_nothing(aged):
    assert purge("--days", "100", "--dry-run").startswith("4 consent record(s) received before ")
    assert len(kept()) == 5
    purge("--days", "100", "--database", aged)
    assert kept() == ["fresh0001"]


@pytest.mark.parametrize("days", [0, -5, "30", None, True])
def test_a_retention_that_is_not_a_positive_number_of_days_deletes_nothing(aged, days):
    with override_settings(CONSENT_BANNER={"LOG_RETENTION_DAYS": days}):
        with pytest.raises(CommandError, match="LOG_RETENTION_DAYS"):
            purge()
    assert len(kept()) == 5


@pytest.mark.parametrize("days", [36501, 1000000, 10 ** 20])
def test_a_retention_too_long_to_date_is_refused_with_a_message_not_a_traceback(aged, days):
    """A cutoff further back than year 1 was an OverflowError traceback; past 100 years is refused clearly,
    from the command line and from the setting alike, and nothing is deleted."""
    with pytest.raises(CommandError, match=r"^--days: must be a whole number of days from 1 to 36500 "):
        purge("--days", str(days))
    with override_settings(CONSENT_BANNER={"LOG_RETENTION_DAYS": days}):
        with pytest.raises(CommandError, match=r"^CONSENT_BANNER LOG_RETENTION_DAYS: must be a whole number of days "
                                               r"from 1 to 36500 \(100 years\) \(got %d\)" % days):
            purge("--dry-run")
    assert len(kept()) == 5


def test_a_retention_of_a_hundred_years_keeps_every_record(aged):
    assert purge("--days", "36500").startswith("0 consent record(s) received before 19")
    assert len(kept()) == 5


def test_a_misspelt_setting_is_an_error_naming_it(aged):
    with override_settings(CONSENT_BANNER={"LOG_RETENTION": 30}):
        with pytest.raises(ImproperlyConfigured, match="LOG_RETENTION"):
            banner_settings()
