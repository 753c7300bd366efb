"""Static files finder for the banner's packaged assets (banner/static/, where the build writes them).

Django's AppDirectoriesFinder looks in <app path>/static/, and the app is banner.django, so it would
look in banner/django/static/. This finder serves banner/static/ instead, for runserver and collectstatic
alike; the app adds it to STATICFILES_FINDERS itself (apps.py), so INSTALLED_APPS is the whole set-up.
"""

import os

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

ASSETS_ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static")


class AssetsFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=ASSETS_ROOT)

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        """Like Django's own finders: the path, or [] when this finder has no such file (Django's
        finders.find() collects what each finder returns that is not a match into a list, so None would
        become a match, [None], and the file a 500 instead of a 404)."""
        find_all = find_all or kwargs.get("all", False)
        if not self.storage.exists(path):
            return []
        found = self.storage.path(path)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        if os.path.isdir(ASSETS_ROOT):
            for path in utils.get_files(self.storage, ignore_patterns):
                yield path, self.storage
