"""`path("", include("banner.django.urls"))` in the portal's URLconf: the consent log's POST endpoint,
named `consent_banner:log` (banner.django.log.log_url() gives its path for the page's `consentLog`)."""

from django.urls import path

from . import log

app_name = "consent_banner"
urlpatterns = [
    path("consent-log/", log.receive, name="log"),
]
