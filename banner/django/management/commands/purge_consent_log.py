"""`manage.py purge_consent_log`: delete the consent records received longer ago than the retention
period (CONSENT_BANNER["LOG_RETENTION_DAYS"]), e.g. daily from cron. `--dry-run` counts them only."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import router
from django.utils import timezone

from ...conf import banner_settings
from ...models import ConsentRecord


MAX_RETENTION_DAYS = 36500      # 100 years: a cutoff before year 1 is no date (OverflowError), and longer means never


def retention_days(value, name="CONSENT_BANNER LOG_RETENTION_DAYS"):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RETENTION_DAYS:
        raise CommandError("%s: must be a whole number of days from 1 to %d (100 years) (got %r)"
                           % (name, MAX_RETENTION_DAYS, value))
    return value


class Command(BaseCommand):
    help = "Delete consent records received longer ago than CONSENT_BANNER['LOG_RETENTION_DAYS']."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="this retention instead of the setting's")
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
        parser.add_argument("--database", help="the database alias (default: where the portal's routers write "
                                                   "consent records)")

    def handle(self, *args, days=None, dry_run=False, database=None, **options):
        if days is None:
            days = retention_days(banner_settings()["LOG_RETENTION_DAYS"])
        else:
            days = retention_days(days, "--days")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        database = database or router.db_for_write(ConsentRecord)
        expired = ConsentRecord.objects.using(database).filter(received_at__lt=cutoff)
        if dry_run:
            count = expired.count()
            self.stdout.write("%d consent record(s) received before %s would be deleted" % (count, cutoff.isoformat()))
            return
        count, _ = expired.delete()
        self.stdout.write("%d consent record(s) received before %s deleted" % (count, cutoff.isoformat()))
