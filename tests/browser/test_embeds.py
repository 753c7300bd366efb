"""Embeds with a placeholder. Until its category is accepted, an <iframe data-consent data-src> has
no src and is hidden, and an accessible placeholder in its box names the provider with "Autoriser une fois"
(this page view only, nothing written) and "Toujours autoriser" (accepts the category). Iframes added
later get the same treatment; withdrawal unloads them. The demo's dataset page has one."""

from browser_kit import consent_value, decode_consent, demo_manifest

DATASET = "/explore/dataset/frequentation-parkings/"
ONCE, ALWAYS = "Autoriser une fois", "Toujours autoriser"

READ_EMBED = """
var frame = document.querySelector(arguments[0]);
var holder = frame.getAttribute("data-cb-frame") &&
             document.querySelector('[data-cb-placeholder="' + frame.getAttribute("data-cb-frame") + '"]');
return {src: frame.getAttribute("src"), hidden: frame.hidden, shown: frame.getClientRects().length > 0,
        holder: holder ? {text: holder.textContent, role: holder.getAttribute("role"),
                          label: holder.getAttribute("aria-label"), before: holder.nextElementSibling === frame,
                          shown: holder.getClientRects().length > 0} : null};"""

ADD_FRAME = """
var frame = document.createElement("iframe");
frame.id = "late"; frame.title = "Carte"; frame.width = "300"; frame.height = "150";
frame.setAttribute("data-consent", "analytics"); frame.setAttribute("data-provider", "Demo Dashboards");
frame.setAttribute("data-src", "/t/frame.html");
document.getElementById("main").appendChild(frame);"""


def embed(browser, css="iframe[data-consent]"):
    return browser.js(READ_EMBED, css)


def assert_blocked(browser, css, provider):
    state = embed(browser, css)
    assert state["src"] in (None, "about:blank") and state["hidden"] and not state["shown"]
    holder = state["holder"]
    assert holder and holder["shown"] and holder["before"] and holder["role"] == "group" and holder["label"]
    assert provider in holder["text"]


def placeholder(browser, css="iframe[data-consent]"):
    holder = browser.find(css).find_element("xpath", "preceding-sibling::*[1]")
    browser.js("arguments[0].scrollIntoView({block: 'center'});", holder)
    return holder


def test_the_dataset_page_embed_waits_behind_a_placeholder_and_allow_once_loads_it_for_this_view_only(browser, site):
    browser.open(site.url(DATASET))
    assert_blocked(browser, "iframe[data-consent]", "Demo Dashboards")
    assert sorted(browser.buttons(placeholder(browser))) == [ONCE, ALWAYS]
    browser.button(placeholder(browser), ONCE).click()
    browser.wait_js("var f = document.querySelector('iframe[data-consent]');"
                    " return f.contentDocument && !!f.contentDocument.getElementById('embed');",
                    "the embed did not load")
    state = embed(browser)
    assert state["src"] == "/embed.html" and state["shown"] and state["holder"] is None
    assert browser.cookie("cookies_preferences") is None, "allow once wrote a choice"
    assert browser.find("#analytics-status").text == "inactive", "allow once accepted the whole category"
    assert browser.banner() is not None
    browser.reload()
    assert_blocked(browser, "iframe[data-consent]", "Demo Dashboards")


def test_always_allow_accepts_the_category_and_loads_the_embed(browser, site):
    browser.open(site.url(DATASET))
    browser.button(placeholder(browser), ALWAYS).click()
    browser.wait_no_banner()
    assert decode_consent(browser.cookie("cookies_preferences")["value"]).accepted == ("analytics",)
    browser.wait_js("return document.querySelector('iframe[data-consent]').getAttribute('src') === '/embed.html'")
    assert embed(browser)["holder"] is None and embed(browser)["shown"]
    browser.wait_js("return !!window.demoAnalytics", "the category's other content did not run")


def test_an_iframe_added_later_gets_a_placeholder_and_withdrawal_unloads_it(browser, site):
    url = site.page("/t/late-embed.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]}, probes=False,
                    head="<style>iframe { display: block; width: 100%; }</style>")   # a portal's responsive CSS
    browser.open(url)
    browser.js(ADD_FRAME)
    browser.wait(lambda d: embed(browser, "#late")["holder"], "the late iframe got no placeholder")
    assert_blocked(browser, "#late", "Demo Dashboards")
    browser.button(placeholder(browser, "#late"), ALWAYS).click()
    browser.wait_js("return document.getElementById('late').getAttribute('src') === '/t/frame.html'")
    browser.wait_js("return window.__frameLoads === 1", "the embed did not load")
    # Withdrawal: the centre's "Tout refuser" unloads the iframe at once (a copy without src takes its
    # place, so that no history entry is left for Back) and brings the placeholder back.
    browser.js("window.__samePage = true;")
    browser.find("#manage").click()
    browser.click_dialog("Tout refuser")
    browser.wait_no_dialog()
    browser.wait_js("return document.getElementById('late').getAttribute('src') === null")
    assert browser.js("return window.__samePage") is True
    assert_blocked(browser, "#late", "Demo Dashboards")


def test_an_iframe_added_later_loads_directly_when_its_category_is_accepted(browser, site):
    browser.set_cookie("cookies_preferences", consent_value(["analytics"]))
    url = site.page("/t/late-embed-accepted.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]},
                    probes=False)
    browser.open(url)
    browser.js(ADD_FRAME)
    browser.wait_js("return document.getElementById('late').getAttribute('src') === '/t/frame.html'",
                    "the late iframe did not load")
    state = embed(browser, "#late")
    assert state["holder"] is None and state["shown"]


# -- content whose third party the manifest does not declare -------------------------------------------------
YOUTUBE = ('<iframe id="video" data-consent="analytics" data-provider="YouTube" width="560" height="315" '
           'title="Vidéo" data-src="https://www.youtube-nocookie.com/embed/xyz"></iframe>')
OWN = '<iframe id="own" data-consent="analytics" width="400" height="200" title="Carte" data-src="/t/frame.html"></iframe>'


def no_provider_manifest():
    """The demo manifest with no provider declared for analytics (the same-host embed needs none)."""
    manifest = demo_manifest()
    manifest["categories"][1].pop("providers")
    return manifest


def test_an_embed_of_an_undeclared_provider_says_so_and_offers_no_button_that_would_load_nothing(browser, site):
    """"Ce contenu est fourni par YouTube" with "Toujours autoriser" recorded a consent and loaded nothing:
    the placeholder says what is missing instead, and the centre says it too."""
    site.json("/t/no-provider.json", no_provider_manifest())
    url = site.page("/t/undeclared.html", {"manifest": "/t/no-provider.json"}, body=YOUTUBE + OWN, probes=False)
    browser.open(url)
    youtube, own = placeholder(browser, "#video"), placeholder(browser, "#own")
    assert youtube.text == ("Ce contenu ne peut pas s'afficher : son prestataire, YouTube, n'est pas déclaré dans "
                            "la catégorie « Mesure d'audience » de la politique de cookies de ce portail.")
    assert browser.buttons(youtube) == {}
    assert embed(browser, "#video")["src"] is None
    # the portal's own embed: the normal placeholder, one full stop at the end of each sentence
    assert "La catégorie « Mesure d'audience » ne fait appel à aucun prestataire tiers." in own.text
    assert ".." not in own.text and sorted(browser.buttons(own)) == [ONCE, ALWAYS]
    assert [e for e in browser.banner_errors()] == []          # nothing was tried yet: nothing refused

    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    note = dialog.find_element("css selector", '[data-cb-cat="analytics"] [data-cb-missing]')
    assert note.text == "Non déclaré, donc toujours bloqué sur cette page, même si vous acceptez : YouTube."
    assert not dialog.find_elements("css selector", '[data-cb-cat="necessary"] [data-cb-missing]')
    browser.click_dialog("Tout accepter")
    browser.wait_js("return document.getElementById('own').getAttribute('src') === '/t/frame.html'")
    assert embed(browser, "#video")["src"] is None and embed(browser, "#video")["holder"] is not None
    assert any("YouTube" in e for e in browser.banner_errors())       # the console names it once tried


def test_a_blocked_iframe_draws_nothing_until_its_placeholder_takes_its_box(browser, site):
    """Until its placeholder is there (here the embeds' code never arrives), a blocked iframe shows no
    empty framed box, and keeps its size so that nothing moves when the placeholder comes."""
    browser.driver.execute_cdp_cmd("Network.enable", {})
    browser.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*consent-extra.js*"]})
    try:
        url = site.page("/t/early-frame.html", {"manifest": "/t/cookies.json"}, body=OWN, probes=False)
        browser.driver.get(url)
        browser.wait_js("return document.adoptedStyleSheets.length > 0 && !!window.__BRYTHON__",
                        "the loader did not adopt its styles and load the runtime")
        state = browser.js("var f = document.getElementById('own');"
                           "return [getComputedStyle(f).visibility, f.clientWidth, f.clientHeight, f.hasAttribute('src')];")
        assert state == ["hidden", 400, 200, False]
    finally:
        browser.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    browser.console_errors()                    # the blocked bundle's own errors are this test's doing
