"""Helpers of the Django app's tests: the settings they run under, test pages, cookie values."""

import json
import os
import time
from html.parser import HTMLParser

from django.http import HttpResponse
from django.template import engines
from django.test import override_settings

from banner.consent import decide
from banner.cookies import encode_consent
from banner.manifest import parse_manifest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFEST_FILE = os.path.join(ROOT, "demo", "site", "cookies.json")
DAY_MS = 24 * 3600 * 1000

with open(MANIFEST_FILE, encoding="utf-8") as _handle:
    DEMO_MANIFEST = json.load(_handle)

PAGE = """{% load consent_banner %}<!doctype html><html><head><title>t</title></head><body>
{% consent_banner %}<main><h1>Page</h1>
{% consent_block "analytics" %}<p>a &amp; b</p><script src="/analytics.js" async></script><script>window.x = 1 < 2;</script>
<iframe title="Carte" data-provider="Demo Dashboards" src="/embed.html"></iframe>{% endconsent_block %}
</main></body></html>"""
POLICY = "{% load consent_banner %}<main>{% consent_policy %}</main>"
# One block per provider mix of a category offering a choice per provider (test_django_provider_choice.py).
PROVIDER_BLOCKS = {
    "dashboards": '<iframe title="Tableau" data-provider="Demo Dashboards" src="https://dash.example/embed"></iframe>',
    "tiles": '<script src="https://tiles.example/map.js"></script>',
    "both": '<img alt="" src="https://cdn.tiles.example/t.png"><iframe title="T" src="https://dash.example/x"></iframe>',
    "own": '<script>window.own = 1;</script>',
}
PROVIDERS_PAGE = ("{% load consent_banner %}<!doctype html><html><body>{% consent_banner %}" + "".join(
    '<div id="%s">{%% consent_block "analytics" %%}%s{%% endconsent_block %%}</div>' % item
    for item in PROVIDER_BLOCKS.items()) + "</body></html>")


def template_view(source):
    def view(request):
        return HttpResponse(engines["django"].from_string(source).render({}, request))
    return view


def nonce_middleware(get_response):
    """What django-csp does: a per-request nonce as request.csp_nonce."""
    def middleware(request):
        request.csp_nonce = "n0nce-for-test"
        return get_response(request)
    return middleware


CACHED_FRAGMENT = """{% load cache consent_banner %}<!doctype html><html><body>{% consent_banner %}
{% cache 600 block %}{% consent_block "analytics" %}<script src="/analytics.js"></script>{% endconsent_block %}{% endcache %}
</body></html>"""


def lazily(make):
    """The view `make()` returns, made at its first request (cache_page reads settings when applied)."""
    made = []

    def view(request):
        if not made:
            made.append(make())
        return made[0](request)
    return view


def session_view(request):
    """A page that reads the session: SessionMiddleware then sends Vary: Cookie."""
    request.session.get("anything")
    return HttpResponse("session")




MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "banner.django.middleware.ConsentMiddleware",
]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
              "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}]


def portal(**banner):
    """override_settings for a portal in French and English using this module's pages."""
    conf = {"MANIFEST": MANIFEST_FILE, "MANIFEST_URL": "/cookies.json", "POLICY_URL": "policy-page"}
    conf.update(banner)
    return override_settings(
        ROOT_URLCONF="djapp_urls", MIDDLEWARE=MIDDLEWARE, TEMPLATES=TEMPLATES, LANGUAGE_CODE="fr",
        LANGUAGES=[("fr", "Français"), ("en", "English")], USE_I18N=True, STATIC_URL="/static/",
        ALLOWED_HOSTS=["testserver", "portal.example", "www.portal.example"], CONSENT_BANNER=conf)


def consent_cookie(accepted=(), decided_at=None, manifest=None, consent_id="k2m9x0c4a7q1v8z3", providers=None):
    """A cookies_preferences value as the page writes it (the product's own encoder); `providers`: the
    providers accepted in a category offering a choice per provider ({category id: names})."""
    parsed = parse_manifest(manifest or DEMO_MANIFEST, ["fr", "en"])
    when = int(time.time() * 1000) - 60000 if decided_at is None else decided_at
    return encode_consent(decide(parsed, "custom", when, consent_id, list(accepted), providers=providers))


class Tree(HTMLParser):
    """An HTML fragment parsed the way a browser builds its DOM, as [tag, {attrs}, children] (text as str)."""

    VOID = ("link", "br", "img", "meta", "input")

    def __init__(self):
        super().__init__()
        self.root = ["#root", {}, []]
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = [tag, {k: v if v is not None else "" for k, v in attrs}, []]
        self.stack[-1][2].append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        while len(self.stack) > 1:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        children = self.stack[-1][2]
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def parse(text):
    tree = Tree()
    tree.feed(text)
    tree.close()
    return tree.root


def find_all(node, tag):
    found = []
    for child in node[2]:
        if isinstance(child, list):
            if child[0] == tag:
                found.append(child)
            found += find_all(child, tag)
    return found


def by_id(node, ident):
    for child in node[2]:
        if isinstance(child, list):
            if child[1].get("id") == ident:
                return child
            hit = by_id(child, ident)
            if hit is not None:
                return hit
    return None
