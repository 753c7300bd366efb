"""`manage.py publish_manifest [FILE]`: import a manifest JSON file (default: CONSENT_BANNER["MANIFEST"]) into
the admin's draft and publish it, as "Save and publish" does in the admin: the same checks, the same
revision rules (banner/django/versions.py). For a deployment that keeps its manifest in a repository and
CONSENT_BANNER["DATABASE_MANIFEST"] on, and for a portal's first version."""

import json

from django.core.management.base import BaseCommand, CommandError

from banner.errors import ManifestError

from ...models import ManifestDraft
from ...portal import languages
from ...versions import check, decode, publish


class Command(BaseCommand):
    requires_system_checks = []         # they would warn that nothing is published: this command publishes
    help = "Import a manifest JSON file into the draft and publish it as the manifest visitors get."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the manifest JSON file (default: CONSENT_BANNER['MANIFEST'])")
        parser.add_argument("--user", default="", help="who publishes (kept with the version)")

    def handle(self, *args, file=None, user="", **options):
        from ...admin import file_manifest
        try:
            if file:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
            else:
                text = json.dumps(file_manifest(), ensure_ascii=False, indent=2)
        except (OSError, ValueError) as error:
            raise CommandError("cannot read the manifest: %s" % error)
        data, problems = decode(text)
        problems = problems or check(data, languages())
        if problems:
            raise CommandError("manifest: " + "; ".join((p + ": " if p else "") + m for p, m in problems))
        draft = ManifestDraft.objects.first() or ManifestDraft()
        draft.text, draft.updated_by = text, user
        draft.save()
        try:
            version = publish(data, languages(), user)
        except ManifestError as error:
            raise CommandError(str(error))
        self.stdout.write("published %s (%s)" % (version, version.changes or "first version"))
