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

from banner import static_policy
from banner.django.blocking import gate
from banner.django.conf import banner_settings
from banner.django.markup import to_html
from banner.django.portal import manifest_data, portal, request_consent
from banner.fingerprint import layer_key
from banner.prerender import layer_tree
from banner.ui.dom import CONTENT_ATTR, PRERENDERED_ATTR

register = template.Library()
log = logging.getLogger("banner.django")


def _request(context):
    """The request being rendered: a RequestContext has it even without the "request" context processor."""
    request = getattr(context, "request", None) or context.get("request")
    if request is not None:
        request._consent_rendered = True        # the middleware adds Vary: Cookie
    return request


# Part of the page's first paint, the layer has no entrance to make (consent.css: no slide-in), and the
# live banner taking its place has none either (notice.take_place).
ENTERED = "data-cb-entered"


def first_layer(data, manifest):
    """The first layer as HTML, marked as shown ahead of Python with the manifest content it shows."""
    extra = {PRERENDERED_ATTR: "", CONTENT_ATTR: layer_key(manifest), ENTERED: ""}
    return to_html(layer_tree(data, manifest, data["language"]), extra)


@register.simple_tag(takes_context=True)
def consent_banner(context):
    conf = banner_settings()
    request = _request(context)
    try:
        data, config, manifest = portal()
    except Exception as error:               # the page fails closed too, with its own console error
        log.error("consent banner: %s: %s", type(error).__name__, error)
        data, manifest = {}, None
    loader = static(conf["LOADER"])
    parts = []
    state = request_consent(request) if request is not None and manifest is not None else None
    if conf["SERVER_RENDER"] and state is not None and state.first_visit:
        try:
            layer = first_layer(data, manifest)
        except Exception as error:
            log.error("consent banner: the first layer was not rendered: %s", error)
        else:
            # Render-blocking on purpose, and only here: the layer is painted styled in the first frame.
            parts.append(format_html('<link rel="stylesheet" href="{}">',
                                     static(posixpath.join(posixpath.dirname(conf["LOADER"]), "consent.css"))))
            parts.append(mark_safe(layer))
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    parts.append(format_html('<script src="{}" async data-config="{}"{}></script>', loader,
                             json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                             format_html(' nonce="{}"', nonce) if nonce else ""))
    return mark_safe("\n".join(parts))


class ConsentBlockNode(template.Node):
    def __init__(self, category, nodelist):
        self.category, self.nodelist = category, nodelist

    def render(self, context):
        category = str(self.category.resolve(context))
        fragment = self.nodelist.render(context)
        request = _request(context)
        state = request_consent(request) if request is not None else None
        if state is None or state.manifest is None:
            return mark_safe(gate(fragment, category, False))
        if state.manifest.category(category) is None:
            log.error("consent banner: {%% consent_block %r %%}: the manifest has no such category", category)
        host = urlsplit("//" + request.get_host()).hostname or ""
        return mark_safe(gate(fragment, category, state.accepts(category),
                              lambda c, named, url: state.manifest.undeclared(c, named, url, host)))


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
    """The policy section of the active language; the banner's script adds its button when it runs."""
    try:
        data, _, _ = portal()
        return mark_safe(static_policy.render(data, manifest_data(), data["language"], level))
    except Exception as error:
        log.error("consent banner: the cookie policy was not rendered: %s: %s", type(error).__name__, error)
        return ""
