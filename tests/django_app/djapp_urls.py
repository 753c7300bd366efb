"""The URLconf of the app's tests (djapp_kit.portal): its pages, and the app's own URLs under /consent/
(imported only once Django is set up: the app's models come with them)."""

from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import include, path
from django.views.decorators.cache import cache_page, never_cache

from djapp_kit import CACHED_FRAGMENT, PAGE, POLICY, PROVIDERS_PAGE, lazily, session_view, template_view

urlpatterns = [
    path("", template_view(PAGE), name="page"),
    path("policy/", template_view(POLICY), name="policy-page"),
    path("providers/", template_view(PROVIDERS_PAGE), name="providers"),
    path("plain/", lambda request: HttpResponse("plain"), name="plain"),
    path("private/", never_cache(lambda request: HttpResponse("private")), name="private"),
    path("session/", session_view, name="session"),
    path("fragment-cache/", template_view(CACHED_FRAGMENT), name="fragment-cache"),
    path("page-cache/", lazily(lambda: cache_page(600)(template_view(PAGE))), name="page-cache"),
    path("page-cache-response/", lazily(lambda: cache_page(600)(lambda request: TemplateResponse(
        request, engines["django"].from_string(PAGE)))), name="page-cache-response"),
    path("consent/", include("banner.django.urls")),
]
