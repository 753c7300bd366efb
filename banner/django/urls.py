"""`path("", include("banner.django.urls"))` in the portal's URLconf:

- `consent-log/` (`consent_banner:log`): the consent log's POST endpoint (banner.django.portal.log_url() gives
  its path for the page's `consentLog`);
- `consent-choice/` (`consent_banner:choice`): the first layer's and the policy page's forms, which work
  without JavaScript (banner.django.choice);
- `cookies.json` (`consent_banner:manifest`): the manifest the server decides with, for the page to fetch
  (`"MANIFEST_URL": "consent_banner:manifest"`).
"""

from django.http import HttpResponse
from django.urls import path

from . import choice, log
from .portal import manifest_text


def manifest(request):
    """The manifest's very text: the loader's early path compares its hash with the one the server wrote."""
    return HttpResponse(manifest_text(), content_type="application/json; charset=utf-8")


app_name = "consent_banner"
urlpatterns = [
    path("consent-log/", log.receive, name="log"),
    path("consent-choice/", choice.receive, name="choice"),
    path("cookies.json", manifest, name="manifest"),
]
