"""`path("", include("banner.django.urls"))` in the portal's URLconf:

- `consent-log/` (`consent_banner:log`): the consent log's POST endpoint (banner.django.portal.log_url() gives
  its path for the page's `consentLog`);
- `consent-choice/` (`consent_banner:choice`): the first layer's and the policy page's forms, which work
  without JavaScript (banner.django.choice);
- `cookies.json` (`consent_banner:manifest`): the manifest the server decides with, for the page to fetch
  (`"MANIFEST_URL": "consent_banner:manifest"`).

Each is open to visitors who are not signed in, under Django 5.1's LoginRequiredMiddleware too.
"""

from django.http import HttpResponse
from django.urls import path

from . import choice, log
from .portal import manifest_text

try:                                # Django 5.1+: LoginRequiredMiddleware lets these views through
    from django.contrib.auth.decorators import login_not_required
except ImportError:                 # earlier Django: nothing asks for a login by default
    def login_not_required(view):
        return view


def manifest(request):
    """The manifest's very text: the loader's early path compares its hash with the one the server wrote."""
    return HttpResponse(manifest_text(), content_type="application/json; charset=utf-8")


app_name = "consent_banner"
# Every visitor's banner uses them, signed in or not (a login redirect would break it for anonymous ones).
urlpatterns = [
    path("consent-log/", login_not_required(log.receive), name="log"),
    path("consent-choice/", login_not_required(choice.receive), name="choice"),
    path("cookies.json", login_not_required(manifest), name="manifest"),
]
