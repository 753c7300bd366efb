"""The looks (data-config `"look"`), each one object chosen once, where a View is made (View.look): the
default look (ours, consent.css) and the DSFR look, both here. A look holds its own builders, all with
the same signatures, so the code that uses them never asks which look it has:

    banner(view, purposes, text, why, choices)   the first layer (notice.build's parts)
    centre(view, accepted, providers)            the preferences centre (preferences.build)
    placeholder(view, attrs, text, providers, provider)   an embed's placeholder (embeds.py)
    table(doc, table, caption)                   a cookie table in its frame (tables.cookie_table)

and the attributes (mostly class names) the shared builders (tables.py, browser_help.py) give each part,
in `parts`; `mark` is its data-cb-look (dom.themed), None for ours. The centre and the placeholders are in
the extra bundle: a look reaches them through functions that import them when called, so start-up never
loads them."""

from banner.ui import dsfr, notice
from banner.ui.dom import h


class Look:
    """One look: its data, its first layer and table frame (start-up bundle), and its centre and
    placeholder builders, which `centre_of()` and `placeholder_of()` import on first use (extra bundle)."""

    def __init__(self, name, mark, parts, banner, table, centre_of, placeholder_of):
        self.name, self.mark, self.parts = name, mark, parts
        self.banner, self.table = banner, table
        self.centre_of, self.placeholder_of = centre_of, placeholder_of

    def centre(self, view, accepted, providers=None):
        return self.centre_of()(view, accepted, providers)

    def placeholder(self, view, attrs, text, providers, provider):
        return self.placeholder_of()(view, attrs, text, providers, provider)


def _default_centre():
    from banner.ui import preferences                  # extra bundle
    return preferences.centre


def _default_placeholder():
    from banner.ui import embeds                       # extra bundle
    return embeds.placeholder


def _default_table(doc, table, caption):
    return h(doc, "div", {"class": "cb-table-wrap"}, [table])


DEFAULT = Look("default", None, {
    "link": {"class": "cb-link"},                   # a link in the text (a provider's privacy policy)
    "no_cookies": {"class": "cb-empty"},            # in place of a category's cookie table
    "table": {"class": "cb-table"},
    "providers": {"class": "cb-providers"},         # a category's providers: their box, heading, list,
    "providers_heading": {"class": "cb-cat__providers-title"},
    "providers_list": {"class": "cb-providers__list"},
    "no_providers": {"class": "cb-empty"},          # the sentence in place of the list,
    "missing": {"class": "cb-providers__missing"},  # what the page holds that none of them covers
    "browsers": {"class": "cb-browsers"},           # the browsers' help links (browser_help.py),
    "browser_link": {},
    "browser_text": {"class": "cb-text cb-browser-only"},   # and the sentences before them
}, notice.banner, _default_table, _default_centre, _default_placeholder)


def _dsfr_centre():
    from banner.ui import dsfr_centre                  # extra bundle
    return dsfr_centre


def _dsfr_table(doc, table, caption):
    """DSFR's table scrolls sideways in its container: a named region the keyboard can scroll."""
    container = {"class": "fr-table__container", "tabindex": "0", "role": "region", "aria-label": caption}
    return h(doc, "div", {"class": "fr-table fr-table--sm"}, [h(doc, "div", {"class": "fr-table__wrapper"}, [
        h(doc, "div", container, [h(doc, "div", {"class": "fr-table__content"}, [table])])])])


# The DSFR look (its first layer in dsfr.py, its centre and placeholders in dsfr_centre.py): drawn by the
# DSFR stylesheet, ours stays out of it (`mark`: data-cb-look="dsfr" on each root, dom.themed).
DSFR = Look("dsfr", "dsfr", {
    "link": {"class": "fr-link"},
    "no_cookies": {"class": "fr-text--sm"},
    "table": None,
    "providers": {"class": "fr-mb-2w", "data-cb-providers": True},
    "providers_heading": {"class": "fr-text--bold fr-mb-1v"},
    "providers_list": None,
    "no_providers": None,
    "missing": {"class": "fr-text--sm"},
    "browsers": {"class": "fr-links-group"},           # DSFR's links group
    "browser_link": {"class": "fr-link"},
    "browser_text": {"class": "fr-text--sm"},
}, dsfr.banner, _dsfr_table, lambda: _dsfr_centre().centre, lambda: _dsfr_centre().placeholder)
LOOKS = {DEFAULT.name: DEFAULT, DSFR.name: DSFR}       # config.LOOKS


def look_of(config):
    """The look data-config chose (config.look)."""
    return LOOKS[config.look]
