"""The structure DSFR's consent-manager specification gives, read from the pinned `@gouvfr/dsfr` package
itself (its documentation page of the component's code, node_modules/@gouvfr/dsfr), so that a test can
compare our DOM with it element by element, and a DSFR upgrade that changes the structure shows.

A structure is the set of class paths of a tree: for each element carrying a structural DSFR class, the
chain of structural class sets from the component's root down to it. Tags, texts, ids, ARIA and spacing
utilities (fr-mb-2v...) are left out: DSFR's examples and our markup may differ there by design."""

import os
import re
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
DSFR = os.path.join(os.path.dirname(os.path.dirname(HERE)), "node_modules", "@gouvfr", "dsfr")
CODE_PAGE = os.path.join(DSFR, "src", "dsfr", "component", "consent", "_part", "doc", "code", "index.md")
SPACING = re.compile(r"^fr-[mp][tblrxy]?-")
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}


# States, not structure: a modal or a collapse open, and the divider DSFR's JavaScript adds to a modal body
# that scrolls.
STATES = ("--opened", "--expanded")
ADDED_BY_SCRIPT = ("fr-scroll-divider",)


def structural(classes):
    return tuple(sorted(c for c in classes.split() if c.startswith("fr-") and not SPACING.match(c)
                        and not c.endswith(STATES) and c not in ADDED_BY_SCRIPT))


class _Paths(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.paths = [], set()

    def handle_starttag(self, tag, attrs):
        own = structural(dict(attrs).get("class") or "")
        chain = [s for s in self.stack if s] + ([own] if own else [])
        if own:
            self.paths.add(tuple(chain))
        if tag not in VOID:
            self.stack.append(own)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag("input", attrs)        # a void element: never on the stack

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()


def class_paths(markup):
    parser = _Paths()
    parser.feed(markup)
    return parser.paths


def tree_paths(node, above=()):
    """class_paths of a tree given as [tag, {attributes}, children] (texts as str): the rendered first layer
    (banner.server.prerender, the Django app's page parsed)."""
    if isinstance(node, str):
        return set()
    _, attrs, children = node
    own = structural(attrs.get("class") or "")
    chain = above + ((own,) if own else ())
    found = {chain} if own else set()
    for child in children:
        found |= tree_paths(child, chain)
    return found


def examples():
    """The HTML examples of the specification's code page, by component: banner, modal, placeholder."""
    with open(CODE_PAGE, encoding="utf-8") as handle:
        blocks = re.findall(r"```HTML\n(.*?)```", handle.read(), re.S)
    found = {}
    for block in blocks:
        for name, marker in (("banner", "fr-consent-banner"), ("modal", "fr-consent-manager"),
                             ("placeholder", "fr-consent-placeholder")):
            if marker in block and name not in found:
                found[name] = block
    return found
