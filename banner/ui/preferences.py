"""The preferences centre: a native <dialog> opened with showModal() (page behind made inert, Escape
closes without saving), one switch per category, and each category's cookie table from the manifest."""

from banner.i18n import localize
from banner.ui.dom import h, button, language_choice, focus_main, themed
from banner.ui.tables import cookie_table, provider_list, undeclared_on_page
from banner.ui.browser_help import browser_only
from banner.ui.dsfr_centre import centre


def _switch(doc, strings, category, title, checked):
    sid = "cb-switch-" + category.id
    state_id = "cb-state-" + category.id
    attrs = {"type": "checkbox", "role": "switch", "id": sid, "class": "cb-switch__input",
             "data-cb-category": category.id, "aria-describedby": "cb-desc-" + category.id + " " + state_id,
             "checked": checked or category.required, "disabled": category.required}
    if category.required:
        state = strings["always_on"]
    else:
        state = strings["state_on"] if checked else strings["state_off"]
    return h(doc, "div", {"class": "cb-switch"}, [
        h(doc, "input", attrs),
        h(doc, "label", {"for": sid, "class": "cb-switch__label"}, [title]),
        h(doc, "span", {"class": "cb-switch__state", "id": state_id, "data-cb-state": category.id}, [state]),
    ])


def _category(doc, strings, manifest, config, category, checked):
    title = localize(category.title, config.language)
    return h(doc, "fieldset", {"class": "cb-cat", "data-cb-cat": category.id}, [
        h(doc, "legend", {"class": "cb-cat__title"}, [title]),
        h(doc, "p", {"class": "cb-cat__desc", "id": "cb-desc-" + category.id},
          [localize(category.description, config.language)]),
        h(doc, "p", {"class": "cb-cat__exempt"}, [strings["exempt_note"]]) if category.exempt else None,
        _switch(doc, strings, category, title, checked),
        provider_list(doc, strings, category, missing=undeclared_on_page(doc, manifest, category.id)),
        cookie_table(doc, strings, manifest, config, category, title),
    ])


TABBABLE = "button, a[href], input, select, textarea, [tabindex]"


def keep_focus_inside(doc, dialog, event):
    """Tab from the last control goes to the first, Shift+Tab from the first (or from the title, where
    focus lands on opening) to the last: the WAI-ARIA APG modal dialog pattern. A native modal <dialog>
    alone lets Tab leave the page for the browser's toolbar. Tab is known by its physical key too: WebKitGTK
    reports Shift+Tab (GDK's ISO_Left_Tab) with key "Unidentified" and code "Tab"."""
    if (event.key != "Tab" and event.code != "Tab") or event.altKey or event.ctrlKey or event.metaKey:
        return
    items = [n for n in dialog.querySelectorAll(TABBABLE)
             if n.getAttribute("tabindex") != "-1" and not n.hasAttribute("disabled") and n.getClientRects().length]
    if not items:
        return
    first, last, active = items[0], items[-1], doc.activeElement
    if event.shiftKey and (active == first or active == dialog or active.getAttribute("tabindex") == "-1"):
        last.focus()
        event.preventDefault()
    elif not event.shiftKey and (active == last or not dialog.contains(active)):
        first.focus()
        event.preventDefault()


def build(doc, strings, manifest, config, lang, direction, accepted):
    if config.dsfr:
        return centre(doc, strings, manifest, config, lang, direction, accepted)
    body = [h(doc, "p", {"class": "cb-text"}, [strings["prefs_intro"]]),
            language_choice(doc, strings, config, config.language, "cb-prefs")]
    body += [_category(doc, strings, manifest, config, c, c.id in accepted) for c in manifest.categories]
    body += browser_only(doc, strings)
    return h(doc, "dialog", themed({"class": "cb-prefs", "id": "cb-prefs", "role": "dialog", "aria-modal": "true",
                                    "aria-labelledby": "cb-prefs-title", "lang": lang, "dir": direction,
                                    "data-cb-ui": True}, config), [
        h(doc, "div", {"class": "cb-prefs__head"}, [
            h(doc, "h2", {"class": "cb-title", "id": "cb-prefs-title", "tabindex": "-1"}, [strings["prefs_title"]]),
            h(doc, "button", {"type": "button", "class": "cb-close", "data-cb-action": "close"},
              [strings["close"]]),
        ]),
        h(doc, "div", {"class": "cb-prefs__body"}, body),
        h(doc, "div", {"class": "cb-actions cb-prefs__foot"}, [
            button(doc, strings["accept_all"], "accept_all"),
            button(doc, strings["reject_all"], "reject_all"),
            button(doc, strings["save"], "save"),
        ]),
    ])


class Dialog:
    """The open preferences centre: built on demand, modal, its switches' state text kept in step, focus
    returned on closing to what opened it (else the banner's first button, else the page)."""

    def __init__(self, doc, strings, build, on_click, guard, first_layer):
        self.doc = doc
        self.strings = strings
        self.build = build                  # accepted ids -> the <dialog> (the module's build())
        self.on_click = on_click
        self.guard = guard
        self.first_layer = first_layer      # first_layer.FirstLayer
        self.node = None
        self.opener = None

    def open(self, opener, accepted):
        if self.node is not None:
            return
        self.opener = opener
        self.node = node = self.build(accepted)
        node.addEventListener("click", self.guard(self.on_click))
        node.addEventListener("change", self.guard(self.on_switch))
        node.addEventListener("close", self.guard(self.on_closed))

        def cycle_focus(event):
            keep_focus_inside(self.doc, node, event)
        node.addEventListener("keydown", self.guard(cycle_focus))
        self.doc.body.appendChild(node)
        node.showModal()
        self.doc.getElementById("cb-prefs-title").focus()

    def rebuild(self, strings, focus):
        """The open centre in another language: its content built again inside the same <dialog> (which
        keeps its listeners and stays open), the switches as the visitor left them; focus on `focus`."""
        fresh = self.build(self.chosen())
        self.strings = strings
        for name in ("lang", "dir", "class"):
            self.node.setAttribute(name, fresh.getAttribute(name))
        self.node.textContent = ""
        for child in list(fresh.children):
            self.node.appendChild(child)
        target = self.node.querySelector(focus)
        if target is not None:
            target.focus()

    def chosen(self):
        """The optional categories switched on."""
        boxes = self.node.querySelectorAll("input[data-cb-category]")
        return [b.getAttribute("data-cb-category") for b in boxes if b.checked and not b.disabled]

    def close(self):
        if self.node is not None and self.node.open:
            self.node.close()          # fires "close" -> on_closed

    def on_closed(self, event):
        node, self.node = self.node, None
        if node is not None:
            node.remove()
        opener, self.opener = self.opener, None
        if opener is not None and opener.isConnected and opener != self.doc.body:
            opener.focus()
        elif self.first_layer.shown:
            self.first_layer.node.querySelector("button").focus()
        else:
            focus_main(self.doc)

    def forget_if_removed(self):
        """A centre removed with the rest of <body> while open fires no "close": forget it, so the footer
        link opens a new one."""
        if self.node is not None and not self.node.isConnected:
            self.node, self.opener = None, None

    def on_switch(self, event):
        target = event.target
        category = target.getAttribute("data-cb-category")
        if category is None:
            return
        state = self.node.querySelector('[data-cb-state="%s"]' % category)
        state.textContent = self.strings["state_on"] if target.checked else self.strings["state_off"]
