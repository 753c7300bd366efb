"""{% consent_block %} in a category offering a choice per provider (providerChoice), through Django's test
client: a block goes out live only when the visitor accepted every provider whose content it holds."""

import copy
import json

import pytest
from django.test import Client

from djapp_kit import DEMO_MANIFEST, PROVIDER_BLOCKS, by_id, consent_cookie, find_all, parse, portal


def choice_manifest():
    """The demo manifest with analytics offering a choice between two providers, each on its own host."""
    manifest = copy.deepcopy(DEMO_MANIFEST)
    analytics = manifest["categories"][1]
    analytics["providerChoice"] = True
    analytics["providers"] = [{"name": "Demo Dashboards", "hosts": ["dash.example"]},
                              {"name": "Tiles", "hosts": ["tiles.example"]}]
    return manifest


@pytest.fixture
def choice_portal(tmp_path):
    path = tmp_path / "cookies.json"
    path.write_text(json.dumps(choice_manifest()), encoding="utf-8")
    with portal(MANIFEST=str(path), PER_VISITOR=True):
        yield


def sent(cookie):
    """Each block of the page: "live" (its content as written after the server's mark, nothing closed) or
    "closed" (one template)."""
    client = Client()
    if cookie is not None:
        client.cookies["cookies_preferences"] = cookie
    response = client.get("/providers/")
    assert response.status_code == 200
    tree = parse(response.content.decode("utf-8"))
    found = {}
    for name in PROVIDER_BLOCKS:
        holder = by_id(tree, name)
        templates = [t[1] for t in find_all(holder, "template")]
        if templates != [{"data-cb-live": "analytics"}]:
            assert templates == [{"data-consent": "analytics"}], name
            found[name] = "closed"
        else:
            assert find_all(holder, "script") or find_all(holder, "iframe"), name
            found[name] = "live"
    return found


def cookie(accepted=("analytics",), providers=None):
    return consent_cookie(list(accepted), manifest=choice_manifest(), providers=providers)


@pytest.mark.parametrize("providers, expected", [
    (["Demo Dashboards"], {"dashboards": "live", "tiles": "closed", "both": "closed", "own": "closed"}),
    (["Tiles"], {"dashboards": "closed", "tiles": "live", "both": "closed", "own": "closed"}),
    (None, {"dashboards": "live", "tiles": "live", "both": "live", "own": "live"}),
], ids=["dashboards-only", "tiles-only", "every-provider"])
def test_a_block_goes_out_live_only_when_every_provider_it_holds_is_accepted(choice_portal, providers, expected):
    chosen = None if providers is None else {"analytics": providers}
    assert sent(cookie(providers=chosen)) == expected


def test_the_same_blocks_follow_each_visitors_own_choice_from_one_request_to_the_next(choice_portal):
    dashboards, tiles = cookie(providers={"analytics": ["Demo Dashboards"]}), cookie(providers={"analytics": ["Tiles"]})
    assert sent(dashboards)["dashboards"] == "live" and sent(tiles)["dashboards"] == "closed"
    assert sent(dashboards)["tiles"] == "closed" and sent(tiles)["tiles"] == "live"


@pytest.mark.parametrize("value", [None, "refused", "no-provider"])
def test_without_an_accepted_provider_every_block_stays_closed(choice_portal, value):
    stored = {None: None, "refused": cookie(accepted=()), "no-provider": cookie(providers={"analytics": []})}[value]
    assert set(sent(stored).values()) == {"closed"}


def test_a_live_block_of_an_accepted_provider_is_marked_as_run_for_the_page(choice_portal):
    client = Client()
    client.cookies["cookies_preferences"] = cookie(providers={"analytics": ["Tiles"]})
    tree = parse(client.get("/providers/").content.decode("utf-8"))
    assert [s[1] for s in find_all(by_id(tree, "tiles"), "script")] == [
        {"src": "https://tiles.example/map.js", "data-consent": "analytics", "data-cb-ran": ""}]


def test_on_a_page_for_every_visitor_the_blocks_stay_closed_whatever_was_chosen(tmp_path):
    path = tmp_path / "cookies.json"
    path.write_text(json.dumps(choice_manifest()), encoding="utf-8")
    with portal(MANIFEST=str(path)):
        assert set(sent(cookie()).values()) == {"closed"}
