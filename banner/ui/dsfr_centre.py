"""The DSFR look (`"look": "dsfr"`), preferences centre and embed placeholders, element by element as the
consent manager of the pinned `@gouvfr/dsfr` documents it (its code page): a large `fr-modal` holding a
`fr-consent-manager`; first a `fr-consent-manager__header` service with the « Tout accepter / Tout
refuser » radio pair, then one `fr-consent-service` fieldset per category with its « Accepter / Refuser »
`fr-radio-group` pair, its description and a « Voir plus de détails » `fr-collapse` holding its partners
(providers) and cookies; one « Enregistrer » button in `fr-consent-manager__buttons`; and the
`fr-consent-placeholder`. Same ids, data attributes and native elements as preferences.py and embeds.py
(a modal <dialog>, real buttons, inputs carrying data-cb-category), so Dialog and Embeds drive either
look. Extra bundle, like the modules it stands in for."""

from banner.i18n import localize
from banner.ui.browser_help import browser_only
from banner.ui.dom import h, themed
from banner.ui.dsfr import buttons, languages
from banner.ui.tables import (cookie_table, provider_list, undeclared_on_page, accepted_names, PROVIDER_OF,
                              PROVIDER_NAME)


def _radios(doc, name, pairs):
    """DSFR's radio pair (`div.fr-consent-service__radios` of two `fr-radio-group`s): `pairs` are
    (id, label, attributes) for « Accepter » then « Refuser »."""
    return h(doc, "div", {"class": "fr-consent-service__radios"}, [
        h(doc, "div", {"class": "fr-radio-group"}, [
            h(doc, "input", dict(attrs, type="radio", id=rid, name=name)),
            h(doc, "label", {"class": "fr-label", "for": rid}, [label])]) for rid, label, attrs in pairs])


def _header(doc, strings, config, optional, accepted):
    """The first service of DSFR's manager: « Tout accepter / Tout refuser » for every optional category
    at once (checked only when every category already says the same), then the policy link."""
    chosen = [c.id in accepted for c in optional]
    everything = bool(chosen) and all(chosen)
    nothing = bool(chosen) and not any(chosen)
    policy = [" ", h(doc, "a", {"href": config.policy_url, "class": "fr-link"}, [strings["policy_link"]])] \
        if config.policy_url else []
    return h(doc, "div", {"class": "fr-consent-service fr-consent-manager__header"}, [
        h(doc, "fieldset", {"class": "fr-fieldset"}, [
            h(doc, "legend", {"class": "fr-consent-service__title", "id": "cb-all-legend"},
              [strings["all_services"] + "."] + policy),
            _radios(doc, "cb-all", [
                ("cb-all-accept", strings["accept_all"], {"data-cb-all": "accept", "checked": everything}),
                ("cb-all-refuse", strings["reject_all"], {"data-cb-all": "refuse", "checked": nothing})]),
        ])])


def _provider_service(doc, strings, category, index, provider, on):
    """A provider of a providerChoice category as DSFR's sub-purpose: a `fr-consent-service` whose fieldset's
    legend names the provider (and links its policy), with its own « Accepter / Refuser » pair."""
    key = "%s-%d" % (category.id, index)
    legend = "cb-provider-legend-" + key
    policy = [" ", h(doc, "a", {"href": provider.policy_url, "class": "fr-link fr-text--sm"},
                     [strings["policy_of"].replace("{provider}", provider.name)])] if provider.policy_url else []
    mark = {PROVIDER_OF: category.id, PROVIDER_NAME: provider.name}
    return h(doc, "div", {"class": "fr-consent-service", "data-cb-provider": provider.name}, [
        h(doc, "fieldset", {"class": "fr-fieldset fr-fieldset--inline"}, [
            h(doc, "legend", {"class": "fr-consent-service__title", "id": legend}, [provider.name] + policy),
            _radios(doc, "cb-provider-choice-" + key, [
                ("cb-provider-accept-" + key, strings["choice_accept"], dict(mark, value="accept", checked=on)),
                ("cb-provider-refuse-" + key, strings["choice_refuse"], dict(mark, value="refuse", checked=not on))]),
        ])])


def _partners(doc, strings, manifest, category, providers, checked, look):
    """The collapse's partners: the providers' list, or for a providerChoice category one radio pair per
    provider (DSFR's sub-purposes), in manifest order."""
    missing = undeclared_on_page(doc, manifest, category.id)
    if not category.provider_choice:
        return [provider_list(doc, strings, category, look, missing=missing)]
    accepted = accepted_names(category, checked, providers)
    note = h(doc, "p", {"class": "fr-text--sm", "data-cb-missing": True},
             [strings["providers_missing"].replace("{providers}", ", ".join(missing))]) if missing else None
    return [h(doc, "p", {"class": "fr-text--bold fr-mb-1v"}, [strings["provider_choice_heading"]])] \
        + [_provider_service(doc, strings, category, i, p, p.name in accepted)
           for i, p in enumerate(category.providers)] + [note]


def _details(doc, strings, manifest, config, category, title, providers, checked, look):
    """« Voir plus de détails »: the category's providers (partners; with a providerChoice, a pair each)
    and cookie table in a DSFR collapse, opened by DSFR's JavaScript when the page runs it, else by Dialog."""
    details = "cb-details-" + category.id
    return [
        h(doc, "div", {"class": "fr-consent-service__collapse"}, [
            h(doc, "button", {"type": "button", "class": "fr-consent-service__collapse-btn", "aria-expanded": "false",
                              "aria-describedby": "cb-legend-" + category.id, "aria-controls": details},
              [strings["more_details"]])]),
        h(doc, "div", {"class": "fr-consent-services fr-collapse", "id": details},
          _partners(doc, strings, manifest, category, providers, checked, look)
          + [cookie_table(doc, strings, manifest, config, category, title, look)]),
    ]


def _service(doc, strings, manifest, config, category, checked, providers, look):
    """One category as DSFR's `fr-consent-service`: its legend, the « Accepter / Refuser » pair (a required
    category: Accepter checked, Refuser disabled), its description, then its details."""
    title = localize(category.title, config.language)
    legend, desc = "cb-legend-" + category.id, "cb-desc-" + category.id
    on = checked or category.required
    return h(doc, "div", {"class": "fr-consent-service"}, [
        h(doc, "fieldset", {"class": "fr-fieldset", "role": "group", "aria-labelledby": legend + " " + desc,
                            "data-cb-cat": category.id}, [
            h(doc, "legend", {"class": "fr-consent-service__title", "id": legend}, [title]),
            _radios(doc, "cb-choice-" + category.id, [
                ("cb-accept-" + category.id, strings["choice_accept"],
                 {"data-cb-category": category.id, "value": "accept", "checked": on,
                  "data-cb-required": category.required}),
                ("cb-refuse-" + category.id, strings["choice_refuse"],
                 {"data-cb-category": category.id, "value": "refuse", "checked": not on,
                  "disabled": category.required})]),
            h(doc, "p", {"class": "fr-consent-service__desc", "id": desc},
              [localize(category.description, config.language)]
              + ([" ", strings["always_on"]] if category.required else [])
              + ([" ", strings["exempt_note"]] if category.exempt else [])),
        ] + _details(doc, strings, manifest, config, category, title, providers, checked, look))])


def centre(view, accepted, providers=None):
    """preferences.build's dialog: DSFR's large modal holding its consent manager (header pair, one service
    per category, one « Enregistrer » button). It is built when opened and removed when closed, so it
    carries DSFR's "opened" class from the start; Dialog opens it as a modal <dialog>, and DSFR's
    JavaScript, when the page runs it, drives it as its own modal (Escape, backdrop, focus)."""
    doc, strings, manifest, config = view.doc, view.strings, view.manifest, view.config
    lang, direction = view.lang, view.direction
    optional = [c for c in manifest.categories if not c.required]
    services = [_service(doc, strings, manifest, config, c, c.id in accepted, providers, view.look)
                for c in manifest.categories]
    save = buttons(doc, [(strings["save"], {"data-cb-action": "save"})],
                   "fr-consent-manager__buttons fr-btns-group--right fr-btns-group--inline-sm")
    manager = h(doc, "div", {"class": "fr-consent-manager"},
                [_header(doc, strings, config, optional, accepted)] + services
                + browser_only(doc, strings, view.look) + [save])
    return h(doc, "dialog", themed({"class": "fr-modal fr-modal--opened", "id": "cb-prefs", "role": "dialog",
                                    "aria-modal": "true", "aria-labelledby": "cb-prefs-title", "lang": lang,
                                    "dir": direction, "data-cb-ui": True}, view), [
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
                            h(doc, "p", {"class": "fr-text--sm"}, [strings["prefs_intro"]]),
                            languages(doc, strings, config, "cb-prefs"),
                            manager,        # last: DSFR pulls its button group into the modal's bottom padding
                        ]),
                    ])])])]),
    ])


def placeholder(view, attrs, text, providers, provider):
    """embeds.py's placeholder (`attrs`: its id, role, name and language) as DSFR's `fr-consent-placeholder`:
    its title « … est désactivé » (`provider` named; styled fr-h6 but not a heading: the page's outline is
    not ours to guess), the reason, the buttons; `providers` None: content that cannot load, no buttons."""
    doc, strings = view.doc, view.strings
    title = strings["placeholder_title"].replace("{provider}", provider)
    return h(doc, "div", themed(dict(attrs, **{"class": "fr-consent-placeholder"}), view), [
        h(doc, "p", {"class": "fr-h6 fr-mb-2v"}, [title]),
        h(doc, "p", {"class": "fr-mb-2v" if providers else "fr-mb-6v"}, [text]),
        h(doc, "p", {"class": "fr-text--sm fr-mb-6v"}, [providers]) if providers else None,
        buttons(doc, [(strings["allow_once"], {"data-cb-embed": "once", "secondary": True}),
                      (strings["allow_always"], {"data-cb-embed": "always"})],
                "fr-btns-group--center fr-btns-group--inline-sm") if providers else None,
    ])
