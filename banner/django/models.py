"""The consent log in the portal's own database: one row per record the page POSTs to `consentLog`.

The columns are the reference receiver's (banner/receiver.py `record_columns`), filled by the same
validation, so a record means the same thing in either log; `received_at` is the server's clock, the
one the retention command and the admin's date filter use. No IP address, no user agent: the consent
id links a record to a browser, and that is all proof of consent needs (banner/record.py).
"""

from django.db import models
from django.utils import timezone

from ..record import LOGGED_ACTIONS, SOURCES


class ConsentRecord(models.Model):
    """Proof of one decision. Written once by the log view, then only read (admin, CSV) or deleted
    past the retention period (`manage.py purge_consent_log`): proof that could be edited proves nothing."""

    received_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    consent_id = models.CharField(max_length=40, db_index=True)
    decided_at = models.BigIntegerField(help_text="The page's clock at the decision, in ms since 1970.")
    revision = models.BigIntegerField(help_text="The manifest revision the visitor saw.")
    # Text, not CharField: the validation bounds a language code's subtags, not their number, and a
    # valid record must never fail to store on a database that enforces lengths (PostgreSQL).
    language = models.TextField()
    action = models.CharField(max_length=max(len(a) for a in LOGGED_ACTIONS),
                              choices=[(a, a) for a in LOGGED_ACTIONS])
    accepted = models.TextField(blank=True, help_text="Category ids, comma-separated.")
    refused = models.TextField(blank=True, help_text="Category ids, comma-separated.")
    fingerprints = models.TextField(blank=True, help_text="category=fingerprint of what the visitor saw.")
    banner_version = models.CharField(max_length=32, blank=True)
    build = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=max(len(s) for s in SOURCES), blank=True,
                              choices=[(s, s) for s in SOURCES])
    once = models.CharField(max_length=32, blank=True, help_text="The category of an allow_once record.")

    class Meta:
        ordering = ("-received_at", "-id")
        verbose_name = "consent record"

    def __str__(self):
        return "%s %s r%s" % (self.consent_id, self.action, self.revision)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("a consent record is proof of consent: it is never changed once stored")
        super().save(*args, **kwargs)
