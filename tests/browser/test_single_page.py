"""Single-page portals. Content added after start-up is treated like content that was there from the
start: blocked scripts of accepted categories run once, in insertion order (an external one awaited before
the next), with the banner's nonce; the others stay inert until their category is accepted; late iframes get
their src or placeholder, a late cookie-policy element is filled. In-page navigation (a pushState router
swapping the main content, popstate, hash changes) re-asks nothing, logs and announces nothing, and the
footer link still opens the centre, also from a link of the new view; a portal re-rendering all of <body>
gets the banner and the reopen button back. `consentBanner.apply(node)` hands over what a framework rendered
out of the observer's sight (a fragment not yet inserted, a shadow root)."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from browser_kit import (FRAME_HTML, LoggingSite, consent_value, decode_consent, render_page, serving,
                         two_category_manifest)

pytestmark = pytest.mark.journey                # every test in Chromium, Firefox and WebKit

MANIFEST = two_category_manifest()                      # analytics, then video
CONFIG = {"manifest": "/t/cookies.json", "languages": ["fr"], "consentLog": "/consent-log/"}
NONCE = "spa-n0nce"

# A router as single-page portals have one: every same-origin link is intercepted (unless something
# already handled the click, which React Router, Vue Router, Turbo and AngularJS's $location all check),
# the URL is pushed and #view is re-rendered from markup, as frameworks do.
ROUTER = """
<nav><a href="/t/spa/" id="to-home">Accueil</a> <a href="/t/spa/dataset" id="to-dataset">Jeu de données</a>
     <a href="/t/spa/politique" id="to-policy">Cookies</a></nav>
<div id="view"></div>
<script>
  window.__order = []; window.__routed = 0;
  var VIEWS = {
    "/t/spa/": '<h2>Accueil</h2><p>Bienvenue.</p>',
    "/t/spa/dataset": '<h2>Fréquentation</h2>' +
      '<script type="text/plain" data-consent="analytics">window.__order.push("dataset-analytics")<\\/script>' +
      '<script type="text/plain" data-consent="video">window.__order.push("dataset-video")<\\/script>' +
      '<iframe id="map" title="Carte" data-consent="analytics" data-src="/t/frame.html?map"></iframe>' +
      '<iframe id="clip" title="Vidéo" data-consent="video" data-provider="Vidéos Démo" data-src="/t/frame.html?clip"></iframe>' +
      '<p><a href="/t/spa/cookies" id="view-manage" data-consent-open>Vos choix de cookies</a></p>',
    "/t/spa/politique": '<h2>Politique cookies</h2><div id="policy" data-consent-policy="3"><p>Chargement…</p></div>'
  };
  function render() {
    var view = document.getElementById("view");
    if (view.getAttribute("data-view") === location.pathname) { return; }   // a hash change: same view
    view.innerHTML = VIEWS[location.pathname] || "<p>Introuvable</p>";
    view.setAttribute("data-view", location.pathname);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || link.origin !== location.origin) { return; }
    event.preventDefault();
    window.__routed += 1;
    history.pushState({}, "", link.href);
    render();
  });
  window.addEventListener("popstate", render);
  render();
</script>
"""

# Blocked scripts inserted by the page, each push recording its name: [category, name, kind] where kind is
# "inline", "external" or "slow" (an external script the server answers after 0.4 s).
ADD_SCRIPTS = """
var specs = arguments[0], target = arguments[1] === "shadow" ? document.getElementById("widget").shadowRoot
                                                              : document.querySelector(arguments[1] || "#main");
var box = document.createElement("div");
specs.forEach(function (spec) {
  var s = document.createElement("script");
  s.type = "text/plain"; s.setAttribute("data-consent", spec[0]); s.setAttribute("data-name", spec[1]);
  if (spec[2] === "inline") { s.textContent = 'window.__order.push("' + spec[1] + '");'; }
  else { s.setAttribute("data-src", "/t/spa-ext.js?name=" + spec[1] + (spec[2] === "slow" ? "&slow=1" : "")); }
  box.appendChild(s);
});
target.appendChild(box);"""

# The live copies the banner inserted (each keeps the data-name of its inert original), in document order.
LIVE = """return Array.prototype.map.call(document.querySelectorAll('script[data-consent]:not([type="text/plain"])'),
                                     function (s) { return s.getAttribute("data-name"); });"""


def _external(handler):
    query = parse_qs(urlsplit(handler.path).query)
    if "slow" in query:
        time.sleep(0.4)          # a queue that did not await it would run the next script first
    return ('window.__order.push("%s");' % query["name"][0]).encode("utf-8")


class SpaSite(LoggingSite):
    """A portal in French whose /consent-log/ receiver writes to a SQLite file the tests read."""

    def __init__(self, path):
        super().__init__(path, ["fr"], {"/t/frame.html": ("text/html; charset=utf-8", FRAME_HTML),
                                        "/t/spa-ext.js": ("text/javascript", _external),
                                        "/t/cookies.json": ("application/json", json.dumps(MANIFEST).encode("utf-8"))})

    def page(self, path, body="", config=None, head=""):
        """A page whose loader tag carries the CSP nonce NONCE."""
        html = render_page(config or CONFIG, body=body, probes=False, head=head).replace(
            b'<script src="/static/dist/consent.js"',
            b'<script nonce="%s" src="/static/dist/consent.js"' % NONCE.encode())
        self.routes[path] = ("text/html; charset=utf-8", html)
        return self.url(path)


@pytest.fixture(scope="module")
def spa(tmp_path_factory, servers):
    yield from serving(SpaSite(str(tmp_path_factory.mktemp("spa-log") / "log.sqlite3")), servers)


@pytest.fixture
def plain_page(spa):
    return spa.page("/t/spa/plain.html", body="<script>window.__order = [];</script>")


def accept(browser, spa, *categories):
    browser.set_cookie("cookies_preferences", consent_value(categories, manifest=MANIFEST), url=spa.url("/"))


def add_scripts(browser, specs, target="#main"):
    browser.js(ADD_SCRIPTS, [list(s) for s in specs], target)


def order(browser):
    return browser.js("return window.__order;")


def wait_order(browser, count):
    browser.wait_js("return window.__order.length >= %d;" % count, "the accepted scripts did not all run")
    browser.settled()            # a script that would wrongly run a second time has run by then
    return order(browser)


def frame(browser, css):
    return browser.js("""var f = document.querySelector(arguments[0]), id = f.getAttribute("data-cb-frame");
        var holder = id && f.getRootNode().querySelector('[data-cb-placeholder="' + id + '"]');
        return {src: f.getAttribute("src"), hidden: f.hidden, holder: !!holder};""", css)


# -- scripts added after start-up ----------------------------------------------------------------------
def test_scripts_added_before_a_choice_stay_inert_then_run_once_in_insertion_order_with_the_nonce(browser, spa,
                                                                                                  plain_page):
    browser.open(plain_page)
    browser.wait_banner()
    add_scripts(browser, [("analytics", "a1", "inline"), ("analytics", "a2", "slow"), ("video", "v1", "inline"),
                          ("analytics", "a3", "inline")])
    add_scripts(browser, [("analytics", "a4", "external")])          # a second insertion, later
    browser.settled()
    assert order(browser) == [], "a late script ran before any choice"
    assert browser.js(LIVE) == []
    browser.click_banner("Tout accepter")
    assert wait_order(browser, 5) == ["a1", "a2", "v1", "a3", "a4"]
    live = browser.js("return Array.prototype.map.call(document.querySelectorAll("
                      "'script[data-consent]:not([type=\"text/plain\"])'), function (s) { return s.nonce; });")
    assert live == [NONCE] * 5, "the live scripts did not get the banner's nonce"
    # Never twice: a later decision re-applies the choice, and a framework moving a node re-inserts it.
    browser.find("#manage").click()
    browser.click_dialog("Tout accepter")
    browser.wait_no_dialog()
    browser.js("var s = document.querySelector('script[data-name=a1]'); document.body.appendChild(s);")
    browser.settled()
    assert order(browser) == ["a1", "a2", "v1", "a3", "a4"], "a script ran twice"


def test_scripts_added_after_consent_run_at_once_and_the_refused_ones_when_accepted_later(browser, spa, plain_page):
    accept(browser, spa, "analytics")
    browser.open(plain_page)
    add_scripts(browser, [("analytics", "a1", "inline"), ("analytics", "a2", "slow"), ("video", "v1", "inline")])
    add_scripts(browser, [("analytics", "a3", "inline")])    # arrives while a2 is still loading: waits for it
    assert wait_order(browser, 3) == ["a1", "a2", "a3"]
    assert browser.js(LIVE) == ["a1", "a2", "a3"], "a script of a refused category was revived"
    add_scripts(browser, [("analytics", "a4", "inline")])
    assert wait_order(browser, 4) == ["a1", "a2", "a3", "a4"]
    browser.find("#manage").click()
    browser.click_dialog("Tout accepter")                              # video accepted now
    assert wait_order(browser, 5) == ["a1", "a2", "a3", "a4", "v1"]
    assert browser.js(LIVE) == ["a1", "a2", "v1", "a3", "a4"]


# -- in-page navigation ---------------------------------------------------------------------------------
@pytest.mark.journey
def test_settled_waits_for_the_scripts_just_added_and_their_slow_downloads(browser, spa, plain_page):
    """consentBanner.settled() is the signal the other tests wait on instead of a delay: it resolves only
    once content the page has just added is treated, an external script taking 0.4 s to arrive included."""
    accept(browser, spa, "analytics")
    browser.open(plain_page)
    browser.settled()
    add_scripts(browser, [("analytics", "s1", "slow"), ("analytics", "s2", "inline"), ("video", "v1", "inline")])
    browser.settled()
    assert order(browser) == ["s1", "s2"], "settled before the queue had run what was just added"


def test_push_state_navigation_re_asks_nothing_and_the_new_view_follows_the_stored_choice(browser, spa):
    url = spa.page("/t/spa/", body=ROUTER)
    spa.routes["/t/spa/dataset"] = spa.routes["/t/spa/"]               # the server answers every route alike
    spa.clear()
    browser.open(url)
    browser.wait_banner()
    events = browser.events()
    assert events == [["necessary"]]

    # Before any choice: the new view's content stays blocked and the banner stays, once.
    browser.find("#to-dataset").click()
    browser.wait_js("return document.getElementById('view').getAttribute('data-view') === '/t/spa/dataset';")
    browser.wait(lambda d: frame(browser, "#map")["holder"] and frame(browser, "#clip")["holder"],
                 "the new view's iframes got no placeholder")
    browser.settled()
    assert order(browser) == [] and len(browser.find_all("#cb-banner")) == 1

    # A choice: analytics only. One record, one event.
    browser.button(browser.wait_banner(), "Personnaliser").click()
    browser.switches(browser.wait_dialog())["Mesure d'audience"].click()
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    assert wait_order(browser, 1) == ["dataset-analytics"]
    browser.wait_js("return document.getElementById('map').getAttribute('src') === '/t/frame.html?map';")
    assert frame(browser, "#clip")["holder"] and frame(browser, "#clip")["src"] is None
    cookie = browser.cookie("cookies_preferences")["value"]
    assert decode_consent(cookie).accepted == ("analytics",)
    events = browser.events()
    assert events == [["necessary"], ["necessary", "analytics"]]
    assert len(spa.rows()) == 1

    # Navigation: pushState home, back (popstate) to a freshly rendered dataset view, a hash change.
    browser.js("window.__samePage = true;")
    browser.find("#to-home").click()
    browser.wait_js("return document.getElementById('view').getAttribute('data-view') === '/t/spa/';")
    browser.js("history.back();")
    browser.wait_js("return document.getElementById('view').getAttribute('data-view') === '/t/spa/dataset';")
    browser.js("location.hash = '#carte';")
    assert wait_order(browser, 2) == ["dataset-analytics", "dataset-analytics"], "the new view's script did not run"
    browser.wait_js("return document.getElementById('map').getAttribute('src') === '/t/frame.html?map';")
    assert frame(browser, "#clip")["holder"] and frame(browser, "#clip")["src"] is None
    assert browser.js("return window.__samePage;") is True
    assert browser.banner() is None and browser.dialog() is None, "navigation re-asked"
    assert browser.cookie("cookies_preferences")["value"] == cookie
    assert browser.events() == events, "navigation fired consent:change"
    time.sleep(0.3)
    assert len(spa.rows()) == 1, "navigation logged a decision"

    # The link of the new view opens the centre; the router does not navigate instead.
    routed = browser.js("return window.__routed;")
    browser.find("#view-manage").click()
    browser.wait_dialog()
    assert browser.js("return [location.pathname, window.__routed];") == ["/t/spa/dataset", routed]
    browser.click_dialog("Tout accepter")
    browser.wait_no_dialog()
    assert wait_order(browser, 3) == ["dataset-analytics", "dataset-analytics", "dataset-video"]
    browser.wait_js("return document.getElementById('clip').getAttribute('src') === '/t/frame.html?clip';")
    browser.wait(lambda d: len(spa.rows()) == 2, "the decision was not logged")
    assert browser.events() == events + [["necessary", "analytics", "video"]]
    # The page's footer link too, after all this navigation.
    browser.find("#manage").click()
    browser.wait_dialog()
    assert browser.js("return [location.pathname, window.__routed];") == ["/t/spa/dataset", routed]


def test_a_cookie_policy_view_rendered_in_the_page_is_filled_and_its_button_opens_the_centre(browser, spa):
    url = spa.page("/t/spa/", body=ROUTER)
    spa.routes["/t/spa/politique"] = spa.routes["/t/spa/"]
    accept(browser, spa, "analytics")
    browser.open(url)
    browser.find("#to-policy").click()
    browser.wait_js("return !!document.querySelector('#policy.cb-policy h3') &&"
                    " document.querySelectorAll('#policy table').length === 3;", "the policy view was not filled")
    assert "Chargement" not in browser.find("#policy").text
    browser.js("document.querySelector('#policy button[data-consent-open]').click();")
    browser.wait_dialog()
    assert browser.js("return location.pathname;") == "/t/spa/politique"


def test_a_portal_re_rendering_the_whole_body_keeps_the_banner_the_reopen_button_and_the_centre(browser, spa):
    browser.open(spa.page("/t/spa/reopen.html", config=dict(CONFIG, reopenButton=True)))
    browser.wait_banner()
    browser.wait(lambda d: browser.find_all(".cb-reopen"), "no reopen button")
    rerender = ("document.body.innerHTML = '<main id=\"main\"><h1>Vue ' + arguments[0] + '</h1></main>' +"
                " '<footer><a href=\"#\" id=\"manage\" data-consent-open>Gestion des cookies</a></footer>';")
    browser.js(rerender, "2")
    browser.wait_banner()
    assert len(browser.find_all("#cb-banner")) == 1
    browser.wait(lambda d: len(browser.find_all(".cb-reopen")) == 1, "the reopen button was not put back")
    browser.find("#manage").click()
    browser.wait_dialog()
    browser.js(rerender, "3")                  # the open centre goes with the body
    browser.wait_no_dialog()
    browser.find("#manage").click()
    browser.click_dialog("Tout refuser")
    browser.wait_no_banner()
    assert decode_consent(browser.cookie("cookies_preferences")["value"]).accepted == ()
    assert browser.js("return document.querySelector('[role=status][aria-live]').textContent;"), \
        "the decision was not announced"


# -- consentBanner.apply --------------------------------------------------------------------------------
FRAGMENT = """
var box = document.createElement("section");
box.innerHTML = '<script type="text/plain" data-consent="analytics">window.__order.push("fragment")<\\/script>' +
  '<iframe id="f-map" title="Carte" data-consent="analytics" data-src="/t/frame.html?f-map"></iframe>' +
  '<iframe id="f-clip" title="Vidéo" data-consent="video" data-src="/t/frame.html?f-clip"></iframe>';
window.__fragment = box;
consentBanner.apply(box);"""

SHADOW = """
var host = document.createElement("div"); host.id = "widget";
var root = host.attachShadow({mode: "open"});
root.innerHTML = '<script type="text/plain" data-consent="analytics">window.__order.push("shadow")<\\/script>' +
  '<iframe id="s-clip" title="Vidéo" data-consent="video" data-src="/t/frame.html?s-clip"></iframe>' +
  '<button type="button" id="s-manage" data-consent-open>Cookies</button>';
document.getElementById("main").appendChild(host);
consentBanner.apply(root);"""

SHADOW_FRAME = """var f = document.getElementById("widget").shadowRoot.getElementById("s-clip");
return {src: f.getAttribute("src"), holder: !!f.previousElementSibling &&
        f.previousElementSibling.classList.contains("cb-embed")};"""


def test_apply_treats_a_fragment_before_it_is_inserted_and_a_shadow_root(browser, spa, plain_page):
    accept(browser, spa, "analytics")
    browser.open(plain_page)
    browser.js(FRAGMENT)
    browser.wait_js("var b = window.__fragment; return !!b.querySelector('.cb-embed') &&"
                    " b.querySelector('#f-map').getAttribute('src') === '/t/frame.html?f-map';",
                    "apply() did not treat the fragment's iframes before insertion")
    assert browser.js("return window.__fragment.querySelector('#f-clip').hidden;") is True
    assert order(browser) == [], "a script of a fragment outside the document ran"
    browser.js("document.getElementById('main').appendChild(window.__fragment);")
    assert wait_order(browser, 1) == ["fragment"]

    browser.js(SHADOW)
    assert wait_order(browser, 2) == ["fragment", "shadow"]
    browser.wait(lambda d: browser.js(SHADOW_FRAME)["holder"], "the shadow root's iframe got no placeholder")
    # watched from now on: a script added inside the shadow root later runs too
    add_scripts(browser, [("analytics", "shadow-late", "inline")], "shadow")
    assert wait_order(browser, 3) == ["fragment", "shadow", "shadow-late"]
    # an open-link inside the shadow root opens the centre; accepting there loads the shadow iframe
    browser.js("document.getElementById('widget').shadowRoot.getElementById('s-manage').click();")
    browser.click_dialog("Tout accepter")
    browser.wait(lambda d: browser.js(SHADOW_FRAME)["src"] == "/t/frame.html?s-clip",
                 "the shadow root's iframe did not load on acceptance")
    assert not browser.js(SHADOW_FRAME)["holder"]


def test_apply_before_start_up_is_honoured_once_started(browser, spa):
    url = spa.page("/t/spa/early.html", body="""<script>
      window.__order = [];
      document.addEventListener("DOMContentLoaded", function () {   // the loader's stand-in API only
        window.__standIn = !window.__consentBoot.ready;
        %s
      });</script>""" % SHADOW.replace("\n", " "))
    accept(browser, spa, "analytics")
    browser.open(url)
    assert browser.js("return window.__standIn;") is True
    assert wait_order(browser, 1) == ["shadow"]
    browser.wait(lambda d: browser.js(SHADOW_FRAME)["holder"], "the shadow root's iframe got no placeholder")


def test_after_a_failed_start_apply_and_late_scripts_run_nothing(browser, spa):
    url = spa.page("/t/spa/broken.html", body="<script>window.__order = [];</script>",
                   config='{"manifest": "/t/cookies.json", "languages": ["fr"')
    accept(browser, spa, "analytics")
    browser.open(url)
    browser.js(SHADOW)                       # no exception
    add_scripts(browser, [("analytics", "late", "inline")])
    browser.settled()                        # failed closed: at once, and nothing ran
    assert order(browser) == []
    assert browser.js(SHADOW_FRAME)["src"] is None
    assert len(browser.banner_errors()) == 1
