"""Records for the consent log's tests: one valid record and helpers to vary it."""

import json

from banner.fingerprint import WIDTH

NOW = 1764403200000
RECORD = {"consentId": "k2m9x0c4a7q1v8z3", "time": NOW, "revision": 3, "language": "fr", "action": "custom",
          "accepted": ["analytics"], "refused": ["video"],
          "fingerprints": {"analytics": "4" * WIDTH, "video": "z" * WIDTH},
          "bannerVersion": "0.1.0", "build": "ab12", "source": "centre"}


def record(**changes):
    return dict(RECORD, **changes)


def body(**changes):
    return json.dumps(record(**changes)).encode("utf-8")


def without(field):
    data = dict(RECORD)
    del data[field]
    return json.dumps(data).encode("utf-8")


def superuser_client(username="dpo"):
    """A Django test client logged in as a superuser made afresh (the admin pages' reader)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    User = get_user_model()
    User.objects.filter(username=username).delete()
    client = Client()
    client.force_login(User.objects.create_superuser(username, "%s@example.org" % username, None))
    return client
