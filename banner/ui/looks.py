"""The looks (data-config `"look"`), each one object chosen once, where a View is made (View.look): the
default look (ours, consent.css) here, the DSFR look in dsfr.py. A look holds its own builders, all with
the same signatures, so the code that uses them never asks which look it has:

    banner(view, purposes, text, why, choices)   the first layer (notice.build's parts)
    centre(view, accepted, providers)            the preferences centre (preferences.build)
    placeholder(view, attrs, text, providers, provider)   an embed's placeholder (embeds.py)
    table(doc, table, caption)                   a cookie table in its frame (tables.cookie_table)

and the attributes (mostly class names) the shared builders (tables.py, browser_help.py) give each part,
in `parts`; `mark` is its data-cb-look (dom.themed), None for ours. The centre and the placeholders are in
the extra bundle: a look reaches them by importing inside the function, so start-up never loads them."""

from banner.ui import notice
from banner.ui.dom import h
from banner.ui.dsfr import DSFR


class DefaultLook:
    name = "default"
    mark = None
    parts = {
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
    }

    @staticmethod
    def banner(view, purposes, text, why, choices):
        return notice.banner(view, purposes, text, why, choices)

    @staticmethod
    def centre(view, accepted, providers=None):
        from banner.ui import preferences          # extra bundle
        return preferences.centre(view, accepted, providers)

    @staticmethod
    def placeholder(view, attrs, text, providers, provider):
        from banner.ui import embeds               # extra bundle
        return embeds.placeholder(view, attrs, text, providers, provider)

    @staticmethod
    def table(doc, table, caption):
        return h(doc, "div", {"class": "cb-table-wrap"}, [table])


DEFAULT = DefaultLook()
LOOKS = {DEFAULT.name: DEFAULT, DSFR.name: DSFR}       # config.LOOKS


def look_of(config):
    """The look data-config chose (config.look)."""
    return LOOKS[config.look]
