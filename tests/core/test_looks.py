"""The theme and the look are part of the rendered tree (banner/server/prerender.py runs the page's own builders
in CPython): the first layer painted ahead of Python, and one a server renders, already carry them, and
the DSFR look's tree holds no class of our stylesheet. The browser side: tests/browser/test_theming.py and
test_dsfr_look.py."""

import json
import os

import pytest

from banner.server.loader_facts import config_key
from banner.server.prerender import prerender

from core_kit import ROOT

with open(os.path.join(ROOT, "demo", "site", "cookies.json"), encoding="utf-8") as _handle:
    MANIFEST = json.load(_handle)


def nodes(tree):
    tag, attrs, children = tree
    yield tag, attrs
    for child in children:
        if not isinstance(child, str):
            yield from nodes(child)


def first_layer(**config):
    return prerender(dict({"manifest": "/cookies.json", "languages": ["fr", "en"]}, **config), MANIFEST)


@pytest.mark.parametrize("theme", ["light", "dark", "auto"])
def test_the_painted_first_layer_carries_its_theme(theme):
    tree = first_layer(theme=theme)["trees"]["fr"]
    assert tree[1]["data-cb-theme"] == theme and "cb-banner" in tree[1]["class"].split()


def test_the_dsfr_first_layer_is_dsfr_markup_with_no_class_of_ours():
    tree = first_layer(look="dsfr")["trees"]["en"]
    assert tree[1]["class"] == "fr-consent-banner" and tree[1]["data-cb-look"] == "dsfr"
    classes = [c for _, attrs in nodes(tree) for c in attrs.get("class", "").split()]
    assert [c for c in classes if c.startswith("cb-")] == []
    assert {"fr-consent-banner__content", "fr-consent-banner__buttons", "fr-btn", "fr-btn--secondary"} <= set(classes)
    actions = [attrs["data-cb-action"] for _, attrs in nodes(tree) if "data-cb-action" in attrs]
    assert actions == ["reject_all", "providers", "accept_all", "reject_all", "customise"]


def test_a_page_in_another_theme_or_look_does_not_take_a_first_layer_painted_for_the_default():
    default = first_layer()["key"]
    assert first_layer(theme="light", look="default")["key"] == default
    assert len({default, first_layer(theme="dark")["key"], first_layer(look="dsfr")["key"]}) == 3
    assert config_key({"manifest": "/cookies.json", "darkClass": "dark"}) == config_key({"manifest": "/cookies.json"})


def test_every_look_offers_the_same_builders_and_parts():
    """The views ask the look for their markup and never which look it is (banner/ui/looks.py): a part or
    a builder one look lacks would fail only in a page of that look, when that view is first built."""
    from banner.ui.looks import DEFAULT, LOOKS
    from banner.config import LOOKS as CONFIG_LOOKS
    assert sorted(LOOKS) == sorted(CONFIG_LOOKS)
    for look in LOOKS.values():
        assert set(look.parts) == set(DEFAULT.parts), look.name
        assert all(callable(getattr(look, name)) for name in ("banner", "centre", "placeholder", "table")), look.name
    assert [look.mark for look in LOOKS.values()].count(None) == 1
