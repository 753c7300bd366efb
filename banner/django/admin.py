"""The consent log in Django's admin: read-only (proof is never edited, added or deleted by hand; the
retention command deletes), filtered by date, action and revision, exported as CSV."""

import csv
import datetime

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils import timezone

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


@admin.action(description="Export selected consent records as CSV", permissions=["view"])
def export_csv(modeladmin, request, queryset):
    """Streamed, oldest first, every column: "select all" exports the whole filtered list."""
    name = "consent-log-%s.csv" % timezone.now().strftime("%Y%m%d-%H%M%S")
    return StreamingHttpResponse(csv_rows(queryset), content_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="%s"' % name})


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ("received_at", "consent_id", "action", "revision", "language", "accepted", "refused",
                    "source")
    list_filter = (("received_at", admin.DateFieldListFilter), "action", "revision", "source", "language")
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
