"""Django for the app's tests (CPython, Django's test client): the demo portal's settings unless something
configured Django before; every test states what it relies on with override_settings (djapp_kit.portal)."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
for _path in (ROOT, HERE):
    if _path not in sys.path:
        sys.path.insert(0, _path)


@pytest.fixture(scope="session", autouse=True)
def django_ready():
    import django
    from django.conf import settings
    if not settings.configured:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.portal.settings")
    django.setup()
