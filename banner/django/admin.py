"""The consent log in Django's admin: read-only (proof is never edited, added or deleted by hand; the
retention command deletes), filtered by date, action, revision, source and language, exported as CSV.

Anybody can POST records (the log view is public), so the values in the table are not the portal's: a
filter listing every distinct value made one link per posted revision or language (20,000 posted records:
a 2.5 MB page of 40,200 links). Each filter offers a bounded list instead: action and source their fixed
choices; language the portal's languages and "other"; revision the manifest's current one, the few below
it found in the log, and "other". Any exact value still filters from the URL (?revision=2, ?language=de).
"""

import csv
import datetime

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ConsentRecord

CSV_FIELDS = ("received_at", "consent_id", "decided_at", "revision", "language", "action", "accepted",
              "refused", "fingerprints", "banner_version", "build", "source", "once")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")     # a spreadsheet would evaluate such a cell


def csv_cell(value):
    """A value as a CSV cell a spreadsheet shows as text: times in ISO 8601 UTC, and a leading quote
    on text a spreadsheet would take for a formula (a bannerVersion may start with '-' or '+')."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def csv_rows(queryset):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_FIELDS)
    for record in queryset.order_by("received_at", "id").iterator(chunk_size=2000):
        yield writer.writerow([csv_cell(getattr(record, f)) for f in CSV_FIELDS])


@admin.action(description=_("Export selected consent records as CSV"), permissions=["view"])
def export_csv(modeladmin, request, queryset):
    """Streamed, oldest first, every column: "select all" exports the whole filtered list."""
    name = "consent-log-%s.csv" % timezone.now().strftime("%Y%m%d-%H%M%S")
    return StreamingHttpResponse(csv_rows(queryset), content_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="%s"' % name})


OTHER = "other"          # neither a revision (digits) nor a language code (its first subtag has 2-3 letters)
MAX_REVISIONS = 10       # revision links besides "other"


class BoundedFilter(admin.SimpleListFilter):
    """The values the portal knows (`known`, never more than a few), then "other": every record whose value
    is none of them. A value typed in the URL filters exactly (`exact`)."""

    def known(self, request, model_admin):
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return list(self.known(request, model_admin)) + [(OTHER, _("other"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == OTHER:
            shown = [self.exact_value(v) for v, _ in self.lookup_choices if v != OTHER]
            return queryset.exclude(**{self.parameter_name + "__in": [v for v in shown if v is not None]})
        value = self.exact_value(value)
        return queryset.none() if value is None else queryset.filter(**{self.parameter_name: value})

    def exact_value(self, text):
        return str(text)


class LanguageFilter(BoundedFilter):
    title = _("language")
    parameter_name = "language"

    def known(self, request, model_admin):
        from .portal import languages
        try:
            return [(code, code) for code in languages()]
        except Exception:               # a broken setting: "other" and typed values still filter
            return []


class RevisionFilter(BoundedFilter):
    title = _("revision")
    parameter_name = "revision"

    def known(self, request, model_admin):
        """The current manifest revision, then the highest below it found in the log (without a readable
        manifest: the highest in the log), MAX_REVISIONS in all."""
        current = current_revision()
        found = model_admin.get_queryset(request).order_by("-revision").values_list("revision", flat=True)
        if current is not None:
            found = found.filter(revision__lt=current)
        below = list(found.distinct()[:MAX_REVISIONS - (current is not None)])
        return ([(str(current), _("%d (current)") % current)] if current is not None else []) + [
            (str(r), str(r)) for r in below]

    def exact_value(self, text):
        text = str(text)
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 15 else None


def current_revision():
    """The revision of the portal's manifest (CONSENT_BANNER["MANIFEST"]), or None when it cannot be read."""
    from .portal import manifest_data
    try:
        revision = manifest_data().get("revision")
    except Exception:
        return None
    return revision if isinstance(revision, int) and not isinstance(revision, bool) and revision >= 1 else None


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ("received_at", "consent_id", "action", "revision", "language", "accepted", "refused",
                    "source")
    # action and source have fixed choices (their model fields'); see the module's docstring
    list_filter = (("received_at", admin.DateFieldListFilter), ("action", admin.ChoicesFieldListFilter),
                   RevisionFilter, ("source", admin.ChoicesFieldListFilter), LanguageFilter)
    date_hierarchy = "received_at"
    search_fields = ("=consent_id",)
    actions = (export_csv,)
    readonly_fields = CSV_FIELDS
    show_full_result_count = False      # no COUNT(*) of a large log on every page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
