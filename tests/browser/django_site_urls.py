"""The demo portal's URLs, plus a blank page of the same origin (tests set sessionStorage from it)."""

from django.http import HttpResponse
from django.urls import path

from demo.portal.urls import urlpatterns as demo

urlpatterns = demo + [
    path("t/blank.html", lambda request: HttpResponse(
        b"<!doctype html><html lang='fr'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
        b"<title>blank</title></head><body></body></html>")),
]
