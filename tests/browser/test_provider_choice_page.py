"""A choice per provider in the page: in a category offering it, blocked scripts and embeds run only for
the providers the visitor accepted, « Toujours autoriser » on an embed accepts that provider only, and
taking a provider back after its script ran reloads the page, as a withdrawal does."""

import time

import pytest

from browser_kit import FRAME_HTML, add_json, add_page, demo_manifest, routes_added, with_recorder
from banner.consent import decide
from banner.cookies import decode_consent, encode_consent
from banner.manifest import parse_manifest

VIDEO = {"id": "video", "title": {"fr": "Vidéos", "en": "Videos"},
         "description": {"fr": "Lecteurs vidéo de partenaires.", "en": "Partners' video players."},
         "providerChoice": True, "providers": [{"name": "Vidéos A"}, {"name": "Vidéos B"}]}
BODY = """
<script type="text/plain" data-consent="video" data-provider="Vidéos A">window.__ranA = (window.__ranA || 0) + 1;</script>
<script type="text/plain" data-consent="video" data-provider="Vidéos B">window.__ranB = (window.__ranB || 0) + 1;</script>
<script type="text/plain" data-consent="video">window.__ranUnclaimed = true;</script>
<iframe id="player" title="Lecteur B" data-consent="video" data-provider="Vidéos B" data-src="/t/pc/frame.html"
  width="300" height="150"></iframe>
"""
CONFIG = {"manifest": "/t/pc/cookies.json", "languages": ["fr"]}


def manifest_data():
    data = demo_manifest()
    data["categories"] = data["categories"] + [VIDEO]
    return data


def stored(action, choices=(), providers=None):
    """The cookies_preferences value of a decision made a minute ago, by the product's own encoder."""
    manifest = parse_manifest(manifest_data(), ["fr", "en"])
    return encode_consent(decide(manifest, action, int(time.time() * 1000) - 60000, "k2m9x0c4a7q1v8z3",
                                 list(choices), providers=providers))


@pytest.fixture
def pc_site(site):
    added = {}
    add_json(added, "/t/pc/cookies.json", manifest_data())
    added["/t/pc/frame.html"] = ("text/html; charset=utf-8", with_recorder(FRAME_HTML))
    add_page(added, "/t/pc/page.html", CONFIG, body=BODY, probes=False)
    with routes_added(site, added):
        yield site


def ran(browser):
    return browser.js("return [window.__ranA || 0, window.__ranB || 0, !!window.__ranUnclaimed];")


def visit(browser, site, value):
    browser.set_cookie("cookies_preferences", value, url=site.url("/"))
    browser.open(site.url("/t/pc/page.html"))


@pytest.mark.journey
def test_only_the_accepted_provider_runs_and_always_allowing_an_embed_adds_its_provider(browser, pc_site):
    visit(browser, pc_site, stored("custom", ["video"], {"video": ["Vidéos A"]}))
    browser.wait(lambda d: ran(browser)[0] == 1, "the accepted provider's script did not run")
    placeholder = browser.wait(lambda d: browser.find_all("[data-cb-placeholder]"), "B's player has no placeholder")[0]
    assert ran(browser) == [1, 0, False], "a refused provider's script, or one no provider claims, ran"
    assert browser.js("return document.getElementById('player').getAttribute('src');") is None

    # A closed block added later names no provider: it waits for every provider. The script of A added
    # with it runs once that same batch of content is treated.
    browser.js("var box = document.createElement('div');"
               "box.innerHTML = '<template data-consent=\"video\"><p id=\"later\">bloc</p></template>'"
               " + '<script type=\"text/plain\" data-consent=\"video\" data-provider=\"Vidéos A\">'"
               " + 'window.__ranA += 1;</' + 'script>';"
               "document.getElementById('main').appendChild(box);")
    browser.wait(lambda d: ran(browser)[0] == 2, "the script of A added later did not run")
    assert browser.find_all("#later") == [], "a block no provider claims opened with one provider refused"

    browser.button(placeholder, "Toujours autoriser").click()
    browser.wait(lambda d: browser.js("return document.getElementById('player').getAttribute('src');"),
                 "the player of the provider just allowed did not load")
    browser.wait(lambda d: ran(browser) == [2, 1, True], "B's script, then the unclaimed one, did not run")
    browser.wait(lambda d: browser.find_all("#later"), "the block did not open once every provider was accepted")
    kept = decode_consent(browser.document_cookies()["cookies_preferences"])
    assert kept.accepted == ("video",) and kept.providers == {}, "both providers accepted: the whole category"


@pytest.mark.journey
def test_taking_a_provider_back_after_its_script_ran_reloads_the_page_without_it(browser, pc_site):
    visit(browser, pc_site, stored("accept_all"))
    browser.wait(lambda d: ran(browser) == [1, 1, True], "every provider accepted: every script runs")
    browser.js("window.__before = true;")
    only_a = stored("custom", ["analytics", "video"], {"video": ["Vidéos A"]})
    # what another tab's decision does: store the choice and announce it on the site's channel
    browser.navigating(lambda: browser.js(
        "document.cookie = 'cookies_preferences=' + arguments[0] + '; path=/';"
        "new BroadcastChannel('consent-banner').postMessage(arguments[0]);", only_a))
    browser.wait(lambda d: ran(browser)[0] == 1, "after the reload, A's script did not run")
    assert browser.js("return window.__before === undefined;"), "the page was not reloaded"
    assert ran(browser) == [1, 0, False]
    assert browser.find_all("[data-cb-placeholder]"), "B's player is not held back"
