"""The consent record model: its committed migrations match it, they build the table on both databases,
and a stored record cannot be changed through the ORM."""

import io

import pytest
from django.core.management import call_command

from banner.django.models import ConsentRecord
from banner.server.receiver import parse_record, record_columns
from log_cases import body


def test_the_committed_migrations_describe_the_model_exactly():
    out = io.StringIO()
    call_command("makemigrations", "consent_banner", check=True, dry_run=True, stdout=out)   # exits 1 on a change
    assert "No changes detected" in out.getvalue()


def test_a_record_has_a_column_for_each_of_the_receivers_columns():
    fields = {f.name for f in ConsentRecord._meta.get_fields()}
    # and the published manifest version it names (banner/django/versions.py), found from its columns
    assert set(record_columns(parse_record(body()))) | {"id", "received_at", "manifest_version"} == fields


def test_a_stored_record_cannot_be_changed(log_db):
    stored = ConsentRecord.objects.create(**record_columns(parse_record(body())))
    stored.action = "accept_all"
    with pytest.raises(ValueError, match="never changed"):
        stored.save()
    assert ConsentRecord.objects.get().action == "custom"
