"""The DSFR look (`"look": "dsfr"`), first layer: the banner written with the French government design
system's consent-banner classes and structure (a `fr-consent-banner` with its title, content and button
group), so that the DSFR stylesheet the portal loads draws it, and ours does not touch it. Only the markup
differs from notice.py's: same id, texts, actions ("Continuer sans accepter" included, which DSFR's own
example lacks) and language choice, so the same code drives both. Written from DSFR's documentation of
the component's structure. The centre and the placeholders are in dsfr_centre.py (extra bundle); the look
itself, as a View holds it, is looks.DSFR."""

from banner.ui.dom import h, themed


def buttons(doc, choices, group):
    """A DSFR button group (`ul.fr-btns-group`): `choices` are (label, attributes) pairs, the first
    ones primary; a pair whose attributes say "secondary" gets DSFR's secondary look."""
    items = []
    for label, attrs in choices:
        attrs = dict(attrs)
        kind = " fr-btn--secondary" if attrs.pop("secondary", False) else ""
        items.append(h(doc, "li", None, [h(doc, "button", dict(attrs, type="button", **{"class": "fr-btn" + kind}),
                                           [label])]))
    return h(doc, "ul", {"class": "fr-btns-group " + group}, items)


def languages(doc, strings, config, id_prefix):
    """The language choice as small tertiary DSFR buttons (dom.language_choice's attributes)."""
    from banner.i18n import LANGUAGE_NAMES
    if not config.multilingual:
        return None
    label_id = id_prefix + "-lang-label"
    # the current language filled (primary), the others outlined: a difference of shape, not only of hue
    items = [h(doc, "li", None, [h(doc, "button", {
        "type": "button", "class": "fr-btn fr-btn--sm" + ("" if code == config.language else " fr-btn--tertiary"),
        "lang": code, "data-cb-language": code, "aria-current": "true" if code == config.language else None},
        [LANGUAGE_NAMES.get(code, code)])]) for code in config.languages]
    return h(doc, "div", {"role": "group", "aria-labelledby": label_id}, [
        h(doc, "p", {"id": label_id, "class": "fr-text--sm fr-mb-1v"}, [strings["language_label"]]),
        h(doc, "ul", {"class": "fr-btns-group fr-btns-group--inline fr-btns-group--sm"}, items)])


def banner(view, purposes, text, why, choices):
    """notice.build's banner: `purposes`, `text` and `why` (or None) are its paragraphs, the providers'
    list one tap from the purposes, `choices` its three (label, action) buttons: accept and refuse
    primary (equally visible), "Personnaliser" secondary."""
    doc, strings, config = view.doc, view.strings, view.config
    providers = h(doc, "button", {"type": "button", "class": "fr-link fr-text--sm", "data-cb-action": "providers"},
                  [strings["providers_link"]])
    policy = h(doc, "p", {"class": "fr-text--sm"}, [
        h(doc, "a", {"href": config.policy_url, "class": "fr-link fr-text--sm"}, [strings["policy_link"]])]) \
        if config.policy_url else None
    group = "fr-consent-banner__buttons fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-sm"
    return h(doc, "section", themed({"class": "fr-consent-banner", "id": "cb-banner", "role": "region",
                                     "aria-labelledby": "cb-banner-title", "lang": view.lang,
                                     "dir": view.direction, "data-cb-ui": True}, view), [
        # DSFR's close link, top right as in its modals (its cross is in the core stylesheet, unlike the
        # fr-icon-* classes); then the title
        h(doc, "div", {"class": "fr-grid-row fr-grid-row--right fr-mb-1v"}, [
            h(doc, "button", {"type": "button", "id": "cb-continue", "data-cb-action": "reject_all",
                              "class": "fr-link fr-link--close"}, [strings["continue_without"]])]),
        h(doc, "h2", {"class": "fr-h6", "id": "cb-banner-title"}, [strings["banner_title"]]),
        h(doc, "div", {"class": "fr-consent-banner__content"}, [
            h(doc, "p", {"class": "fr-text--sm", "data-cb-purposes": True}, [purposes + " ", providers]),
            h(doc, "p", {"class": "fr-text--sm"}, [why]) if why else None,
            h(doc, "p", {"class": "fr-text--sm"}, [text]),
            policy,
            languages(doc, strings, config, "cb-banner"),
        ]),
        buttons(doc, [(label, {"data-cb-action": action, "secondary": action == "customise"})
                      for label, action in choices], group),
    ])
