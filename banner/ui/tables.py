"""The cookie table of one category, built from the manifest: the preferences centre and the policy page
show the same rows from the same data (the portal never writes a table by hand)."""

from banner.i18n import localize
from banner.text import host_of
from banner.ui import media
from banner.ui.contract import CATEGORY, PROVIDER, SRC, marked
from banner.ui.dom import h
from banner.ui.media import MEDIA_SELECTOR

COLUMNS = ("col_provider", "col_name", "col_lifetime", "col_purpose")
# A provider's own control in a providerChoice category (both looks of the centre): its category, its name.
PROVIDER_OF = "data-cb-provider-of"
PROVIDER_NAME = "data-cb-provider-name"


def cookie_table(doc, strings, manifest, config, category, title, dsfr=False):
    lang = config.language
    labels = [strings[k] for k in COLUMNS]
    rows = []
    for k in manifest.cookies_of(category.id, multilingual=config.multilingual):
        cells = [localize(k.provider, lang), h(doc, "code", None, [k.name]), localize(k.lifetime, lang),
                 localize(k.purpose, lang)]
        # data-label lets the narrow-screen layout show each cell's column name (see consent.css)
        rows.append(h(doc, "tr", None, [h(doc, "td", {"data-label": label}, [cell])
                                        for label, cell in zip(labels, cells)]))
    if not rows:
        return h(doc, "p", {"class": "fr-text--sm" if dsfr else "cb-empty"}, [strings["no_cookies"]])
    head = h(doc, "tr", None, [h(doc, "th", {"scope": "col"}, [label]) for label in labels])
    caption = strings["table_caption"].replace("{title}", title)
    table = h(doc, "table", None if dsfr else {"class": "cb-table"}, [
        h(doc, "caption", None, [caption]),
        h(doc, "thead", None, [head]),
        h(doc, "tbody", None, rows),
    ])
    if dsfr:        # DSFR's table scrolls sideways in its container: a named region the keyboard can scroll
        container = {"class": "fr-table__container", "tabindex": "0", "role": "region", "aria-label": caption}
        return h(doc, "div", {"class": "fr-table fr-table--sm"}, [h(doc, "div", {"class": "fr-table__wrapper"}, [
            h(doc, "div", container, [h(doc, "div", {"class": "fr-table__content"}, [table])])])])
    return h(doc, "div", {"class": "cb-table-wrap"}, [table])


# The page's blocked content that names a third party (scripts.py, embeds.py and media.py act on the same).
BLOCKED_SELECTOR = ", ".join([marked('script[type="text/plain"]'), marked("iframe") + "[%s]" % SRC, MEDIA_SELECTOR])


def undeclared_on_page(doc, manifest, category_id):
    """What this page's blocked content of a category names (its data-provider, else its source's host)
    that no provider of the category declares: it never runs, even accepted (Manifest.undeclared)."""
    try:
        host, nodes = doc.location.hostname, doc.querySelectorAll(BLOCKED_SELECTOR)
    except Exception:                 # a document with no location (a fake one, in CPython)
        return []
    names = []
    for node in nodes:
        if node.getAttribute(CATEGORY) != category_id:
            continue
        named = node.getAttribute(PROVIDER)
        for url in (media.urls(node) if node.tagName not in ("SCRIPT", "IFRAME") else [node.getAttribute(SRC)]) \
                or [None]:
            if manifest.undeclared(category_id, named, url, host) is not None:
                name = named or host_of(url) or url
                if name not in names:
                    names.append(name)
    return names


def provider_list(doc, strings, category, dsfr=False, missing=()):
    """The third parties of one category, with a link to each one's privacy policy when declared (the
    list the first layer points to: every provider is named before the choice), then what the page
    holds of the category that none of them covers (`missing`: it stays blocked, said plainly)."""
    items = []
    for provider in category.providers:
        parts = [provider.name]
        if provider.policy_url:
            parts += [" \u2014 ", h(doc, "a", {"href": provider.policy_url, "class": "fr-link" if dsfr else "cb-link"},
                                    [strings["policy_of"].replace("{provider}", provider.name)])]
        items.append(h(doc, "li", {"data-cb-provider": provider.name}, parts))
    note = h(doc, "p", {"class": "fr-text--sm" if dsfr else "cb-providers__missing", "data-cb-missing": True},
             [strings["providers_missing"].replace("{providers}", ", ".join(missing))]) if missing else None
    if dsfr:
        heading = h(doc, "p", {"class": "fr-text--bold fr-mb-1v"}, [strings["providers_heading"]])
        listed = h(doc, "ul", None, items) if items else h(doc, "p", None, [strings["no_providers"]])
        return h(doc, "div", {"class": "fr-mb-2w", "data-cb-providers": True}, [heading, listed, note])
    heading = h(doc, "p", {"class": "cb-cat__providers-title"}, [strings["providers_heading"]])
    listed = h(doc, "ul", {"class": "cb-providers__list"}, items) if items else \
        h(doc, "p", {"class": "cb-empty"}, [strings["no_providers"]])
    return h(doc, "div", {"class": "cb-providers"}, [heading, listed, note])


def accepted_names(category, checked, providers):
    """The providers of a providerChoice category shown accepted: `providers(category id)` gives the standing
    (or pending) answer; without it, all of them when the category is accepted."""
    names = providers(category.id) if providers is not None else None
    if names is None:
        names = category.choice_order
    return [p.name for p in category.providers if checked and p.name in names]
