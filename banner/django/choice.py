"""The server's side of the first layer's and the policy page's forms: a choice made without JavaScript (or
before the page's script has run) is decided here, with the page's own rules (banner.session.Session, the
same decode, scope and cookie), recorded in the consent log, and the visitor sent back to the page.

    POST cb-action=accept_all|reject_all            the first layer (in its "something changed" state, its
                                                    buttons act on the changed categories only, as there)
    POST cb-action=custom cb-category-ID=1|0 ...    the policy page's choices (a missing pair refuses)
         cb-provider-ID= cb-provider-ID=NAME ...    and, for a category offering a choice per provider,
                                                    the providers it accepts (the empty value marks the
                                                    category as asked: nothing ticked refuses it; without
                                                    it, an accepted category accepts every provider)
    POST cb-action=customise|providers              no decision: on to the policy page's choices
    POST cb-language=CODE                           the language choice (multilingual portals)
    POST next=PATH                                  where to go back (this site only; else the Referer's
                                                    path on this site, else "/")

No CSRF token: the pages carrying these forms are the same for every visitor, so they can be cached, and a
token would make them per visitor. A token would also protect nothing of the visitor's account (the view
reads no session, no user). What must not happen is another site deciding for a visitor (a forged
acceptance), and browsers say who asked: a form posted by another site's page carries `Sec-Fetch-Site:
cross-site` (every current browser) and its `Origin`. The view acts only on `Sec-Fetch-Site: same-origin`,
or, from a browser that sends no Sec-Fetch-Site, on an `Origin` that is this site (CSRF_TRUSTED_ORIGINS
included); anything else is refused (403), decided nothing.
"""

import json
import logging
import os

from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from banner.consent import MAX_AGE_SECONDS
from banner.cookies import CONSENT_COOKIE, encode_consent, new_consent_id
from banner.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE

from .conf import banner_settings
from .layer import ACTION_FIELD, CATEGORY_FIELD, CHOICES_ID, LANGUAGE_FIELD, NEXT_FIELD, PROVIDER_FIELD
from .middleware import cookie_morsel
from .portal import app_url, now_ms, request_consent, site_origins

log = logging.getLogger("banner.django")

DECISIONS = ("accept_all", "reject_all", "custom")
SOURCES = {"accept_all": "form", "reject_all": "form", "custom": "policy_form"}


def choice_url():
    """The view's path, or None when the portal's URLconf does not include banner.django.urls (then the
    pages' layer and choices work with JavaScript only)."""
    return app_url("consent_banner:choice")


def same_site_form(request):
    """Whether a browser's form post comes from this site's own pages (see the module's docstring)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    return request.headers.get("Origin") in site_origins(request)


def back_to(request, wanted):
    """`wanted` when it is a path of this site, else the Referer's when it is, else "/"."""
    hosts = {request.get_host()}
    for url in (wanted, request.headers.get("Referer")):
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts=hosts, require_https=request.is_secure()):
            return url
    return "/"


def _policy_url(data):
    return data.get("policyUrl")


@csrf_exempt
@require_POST
def receive(request):
    if not same_site_form(request):
        return HttpResponse("choices are accepted from this site's pages only", status=403,
                            content_type="text/plain; charset=utf-8")
    state = request_consent(request)
    target = back_to(request, request.POST.get(NEXT_FIELD))
    response = HttpResponseRedirect(target, status=303)
    response["Cache-Control"] = "no-store"
    if state.session is None:                 # the portal's settings are broken: logged, nothing decided
        return response
    language = request.POST.get(LANGUAGE_FIELD)
    if language is not None:
        if state.config.multilingual and language in state.config.languages:
            response.cookies[LANGUAGE_COOKIE] = cookie_morsel(LANGUAGE_COOKIE, language, LANGUAGE_COOKIE_MAX_AGE,
                                                              request.is_secure(), None, False)
        return response
    action = request.POST.get(ACTION_FIELD)
    if action in ("customise", "providers"):
        policy = _policy_url(state.data)
        if policy:
            response["Location"] = policy.split("#", 1)[0] + "#" + CHOICES_ID
        return response
    if action not in DECISIONS:
        return HttpResponse("%s: one of %s" % (ACTION_FIELD, ", ".join(DECISIONS + ("customise",))), status=400,
                            content_type="text/plain; charset=utf-8")
    session, previous = state.session, state.session.consent
    manifest = state.manifest
    providers = None
    if action == "custom":
        choices = [c for c in manifest.optional_ids if request.POST.get(CATEGORY_FIELD + c) == "1"]
        scope = None
        providers = posted_providers(request.POST, manifest)
    else:
        choices, scope = (), session.first_layer_scope
    now = now_ms()
    session.decide(action, now, new_consent_id(os.urandom(16)), choices, scope, providers)
    consent = session.consent
    conf = banner_settings()
    response.cookies[CONSENT_COOKIE] = cookie_morsel(CONSENT_COOKIE, encode_consent(consent), MAX_AGE_SECONDS,
                                                     request.is_secure(), conf["COOKIE_DOMAIN"], False)
    _record(consent, previous, action, state)
    return response


def posted_providers(post, manifest):
    """{category id: ticked provider names} for each category offering a choice per provider that the form
    asked about; names the manifest does not declare are dropped (a forged post decides nothing more)."""
    found = {}
    for category in manifest.categories:
        field = PROVIDER_FIELD + category.id
        if category.provider_choice and field in post:
            found[category.id] = [n for n in post.getlist(field) if n in category.choice_order]
    return found


def _record(consent, previous, action, state):
    """Proof of consent, when the portal keeps its log with the app (banner.django.urls included)."""
    from banner.record import decision_record
    from .log import store
    from .portal import log_url
    from ..server.receiver import parse_record
    if log_url() is None:
        return
    record = decision_record(consent, previous, action, state.data["language"], state.manifest,
                             SOURCES[action], "")
    try:
        store(parse_record(json.dumps(record).encode("utf-8")))
    except Exception:                         # the choice stands; the log says it was not recorded
        log.exception("consent log: a choice made with the server's form was not recorded")
