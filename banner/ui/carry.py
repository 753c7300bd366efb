"""What a reload the banner makes carries over for the visitor. A withdrawal of what already ran reloads
the page (nothing else stops a script), and so does the Django app's language switch (the server renders
the new language): without this, the visitor lands on <body> at the top of a new page, with no word that
the choice was saved and, in the centre, without the switches they had moved. The note is kept in
sessionStorage for a minute and read once by the next page's start-up (startup.StartUp.announce). In the
extra bundle: the start-up bundle only reloads through extra.reload_keeping_place, which notes the place
when this module is in (a reload with the centre open always has it), and looks for a note (Page.reload_note)."""

import javascript

from banner.ui.dom import OPEN_SELECTOR, LANGUAGE_ATTR, RELOAD_NOTE_KEY as KEY

MAX_AGE_MS = 60000


def reload(app, saved=False):
    """Reload the page, noting where the visitor was: the focused control and, when the centre is open,
    its opener and the switches as they are (saved: the status message says the choice was saved)."""
    dialog, centre, focus = app.dialog, None, app.doc.activeElement
    if dialog is not None and dialog.node is not None:
        if dialog.node.open:
            centre = {"opener": locate(app.doc, dialog.opener), "chosen": dialog.chosen(),
                      "providers": dialog.chosen_providers()}
        else:
            focus = dialog.opener or focus      # just closed: its "close", which gives focus back, is to come
    note = {"at": app.page.now(), "saved": saved, "focus": locate(app.doc, focus), "centre": centre}
    try:
        app.page.window.sessionStorage.setItem(KEY, javascript.JSON.stringify(note))     # Python's values
    except Exception:
        pass                # storage disabled: the page reloads as it did before
    app.page.window.location.reload()


def locate(doc, element):
    """How the next page finds `element` again, or None: the portal's footer links by their rank, the
    banner's language buttons by their language, anything else by its id."""
    if element is None or element.nodeType != 1 or element == doc.body:
        return None
    if element.matches(OPEN_SELECTOR):
        links = doc.querySelectorAll(OPEN_SELECTOR)
        for i in range(links.length):
            if links.item(i) == element:
                return ["open", i]
    if element.hasAttribute(LANGUAGE_ATTR):
        return ["language", element.getAttribute(LANGUAGE_ATTR)]
    return ["id", element.id] if element.id else None


def find(doc, where, within=None):
    """The element `where` (locate) names on this page, or None."""
    if not where:
        return None
    kind, value = where[0], where[1]
    if kind == "open":
        links = doc.querySelectorAll(OPEN_SELECTOR)
        return links.item(value) if isinstance(value, int) and 0 <= value < links.length else None
    if kind == "language":
        return (within or doc).querySelector('[%s="%s"]' % (LANGUAGE_ATTR, value))
    return doc.getElementById(value) if value else None


def take(page):
    """The note an earlier page of the tab left (removed as it is read), or None."""
    try:
        text = page.window.sessionStorage.getItem(KEY)
        if not text:
            return None          # every page view but one after a reload of ours: a read, nothing more
        page.window.sessionStorage.removeItem(KEY)
    except Exception:
        return None
    try:
        note = javascript.JSON.parse(text)              # a dict
        age = page.now() - float(note["at"])
    except Exception:
        return None
    return note if 0 <= age <= MAX_AGE_MS else None


def restore(app):
    """On the page after the reload: the centre open again with the visitor's switches, or focus back on
    the control they had used; then "Vos choix ont été enregistrés." when a choice was saved."""
    note = take(app.page)
    if note is None:
        return
    centre = note.get("centre")
    if centre:
        providers = centre.get("providers") or {}
        app.show_preferences(find(app.doc, centre.get("opener")), (list(centre.get("chosen") or []), providers.get))
    else:
        target = find(app.doc, note.get("focus"))
        if target is not None:
            target.focus()
    if note.get("saved") and app.live is not None:
        app.live.textContent = app.strings["saved"]

