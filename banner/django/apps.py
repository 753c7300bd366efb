"""The app's configuration: the label `consent_banner` keeps its tables and admin apart from Django's own."""

from django.apps import AppConfig


class ConsentBannerConfig(AppConfig):
    name = "banner.django"
    label = "consent_banner"
    verbose_name = "Consent banner"
    default_auto_field = "django.db.models.BigAutoField"
