"""The demo portal's pages. Their texts are in TEXTS (a real portal would use gettext; the demo keeps
its two languages readable in one place)."""

import os

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_sameorigin

TEXTS = {
    "fr": {
        "site": "Aix-en-Provence — données ouvertes (démo Django)", "skip": "Aller au contenu",
        "nav_label": "Navigation principale", "home": "Accueil", "dataset": "Fréquentation des parkings",
        "policy": "Charte cookies", "manage": "Gestion des cookies", "admin": "Administration",
        "analytics_label": "Mesure d'audience :", "analytics_off": "inactive", "analytics_on": "active ({n} pages vues)",
        "audience_label": "Mesure d'audience exemptée (Matomo) :", "audience_on": "active",
    },
    "en": {
        "site": "Aix-en-Provence — open data (Django demo)", "skip": "Skip to content",
        "nav_label": "Main navigation", "home": "Home", "dataset": "Car park occupancy",
        "policy": "Cookie policy", "manage": "Cookie settings", "admin": "Administration",
        "analytics_label": "Audience measurement:", "analytics_off": "off", "analytics_on": "on ({n} page views)",
        "audience_label": "Exempt audience measurement (Matomo):", "audience_on": "on",
    },
}


def page(request, template):
    language = translation.get_language() or settings.LANGUAGE_CODE
    texts = TEXTS.get(language.split("-")[0], TEXTS["fr"])
    return render(request, template, {"t": texts, "lang": language})


def home(request):
    return page(request, "portal/home.html")


def dataset(request):
    return page(request, "portal/dataset.html")


def cookie_policy(request):
    return page(request, "portal/cookies.html")


def hit(request):
    """The demo's measurement server: a Matomo-style hit is taken and forgotten (nothing leaves the machine)."""
    return HttpResponse(status=204)


@xframe_options_sameorigin                  # the portal's own embed, shown in its pages
def embed(request):
    return FileResponse(open(os.path.join(settings.SITE, "embed.html"), "rb"), content_type="text/html")
