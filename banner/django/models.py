"""The consent log in the portal's own database: one row per record the page POSTs to `consentLog`; and,
for portals that keep their manifest there (CONSENT_BANNER["DATABASE_MANIFEST"]), the draft edited in the
admin and every version published from it, kept unchanged as the proof of what visitors were shown.

The columns are the reference receiver's (banner/server/receiver.py `record_columns`), filled by the same
validation, so a record means the same thing in either log; `received_at` is the server's clock, the
one the retention command and the admin's date filter use. No IP address, no user agent: the consent
id links a record to a browser, and that is all proof of consent needs (banner/record.py).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..record import LOGGED_ACTIONS, SOURCES

# What the admin shows for each stored code (the CSV export and the records keep the codes themselves).
ACTION_LABELS = {"accept_all": _("accept all"), "reject_all": _("reject all"), "custom": _("custom choice"),
                 "withdraw": _("withdrawal"), "allow_once": _("allowed once")}
SOURCE_LABELS = {"first_layer": _("first layer"), "centre": _("preferences centre"), "embed": _("embed placeholder"),
                 "api": _("JavaScript API"), "form": _("first layer form"), "policy_form": _("policy page form")}


class ManifestDraft(models.Model):
    """The manifest being edited (one row): its JSON, checked by banner.manifest at each save. Nothing
    reads it but the admin: visitors get a version once it is published (ManifestVersion)."""

    text = models.TextField(_("manifest (JSON)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.CharField(_("updated by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("manifest draft")
        verbose_name_plural = _("manifest drafts")

    def __str__(self):
        return str(_("manifest draft"))


class ManifestVersion(models.Model):
    """One published manifest, exactly as served (`text`, whose SHA-256 is `sha256`), with the revision and
    fingerprints the banner stores in the consent cookie: the proof of what visitors were shown. Written
    once by versions.publish, then only read: never changed, never deleted while a record points to it."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    revision = models.BigIntegerField(_("revision"))
    fingerprints = models.TextField(_("fingerprints"), blank=True,
                                    help_text=_("category=fingerprint of what the visitor saw."))
    text = models.TextField(_("manifest (JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.CharField(_("published by"), max_length=150, blank=True)
    changes = models.TextField(_("changes"), blank=True)

    class Meta:
        ordering = ("-number",)
        verbose_name = _("published manifest version")
        verbose_name_plural = _("published manifest versions")

    def __str__(self):
        return "v%d (r%d)" % (self.number, self.revision)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("a published manifest version is proof of what visitors saw: it is never changed")
        super().save(*args, **kwargs)


class ConsentRecord(models.Model):
    """Proof of one decision. Written once by the log view, then only read (admin, CSV) or deleted
    past the retention period (`manage.py purge_consent_log`): proof that could be edited proves nothing."""

    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True, editable=False)
    consent_id = models.CharField(_("consent id"), max_length=40, db_index=True)
    decided_at = models.BigIntegerField(_("decided at"),
                                        help_text=_("The page's clock at the decision, in ms since 1970."))
    revision = models.BigIntegerField(_("revision"), help_text=_("The manifest revision the visitor saw."))
    # Text, not CharField: the validation bounds a language code's subtags, not their number, and a
    # valid record must never fail to store on a database that enforces lengths (PostgreSQL).
    language = models.TextField(_("language"))
    action = models.CharField(_("action"), max_length=max(len(a) for a in LOGGED_ACTIONS),
                              choices=[(a, ACTION_LABELS[a]) for a in LOGGED_ACTIONS])
    accepted = models.TextField(_("accepted"), blank=True, help_text=_("Category ids, comma-separated."))
    refused = models.TextField(_("refused"), blank=True, help_text=_("Category ids, comma-separated."))
    fingerprints = models.TextField(_("fingerprints"), blank=True,
                                    help_text=_("category=fingerprint of what the visitor saw."))
    banner_version = models.CharField(_("banner version"), max_length=32, blank=True)
    build = models.CharField(_("build"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=max(len(s) for s in SOURCES), blank=True,
                              choices=[(s, SOURCE_LABELS[s]) for s in SOURCES])
    once = models.CharField(_("allowed once for"), max_length=32, blank=True,
                            help_text=_("The category of an allow_once record."))
    # {category id: accepted provider names} as JSON text (banner/server/receiver.py record_columns); empty for a
    # record of a manifest offering no choice per provider
    providers = models.TextField(_("providers"), blank=True,
                                 help_text=_("Providers accepted in each category offering a choice per provider (JSON)."))
    # The published version whose revision and fingerprints the record names (the latest such one when
    # it arrived); empty with a file manifest, or for a record naming no published version.
    manifest_version = models.ForeignKey(ManifestVersion, models.PROTECT, null=True, blank=True, editable=False,
                                         related_name="records", verbose_name=_("manifest version"))

    class Meta:
        ordering = ("-received_at", "-id")
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return "%s %s r%s" % (self.consent_id, self.action, self.revision)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("a consent record is proof of consent: it is never changed once stored")
        super().save(*args, **kwargs)
