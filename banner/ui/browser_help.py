"""What only the browser can delete, said where a visitor withdraws (the preferences centre) and where the
policy is read (the policy page): the cookies an embedded third party set under its own domain are out
of the portal's reach, so the visitor gets the Edge, Safari, Chrome and Firefox help pages in their
language (the seed policy's list)."""

from banner.lang import BROWSER_HELP
from banner.ui.dom import h


def browser_links(doc, strings, look):
    """The four browsers' cookie help pages, as a list of links (in `look`'s classes, looks.py)."""
    return h(doc, "ul", look.parts["browsers"], [
        h(doc, "li", None, [h(doc, "a", dict(look.parts["browser_link"], href=strings["help_" + name]), [name])])
        for name in BROWSER_HELP])


def browser_only(doc, strings, look, intro=None):
    """The sentence on third-party cookies (after `intro`, a text key, when given) and the help links."""
    text = look.parts["browser_text"]
    nodes = [h(doc, "p", text, [strings[intro]])] if intro else []
    return nodes + [h(doc, "p", text, [strings["browser_only_text"]]), browser_links(doc, strings, look)]
