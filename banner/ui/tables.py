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


def cookie_table(doc, strings, manifest, config, category, title, look):
    """In `look`'s classes and frame (looks.py)."""
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
        return h(doc, "p", look.parts["no_cookies"], [strings["no_cookies"]])
    head = h(doc, "tr", None, [h(doc, "th", {"scope": "col"}, [label]) for label in labels])
    caption = strings["table_caption"].replace("{title}", title)
    table = h(doc, "table", look.parts["table"], [
        h(doc, "caption", None, [caption]),
        h(doc, "thead", None, [head]),
        h(doc, "tbody", None, rows),
    ])
    return look.table(doc, table, caption)


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


def provider_list(doc, strings, category, look, missing=()):
    """The third parties of one category, with a link to each one's privacy policy when declared (the
    list the first layer points to: every provider is named before the choice), then what the page
    holds of the category that none of them covers (`missing`: it stays blocked, said plainly). In
    `look`'s classes (looks.py)."""
    parts = look.parts
    items = []
    for provider in category.providers:
        named = [provider.name]
        if provider.policy_url:
            named += [" \u2014 ", h(doc, "a", dict({"href": provider.policy_url}, **parts["link"]),
                                    [strings["policy_of"].replace("{provider}", provider.name)])]
        items.append(h(doc, "li", {"data-cb-provider": provider.name}, named))
    note = h(doc, "p", dict(parts["missing"], **{"data-cb-missing": True}),
             [strings["providers_missing"].replace("{providers}", ", ".join(missing))]) if missing else None
    heading = h(doc, "p", parts["providers_heading"], [strings["providers_heading"]])
    listed = h(doc, "ul", parts["providers_list"], items) if items else \
        h(doc, "p", parts["no_providers"], [strings["no_providers"]])
    return h(doc, "div", parts["providers"], [heading, listed, note])


def accepted_names(category, checked, providers):
    """The providers of a providerChoice category shown accepted: `providers(category id)` gives the standing
    (or pending) answer; without it, all of them when the category is accepted."""
    names = providers(category.id) if providers is not None else None
    if names is None:
        names = category.choice_order
    return [p.name for p in category.providers if checked and p.name in names]
