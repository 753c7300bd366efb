"""HTML as browsers read it, for the server side: a fragment parsed by the WHATWG parsing algorithm into a
small tree, and that tree written back by the HTML serialisation algorithm.

The server never sends a portal's input text on: what it sends is always a tree it parsed and checked,
serialised again, so the browser builds exactly the tree that was checked (`round_trips` verifies that
on the very bytes sent). The parser is turbohtml (C; of seven parsers measured against Chromium 156 the
only one whose trees matched Chromium's on the whole hostile corpus and html5lib-tests, and the fastest:
benchmarks/results/html_parsers.md); only `parse` knows it.

The tree: an `Element` (namespace "html", "svg" or "math"; qualified attribute names in source order, the
first of duplicates kept as browsers keep it; a template's `content` apart from its children), a `str`
for text, a `Comment`.
"""

VOID = frozenset(("area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
                  "keygen", "link", "meta", "param", "source", "track", "wbr"))
# Elements whose text the serialiser writes as it is: their content was raw text to the parser (noscript
# too, since the page's parser runs with scripting on).
RAW_TEXT = frozenset(("style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript"))


class Element:
    __slots__ = ("namespace", "name", "attrs", "children", "content")

    def __init__(self, namespace, name, attrs=(), children=None, content=None):
        self.namespace = namespace
        self.name = name
        self.attrs = list(attrs)              # [(qualified name, value)], source order
        self.children = children if children is not None else []
        self.content = content                # a template's content (list of nodes), else None

    def get(self, name, default=None):
        for key, value in self.attrs:
            if key == name:
                return value
        return default

    def has(self, name):
        return any(key == name for key, _ in self.attrs)

    def is_html(self, *names):
        return self.namespace == "html" and (not names or self.name in names)


class Comment:
    __slots__ = ("data",)

    def __init__(self, data):
        self.data = data


def parse(text, context="template", scripting=True):
    """The nodes a browser builds when it parses `text` as the content of a `context` element (the HTML
    fragment parsing algorithm); with `context=None`, a whole document (an iframe's srcdoc)."""
    import turbohtml
    if context is None:
        root = turbohtml.parse(text, scripting=scripting, positions=False)
    else:
        root = turbohtml.parse_fragment(text, context=context, scripting=scripting, positions=False)
    return _convert_children(root.children)


NAMESPACES = {"HTML": "html", "SVG": "svg", "MATHML": "math"}
# Chromium's parser stops nesting at 512 (deeper elements become siblings) and Python's recursion at 1000
# frames: a block nested deeper than this is refused, as no real one is.
MAX_DEPTH = 256


def _convert_children(children, depth=0):
    if depth > MAX_DEPTH:
        raise ValueError("elements nested more than %d deep" % MAX_DEPTH)
    out = []
    for child in children:
        kind = type(child).__name__
        if kind == "Text":
            out.append(child.data)
        elif kind == "Comment":
            out.append(Comment(child.data))
        elif kind == "Element":
            out.append(_element(child, depth))
        # a doctype or processing instruction: inert, and not written back
    return out


def _element(node, depth):
    children, content = list(node.children), None
    if node.tag == "template" and children and type(children[0]).__name__ == "DocumentFragment":
        content = _convert_children(children[0].children, depth + 1)
        children = children[1:]
    attrs = [(name, node.attr(name)) for name in node.attrs]
    return Element(NAMESPACES[node.namespace.name], node.tag, attrs, _convert_children(children, depth + 1), content)


def _escape(text, attribute):
    text = text.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def serialize(nodes, parent=None):
    """The HTML serialisation of `nodes` (the children of `parent`, an Element or None)."""
    out = []
    _write(nodes, parent, out)
    return "".join(out)


def _write(nodes, parent, out):
    raw = parent is not None and parent.namespace == "html" and parent.name in RAW_TEXT
    for node in nodes:
        if isinstance(node, str):
            out.append(node if raw else _escape(node, False))
        elif isinstance(node, Comment):
            out.append("<!--%s-->" % node.data)
        else:
            out.append("<" + node.name)
            for key, value in node.attrs:
                out.append(' %s="%s"' % (key, _escape(value, True)))
            out.append(">")
            if node.namespace == "html" and node.name in VOID:
                continue
            children = node.content if node.content is not None else node.children
            # The parser drops a newline right after <pre>, <textarea> and <listing>: keep a leading one.
            if node.is_html("pre", "textarea", "listing") and children and isinstance(children[0], str) \
                    and children[0].startswith("\n"):
                out.append("\n")
            _write(children, node, out)
            out.append("</%s>" % node.name)


def shape(nodes):
    """A comparable form of a tree: what two parses must share to be the same DOM."""
    result = []
    for node in nodes:
        if isinstance(node, str):
            if result and isinstance(result[-1], str):
                result[-1] += node
            else:
                result.append(node)
        elif isinstance(node, Comment):
            result.append(("#comment", node.data))
        else:
            result.append((node.namespace, node.name, tuple(node.attrs), tuple(shape(node.children)),
                           None if node.content is None else tuple(shape(node.content))))
    return result


def round_trips(html, nodes, context="body"):
    """Whether the browser, parsing `html` where the page puts it, builds exactly `nodes`."""
    return shape(parse(html, context)) == shape(nodes)
