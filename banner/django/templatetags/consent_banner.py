"""The three tags: `{% load consent_banner %}`, then

- `{% consent_banner %}` at the start of <body>: the loader's script tag, its data-config built from
  settings, and on a first visit the first layer itself, rendered by the page's own code;
- `{% consent_block "analytics" %}...{% endconsent_block %}`: its scripts and iframes live or blocked;
- `{% consent_policy %}`: the cookie policy, from the manifest, as HTML (works without JavaScript).
"""

import json
import logging
import posixpath
from urllib.parse import urlsplit

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from banner import vendors
from banner.server import static_policy
from banner.google import consent_default, consent_update
from banner.django.caching import unsafe_cache
from banner.django.choice import choice_url
from banner.django.conf import banner_settings, given_settings
from banner.django.gate import REFUSED, gate
from banner.django.layer import choices_form, first_layer, hide_script
from banner.django.portal import early_data, manifest_data, portal, request_consent

register = template.Library()
log = logging.getLogger("banner.django")
_reported = set()


def _request(context):
    """The request being rendered: a RequestContext has it even without the "request" context processor."""
    return getattr(context, "request", None) or context.get("request")


def per_visitor(request):
    """Whether this render may carry the visitor's own decision: PER_VISITOR set, and no Django cache
    storing the render for others (caching.unsafe_cache); the middleware then makes the response private."""
    if request is None or not banner_settings()["PER_VISITOR"]:
        return False
    why = unsafe_cache(request)
    if why is not None:
        if why not in _reported:
            _reported.add(why)
            log.error('consent banner: CONSENT_BANNER["PER_VISITOR"]: this page is rendered inside %s, which '
                      "would give one visitor's decision to others; it is rendered as for every visitor", why)
        return False
    request._consent_per_visitor = True
    return True


def csp_nonce(request):
    """The request's CSP nonce as text (django-csp's `request.csp_nonce`), or None when there is none.
    django-csp 4's nonce is a lazy object that is falsy until read, and reading it is what puts it in the
    Content-Security-Policy header: so it is read as a string, and only None or "" count as no nonce."""
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    if nonce is None:
        return None
    return str(nonce) or None


def _next_url(request):
    return request.get_full_path() if request is not None else "/"


@register.simple_tag(takes_context=True)
def consent_banner(context):
    request = _request(context)
    nonce = csp_nonce(request)
    try:
        conf = banner_settings()
        data, config, manifest = portal()
    except Exception as error:               # the page fails closed too, with its own console error
        log.error("consent banner: %s: %s", type(error).__name__, error)
        conf, data, config, manifest = given_settings(), {}, None, None
    mine = per_visitor(request) if manifest is not None else False
    parts = _consent_mode(conf, config, manifest, request_consent(request) if mine else None, nonce)
    if manifest is not None and conf["SERVER_RENDER"] and manifest.optional_ids:
        state = request_consent(request) if mine else None
        if state is None or state.first_visit:
            parts += _layer(conf, data, config, manifest, request, hidden_when_decided=not mine)
    early = early_data(data, manifest) if manifest is not None and not mine else None
    parts.append(format_html('<script src="{}" async data-config="{}"{}{}></script>', static(conf["LOADER"]),
                             json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                             format_html(' data-cb-early="{}"', json.dumps(early, ensure_ascii=False,
                                                                          separators=(",", ":")))
                             if early else "",
                             format_html(' nonce="{}"', nonce) if nonce is not None else ""))
    return mark_safe("\n".join(parts))


def _consent_mode(conf, config, manifest, state, nonce=None):
    """Google Consent Mode's default and the vendor signals, and on a per-visitor page the standing
    decision's, before any tag the page holds: a parser-blocking script of ours (allowed by 'self')."""
    if config is None or manifest is None or not (config.google_consent_mode or config.vendors):
        return []
    signals = {}
    if config.google_consent_mode:
        signals["default"] = consent_default()
        if state is not None and state.decided:
            signals["update"] = consent_update(config.google_consent_mode, state.accepted, manifest)
    if config.vendors:
        # a page shared by every visitor says only what holds before any choice; Python adds the rest
        signals["vendors"] = vendors.signals(config.vendors, manifest, state.accepted if state else None,
                                             state.decided if state else False)
    return [format_html('<script src="{}" data-cb-consent-mode="{}"{}></script>',
                        static(posixpath.join(posixpath.dirname(conf["LOADER"]), "consent-mode.js")),
                        json.dumps(signals, separators=(",", ":")),
                        format_html(' nonce="{}"', nonce) if nonce is not None else "")]


def _layer(conf, data, config, manifest, request, hidden_when_decided):
    """The first layer with its stylesheet before it (render-blocking on purpose: the layer is painted styled
    in the first frame; elsewhere only the policy brings it, when no layer did); on a page for every
    visitor, the script that keeps it out of the first paint when a choice is stored."""
    try:
        layer = first_layer(data, manifest, choice_url(), _next_url(request))
    except Exception as error:
        log.error("consent banner: the first layer was not rendered: %s", error)
        return []
    parts = [_stylesheet(conf, request)]
    if hidden_when_decided:
        parts.append(mark_safe(hide_script(config.respect_gpc, csp_nonce(request))))
    return parts + [mark_safe(layer)]


def _stylesheet(conf, request):
    """consent.css, once per page: before the first layer, or else before the policy (a page without
    JavaScript then still draws the policy's tables and its form's button as ours)."""
    if request is not None:
        request._consent_stylesheet = True
    return format_html('<link rel="stylesheet" href="{}">',
                       static(posixpath.join(posixpath.dirname(conf["LOADER"]), "consent.css")))


class ConsentBlockNode(template.Node):
    def __init__(self, category, nodelist):
        self.category, self.nodelist = category, nodelist

    def render(self, context):
        category = str(self.category.resolve(context))
        fragment = self.nodelist.render(context)
        request = _request(context)
        state = request_consent(request) if request is not None else None
        if state is None or state.manifest is None:
            return mark_safe(REFUSED)
        if state.manifest.category(category) is None:
            log.error("consent banner: {%% consent_block %r %%}: the manifest has no such category", category)
        host = urlsplit("//" + request.get_host()).hostname or ""
        send_live = per_visitor(request) and state.accepts(category)
        chosen = state.manifest.category(category)
        if send_live and chosen is not None and chosen.provider_choice:
            send_live = state.allows_all(category)             # each provider whose content the block holds
        return mark_safe(gate(fragment, category, state.manifest, host, send_live))


@register.tag("consent_block")
def consent_block(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError('{% consent_block "category" %} takes one category id')
    nodelist = parser.parse(("endconsent_block",))
    parser.delete_first_token()
    return ConsentBlockNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag(takes_context=True)
def consent_policy(context, level=2):
    """The policy section of the active language (the banner's script adds its button when it runs), then
    the choices as a form that works without JavaScript (when the app's URLs are included)."""
    request = _request(context)
    try:
        data, _, manifest = portal()
        html = static_policy.render(data, manifest_data(), data["language"], level)
        if request is None or not getattr(request, "_consent_stylesheet", False):
            html = _stylesheet(banner_settings(), request) + html
        url = choice_url()
        if url is not None and manifest.optional_ids:
            state = request_consent(request) if per_visitor(request) else None
            html += choices_form(manifest, data["language"], url, _next_url(request), level,
                                 state.accepted if state is not None else None,
                                 state.accepted_providers() if state is not None else None)
        return mark_safe(html)
    except Exception as error:
        log.error("consent banner: the cookie policy was not rendered: %s: %s", type(error).__name__, error)
        return ""
