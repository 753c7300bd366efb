"""The server-side document: the page's own view code (the banner.ui builders, which only call
createElement, createTextNode, setAttribute and appendChild, through banner.ui.dom.h) run in CPython,
and the two ways what it builds leaves CPython (CPython only; never bundled for the page):

- `tree()`: data, [tag, {attributes}, [children]] with strings as text, which the loader mounts with
  createElement/createTextNode (the first layer painted ahead of time, banner/server/prerender.py);
- `to_html()`: HTML for a page a server sends (the Django app's first layer, banner/django/layer.py) or a
  file (the policy page, banner/server/static_policy.py).

One document and one HTML serialiser for all three, so that they cannot drift. Strings are data, never
markup: every text and attribute value is escaped, and only the elements and attributes the banner's
views are made of pass, with links that are http(s) or relative; anything else stops the rendering with
MarkupError (the page then waits for the live banner, the command fails), never a page with it in.
"""

from html import escape

from banner.text import is_safe_url

# What the first layer (both looks, as a form on the server) and the policy page are made of.
TAGS = ("section", "div", "h1", "h2", "h3", "h4", "h5", "h6", "p", "button", "span", "a", "strong", "em", "code",
        "ul", "li", "form", "input", "fieldset", "legend", "label",
        "table", "caption", "thead", "tbody", "tr", "th", "td")
ATTRIBUTES = ("class", "id", "role", "lang", "dir", "type", "href", "title", "name", "value", "form", "method",
              "action", "for", "checked", "scope")
ATTRIBUTE_PREFIXES = ("aria-", "data-cb-", "data-consent-", "data-label")
URL_ATTRIBUTES = ("href", "action")
VOID = ("input",)


class MarkupError(ValueError):
    """A view built something the server-side renderings do not let through."""


class Element:
    def __init__(self, tag):
        self.tag, self.attrs, self.children = tag, {}, []

    def setAttribute(self, key, value):
        self.attrs[key] = value          # as the DOM: a value replaced keeps its place

    def appendChild(self, child):
        self.children.append(child)

    def tree(self):
        return [self.tag, dict(self.attrs), [c if isinstance(c, str) else c.tree() for c in self.children]]


class Document:
    """Just what banner.ui.dom.h calls. A text node is the string itself."""

    def createElement(self, tag):
        return Element(tag)

    def createTextNode(self, text):
        return str(text)


def _attribute(name, value):
    if name not in ATTRIBUTES and not name.startswith(ATTRIBUTE_PREFIXES):
        raise MarkupError("attribute %r is not one the banner's views are made of" % name)
    if not all(c.isalnum() or c == "-" for c in name):
        raise MarkupError("attribute name %r" % name)
    if name in URL_ATTRIBUTES and not is_safe_url(value):
        raise MarkupError("link %r is not an http(s) or relative URL" % value)
    value = str(value)
    return " " + name if value == "" else ' %s="%s"' % (name, escape(value, quote=True))   # <p hidden>


def to_html(node, extra=None):
    """HTML text of `node` (an Element, a tree or a string); `extra` attributes go on the root element
    (data-cb-prerendered...)."""
    if isinstance(node, Element):
        node = node.tree()
    if isinstance(node, str):
        return escape(node, quote=False)
    tag, attrs, children = node
    if tag not in TAGS:
        raise MarkupError("element %r is not one the banner's views are made of" % tag)
    attrs = dict(attrs, **(extra or {}))
    start = "<%s%s>" % (tag, "".join(_attribute(k, v) for k, v in attrs.items()))
    if tag in VOID:
        return start
    return "%s%s</%s>" % (start, "".join(to_html(child) for child in children), tag)
