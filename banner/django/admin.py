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
import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from banner.errors import BannerError
from banner.manifest import whole_number

from .models import ConsentRecord, ManifestDraft, ManifestVersion

CSV_FIELDS = ("received_at", "consent_id", "decided_at", "revision", "language", "action", "accepted",
              "refused", "fingerprints", "banner_version", "build", "source", "once", "providers")
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
    revision = whole_number(revision)
    return revision if revision is not None and revision >= 1 else None


class ReadOnlyAdmin(admin.ModelAdmin):
    """What is proof is never added, changed or deleted through the admin: the consent log and the published
    versions (retention is purge_consent_log's)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConsentRecordAdmin(ReadOnlyAdmin):
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



# --- what a visitor saw, the manifest in the database, statistics -------------------------------------------
def shown_policy(version, language):
    """The policy page of a published version (or the draft) in one language (its texts, cookie tables and
    providers), as banner.server.static_policy renders it: built as elements, every manifest text escaped."""
    from banner.server import static_policy
    from banner.i18n import pick_language
    from .portal import languages
    from .versions import own_languages
    try:
        data = json.loads(version.text)
    except ValueError as error:
        return format_html("<p>{}</p>", str(error))
    codes = own_languages(data, languages())
    language = pick_language(codes, None, language or "")
    try:
        return mark_safe(static_policy.render({"manifest": data, "languages": codes}, data, language))
    except BannerError as error:
        return format_html("<p>{}</p>", str(error))


def version_summary(version):
    return format_html(
        '<a href="{}">{}</a> · {} {} · {} {} · SHA-256 <code>{}</code>',
        reverse("admin:consent_banner_manifestversion_change", args=[version.pk]), str(version),
        _("published at"), date_format(timezone.localtime(version.published_at), "DATETIME_FORMAT"),
        _("published by"), version.published_by or "-", version.sha256)


@admin.register(ConsentRecord)
class ConsentRecordAdminWithVersion(ConsentRecordAdmin):
    """The record's page also shows the published version it was given under, as the visitor saw it; the
    list links to the statistics page."""
    list_filter = ConsentRecordAdmin.list_filter + ("manifest_version",)
    fields = CSV_FIELDS + ("shown_version", "shown")
    readonly_fields = fields
    change_list_template = "admin/consent_banner/consentrecord/change_list.html"

    @admin.display(description=_("manifest version"))
    def shown_version(self, record):
        if record.manifest_version_id is None:
            return _("none recorded (a file manifest, or a revision and fingerprints no published version has)")
        return version_summary(record.manifest_version)

    @admin.display(description=_("what the visitor was shown"))
    def shown(self, record):
        if record.manifest_version_id is None:
            return "-"
        return format_html('<div lang="{}">{}</div><p>{} {} · {} <code>{}</code></p>', record.language,
                           shown_policy(record.manifest_version, record.language),
                           _("banner version"), record.banner_version or "-", _("build"), record.build or "-")

    def get_urls(self):
        from django.urls import path
        own = [path("statistics/", self.admin_site.admin_view(self.statistics_view),
                    name="consent_banner_consentrecord_statistics")]
        return own + super().get_urls()

    def statistics_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        from .statistics_page import context
        return TemplateResponse(request, "admin/consent_banner/statistics.html",
                                dict(self.admin_site.each_context(request), opts=self.model._meta,
                                     title=_("Consent statistics"), **context(request, self.get_queryset(request))))



class DraftForm(forms.ModelForm):
    """The draft's JSON, or a JSON file imported in its place; checked by banner.manifest for the portal's
    languages, each problem named by its field path."""
    import_file = forms.FileField(label=_("import a JSON file"), required=False,
                                  help_text=_("Replaces the text above with the file's."))

    class Meta:
        model = ManifestDraft
        fields = ("text",)
        widgets = {"text": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false",
                                                 "style": "font-family: monospace; width: 100%"})}

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload:
            try:
                cleaned["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError({"import_file": _("The file is not UTF-8 text.")})
            self.instance.text = cleaned["text"]
        from .portal import languages
        from .versions import check, decode
        data, problems = decode(cleaned.get("text") or "")
        if data is not None:
            problems = check(data, languages())
        if problems:
            raise forms.ValidationError({"text": [(path + ": " if path else "") + message
                                                  for path, message in problems]})
        return cleaned


@admin.register(ManifestDraft)
class ManifestDraftAdmin(admin.ModelAdmin):
    """One draft: edited, checked at each save, exported, and published with the "Publish" button."""
    form = DraftForm
    list_display = ("__str__", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by", "preview")
    change_form_template = "admin/consent_banner/manifestdraft/change_form.html"

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ManifestDraft.objects.exists()

    def has_module_permission(self, request):
        return in_database() and super().has_module_permission(request)

    @admin.display(description=_("what visitors will be shown"))
    def preview(self, draft):
        """The saved draft as its policy page in each language: what publishing it will show."""
        from .portal import languages
        if not draft.pk:
            return "-"
        return format_html_join("", '<h3>{}</h3><div lang="{}">{}</div>',
                                ((code, code, shown_policy(draft, code)) for code in languages()))

    def get_changeform_initial_data(self, request):
        from .versions import NoPublishedVersion, published
        try:
            return {"text": published().text}
        except (NoPublishedVersion, DatabaseError):
            pass
        try:
            return {"text": json.dumps(file_manifest(), ensure_ascii=False, indent=2)}
        except (OSError, ValueError, BannerError):
            return {}

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user.get_username()
        super().save_model(request, obj, form, change)

    def can_publish(self, request):
        return request.user.has_perm("consent_banner.add_manifestversion")

    def render_change_form(self, request, context, *args, **kwargs):
        context["can_publish"] = self.can_publish(request)
        return super().render_change_form(request, context, *args, **kwargs)

    def _published(self, request, obj):
        from .portal import languages
        from .versions import publish
        if "_publish" not in request.POST:
            return None
        if not self.can_publish(request):
            raise PermissionDenied
        version = publish(json.loads(obj.text), languages(), request.user.get_username())
        if version is None:
            self.message_user(request, _("Nothing published: the draft is the latest version."), messages.WARNING)
            return None
        self.message_user(request, _("Published %(version)s: %(changes)s") % {
            "version": version, "changes": version.changes or _("first version")}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:consent_banner_manifestversion_change", args=[version.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        return self._published(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._published(request, obj) or super().response_change(request, obj)

    def get_urls(self):
        from django.urls import path
        own = [path("<int:pk>/export/", self.admin_site.admin_view(self.export_view),
                    name="consent_banner_manifestdraft_export"),
               path("fields/", self.admin_site.admin_view(self.fields_view),
                    name="consent_banner_manifestdraft_fields")]
        return own + super().get_urls()

    def fields_view(self, request):
        """The draft field by field (banner/django/draft_fields.py): "add" and "remove" buttons show the
        form again with the entry added or removed, nothing saved; "Save" and "Save and publish" check
        the whole manifest as the JSON view does, and show each problem next to its input."""
        from . import draft_fields
        from .portal import languages
        from .versions import check
        draft = ManifestDraft.objects.first()
        if not (self.has_change_permission(request, draft) if draft else self.has_add_permission(request)):
            raise PermissionDenied
        codes = languages()
        if request.method == "POST":
            form = draft_fields.posted_form(request.POST, codes)
            if form is None:
                return HttpResponseBadRequest("not a manifest the field editor can show")
            form.is_valid()
            data = form.manifest()
            action = request.POST.get("_action")
            if action:
                data = draft_fields.changed(data, action, codes)
                if data is None:
                    return HttpResponseBadRequest("unknown action")
                form = draft_fields.DraftFieldsForm(data, codes)
            else:
                problems = check(data, codes)
                if problems:
                    form.show_problems(problems)
                else:
                    return self._save_fields(request, draft, data)
        else:
            data = json.loads(draft.text) if draft else self.get_changeform_initial_data(request).get("text")
            if isinstance(data, str):
                data = json.loads(data)
            if not draft_fields.editable(data):
                self.message_user(request, _("This manifest can only be edited as JSON."), messages.WARNING)
                return HttpResponseRedirect(reverse("admin:consent_banner_manifestdraft_add"))
            form = draft_fields.DraftFieldsForm(data, codes)
        self._warn_field_limit(request, form)
        return TemplateResponse(request, "admin/consent_banner/manifestdraft/fields.html", dict(
            self.admin_site.each_context(request), opts=self.model._meta, form=form, draft=draft,
            title=_("Edit the manifest field by field"), can_publish=self.can_publish(request)))

    def _warn_field_limit(self, request, form):
        """Django refuses a POST of more than DATA_UPLOAD_MAX_NUMBER_FIELDS inputs (1000 by default: about
        30 cookies in seven languages) before any view runs: say so before the DPO fills the form."""
        from django.conf import settings
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        sent = len(form.fields) + 8          # the CSRF token, the buttons
        if limit is not None and sent > limit:
            self.message_user(request, _(
                "This form has %(count)d inputs, more than Django accepts in one request "
                "(DATA_UPLOAD_MAX_NUMBER_FIELDS = %(limit)d): saving it would be refused. Raise that setting, "
                "or edit the draft as JSON.") % {"count": sent, "limit": limit}, messages.WARNING)

    def _save_fields(self, request, draft, data):
        new = draft is None
        draft = draft or ManifestDraft()
        draft.text = json.dumps(data, ensure_ascii=False, indent=2)
        draft.updated_by = request.user.get_username()
        draft.save()
        if new:
            self.log_addition(request, draft, [{"added": {}}])
        else:
            self.log_change(request, draft, [{"changed": {"fields": ["text"]}}])
        published = self._published(request, draft)
        if published:
            return published
        if "_publish" not in request.POST:
            self.message_user(request, _("The draft was saved (not published)."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:consent_banner_manifestdraft_fields"))

    def export_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return json_download(get_object_or_404(ManifestDraft, pk=pk).text, "cookies-draft.json")


def in_database():
    """Whether the portal keeps its manifest in the database: the draft and versions are in the admin's
    index only then (their pages still answer, for versions kept from an earlier setting)."""
    from .conf import banner_settings
    try:
        return bool(banner_settings()["DATABASE_MANIFEST"])
    except Exception:
        return False


def json_download(text, name):
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="%s"' % name
    return response


def file_manifest():
    """CONSENT_BANNER["MANIFEST"] (a dict, or the JSON file it names): where a first draft starts."""
    from banner.server.host import load_json
    from .conf import banner_settings
    given = banner_settings()["MANIFEST"]
    if isinstance(given, dict):
        return given
    if not given:
        raise ValueError("no MANIFEST")
    with open(given, encoding="utf-8") as handle:
        return load_json(handle)


@admin.register(ManifestVersion)
class ManifestVersionAdmin(ReadOnlyAdmin):
    """Published versions: read-only proof (never added, changed or deleted by hand), each shown as
    visitors saw it in every language, its exact JSON downloadable (the text its SHA-256 is of)."""
    list_display = ("number", "revision", "published_at", "published_by", "changes", "records_link")
    fields = ("number", "revision", "published_at", "published_by", "changes", "sha256", "fingerprints",
              "download", "shown", "text")
    readonly_fields = fields

    def has_module_permission(self, request):
        return in_database() and super().has_module_permission(request)

    @admin.display(description=_("consent records"))
    def records_link(self, version):
        return format_html('<a href="{}?manifest_version__id__exact={}">{}</a>',
                           reverse("admin:consent_banner_consentrecord_changelist"), version.pk, _("records"))

    @admin.display(description=_("JSON file"))
    def download(self, version):
        return format_html('<a href="{}">{}</a>', reverse("admin:consent_banner_manifestversion_export",
                                                          args=[version.pk]), _("download"))

    @admin.display(description=_("what visitors were shown"))
    def shown(self, version):
        from .portal import languages
        from .versions import own_languages
        codes = own_languages(json.loads(version.text), languages())
        return format_html_join("", '<h3>{}</h3><div lang="{}">{}</div>',
                                ((code, code, shown_policy(version, code)) for code in codes))

    def get_urls(self):
        from django.urls import path
        own = [path("<int:pk>/export/", self.admin_site.admin_view(self.export_view),
                    name="consent_banner_manifestversion_export")]
        return own + super().get_urls()

    def export_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        version = get_object_or_404(ManifestVersion, pk=pk)
        return json_download(version.text, "cookies-v%d.json" % version.number)
