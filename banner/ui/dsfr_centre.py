"""The DSFR look (`"look": "dsfr"`), preferences centre and embed placeholders: the structures of DSFR's
consent manager (a large `fr-modal` holding a `fr-consent-manager`, one `fr-consent-service` fieldset per
category, its switch a `fr-toggle`, the choices in a `fr-consent-manager__buttons` group) and of its
`fr-consent-placeholder`. Same ids, data attributes, texts and native elements as preferences.py and
embeds.py (a modal <dialog>, checkboxes with role="switch", real buttons), so Dialog and Embeds drive
either look unchanged. Extra bundle, like the modules it stands in for."""

from banner.i18n import localize
from banner.ui.browser_help import browser_only
from banner.ui.dom import h, themed
from banner.ui.dsfr import buttons, languages
from banner.ui.tables import cookie_table, provider_list, undeclared_on_page


def _toggle(doc, strings, category, title, checked):
    """DSFR's toggle: the switch's state is drawn from the label's data-fr-*-label attributes; the state
    text read by screen readers (and kept in step by Dialog.on_switch) is visually hidden."""
    sid, state_id = "cb-switch-" + category.id, "cb-state-" + category.id
    if category.required:
        state = strings["always_on"]
    else:
        state = strings["state_on"] if checked else strings["state_off"]
    return h(doc, "div", {"class": "fr-toggle fr-mb-2w"}, [
        h(doc, "input", {"type": "checkbox", "role": "switch", "id": sid, "class": "fr-toggle__input",
                         "data-cb-category": category.id, "checked": checked or category.required,
                         "disabled": category.required,
                         "aria-describedby": "cb-desc-" + category.id + " " + state_id}),
        h(doc, "label", {"class": "fr-toggle__label", "for": sid, "data-fr-checked-label": strings["state_on"],
                         "data-fr-unchecked-label": strings["state_off"]}, [title]),
        h(doc, "span", {"class": "fr-sr-only", "id": state_id, "data-cb-state": category.id}, [state]),
    ])


def _service(doc, strings, manifest, config, category, checked):
    title = localize(category.title, config.language)
    return h(doc, "div", {"class": "fr-consent-service"}, [
        h(doc, "fieldset", {"class": "fr-fieldset", "data-cb-cat": category.id}, [
            h(doc, "legend", {"class": "fr-consent-service__title"}, [title]),
            h(doc, "p", {"class": "fr-consent-service__desc", "id": "cb-desc-" + category.id},
              [localize(category.description, config.language)]),
            h(doc, "p", {"class": "fr-text--sm"}, [strings["exempt_note"]]) if category.exempt else None,
            _toggle(doc, strings, category, title, checked),
            provider_list(doc, strings, category, dsfr=True, missing=undeclared_on_page(doc, manifest, category.id)),
            cookie_table(doc, strings, manifest, config, category, title, dsfr=True),
        ])])


def centre(doc, strings, manifest, config, lang, direction, accepted):
    """preferences.build's dialog. It is built when opened and removed when closed, so it carries DSFR's
    "opened" class from the start; DSFR's JavaScript is not needed."""
    services = [_service(doc, strings, manifest, config, c, c.id in accepted) for c in manifest.categories]
    choices = [(strings["accept_all"], {"data-cb-action": "accept_all"}),
               (strings["reject_all"], {"data-cb-action": "reject_all"}),
               (strings["save"], {"data-cb-action": "save"})]
    manager = h(doc, "div", {"class": "fr-consent-manager"}, services + browser_only(doc, strings, dsfr=True) + [
        buttons(doc, choices, "fr-consent-manager__buttons fr-btns-group--right fr-btns-group--inline-sm")])
    return h(doc, "dialog", themed({"class": "fr-modal fr-modal--opened", "id": "cb-prefs", "role": "dialog",
                                    "aria-modal": "true", "aria-labelledby": "cb-prefs-title", "lang": lang,
                                    "dir": direction, "data-cb-ui": True}, config), [
        h(doc, "div", {"class": "fr-container fr-container--fluid fr-container-md"}, [
            h(doc, "div", {"class": "fr-grid-row fr-grid-row--center"}, [
                h(doc, "div", {"class": "fr-col-12 fr-col-md-10 fr-col-lg-8"}, [
                    h(doc, "div", {"class": "fr-modal__body"}, [
                        h(doc, "div", {"class": "fr-modal__header"}, [
                            h(doc, "button", {"type": "button", "class": "fr-btn--close fr-btn",
                                              "data-cb-action": "close"}, [strings["close"]])]),
                        h(doc, "div", {"class": "fr-modal__content"}, [
                            h(doc, "h2", {"class": "fr-modal__title", "id": "cb-prefs-title", "tabindex": "-1"},
                              [strings["prefs_title"]]),
                            h(doc, "p", None, [strings["prefs_intro"]]),
                            languages(doc, strings, config, "cb-prefs"),
                            manager,
                        ]),
                    ])])])]),
    ])


def placeholder(doc, strings, config, attrs, text, providers):
    """embeds.py's placeholder (`attrs`: its id, role, name and language) as a `fr-consent-placeholder`;
    `providers` None: content that cannot load, its reason and no buttons."""
    return h(doc, "div", themed(dict(attrs, **{"class": "fr-consent-placeholder"}), config), [
        h(doc, "p", {"class": "fr-mb-2v"}, [text]),
        h(doc, "p", {"class": "fr-text--sm fr-mb-4v"}, [providers]) if providers else None,
        buttons(doc, [(strings["allow_once"], {"data-cb-embed": "once", "secondary": True}),
                      (strings["allow_always"], {"data-cb-embed": "always"})],
                "fr-btns-group--center fr-btns-group--inline-sm") if providers else None,
    ])
