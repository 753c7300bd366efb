"""Pixels and media under the static contract: `<img>`, `<picture>`, `<video>` and `<audio>` carrying
`data-consent="CAT"` keep their addresses in `data-src`, `data-srcset` and `data-poster` (on themselves and
on the `<source>`, `<track>` and `<img>` inside them), so the browser fetches nothing: no tracking pixel, no
poster, no media. Once CAT is accepted the addresses are put back, each checked as any blocked content's
(Manifest.undeclared: the category must declare its provider and host); withdrawn, they are taken away
again and a player stops. A `<video>` or `<audio>`, which a visitor sees, shows the embed's placeholder
meanwhile (embeds.py); an image shows nothing (its `alt` text, when the browser draws one).
"""

from banner.text import is_safe_url
from banner.ui.contract import CATEGORY, KEPT_ADDRESSES as ADDRESSES, PROVIDER, REFUSED, SRCSET, marked
from banner.ui.dom import closest, select_all

MEDIA_SELECTOR = ", ".join(marked(tag) for tag in ("img", "picture", "video", "audio"))
PLAYERS = ("VIDEO", "AUDIO")
PARTS = "source, track, img"


def _nodes(element):
    return [element] + list(element.querySelectorAll(PARTS))


def urls(element):
    """Every address the element would load once shown (srcset: each candidate's URL)."""
    found = []
    for node in _nodes(element):
        for kept, _ in ADDRESSES:
            value = node.getAttribute(kept)
            if value is None:
                continue
            if kept == SRCSET:
                found += [c.strip().split(" ")[0] for c in value.split(",") if c.strip()]
            else:
                found.append(value)
    return found


def problem(element, undeclared):
    """Why `element` may not be shown (an address that is not http(s) or relative, or an undeclared third
    party: `undeclared(category, provider, url)`), or None."""
    category, named = element.getAttribute(CATEGORY), element.getAttribute(PROVIDER)
    for url in urls(element) or [None]:
        if url is not None and not is_safe_url(url):
            return "refused address %r: only http(s) or relative URLs load" % url
        found = undeclared(category, named, url)
        if found is not None:
            return found
    return None


def show(element):
    """Put the addresses back (the browser then loads them); a player reloads its sources."""
    for node in _nodes(element):
        for kept, used in ADDRESSES:
            value = node.getAttribute(kept)
            if value is not None and node.getAttribute(used) != value:
                node.setAttribute(used, value)
    if element.tagName in PLAYERS:
        element.load()


def shown(element):
    """Whether one of the element's kept addresses is back in use (the browser may be loading it)."""
    return any(n.getAttribute(kept) is not None and n.hasAttribute(used)
               for n in _nodes(element) for kept, used in ADDRESSES)


def hide(element):
    """Take the addresses away again; return the element now in place. A player is replaced by a copy
    without them (removed, it stops and lets go of what it was loading, as an iframe does; pause() and
    load() hung WebKitGTK's media back-end)."""
    if not shown(element):
        return element
    if element.tagName in PLAYERS and element.parentNode is not None:
        fresh = element.cloneNode(True)
        element.replaceWith(fresh)
        element = fresh
    for node in _nodes(element):
        for kept, used in ADDRESSES:
            if node.getAttribute(kept) is not None:
                node.removeAttribute(used)
    return element


def apply(roots, accepted, undeclared, report, permits):
    """Images and pictures (players go through embeds.py, for their placeholder): shown when their
    category is accepted (and, in one offering a choice per provider, `permits(category, provider, urls)`)
    and nothing in them is undeclared, hidden otherwise."""
    for root in roots:
        for element in select_all(root, MEDIA_SELECTOR):
            if element.tagName in PLAYERS or (element.tagName == "IMG" and
                                              closest(element, marked("picture")) is not None):
                continue
            if element.getAttribute(CATEGORY) not in accepted or not permits(
                    element.getAttribute(CATEGORY), element.getAttribute(PROVIDER), urls(element)):
                hide(element)
                continue
            why = problem(element, undeclared)
            if why is None:
                show(element)
            elif not element.hasAttribute(REFUSED):
                element.setAttribute(REFUSED, "")
                report("blocked image stays blocked: " + why)
