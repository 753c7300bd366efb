"""Serialise a first-layer tree (banner.prerender.layer_tree: tag, attributes, children; strings are text)
into HTML for the page the server sends.

Strings are data, never markup: every text and attribute value is escaped, and only the tags and
attributes the first layer is made of pass; anything else (a tag or attribute the banner never builds, a
link that is not http(s) or relative) stops the rendering with MarkupError, and the page then simply
waits for the live banner.
"""

from html import escape

from banner.text import is_safe_url

TAGS = ("section", "div", "h1", "h2", "h3", "h4", "h5", "h6", "p", "button", "span", "a", "strong", "em", "ul", "li",
        "form", "input", "fieldset", "legend", "label")
ATTRIBUTES = ("class", "id", "role", "lang", "dir", "type", "href", "title", "name", "value", "form", "method",
              "action", "for", "checked")
URL_ATTRIBUTES = ("href", "action")
VOID = ("input",)
ATTRIBUTE_PREFIXES = ("aria-", "data-cb-")


class MarkupError(ValueError):
    pass


def _attribute(name, value):
    if name not in ATTRIBUTES and not name.startswith(ATTRIBUTE_PREFIXES):
        raise MarkupError("attribute %r is not one the first layer is made of" % name)
    if not all(c.isalnum() or c == "-" for c in name):
        raise MarkupError("attribute name %r" % name)
    if name in URL_ATTRIBUTES and not is_safe_url(value):
        raise MarkupError("link %r is not an http(s) or relative URL" % value)
    return ' %s="%s"' % (name, escape(str(value), quote=True))


def to_html(node, extra=None):
    """HTML text of `node`; `extra` attributes go on the root element (data-cb-prerendered...)."""
    if isinstance(node, str):
        return escape(node, quote=False)
    tag, attrs, children = node
    if tag not in TAGS:
        raise MarkupError("element %r is not one the first layer is made of" % tag)
    attrs = dict(attrs, **(extra or {}))
    start = "<%s%s>" % (tag, "".join(_attribute(k, v) for k, v in attrs.items()))
    if tag in VOID:
        return start
    return "%s%s</%s>" % (start, "".join(to_html(child) for child in children), tag)
