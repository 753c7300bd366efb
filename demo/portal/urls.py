from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("explore/dataset/frequentation-parkings/", views.dataset, name="dataset"),
    path("pages/cookies/", views.cookie_policy, name="cookie-policy"),
    path("embed.html", views.embed, name="embed"),
    path("matomo.php", views.hit, name="measurement"),
    path("consent/", include("banner.django.urls")),        # the consent log
    path("admin/", admin.site.urls),
]
