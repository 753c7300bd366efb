"""The demo portal's URLs, plus a blank page of the same origin (tests set sessionStorage from it), the gate's
hostile corpus in blocks, and single blocks of players (BLOCKS)."""

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
# One block of the analytics category, whose provider (TEST_GATE) is declared.example: players and documents
# a visitor's withdrawal must stop (tests/browser/test_block_withdrawal.py).
PLAYER = "http://declared.example/player.html"
BLOCKS = {
    "object": '<object data="%s" type="text/html" width="300" height="150"></object>' % PLAYER,
    "embed": '<embed src="%s" type="text/html" width="300" height="150">' % PLAYER,
    "srcdoc": '<iframe title="Lecteur" width="300" height="150" srcdoc="&lt;script '
              'src=&quot;http://declared.example/beat.js&quot;&gt;&lt;/script&gt;"></iframe>',
    "iframe-and-object": '<iframe title="Lecteur" src="%s" width="300" height="150"></iframe>'
                         '<object data="%s" type="text/html" width="300" height="150"></object>' % (PLAYER, PLAYER),
    "text": "Aucun lecteur sur cette page.",
}
BLOCK_PAGE = """{%% load consent_banner %%}<!doctype html><html lang="fr"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>bloc</title></head><body>{%% consent_banner %%}
<main><h1>Bloc</h1>{%% consent_block "analytics" %%}%s{%% endconsent_block %%}</main>
<footer><a href="#" data-consent-open>Gestion des cookies</a></footer></body></html>"""


@never_cache
def slow(request):
    """An answer that takes its time (?ms=...): a request still in flight while the visitor decides again."""
    time.sleep(min(int(request.GET.get("ms", "1000")), 5000) / 1000)
    return HttpResponse(b"slow", content_type="text/plain")


def gate_page(request, start, stop):
    with open(CORPUS, encoding="utf-8") as handle:
        fragments = [entry["html"] for entry in json.load(handle)[start:stop]]
    return HttpResponse(engines["django"].from_string(GATE_PAGE).render({"fragments": fragments}, request))


def block_page(request, name):
    return HttpResponse(engines["django"].from_string(BLOCK_PAGE % BLOCKS[name]).render({}, request))


urlpatterns = demo + [
    path("gate/<int:start>/<int:stop>/", gate_page),
    path("t/block/<str:name>/", block_page),
    path("t/slow/", slow),
    path("t/blank.html", lambda request: HttpResponse(
        b"<!doctype html><html lang='fr'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
        b"<title>blank</title></head><body></body></html>")),
]
