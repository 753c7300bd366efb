"""`banner.django.middleware.ConsentMiddleware`: `request.consent`, and the cookie that outlives Safari's ITP.

Safari caps a cookie written by `document.cookie` at 7 days without interaction; one sent by the server
in Set-Cookie keeps the lifetime it is given. So when a request carries a valid cookies_preferences, a
response no cache can share re-sends it: the same value, the lifetime it has left (never past
MAX_AGE_DAYS after the decision), Path=/, SameSite=Lax, Secure on https, not HttpOnly (the page reads it),
into a copy of the server's own (another Domain than the page's: server_copy_domain), so that a refresh
racing a newer decision never overwrites it: the browser then holds both, and the newest counts.

At most once a day per visitor: the refresh also sets REFRESHED, a cookie holding only "1" for a day
(HttpOnly: no script needs it). While the browser sends it back, nothing is re-sent. A marker cookie
needs no server state (no cache shared between workers, no store of consent ids) and holds nothing about
the visitor; it belongs to the consent mechanism itself, so it needs no consent (list it in the manifest's
required category: system check W003, banner/django/checks.py, warns until it is).
"""

import time
from http.cookies import Morsel

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from banner.consent import MAX_AGE_SECONDS
from banner.cookies import CONSENT_COOKIE, cookie_domains, parse_cookie_header

from .conf import banner_settings
from .portal import RequestConsent

REFRESHED = "cookies_preferences_refreshed"
DAY = 24 * 3600


def cookie_morsel(name, value, max_age, secure, domain, httponly):
    """A Set-Cookie morsel carrying `value` as it is: Django's set_cookie would quote a value holding "="
    (http.cookies), and the page must read back exactly what it wrote."""
    morsel = Morsel()
    morsel.set(name, value, value)
    morsel["max-age"] = max_age
    morsel["expires"] = http_date(time.time() + max_age)
    morsel["path"] = "/"
    morsel["samesite"] = "Lax"
    if domain:
        morsel["domain"] = domain
    if secure:
        morsel["secure"] = True
    if httponly:
        morsel["httponly"] = True
    return morsel


def shareable(request, response):
    """Whether a cache could hand this response to another visitor: neither private nor no-store, and not
    varying with the Cookie header (a cache then keeps it for this very Cookie header only), which
    SessionMiddleware adds on its way out to a response whose view read the session."""
    session = getattr(request, "session", None)
    if session is not None and getattr(session, "accessed", False):
        return False
    control = {part.strip().split("=", 1)[0].lower() for part in response.get("Cache-Control", "").split(",")}
    if control & {"private", "no-store"}:
        return False
    return not ({"cookie", "*"} & {v.strip().lower() for v in response.get("Vary", "").split(",")})


def server_copy_domain(host, cookie_domain):
    """The Domain of the server's copy of cookies_preferences (None: host-only): never the key the page
    writes with (host-only, or `cookie_domain`), so that the two are two cookies. A refresh answering a
    request sent before the visitor decided again then re-sends the older choice into its own copy, beside
    the page's newer one, and the newest decision counts (banner.session) instead of being overwritten. On
    an IP address or a dotless host a Domain is impossible: there the copies are one cookie."""
    if cookie_domain:
        return None
    return (cookie_domains(host) or [None])[0]


def refresh(request, response, state):
    """Re-send the standing cookies_preferences with its remaining lifetime into the server's own copy, once
    a day at most (or at once when the browser's copies disagree), and only on a response no cache can give
    another visitor (one visitor's Set-Cookie must never be shared)."""
    conf = banner_settings()
    if not conf["REFRESH"] or state.value is None or shareable(request, response):
        return
    copies = {v for n, v in parse_cookie_header(request.META.get("HTTP_COOKIE", "")) if n == CONSENT_COOKIE}
    if REFRESHED in request.COOKIES and len(copies) < 2:
        return
    if CONSENT_COOKIE in response.cookies:
        return                          # the view itself writes the decision
    remaining = (state.decision.decided_at + MAX_AGE_SECONDS * 1000 - state.now) // 1000
    if remaining <= 0:
        return
    secure = request.is_secure()
    domain = server_copy_domain(request.get_host().rsplit(":", 1)[0].strip("[]"), conf["COOKIE_DOMAIN"])
    response.cookies[CONSENT_COOKIE] = cookie_morsel(CONSENT_COOKIE, state.value, remaining, secure, domain, False)
    response.cookies[REFRESHED] = cookie_morsel(REFRESHED, "1", min(DAY, remaining), secure, domain, True)


class ConsentMiddleware:
    """Put it after LocaleMiddleware (the banner's language is the request's active language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = request.consent = RequestConsent(request)
        response = self.get_response(request)
        if getattr(request, "_consent_per_visitor", False):
            # The page holds this visitor's decision, which their Cookie and Sec-GPC headers make.
            patch_vary_headers(response, ("Cookie", "Sec-GPC"))
            patch_cache_control(response, private=True)
        refresh(request, response, state)
        return response
