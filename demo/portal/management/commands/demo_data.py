"""`python demo/manage.py demo_data [--records N]`: the demo's manifest in the database, and a consent log for
the admin to show.

- When no version is published: with --records 0, CONSENT_BANNER["MANIFEST"] is published as it is (what
  the browser tests start from); otherwise an earlier version first (60 days ago, its analytics cookie
  kept 6 months), then the settings' one (20 days ago): two versions, the second a fingerprint change.
- N records (default 3000) over the last 60 days, each under the version current when it was given:
  choices, sources and languages in plausible proportions, from a fixed seed. Run twice, it adds nothing.

A few thousand rows in one bulk insert: well under a second on SQLite, at every `make demo`.
"""

import copy
import datetime
import random

from django.core.management.base import BaseCommand
from django.utils import timezone

from banner.django.admin import file_manifest
from banner.django.models import ConsentRecord, ManifestVersion
from banner.django.portal import languages
from banner.django.versions import publish

ACTIONS = (("accept_all", 50), ("reject_all", 30), ("custom", 9), ("withdraw", 4), ("allow_once", 3))
SOURCES = (("first_layer", 70), ("centre", 14), ("embed", 6), ("form", 10))
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def weighted(rng, pairs):
    return rng.choices([v for v, _ in pairs], [w for _, w in pairs])[0]


class Command(BaseCommand):
    requires_system_checks = []         # they would warn that nothing is published: this command publishes
    help = "Publish the demo's manifest versions and generate consent records for the admin to show."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=3000)

    def handle(self, *args, records=3000, **options):
        codes = languages()
        now = timezone.now()
        if not ManifestVersion.objects.exists():
            current = copy.deepcopy(file_manifest())
            if records:
                earlier = copy.deepcopy(current)
                for cookie in earlier["cookies"]:
                    if cookie["category"] == "analytics":
                        cookie["lifetime"] = {"fr": "6 mois", "en": "6 months"}
                publish(earlier, codes, "demo", now - datetime.timedelta(days=60))
            publish(current, codes, "demo", now - datetime.timedelta(days=20 if records else 0))
        if records and not ConsentRecord.objects.exists():
            ConsentRecord.objects.bulk_create(self.generated(records, now, codes), batch_size=1000)
        self.stdout.write("demo: %d manifest version(s), %d consent record(s)"
                          % (ManifestVersion.objects.count(), ConsentRecord.objects.count()))

    @staticmethod
    def generated(count, now, codes):
        import json
        from banner.manifest import parse_manifest
        rng = random.Random(2026)
        versions = list(ManifestVersion.objects.order_by("published_at"))
        optional = [c.id for c in parse_manifest(json.loads(versions[-1].text), codes).categories if not c.required]
        for _ in range(count):
            at = now - datetime.timedelta(seconds=rng.uniform(0, 60 * 86400))
            version = [v for v in versions if v.published_at <= at][-1:] or versions[:1]
            version = version[0]
            action = weighted(rng, ACTIONS)
            if action == "accept_all":
                accepted = optional
            elif action in ("reject_all", "withdraw"):
                accepted = []
            else:
                accepted = [c for c in optional if rng.random() < 0.5]
            yield ConsentRecord(
                received_at=at, consent_id="".join(rng.choice(ALPHABET) for _ in range(20)),
                decided_at=int(at.timestamp() * 1000), revision=version.revision,
                language=rng.choices(codes, [4] + [1] * (len(codes) - 1))[0], action=action,
                accepted=",".join(accepted), refused=",".join(c for c in optional if c not in accepted),
                fingerprints=version.fingerprints, banner_version="0.1.0", build="demo",
                source="embed" if action == "allow_once" else weighted(rng, SOURCES),
                once="analytics" if action == "allow_once" else "", manifest_version=version)
