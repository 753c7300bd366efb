"""The demo portal's URLs, plus a blank page of the same origin (tests set sessionStorage from it)."""

import json
import os
import time

from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.cache import never_cache

from demo.portal.urls import urlpatterns as demo

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures",
                      "hostile_fragments.json")
# Each fragment of the hostile corpus (slice start:stop) in a block of its own; alert(), confirm() and
# prompt() count what runs.
GATE_PAGE = """{% load consent_banner %}<!doctype html><html lang="fr"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>gate</title>
<script>window.__ran = []; window.alert = window.confirm = window.prompt = function (what) {
  window.__ran.push(String(what)); };</script></head><body>{% consent_banner %}<main>
{% for fragment in fragments %}{% consent_block "analytics" %}{{ fragment|safe }}{% endconsent_block %}
{% endfor %}</main></body></html>"""


@never_cache
def slow(request):
    """An answer that takes its time (?ms=...): a request still in flight while the visitor decides again."""
    time.sleep(min(int(request.GET.get("ms", "1000")), 5000) / 1000)
    return HttpResponse(b"slow", content_type="text/plain")


def gate_page(request, start, stop):
    with open(CORPUS, encoding="utf-8") as handle:
        fragments = [entry["html"] for entry in json.load(handle)[start:stop]]
    return HttpResponse(engines["django"].from_string(GATE_PAGE).render({"fragments": fragments}, request))


urlpatterns = demo + [
    path("gate/<int:start>/<int:stop>/", gate_page),
    path("t/slow/", slow),
    path("t/blank.html", lambda request: HttpResponse(
        b"<!doctype html><html lang='fr'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
        b"<title>blank</title></head><body></body></html>")),
]
