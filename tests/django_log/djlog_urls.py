"""The URLconf of the consent log's tests: the admin, and the app's URLs as a portal includes them."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("banner.django.urls")),
]
