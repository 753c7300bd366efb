"""`banner.django.middleware.ConsentMiddleware`: `request.consent`, and the cookie that outlives Safari's ITP.

Safari caps a cookie written by `document.cookie` at 7 days without interaction; one sent by the server
in Set-Cookie keeps the lifetime it is given. So when a request carries a valid cookies_preferences, a
response no cache can share re-sends it: the same value, the lifetime it has left (never past
MAX_AGE_DAYS after the decision), Path=/, SameSite=Lax, Secure on https, not HttpOnly (the page reads it),
into a copy of the server's own (another Domain than the page's: server_copy_domain), so that a refresh
racing a newer decision never overwrites it: the browser then holds both, and the newest counts.

A withdrawal must reach what the page cannot delete. When the browser still sends a declared cookie of a
category the visitor's standing decision refuses (HttpOnly ones included), the response expires it on
every path and domain it may have (right after a decision made through the form, those declared on other
paths too); so it does, when the browser sends several copies of cookies_preferences, with the copies
under a Domain the banner no longer writes (left by an earlier `COOKIE_DOMAIN`); and a decision made
through the form, whose answer writes the decision afresh under the page's key, expires every other
copy the browser may hold (the server's refresh copy included: the next refresh makes it anew). Such a response is this
visitor's: it is made private, so no cache keeps it (a page cached earlier is still served to others; the
expiry goes out with the next response the server itself makes for this visitor).

At most once a day per visitor: the refresh also sets REFRESHED, a cookie holding only "1" for a day
(HttpOnly: no script needs it). While the browser sends it back, nothing is re-sent. A marker cookie
needs no server state (no cache shared between workers, no store of consent ids) and holds nothing about
the visitor; it belongs to the consent mechanism itself, so it needs no consent (list it in the manifest's
required category: system check W003, banner/django/checks.py, warns until it is).
"""

import re
import time
from http.cookies import Morsel

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from banner.consent import MAX_AGE_SECONDS
from banner.cookies import CONSENT_COOKIE, cookie_domains, parse_cookie_header, withdrawal_targets

from .conf import banner_settings
from .portal import RequestConsent

REFRESHED = "cookies_preferences_refreshed"
DAY = 24 * 3600


def cookie_morsel(name, value, max_age, secure, domain, httponly, path="/"):
    """A Set-Cookie morsel carrying `value` as it is: Django's set_cookie would quote a value holding "="
    (http.cookies), and the page must read back exactly what it wrote. A max_age of 0 expires the cookie
    (its Expires in 1970, for clients that read only that)."""
    morsel = Morsel()
    morsel.set(name, value, value)
    morsel["max-age"] = max_age
    morsel["expires"] = http_date(time.time() + max_age) if max_age else "Thu, 01 Jan 1970 00:00:00 GMT"
    morsel["path"] = path
    if max_age:
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
    if state.session is None or state.value is None:
        return                          # no standing decision, or settings that cannot be used (logged)
    conf = banner_settings()
    if not conf["REFRESH"] or shareable(request, response):
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


def regex_test(pattern, name):
    """A manifest `match` as the page applies it (JavaScript's RegExp.test: found anywhere in the name)."""
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


def expiry_morsel(name, path, domain, secure):
    """A Set-Cookie that removes cookie `name` at `path` on `domain` (None: host-only)."""
    return cookie_morsel(name, "", 0, secure, domain, False, path)


def stale_copies(host, cookie_domain, copies, decided_now=False):
    """(name, path, domain) of the copies of cookies_preferences that may sit under a Domain the banner no
    longer writes: the page writes host-only or under `cookie_domain`, the server's copy under
    server_copy_domain; any other domain of this host holds one only from an earlier COOKIE_DOMAIN. When
    the response writes a new decision (`decided_now`, the form), every copy but the page's goes: one
    holding the older choice would otherwise outlive a withdrawal on the subdomains it reaches."""
    if decided_now and copies:
        return [(CONSENT_COOKIE, "/", d) for d in cookie_domains(host) if d != cookie_domain]
    if copies < 2:
        return []
    kept = {cookie_domain, server_copy_domain(host, cookie_domain)}
    return [(CONSENT_COOKIE, "/", d) for d in cookie_domains(host) if d not in kept]


def expire_refused(request, response, state, decided_now=None):
    """Expire, in this response, the cookies the standing decision refuses that the browser still sends,
    and stale copies of cookies_preferences, never a cookie the view itself writes; a response doing so
    becomes private (one visitor's Set-Cookie is never another's)."""
    if state.session is None:
        return
    pairs = parse_cookie_header(request.META.get("HTTP_COOKIE", ""))
    host = request.get_host().rsplit(":", 1)[0].strip("[]")
    if decided_now is None:
        decided_now = CONSENT_COOKIE in response.cookies
    targets = withdrawal_targets(state.manifest, state.accepted, [n for n, _ in pairs], host, request.path,
                                 regex_test, decided_now)
    written = {m.key for m in response.cookies.values()}
    targets = [t for t in targets if t[0] not in written]
    targets += stale_copies(host, banner_settings()["COOKIE_DOMAIN"], sum(1 for n, _ in pairs if n == CONSENT_COOKIE),
                            decided_now)
    if targets and shareable(request, response):
        patch_cache_control(response, private=True)
    for i, (name, path, domain) in enumerate(targets):
        # one Set-Cookie per (path, domain): distinct keys, each morsel keeping the cookie's own name
        response.cookies["%s %d" % (name, i)] = expiry_morsel(name, path, domain, request.is_secure())


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
        decided_now = CONSENT_COOKIE in response.cookies       # by the view (the form), before any refresh
        refresh(request, response, state)
        expire_refused(request, response, state, decided_now)
        return response
