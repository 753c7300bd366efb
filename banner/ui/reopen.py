"""The optional persistent reopen button (`"reopenButton": true` or a corner): small, fixed in a corner,
a real <button> labelled "Gestion des cookies", in addition to the portal's footer link."""

from banner.ui.contract import OPEN
from banner.ui.dom import h, themed

ICON_PATH = ("M12 2a10 10 0 1 0 10 10 4 4 0 0 1-4-4 4 4 0 0 1-4-4 2 2 0 0 0-2-2zm-4 7a1.5 1.5 0 1 1 0 3 "
             "1.5 1.5 0 0 1 0-3zm5 5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm-6 3a1 1 0 1 1 0 2 1 1 0 0 1 0-2z")
SVG = "http://www.w3.org/2000/svg"


def build(view):
    doc, strings, config, lang, direction = view.doc, view.strings, view.config, view.lang, view.direction
    icon = doc.createElementNS(SVG, "svg")
    for key, value in (("viewBox", "0 0 24 24"), ("width", "24"), ("height", "24"), ("aria-hidden", "true"),
                       ("focusable", "false")):
        icon.setAttribute(key, value)
    path = doc.createElementNS(SVG, "path")
    path.setAttribute("d", ICON_PATH)
    path.setAttribute("fill", "currentColor")
    icon.appendChild(path)
    return h(doc, "button", themed({"type": "button", "class": "cb-reopen cb-reopen--" + config.reopen_button,
                                    OPEN: True, "lang": lang, "dir": direction, "data-cb-ui": True},
                                   view), [
        icon, h(doc, "span", {"class": "cb-sr-only"}, [strings["reopen_label"]])])
