"""`manage.py purge_consent_log`: delete the consent records received longer ago than the retention
period (CONSENT_BANNER["LOG_RETENTION_DAYS"]), e.g. daily from cron. `--dry-run` counts them only.

Published manifest versions are proof too: every version a kept record points to is kept (the foreign
key protects it), and so is the latest one. A version superseded before the cutoff that no kept record
names proves nothing any more and is deleted with the records."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import router
from django.utils import timezone

from ...conf import banner_settings
from ...models import ConsentRecord, ManifestVersion


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
        versions = self.unused_versions(database, cutoff)
        if versions:
            ManifestVersion.objects.using(database).filter(id__in=versions).delete()
            self.stdout.write("%d manifest version(s) superseded before %s and named by no kept record deleted"
                              % (len(versions), cutoff.isoformat()))

    @staticmethod
    def unused_versions(database, cutoff):
        """Versions whose successor was published before `cutoff`, that no record points to."""
        rows = list(ManifestVersion.objects.using(database).order_by("number").values_list("id", "published_at"))
        superseded = [rows[i][0] for i in range(len(rows) - 1) if rows[i + 1][1] < cutoff]
        used = set(ConsentRecord.objects.using(database).filter(manifest_version__in=superseded)
                   .values_list("manifest_version", flat=True).distinct())
        return [v for v in superseded if v not in used]
