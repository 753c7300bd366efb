"""The app's configuration: the label `consent_banner` keeps its tables and admin apart from Django's own."""

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


FINDER = "banner.django.finders.AssetsFinder"


class ConsentBannerConfig(AppConfig):
    name = "banner.django"
    label = "consent_banner"
    verbose_name = _("Consent banner")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        checks.register(check_language_cookie)
        from .checks import check_portal
        checks.register(check_portal)
        # The loader, runtime and bundles are in banner/static/ (the build's packaged assets), which the
        # app-directories finder, looking in banner/django/static/, would miss.
        from django.conf import settings
        if "django.contrib.staticfiles" in settings.INSTALLED_APPS and FINDER not in settings.STATICFILES_FINDERS:
            settings.STATICFILES_FINDERS = list(settings.STATICFILES_FINDERS) + [FINDER]


def check_language_cookie(app_configs=None, **kwargs):
    """The banner's language choice writes django_language and reloads; LocaleMiddleware reads the cookie
    named LANGUAGE_COOKIE_NAME. Another name would make the choice do nothing."""
    from django.conf import settings
    from banner.i18n import LANGUAGE_COOKIE
    from .portal import languages
    try:
        several = len(languages()) > 1
    except Exception:
        return []
    if several and settings.LANGUAGE_COOKIE_NAME != LANGUAGE_COOKIE:
        return [checks.Warning(
            "LANGUAGE_COOKIE_NAME is %r: the banner's language choice writes %r, which LocaleMiddleware will "
            "not read" % (settings.LANGUAGE_COOKIE_NAME, LANGUAGE_COOKIE),
            hint="Keep Django's default LANGUAGE_COOKIE_NAME (\"django_language\").", id="consent_banner.W001")]
    return []
