"""`{% consent_block "CAT" %}`: what the server sends for a block of a portal's HTML, decided on the tree the
browser will build from it (banner.django.html), never on the input text.

- **Closed** (the category is refused, the visitor has not answered, or the page is the same for every
  visitor): `<template data-consent="CAT">…</template>`. A template's content is inert by construction
  (no fetch, no script, no style, no navigation, whatever the block holds: pixels, `srcdoc`, handlers,
  `<base>`, `<meta refresh>`, `@import`...), and the page opens it once CAT is accepted
  (banner/ui/blocks.py, and the loader's early path on a return visit). Inside, scripts and iframes
  already follow the static contract (`type="text/plain"`, `data-src`), so once opened they run and load
  through the page's queue and embeds like any blocked content.
- **Live** (per-visitor pages only, CAT accepted, and in a category offering a choice per provider every
  provider whose content the block holds accepted: banner.session.Session.allows on
  banner.manifest.Manifest.provider_of of each URL and `data-provider` it vets; a block holding only the
  portal's own content, which no provider claims, goes live there only when every provider is accepted):
  the block itself after an empty `<template data-cb-live="CAT">` (banner/ui/blocks.py's LIVE: the page
  counts CAT as run, so a withdrawal reloads it, whatever the block holds: an `<object>`, an `<embed>`,
  a `srcdoc` document, an image cannot be taken back), its scripts marked as run too (`data-cb-ran`: the
  page never runs them again) and its iframes carrying `data-src` (blanked at once on withdrawal).

Either way every URL the browser would fetch or connect to by itself (`src`, a duplicated attribute as
the parser keeps it, `srcset`, `poster`, `data`, `background`, `ping`, `link href`, SVG `href` and
`xlink:href`, the values an SVG `<set>` or `<animate>` gives such an attribute, CSS `url()`, `@import` and
`image-set()`, the documents in `srcdoc`, what `<noscript>` holds for a browser without JavaScript) must be the page's own or on a host a provider of CAT declares.
A block that names anything else, holds `<base>` or a refresh, or CSS the check cannot read (escapes)
is not sent at all (an empty template takes its place), and the portal's log says why, once per block.
The marks the page trusts are the server's alone: a `data-cb-live` the block holds is dropped, live or
closed, and so is the `data-cb-ran` of a script in a closed block.
"""

import logging

from banner.text import url_scheme
from banner.ui.blocks import LIVE
from banner.ui.scripts import CATEGORY, DONE, PROVIDER, SRC, TYPE

from .html import Element, parse, round_trips, serialize

log = logging.getLogger("banner.django")

WHITESPACE = " \t\n\r\f"
# Attributes holding URLs the browser fetches without a click, on any element of any namespace (links'
# href and forms' action wait for the visitor: not judged); srcset-like ones hold several.
URL_ATTRIBUTES = ("src", "poster", "background", "codebase", "lowsrc", "dynsrc")
URL_LISTS = ("srcset", "imagesrcset", "ping")
OBJECT_DATA = ("object", "embed")
MAX_SRCDOC_DEPTH = 3
# SVG animation elements set another attribute of their target (`attributeName`) to the values of these:
# where that attribute holds a URL (an <image>'s href) or CSS, the values are judged as it would be.
SVG_ANIMATIONS = ("set", "animate", "animatecolor", "animatemotion", "animatetransform")
ANIMATION_VALUES = ("to", "from", "by", "values")
# A data: URL loads nothing from the network; where it is a document or a script it runs code instead.
DATA_ALLOWED = ("img", "source", "video", "audio", "input", "image", "picture", "track")


class Refused(Exception):
    """Why a block may not be sent for its category as it is."""


class Check:
    """Every URL of a tree against one category's declared providers; `owners` gathers whose content each
    is (Manifest.provider_of; None: the portal's own), the element's `data-provider` naming it first."""

    def __init__(self, manifest, category, page_host):
        self.manifest, self.category, self.page_host = manifest, category, page_host
        self.owners, self.named = set(), None

    def owner(self, url, named=None):
        self.owners.add(self.manifest.provider_of(self.category, named or self.named, url, self.page_host))

    def url(self, url, where):
        url = url.strip(WHITESPACE)
        scheme = url_scheme(url)
        if scheme == "data" and where in DATA_ALLOWED:
            return
        if scheme not in ("", "http", "https"):
            raise Refused("a %s: URL in <%s> (only http(s) and relative URLs are judged)" % (scheme, where))
        problem = self.manifest.undeclared(self.category, None, url, self.page_host)
        if problem is not None:
            raise Refused(problem)
        self.owner(url)

    def provider(self, named):
        problem = self.manifest.undeclared(self.category, named, None, self.page_host)
        if problem is not None:
            raise Refused(problem)
        self.owner(None, named)

    def css(self, text, where):
        for url in css_urls(text, where):
            self.url(url, where)

    def nodes(self, nodes, depth=0):
        for node in nodes:
            if isinstance(node, Element):
                self.element(node, depth)

    def element(self, node, depth):
        outer = self.named
        self.named = node.get(PROVIDER) or None
        try:
            self._element(node, depth)
        finally:
            self.named = outer

    def _element(self, node, depth):
        name = node.name
        if node.is_html("template") and any(k.startswith("shadowroot") for k, _ in node.attrs):
            raise Refused("a declarative shadow root is attached by the page's parser, even in a closed block")
        if node.is_html("plaintext"):
            raise Refused("<plaintext> never ends: everything after it in the page would become text")
        if node.is_html("base"):
            raise Refused("a <base> element would change the address of every link and file of the page")
        if node.is_html("meta") and (node.get("http-equiv") or "").strip(WHITESPACE).lower() == "refresh":
            raise Refused("a <meta http-equiv=refresh> would navigate the page away")
        for key, value in node.attrs:
            if key == PROVIDER:
                self.provider(value)
            elif key in URL_ATTRIBUTES or (key == "data" and node.is_html(*OBJECT_DATA)):
                self.url(value, name)
            elif key in URL_LISTS:
                for url in list_urls(value):
                    self.url(url, name)
            elif key in ("href", "xlink:href") and not node.is_html("a", "area") and \
                    not (node.namespace != "html" and name == "a"):
                self.url(value, name)
            elif key == "style" or "url(" in value.lower():
                self.css(value, name)
            elif key == "srcdoc" and node.is_html("iframe"):
                if depth >= MAX_SRCDOC_DEPTH:
                    raise Refused("iframes nested in srcdoc deeper than %d" % MAX_SRCDOC_DEPTH)
                self.nodes(parse(value, None), depth + 1)
        if node.namespace != "html" and name.lower() in SVG_ANIMATIONS:
            self.animation(node, name)
        if name == "style":
            self.css("".join(c for c in node.children if isinstance(c, str)), name)
        if node.is_html("noscript"):
            # Read as markup by a browser without JavaScript, which fetches what it holds.
            self.nodes(parse("".join(c for c in node.children if isinstance(c, str)), "body", False), depth)
        self.nodes(node.children, depth)
        if node.content is not None:
            self.nodes(node.content, depth)


    def animation(self, node, name):
        """The values an SVG animation gives its target's attribute, judged as that attribute is (a URL, a
        list of them, CSS); `values` holds several, separated by semicolons."""
        target = (node.get("attributeName") or node.get("attributename") or "").strip(WHITESPACE).lower()
        target = target.split(":")[-1]                  # xlink:href is href
        if target not in URL_ATTRIBUTES + URL_LISTS + ("href", "data", "style"):
            return
        for key, value in node.attrs:
            if key.lower() not in ANIMATION_VALUES:
                continue
            for piece in value.split(";") if key.lower() == "values" else [value]:
                if target == "style":
                    self.css(piece, name)
                elif target in URL_LISTS:
                    for url in list_urls(piece):
                        self.url(url, name)
                elif piece.strip(WHITESPACE):
                    self.url(piece, name)


def list_urls(value):
    """Every piece of a srcset or ping value that could be a URL: split at whitespace and commas, more
    pieces than a browser takes, so none it takes is missed (a descriptor reads as a relative URL)."""
    for chunk in value.replace(",", " ").split():
        yield chunk


def css_urls(text, where):
    """The URLs in CSS text: url(...), the string after @import, the strings of image-set(). CSS escapes
    could spell either in ways this reading would miss: refused rather than guessed."""
    if "\\" in text:
        raise Refused("CSS with escapes in <%s> cannot be checked" % where)
    lower = text.lower()
    found = []
    at = lower.find("url(")
    while at >= 0:
        rest = text[at + 4:].lstrip(WHITESPACE)
        if rest[:1] in ("'", '"'):
            end = rest.find(rest[0], 1)
            found.append(rest[1:end] if end > 0 else rest[1:])
        else:
            found.append(rest.split(")", 1)[0])
        at = lower.find("url(", at + 4)
    for marker in ("@import", "image-set("):
        at = lower.find(marker)
        while at >= 0:
            rest = text[at + len(marker):]
            stop = rest.find(";") if marker == "@import" else rest.find(")")
            found.extend(_strings(rest if stop < 0 else rest[:stop]))
            at = lower.find(marker, at + len(marker))
    return found


def _strings(text):
    parts, quote, start = [], None, 0
    for i, c in enumerate(text):
        if quote is None and c in ("'", '"'):
            quote, start = c, i + 1
        elif c == quote:
            parts.append(text[start:i])
            quote = None
    if quote is not None:
        parts.append(text[start:])
    return parts


# -- what is sent -------------------------------------------------------------------------------------------
def _static_contract(node, category):
    """A script or iframe inside a closed block as a portal writes it by hand for the page to run."""
    _unmarked(node)
    if node.namespace != "math" and node.name == "script":
        src = node.get("src") if node.namespace == "html" else (node.get("href") or node.get("xlink:href"))
        kept = [(k, v) for k, v in node.attrs
                if k not in ("src", "href", "xlink:href", "type", CATEGORY, SRC, TYPE, DONE)]
        node.attrs = ([("type", "text/plain"), (CATEGORY, category)] + ([(SRC, src)] if src is not None else [])
                      + ([(TYPE, node.get("type"))] if node.get("type") else []) + kept)
    elif node.is_html("iframe") and node.has("src"):
        src = node.get("src")
        node.attrs = [(k, v) for k, v in node.attrs if k not in ("src", CATEGORY, SRC)] + [
            (CATEGORY, category), (SRC, src)]


def _live(node, category):
    """A script or iframe sent live: marked for the page (run already; blanked on withdrawal)."""
    _unmarked(node)
    if node.is_html("script"):
        node.attrs = [(k, v) for k, v in node.attrs if k not in (CATEGORY, DONE)] + [(CATEGORY, category), (DONE, "")]
    elif node.is_html("iframe") and node.has("src"):
        node.attrs = [(k, v) for k, v in node.attrs if k not in (CATEGORY, SRC)] + [
            (CATEGORY, category), (SRC, node.get("src"))]


def _unmarked(node):
    """No LIVE mark but the server's own (live())."""
    if node.has(LIVE):
        node.attrs = [(k, v) for k, v in node.attrs if k != LIVE]


def _each(nodes, mark, category):
    for node in nodes:
        if isinstance(node, Element):
            mark(node, category)
            _each(node.children, mark, category)
            if node.content is not None:
                _each(node.content, mark, category)


REFUSED = '<template data-cb-refused=""></template>'


def closed(nodes, category):
    """The block as a template the page opens once `category` is accepted."""
    _each(nodes, _static_contract, category)
    return [Element("html", "template", [(CATEGORY, category)], [], nodes)]


def live(nodes, category):
    """The block as it is, marked: its scripts and iframes (_live), and the whole of it by an empty template
    before it (LIVE) when it holds any element."""
    _each(nodes, _live, category)
    if any(isinstance(node, Element) for node in nodes):
        return [Element("html", "template", [(LIVE, category)], [], [])] + nodes
    return nodes


_sent = {}                          # what gate() returned, for what it depends on (see gate)
CACHED_BLOCKS = 256


def owners(fragment, category, manifest, page_host):
    """The providers whose content a block holds (None for content no provider claims: the portal's own
    URLs, or a block with no URL and no data-provider at all), or None when the block is refused anyway."""
    try:
        check = Check(manifest, category, page_host)
        check.nodes(parse(fragment))
    except Exception:                       # Refused, a parser fault: gate() says why, once
        return None
    return frozenset(check.owners) or frozenset([None])


def gate(fragment, category, manifest, page_host, send_live):
    """The HTML to send for one block: live when `send_live` and every URL is declared, else closed; nothing
    (REFUSED) when something is not declared or cannot be judged, with one logged error. Never raises.
    `send_live` may also be a function of the block's `owners` (a category offering a choice per
    provider: whether the visitor accepts every one of them).

    The answer depends only on the block, the category's declared providers, the page's host and
    `send_live`: a page rendered for every visitor renders the same blocks at every request, so the answer
    is kept (the refusals too, logged once)."""
    category_of = manifest.category(category)
    providers = tuple((p.name, tuple(p.hosts)) for p in category_of.providers) if category_of else None
    if callable(send_live):
        key = ("owners", fragment, category, providers, page_host)
        if key not in _sent:
            _keep(key, owners(fragment, category, manifest, page_host))
        send_live = _sent[key] is not None and bool(send_live(_sent[key]))
    key = (fragment, category, providers, page_host, send_live)
    if key not in _sent:
        _keep(key, _gate(fragment, category, manifest, page_host, send_live))
    return _sent[key]


def _keep(key, value):
    if len(_sent) >= CACHED_BLOCKS:
        _sent.clear()
    _sent[key] = value


def _gate(fragment, category, manifest, page_host, send_live):
    try:
        fragment.encode("utf-8")
    except UnicodeEncodeError:
        return _refused(category, "a lone surrogate cannot be sent in UTF-8")
    try:
        nodes = parse(fragment)
        Check(manifest, category, page_host).nodes(nodes)
    except Refused as why:
        return _refused(category, str(why))
    except Exception as error:              # a parser fault: nothing of the block goes out
        return _refused(category, "%s: %s" % (type(error).__name__, error))
    sent = live(nodes, category) if send_live else closed(nodes, category)
    html = serialize(sent)
    if not round_trips(html, sent):
        return _refused(category, "the block does not read the same once written back")
    return html


def _refused(category, why):
    """Nothing of a block that cannot be sent for its category goes out, only an empty template."""
    log.error("consent banner: {%% consent_block %r %%}: %s; nothing of the block is sent (logged once)",
              category, why)
    return REFUSED
