"""The preferences centre: a native <dialog> opened with showModal() (page behind made inert, Escape
closes without saving), one switch per category, and each category's cookie table from the manifest.
The DSFR look's centre (dsfr_centre.py: radio pairs, details in collapses) is driven by the same Dialog."""

from banner.i18n import localize
from banner.ui.dom import h, button, language_choice, focus_main, themed, closest
from banner.ui.tables import (cookie_table, provider_list, undeclared_on_page, accepted_names, PROVIDER_OF,
                              PROVIDER_NAME)
from banner.ui.browser_help import browser_only


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


def _provider_switch(doc, strings, category, index, provider, on):
    """One provider's switch in a providerChoice category: named « Accepter <provider> », its state
    (Activé / Désactivé) as its description, then its policy link as in the providers' list."""
    sid = "cb-provider-%s-%d" % (category.id, index)
    state_id = sid + "-state"
    parts = [h(doc, "div", {"class": "cb-switch"}, [
        h(doc, "input", {"type": "checkbox", "role": "switch", "id": sid, "class": "cb-switch__input",
                         PROVIDER_OF: category.id, PROVIDER_NAME: provider.name,
                         "aria-describedby": state_id, "checked": on}),
        h(doc, "label", {"for": sid, "class": "cb-switch__label"},
          [strings["provider_switch"].replace("{provider}", provider.name)]),
        h(doc, "span", {"class": "cb-switch__state", "id": state_id, "data-cb-provider-state": True},
          [strings["state_on"] if on else strings["state_off"]]),
    ])]
    if provider.policy_url:
        parts.append(h(doc, "a", {"href": provider.policy_url, "class": "cb-link"},
                       [strings["policy_of"].replace("{provider}", provider.name)]))
    return h(doc, "li", {"class": "cb-provider-choice", "data-cb-provider": provider.name}, parts)


def provider_choices(doc, strings, category, accepted, missing=()):
    """A providerChoice category's providers, in manifest order, each with its own switch, as a group
    named by its heading; then what the page holds that none of them covers (provider_list's note)."""
    heading_id = "cb-providers-" + category.id
    items = [_provider_switch(doc, strings, category, i, p, p.name in accepted)
             for i, p in enumerate(category.providers)]
    note = h(doc, "p", {"class": "cb-providers__missing", "data-cb-missing": True},
             [strings["providers_missing"].replace("{providers}", ", ".join(missing))]) if missing else None
    return h(doc, "div", {"class": "cb-providers", "role": "group", "aria-labelledby": heading_id}, [
        h(doc, "p", {"class": "cb-cat__providers-title", "id": heading_id}, [strings["provider_choice_heading"]]),
        h(doc, "ul", {"class": "cb-providers__list cb-providers__choices"}, items),
        note,
    ])


def _category(doc, strings, manifest, config, category, checked, providers, look):
    title = localize(category.title, config.language)
    missing = undeclared_on_page(doc, manifest, category.id)
    if category.provider_choice:
        listed = provider_choices(doc, strings, category, accepted_names(category, checked, providers), missing)
    else:
        listed = provider_list(doc, strings, category, look, missing=missing)
    return h(doc, "fieldset", {"class": "cb-cat", "data-cb-cat": category.id}, [
        h(doc, "legend", {"class": "cb-cat__title"}, [title]),
        h(doc, "p", {"class": "cb-cat__desc", "id": "cb-desc-" + category.id},
          [localize(category.description, config.language)]),
        h(doc, "p", {"class": "cb-cat__exempt"}, [strings["exempt_note"]]) if category.exempt else None,
        _switch(doc, strings, category, title, checked),
        listed,
        cookie_table(doc, strings, manifest, config, category, title, look),
    ])


COLLAPSE_BUTTON = ".fr-consent-service__collapse-btn"      # DSFR look: « Voir plus de détails »
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


def build(view, accepted, providers=None):
    """The centre in the view's look, its categories switched as `accepted` says and, in a providerChoice
    category, its providers as `providers(category id)` says (None: all of an accepted category's)."""
    return view.look.centre(view, accepted, providers)


def centre(view, accepted, providers=None):
    """The default look's centre (looks.py; DSFR's: dsfr_centre.centre)."""
    doc, strings, manifest, config = view.doc, view.strings, view.manifest, view.config
    lang, direction = view.lang, view.direction
    body = [h(doc, "p", {"class": "cb-text"}, [strings["prefs_intro"]]),
            language_choice(doc, strings, config, config.language, "cb-prefs")]
    body += [_category(doc, strings, manifest, config, c, c.id in accepted, providers, view.look)
             for c in manifest.categories]
    body += browser_only(doc, strings, view.look)
    return h(doc, "dialog", themed({"class": "cb-prefs", "id": "cb-prefs", "role": "dialog", "aria-modal": "true",
                                    "aria-labelledby": "cb-prefs-title", "lang": lang, "dir": direction,
                                    "data-cb-ui": True}, view), [
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
        self.build = build                  # (accepted ids, providers) -> the <dialog> (the module's build())
        self.on_click = on_click
        self.guard = guard
        self.first_layer = first_layer      # first_layer.FirstLayer
        self.node = None
        self.opener = None
        self.primary = None                 # DSFR look: the hidden button DSFR's modal opens from
        self.settling = False               # DSFR look: DSFR's JavaScript has not taken the modal yet

    def open(self, opener, accepted, providers=None):
        """Open the centre showing `accepted` categories and, per providerChoice category, the providers
        `providers(category id)` names (Session.accepted_providers)."""
        if self.node is not None:
            return
        self.opener = opener
        self.node = node = self.build(accepted, providers)
        node.addEventListener("click", self.guard(self.on_click))
        node.addEventListener("click", self.guard(self.on_collapse))
        node.addEventListener("change", self.guard(self.on_switch))
        node.addEventListener("close", self.guard(self.on_closed))
        # DSFR's JavaScript, when the page runs it, takes the DSFR centre as one of its modals: Escape or a
        # click on the backdrop makes it "conceal" the modal; the <dialog> then closes as ours would.
        node.addEventListener("dsfr.conceal", self.guard(self.on_concealed))

        def cycle_focus(event):
            keep_focus_inside(self.doc, node, event)
        node.addEventListener("keydown", self.guard(cycle_focus))
        if opener is not None and opener.nodeType == 1 and opener.getAttribute("data-cb-action") == "providers":
            for details in node.querySelectorAll(COLLAPSE_BUTTON):   # "see the providers": DSFR's details open
                self.expand(node, details, True)
        if node.classList.contains("fr-modal"):
            # DSFR's modal opens only from a "primary" button outside it (aria-controls, data-fr-opened):
            # a hidden one of ours, whatever opened the centre (a banner button, a footer link, the API)
            self.primary = h(self.doc, "button", {"type": "button", "hidden": True, "aria-controls": "cb-prefs",
                                                  "data-fr-opened": "true", "data-cb-ui": True})
            self.doc.body.appendChild(self.primary)
        self.doc.body.appendChild(node)
        node.showModal()
        self.doc.getElementById("cb-prefs-title").focus()
        if self.primary is not None and self.doc.documentElement.hasAttribute("data-fr-js"):
            self.settling = True
            self.hand_to_dsfr(node, 0)

    def hand_to_dsfr(self, node, tries):
        """DSFR's JavaScript takes the new modal a few frames later, closed (its group of modals opens a
        modal from its primary button only once per page): once it has, open it through that button, so
        that DSFR's own modal (focus, Escape, backdrop, scroll lock) runs it. Until then a "close" the
        taking fires is not the visitor's."""
        if node is not self.node:
            return
        if not node.hasAttribute("data-fr-js-modal") and tries < 100:
            self.doc.defaultView.setTimeout(lambda: self.guard(self.hand_to_dsfr)(node, tries + 1), 20)
            return
        self.settling = False
        if not node.classList.contains("fr-modal--opened"):
            self.primary.click()
        if not node.open:
            node.showModal()
        if not node.contains(self.doc.activeElement):
            self.doc.getElementById("cb-prefs-title").focus()

    def rebuild(self, strings, focus):
        """The open centre in another language: its content built again inside the same <dialog> (which
        keeps its listeners and stays open), the switches as the visitor left them; focus on `focus`."""
        fresh = self.build(self.chosen(), self.chosen_providers().get)
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
        """The optional categories switched on (DSFR look: their « Accepter » radio checked)."""
        boxes = self.node.querySelectorAll("input[data-cb-category]")
        return [b.getAttribute("data-cb-category") for b in boxes if b.checked and not b.disabled
                and b.getAttribute("value") != "refuse" and not b.hasAttribute("data-cb-required")]

    def chosen_providers(self):
        """{category id: provider names accepted} for each providerChoice category (switch on, DSFR look:
        « Accepter » checked), in manifest order; [] for a category whose providers are all off."""
        found = {}
        for box in self.node.querySelectorAll("input[%s]" % PROVIDER_OF):
            names = found.setdefault(box.getAttribute(PROVIDER_OF), [])
            if box.checked and box.getAttribute("value") != "refuse":
                names.append(box.getAttribute(PROVIDER_NAME))
        return found

    def providers_of(self, category=None):
        """The providers' controls of one providerChoice category (None: of all of them)."""
        return [b for b in self.node.querySelectorAll("input[%s]" % PROVIDER_OF)
                if category is None or b.getAttribute(PROVIDER_OF) == category]

    def on_collapse(self, event):
        """DSFR look: « Voir plus de détails » opens its collapse, done here only when the page does not run
        DSFR's JavaScript (which marks <html> data-fr-js and then drives every fr-collapse itself)."""
        button = closest(event.target, COLLAPSE_BUTTON)
        if button is None or self.doc.documentElement.hasAttribute("data-fr-js"):
            return
        self.expand(self.node, button, button.getAttribute("aria-expanded") != "true")

    @staticmethod
    def expand(node, button, opened):
        """A DSFR collapse of `node` open or closed as DSFR marks it (DSFR's JavaScript, finding it so
        when it takes the centre, keeps it so)."""
        button.setAttribute("aria-expanded", "true" if opened else "false")
        details = node.querySelector("#" + button.getAttribute("aria-controls"))
        if opened:
            details.classList.add("fr-collapse--expanded")
        else:
            details.classList.remove("fr-collapse--expanded")

    def close(self):
        self.settling = False          # ours to close, even before DSFR's JavaScript has taken the modal
        if self.node is not None and self.node.open:
            self.node.close()          # fires "close" -> on_closed

    def on_concealed(self, event):
        """DSFR's modal concealed (Escape, backdrop): it took the dialog's open attribute, so the <dialog>
        may fire no "close"; close as ours would."""
        if event.target != self.node or self.settling:
            return
        if self.node.open:
            self.node.close()
        else:
            self.on_closed(event)

    def on_closed(self, event):
        if self.settling:
            return
        node, self.node = self.node, None
        if node is not None:
            node.remove()
        primary, self.primary = self.primary, None
        if primary is not None:
            primary.remove()
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
            if self.primary is not None:
                self.primary.remove()
                self.primary = None

    def on_radio(self, target):
        """DSFR look: « Tout accepter / Tout refuser » sets every optional category's pair and every
        provider's; a category's pair sets its providers' pairs to the same, a provider's pair sets its
        category's (« Accepter » while one of its providers is accepted); then the header pair says what
        all categories now say (neither when they differ)."""
        pairs = [b for b in self.node.querySelectorAll("input[data-cb-category]") if not b.disabled
                 and not b.hasAttribute("data-cb-required")]
        everything = self.doc.getElementById("cb-all-accept")
        nothing = self.doc.getElementById("cb-all-refuse")
        if target.hasAttribute("data-cb-all"):
            value = target.getAttribute("data-cb-all")
            for box in pairs + self.providers_of():
                if box.getAttribute("value") == value:
                    box.checked = True
            return
        category = target.getAttribute(PROVIDER_OF)
        if category is not None:
            accepted = any(b.checked and b.getAttribute("value") == "accept" for b in self.providers_of(category))
            self.doc.getElementById(("cb-accept-" if accepted else "cb-refuse-") + category).checked = True
        elif target.hasAttribute("data-cb-category"):
            value = target.getAttribute("value")
            for box in self.providers_of(target.getAttribute("data-cb-category")):
                if box.getAttribute("value") == value:
                    box.checked = True
        said = [b.getAttribute("value") for b in pairs if b.checked]
        everything.checked = len(said) > 0 and all(v == "accept" for v in said)
        nothing.checked = len(said) > 0 and all(v == "refuse" for v in said)

    def on_switch(self, event):
        """A switch turned: its state text follows; a category's turns its providers' the same way, a
        provider's turns its category on while one of its providers is on, off when none is."""
        target = event.target
        if target.getAttribute("type") == "radio":
            return self.on_radio(target)
        category = target.getAttribute("data-cb-category")
        of = target.getAttribute(PROVIDER_OF)
        if of is not None:
            self.set_switch(target, target.checked)
            self.set_switch(self.doc.getElementById("cb-switch-" + of),
                            any(b.checked for b in self.providers_of(of)))
        elif category is not None:
            self.set_switch(target, target.checked)
            for box in self.providers_of(category):
                self.set_switch(box, target.checked)

    def set_switch(self, box, on):
        """A switch of the default look on or off, with the state text that describes it."""
        box.checked = on
        state = self.doc.getElementById(box.getAttribute("aria-describedby").split(" ")[-1])
        state.textContent = self.strings["state_on"] if on else self.strings["state_off"]
