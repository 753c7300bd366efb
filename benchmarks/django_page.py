"""The benchmark page served by Django: the same page as ours (page.py), with the banner's Django app
doing the work (banner.django): `{% consent_banner %}` in place of the script tag, the analytics tag in a
`{% consent_block %}`, each request rendered by Django's template engine through ConsentMiddleware with
the browser's own Cookie header. Pages the same for every visitor (the app's default): a first visit gets
the first layer in the HTML, and a return visit the consented tag closed in a template, which the
loader's early path opens before the runtime loads (the data it needs is on the loader's tag). Django
runs in the benchmark's process (its own settings)."""

import re

from . import page
from .banners import ANALYTICS_URL, POLICY_URL

LOADER = re.compile(r'<script src="/static/dist/consent\.js"[^>]*></script>\n?')
BLOCKED = re.compile(r'<script type="text/plain" data-consent="analytics" data-src="[^"]*"></script>')
_template = []


def _setup():
    import django
    from django.conf import settings
    if not settings.configured:
        settings.configure(
            DEBUG=False, ALLOWED_HOSTS=["127.0.0.1", "localhost"], INSTALLED_APPS=["banner.django"],
            TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
            STATIC_URL="/static/", LANGUAGE_CODE="fr", USE_I18N=True,
            CONSENT_BANNER={"MANIFEST": page.manifest(), "POLICY_URL": POLICY_URL, "LANGUAGES": ["fr"],
                            "LOADER": "dist/consent.js"})
        django.setup()
    if not _template:
        from django.template import engines
        source = page.render("ours")
        source = page._replace_once(LOADER, lambda m: "", source)
        source = page._replace_once(BLOCKED, lambda m: '{%% consent_block "analytics" %%}<script src="%s">'
                                    '</script>{%% endconsent_block %%}' % ANALYTICS_URL, source)
        source = source.replace("<body>", "<body>\n{% consent_banner %}", 1)
        _template.append(engines["django"].from_string("{% load consent_banner %}" + source))
    return _template[0]


def render(cookie_header, secure=False):
    """(HTML bytes, Set-Cookie header values) for a request carrying `cookie_header`."""
    template = _setup()
    from django.http import HttpResponse
    from django.test import RequestFactory
    from banner.django.middleware import ConsentMiddleware
    request = RequestFactory().get("/p/django/", HTTP_COOKIE=cookie_header or "", secure=secure,
                                   HTTP_HOST="127.0.0.1")
    response = ConsentMiddleware(lambda r: HttpResponse(template.render({}, r)))(request)
    return response.content, [m.OutputString() for m in response.cookies.values()]
