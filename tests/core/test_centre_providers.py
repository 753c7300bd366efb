"""The preferences centre of a category offering a choice per provider, built in CPython by the page's own
builders (banner.ui.preferences, banner.ui.dsfr_centre) on the server-side Document: one control per
provider, in the manifest's order, named, pre-set from the standing answer, in both looks. How they turn
together is tested in real browsers (tests/browser/test_provider_choice_centre.py)."""

import pytest

from banner.server.document import Document
from banner.i18n import strings
from banner.lang import SHIPPED
from banner.ui import preferences
from banner.ui.view import View

PROVIDERS = [{"name": "YouTube", "policyUrl": "https://policies.google.com/privacy", "hosts": ["youtube-nocookie.com"]},
             {"name": "Vimeo", "hosts": ["player.vimeo.com"]},
             {"name": "Dailymotion", "policyUrl": "https://legal.dailymotion.com/fr/politique-de-confidentialite/",
              "hosts": ["dailymotion.com"]}]


@pytest.fixture
def manifest(parse, manifest_data):
    data = manifest_data(["analytics", "video"])
    data["categories"][1]["providers"] = [{"name": "Matomo"}]
    data["categories"][2].update(providers=PROVIDERS, providerChoice=True)
    return parse(data)


def centre(manifest, config, accepted=(), providers=None, language="fr", **data):
    page = config(language=language, languages=[language], **data)
    return preferences.build(View(Document(), strings(language, complete=True), manifest, page, language, "ltr"),
                             list(accepted), providers).tree()


def nodes(tree):
    yield tree
    for child in tree[2]:
        if not isinstance(child, str):
            yield from nodes(child)


def text(tree):
    return "".join(c if isinstance(c, str) else text(c) for c in tree[2])


def inside(tree, **attrs):
    return next(n for n in nodes(tree) if all(n[1].get(k) == v for k, v in attrs.items()))


def controls(tree, category):
    return [n for n in nodes(tree) if n[0] == "input" and n[1].get("data-cb-provider-of") == category]


def test_a_category_with_a_choice_per_provider_has_a_named_switch_per_provider_in_manifest_order(manifest, config):
    tree = centre(manifest, config)
    video = inside(tree, **{"data-cb-cat": "video"})
    switches = controls(video, "video")
    assert [s[1]["data-cb-provider-name"] for s in switches] == ["YouTube", "Vimeo", "Dailymotion"]
    labels = {n[1]["for"]: text(n) for n in nodes(tree) if n[0] == "label"}
    assert [labels[s[1]["id"]] for s in switches] == ["Accepter YouTube", "Accepter Vimeo", "Accepter Dailymotion"]
    assert all(s[1]["type"] == "checkbox" and s[1]["role"] == "switch" for s in switches)
    links = [n[1]["href"] for n in nodes(video) if n[0] == "a"]
    assert links == [PROVIDERS[0]["policyUrl"], PROVIDERS[2]["policyUrl"]]
    group = inside(video, role="group")
    assert text(inside(tree, id=group[1]["aria-labelledby"])) == "Prestataires : acceptez-les un par un"


def test_a_category_without_the_choice_keeps_its_plain_list_of_providers(manifest, config):
    tree = centre(manifest, config)
    analytics = inside(tree, **{"data-cb-cat": "analytics"})
    assert controls(tree, "analytics") == [] and "Matomo" in text(analytics)


@pytest.mark.parametrize("look", [None, "dsfr"])
def test_the_controls_show_the_standing_answer(manifest, config, look):
    data = {"look": look} if look else {}
    answer = {"video": ["Vimeo"]}
    tree = centre(manifest, config, ["video"], answer.get, **data)
    accepted = [c[1]["data-cb-provider-name"] for c in controls(tree, "video")
                if "checked" in c[1] and c[1].get("value") != "refuse"]
    assert accepted == ["Vimeo"]
    everyone = centre(manifest, config, ["video"], None, **data)        # accepted with no mask: all of them
    assert len([c for c in controls(everyone, "video") if "checked" in c[1] and c[1].get("value") != "refuse"]) == 3
    refused = centre(manifest, config, [], lambda c: [], **data)
    assert not [c for c in controls(refused, "video") if "checked" in c[1] and c[1].get("value") != "refuse"]


def test_the_dsfr_centre_has_an_accept_refuse_pair_per_provider_inside_the_details_collapse(manifest, config):
    tree = centre(manifest, config, ["video"], {"video": ["YouTube", "Dailymotion"]}.get, look="dsfr")
    collapse = inside(tree, id="cb-details-video")
    assert "fr-collapse" in collapse[1]["class"]
    services = [n for n in nodes(collapse) if n[0] == "fieldset"]
    legends = [text(next(c for c in s[2] if not isinstance(c, str) and c[0] == "legend")) for s in services]
    assert [legend.split(" ")[0] for legend in legends] == ["YouTube", "Vimeo", "Dailymotion"]
    labels = {n[1]["for"]: text(n) for n in nodes(tree) if n[0] == "label"}
    for service in services:
        radios = [n for n in nodes(service) if n[0] == "input"]
        assert [r[1]["type"] for r in radios] == ["radio", "radio"]
        assert [labels[r[1]["id"]] for r in radios] == ["Accepter", "Refuser"]
        assert radios[0][1]["name"] == radios[1][1]["name"]
        assert ("checked" in radios[0][1]) != ("checked" in radios[1][1])
    assert controls(tree, "video") == [n for n in nodes(collapse) if n[0] == "input"]


@pytest.mark.parametrize("look", [None, "dsfr"])
def test_every_id_and_radio_group_of_the_centre_is_unique(manifest, config, look):
    tree = centre(manifest, config, ["video"], **({"look": look} if look else {}))
    ids = [n[1]["id"] for n in nodes(tree) if "id" in n[1]]
    assert len(ids) == len(set(ids))
    groups = [n[1]["name"] for n in nodes(tree) if n[1].get("type") == "radio" and "checked" in n[1]]
    assert len(groups) == len(set(groups))


@pytest.mark.parametrize("language", SHIPPED)
def test_the_provider_switches_speak_every_shipped_language(manifest, config, language):
    tree = centre(manifest, config, language=language)
    labels = {n[1]["for"]: text(n) for n in nodes(tree) if n[0] == "label"}
    named = [labels[s[1]["id"]] for s in controls(tree, "video")]
    assert all(p["name"] in label and label != p["name"] for p, label in zip(PROVIDERS, named))
    assert named[0] == strings(language, complete=True)["provider_switch"].replace("{provider}", "YouTube")
