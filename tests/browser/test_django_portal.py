"""The demo Django portal (demo/portal: the app banner.django), served by Django's own runserver
(tests/browser/django_site.py) and driven in Chromium, Firefox and WebKit:

- pages the same for every visitor (the default): the first layer the server wrote is painted before any
  script, kept out of the first paint for a visitor who has chosen, and taken over by Python; its buttons
  post a real form that decides before the loader has run and without JavaScript; on a return visit the
  loader opens the consented blocks before Python starts; page content dressed as that layer is neither
  its clicks nor its place;
- per-visitor pages: a consented block live at parse, before the runtime, once, Google Consent Mode's
  default and update before it, withdrawal reloading; no layer once decided, even without JavaScript;
- the server's refresh of the consent cookie, and the language choice reaching LocaleMiddleware."""

import re
import sqlite3
import time

import pytest

from a11y_kit import contrast, effective_background, parse_colour, tab_until
from browser_kit import consent_value, decode_consent, demo_manifest, render_page, serving
from django_site import serve

DAY = 24 * 3600
LIFETIME = 182 * DAY
DATASET = "/explore/dataset/frequentation-parkings/"
EXEMPT = ("audience",)      # the demo's exempt measurement: on whatever the visitor answers, until opposed
ACCENT = (0.0, 0.0, 145.0, 1.0)         # the banner's buttons: --cb-accent, #000091
FOCUS_RING = ["solid", "3px", "rgb(10, 118, 246)"]     # the banner's ring: --cb-focus, #0a76f6


class Running:
    def __init__(self, directory, **env):
        self.base, self.process, self.database = serve(directory, **env)

    def url(self, path="/"):
        return self.base + path

    def records(self):
        db = sqlite3.connect(self.database)
        try:
            return db.execute("SELECT action, source, accepted FROM consent_banner_consentrecord ORDER BY id").fetchall()
        finally:
            db.close()

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def portal(tmp_path_factory, servers):
    yield from serving(Running(tmp_path_factory.mktemp("shared")), servers)


@pytest.fixture(scope="module")
def per_visitor(tmp_path_factory, servers):
    yield from serving(Running(tmp_path_factory.mktemp("visitor"), DEMO_PER_VISITOR="1", TEST_CONSENT_MODE="1"),
                       servers)


@pytest.fixture(autouse=True)
def french(browser, request):
    """The portal's pages in French, whatever the engine's Accept-Language."""
    for name in ("portal", "per_visitor"):
        if name in request.fixturenames:
            browser.set_cookie("django_language", "fr", url=request.getfixturevalue(name).url())


def first_banner(browser):
    return browser.js("return window.__first;")


def with_server_layer(page, layer, before=""):
    """`page` (render_page's text) as {% consent_banner %} writes a first layer: the layer, then the loader's
    tag right after it; `before`: page content ahead of both."""
    tag = re.search(r'<script src="[^"]*consent\.js"[^>]*></script>', page).group(0)
    return page.replace(tag, "", 1).replace("<body>", "<body>" + before + layer + "\n" + tag, 1)


def with_session_flag(browser, url, flag, action):
    """Prepare to open `url` with sessionStorage[flag] = action, as a new visitor (no cookie): the flag is
    set from a page of the same origin without the banner (leaving a page while it loads would abort it)."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    browser.open("%s://%s/t/blank.html" % (parts.scheme, parts.netloc), ready=False)
    browser.js("sessionStorage.setItem(arguments[0], arguments[1]);", flag, action)
    browser.driver.delete_all_cookies()
    browser.set_cookie("django_language", "fr", url=url)


def pick(browser, css, element=None):
    """Click a control of the page as a visitor does: scrolled to the middle of the screen first (the top,
    for a button in a page whose first layer, still shown without scripts, covers its lower half)."""
    element = element or browser.find(css)
    browser.js("arguments[0].scrollIntoView({block: arguments[1]});", element, "start" if css is None else "center")
    element.click()


def stored(browser):
    cookie = browser.cookie("cookies_preferences")
    return decode_consent(cookie["value"]) if cookie else None


def no_script(browser, base):
    """From now on every page of the portal comes with script-src 'none': no script of it runs."""
    browser.set_cookie("test_nojs", "1", url=base + "/")


def only_blocked_scripts(browser):
    """The console errors of a page without scripts are the browser's reports of the scripts it blocked."""
    errors = browser.console_errors()
    assert all("Content Security Policy" in e or "Content-Security-Policy" in e for e in errors), errors


def check_looks_like_the_banners_button(browser, button, where):
    """The policy form's submit button is drawn as the banner's are (not as plain text): filled with the
    accent, its text readable on it."""
    colours = browser.js("var s = getComputedStyle(arguments[0]); return [s.backgroundColor, s.color];", button)
    assert parse_colour(colours[0]) == ACCENT, "%s: « Enregistrer mes choix » is filled with %s, not the accent" % (
        where, colours[0])
    ratio = contrast(parse_colour(colours[1]), effective_background(browser, button))
    assert ratio >= 4.5, "%s: « Enregistrer mes choix » text contrast %.2f:1 < 4.5:1" % (where, ratio)


def withdraw_in_the_centre(browser):
    """The analytics tag ran: « Tout refuser » in the centre reloads the page (only a reload stops it), and
    then nothing of it runs or remains, its block closed again."""
    browser.find("footer [data-consent-open]").click()
    browser.navigating(lambda: browser.click_dialog("Tout refuser"))
    assert browser.js("return window.__analyticsRan || 0;") == 0
    assert [n for n in browser.document_cookies() if n.startswith("demo_analytics")] == []
    assert len(browser.find_all("template[data-consent=analytics]")) == 1


# -- pages the same for every visitor ----------------------------------------------------------------------
@pytest.mark.journey
def test_the_server_layer_is_painted_before_any_script_and_python_takes_its_place(browser, portal):
    browser.open(portal.url())
    first = first_banner(browser)
    assert first["prerendered"] and first["displayed"]
    assert not first["loaderRan"] and not first["pythonStarted"]
    live = browser.banner()
    assert live.get_attribute("data-cb-prerendered") is None and len(browser.find_all("#cb-banner")) == 1
    assert live.find_elements("css selector", "button[form]") == []       # the page's own buttons now
    # painted with the page, it made no entrance, and the live one none either
    assert [a for a in browser.js("return window.__animations;") if a.startswith("cb-slide-in ")] == []


@pytest.mark.journey
def test_a_click_on_the_server_layer_once_the_loader_runs_is_replayed_by_python(browser, portal):
    with_session_flag(browser, portal.url(), "clickEarly", "reject_all")
    browser.open(portal.url())
    assert browser.js("return window.__clickedEarly;")
    browser.wait_no_banner()
    assert stored(browser).accepted == EXEMPT
    assert browser.events()[-1] == ["necessary"] + list(EXEMPT)
    assert browser.js("return location.pathname;") == "/"             # decided in the page, not posted


@pytest.mark.journey
def test_a_click_before_the_loader_has_run_posts_the_form_and_the_server_decides(browser, portal):
    before = len(portal.records())
    with_session_flag(browser, portal.url(DATASET), "clickAtOnce", "accept_all")
    browser.open(portal.url(DATASET), ready=False)
    browser.wait(lambda d: stored(browser) is not None, "the form decided nothing")
    browser.wait_ready()
    assert browser.js("return location.pathname;") == DATASET        # back on the page it was made on
    assert stored(browser).accepted == ("analytics",) + EXEMPT
    browser.wait_js("return !!document.querySelector('iframe[data-consent][src]')", "the map did not load")
    assert browser.banner() is None and browser.js("return window.__analyticsRan;") == 1
    assert portal.records()[before:] == [("accept_all", "form", "analytics,audience")]


@pytest.mark.journey
def test_without_javascript_the_layer_and_the_policy_page_decide_and_withdraw(browser, portal):
    no_script(browser, portal.base)
    before = len(portal.records())
    browser.open(portal.url(), ready=False)
    assert browser.js("return !!window.__consentBoot;") is False      # no script of the page ran
    browser.navigating(lambda: browser.button(browser.banner(), "Tout refuser").click(), ready=False)
    assert stored(browser).accepted == EXEMPT
    # « Personnaliser » leads to the policy page's choices, which accept and then withdraw
    browser.navigating(lambda: browser.button(browser.banner(), "Personnaliser").click(), ready=False)
    assert browser.js("return location.pathname + location.hash;") == "/pages/cookies/#cb-choices"
    form = browser.find("#cb-choices")
    check_looks_like_the_banners_button(browser, browser.button(form, "Enregistrer mes choix"), "without JavaScript")
    pick(browser, "#cb-choices-analytics-1")
    browser.navigating(lambda: pick(browser, None, browser.button(form, "Enregistrer mes choix")), ready=False)
    assert stored(browser).accepted == ("analytics",) + EXEMPT
    assert browser.js("return location.pathname;") == "/pages/cookies/"
    pick(browser, "#cb-choices-analytics-0")
    browser.navigating(lambda: pick(browser, None, browser.button(browser.find("#cb-choices"), "Enregistrer mes choix")),
                       ready=False)
    assert stored(browser).accepted == EXEMPT
    assert portal.records()[before:] == [("reject_all", "form", "audience"),
                                         ("custom", "policy_form", "analytics,audience"),
                                         ("withdraw", "policy_form", "audience")]
    assert browser.js("return document.querySelectorAll('iframe[src], script[data-cb-ran]').length;") == 0
    only_blocked_scripts(browser)


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "no-javascript"])
def test_the_policy_pages_form_has_the_banners_button_and_focus_ring(browser, portal, scripts):
    """The choices form follows the policy, outside it: its button is the banner's, and so is the ring a
    keyboard user sees on it, whether the banner's script runs or not."""
    where = "with JavaScript" if scripts else "without JavaScript"
    if not scripts:
        no_script(browser, portal.base)
    browser.open(portal.url("/pages/cookies/"), ready=scripts)
    form = browser.find("#cb-choices")
    button = browser.button(form, "Enregistrer mes choix")
    check_looks_like_the_banners_button(browser, button, where)
    browser.js("arguments[0].querySelector('input:not([type=hidden])').focus();", form)
    assert tab_until(browser, "el.matches('#cb-choices button[type=submit]')", limit=10), "the button takes no focus"
    ring = browser.js("var s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth,"
                      " s.outlineColor];", button)
    assert ring == FOCUS_RING, "%s: the focused « Enregistrer mes choix » has %r, not the banner's ring" % (
        where, ring)


CHOICE_STATE = """var f = document.getElementById('cb-choices'), out = {};
f.querySelectorAll('input[type=radio]:checked').forEach(function (r) { out[r.name] = r.value; });
return out;"""


def test_the_policy_pages_form_shows_the_stored_choice_once_the_banner_runs(browser, portal):
    """The page is the same for every visitor, so the server checks « Refuser »: once Python runs, the
    form follows a decision made on the page and shows the stored one on the next visit, so that
    « Enregistrer mes choix » pressed after a mere look withdraws nothing."""
    browser.open(portal.url("/pages/cookies/"))
    assert browser.js(CHOICE_STATE)["cb-category-analytics"] == "0"            # nothing chosen yet
    browser.click_banner("Tout accepter")
    browser.wait(lambda d: browser.js(CHOICE_STATE)["cb-category-analytics"] == "1",
                 "the form did not follow the decision made on the page")
    browser.reload()
    browser.settled()
    state = browser.js(CHOICE_STATE)
    assert state["cb-category-analytics"] == "1", "the form does not show the stored acceptance: %r" % state
    assert browser.js("return document.querySelectorAll('link[rel=stylesheet][href*=\"consent.css\"]').length;") \
        == 1, "our stylesheet is linked more than once"


@pytest.mark.journey
def test_a_return_visit_keeps_the_layer_out_of_the_first_paint_and_opens_consented_blocks_before_python(
        browser, portal):
    browser.set_cookie("cookies_preferences", consent_value(["analytics"]), url=portal.url())
    browser.open(portal.url())
    first = first_banner(browser)
    assert first["prerendered"] and not first["displayed"]           # never painted
    # the loader opened the block before Python started (when the tag's download then ends is the network's)
    assert browser.js("return window.__analyticsLive;") == {"pythonStarted": False}
    assert browser.js("return window.__analyticsRan;") == 1
    assert browser.banner() is None                                   # Python removed the hidden layer
    assert browser.find("#analytics-status").get_attribute("class") == "badge badge--on"
    assert browser.find_all("template[data-consent]") == []             # the block is open
    withdraw_in_the_centre(browser)


@pytest.mark.journey
def test_a_stored_choice_that_no_longer_stands_shows_the_layer_again(browser, portal):
    browser.set_cookie("cookies_preferences", consent_value(["analytics"], revision=9), url=portal.url())
    browser.open(portal.url())
    assert first_banner(browser)["displayed"] is False
    banner = browser.wait_banner()
    assert banner.is_displayed() and browser.js("return window.__analyticsRan || 0;") == 0


@pytest.mark.journey
def test_a_refused_embed_in_a_closed_block_shows_its_placeholder_and_allow_once_opens_it(browser, portal):
    browser.set_cookie("cookies_preferences", consent_value([]), url=portal.url())
    browser.open(portal.url(DATASET))
    placeholder = browser.wait(lambda d: browser.find_all("[data-cb-placeholder]"), "no placeholder")[0]
    assert "Demo Dashboards" in placeholder.text
    assert browser.find_all("iframe") == []                              # still in its closed block
    browser.button(placeholder, "Autoriser une fois").click()
    browser.wait_js("var f = document.querySelector('iframe[data-consent]'); return !!(f && f.src);",
                    "the map did not load once allowed")
    assert browser.find_all("[data-cb-placeholder]") == []
    assert stored(browser).accepted == () and browser.js("return window.__analyticsRan || 0;") == 0


def test_a_click_on_a_server_layer_showing_other_content_decides_nothing(browser, site):
    """A layer rendered from another manifest content than the page's live one (say, a server not yet
    restarted after an edit): clicks on it are never consent for what the live banner shows."""
    from banner.server.document import to_html
    from banner.fingerprint import layer_key
    from banner.manifest import parse_manifest
    from banner.server.prerender import layer_tree
    from browser_kit import document_script
    from django_site import OBSERVER
    other = demo_manifest()
    other["categories"][1]["description"] = {"fr": "Une autre finalité", "en": "Another purpose"}
    config = {"manifest": "/cookies.json", "languages": ["fr", "en"], "language": "fr"}
    manifest = parse_manifest(other, ["fr", "en"])
    layer = to_html(layer_tree(config, manifest, "fr"),
                    {"data-cb-prerendered": "", "data-cb-content": layer_key(manifest)})
    page = with_server_layer(render_page(config).decode("utf-8"), layer)
    url = site.route("/t/django-other-content.html", "text/html; charset=utf-8", page.encode("utf-8"))
    with document_script(browser, OBSERVER):
        with_session_flag(browser, url, "clickEarly", "accept_all")
        browser.open(url)
    assert browser.js("return window.__clickedEarly;")
    banner = browser.wait_banner()
    assert banner.get_attribute("data-cb-prerendered") is None         # the live one asks
    assert browser.cookie("cookies_preferences") is None
    assert any("another manifest content" in e["message"] for e in browser.console())


@pytest.mark.journey
def test_page_content_dressed_as_the_server_layer_is_neither_its_clicks_nor_its_place(browser, site):
    """The server's layer is the one written with the loader's tag: page content carrying its marks and
    the live manifest's content key (a contributor's HTML, kept with its data-* attributes by a sanitizer),
    even ahead of it in the page, is clicked before Python runs: nothing is kept or decided, and the live
    banner takes the place of the server's layer, leaving that content as it was."""
    from banner.server.document import to_html
    from banner.fingerprint import layer_key
    from banner.manifest import parse_manifest
    from banner.server.prerender import layer_tree
    config = {"manifest": "/cookies.json", "languages": ["fr", "en"], "language": "fr"}
    manifest = parse_manifest(demo_manifest(), ["fr", "en"])
    key = layer_key(manifest)
    layer = to_html(layer_tree(config, manifest, "fr"), {"data-cb-prerendered": "", "data-cb-content": key})
    forged = ('<div class="description" data-cb-prerendered data-cb-content="%s"><a id="forged" href="#csv" '
              'data-cb-action="accept_all">Télécharger le jeu de données (CSV)</a></div>' % key)
    # the visitor clicks the link once the loader runs, before Python has started
    click = """<script>var timer = setInterval(function () {
      var boot = window.__consentBoot, link = document.getElementById("forged");
      if (boot && !boot.ready && link) { clearInterval(timer); window.__clickedEarly = true; link.click(); }
    }, 2);</script>"""
    page = with_server_layer(render_page(config, head=click).decode("utf-8"), layer, before=forged)
    url = site.route("/t/django-dressed-content.html", "text/html; charset=utf-8", page.encode("utf-8"))
    browser.open(url)
    assert browser.js("return window.__clickedEarly;")
    assert browser.js("return window.__consentBoot.actions.length;") == 0
    assert browser.js("return localStorage.getItem('consent-banner:pending');") is None
    browser.settled()
    assert browser.cookie("cookies_preferences") is None
    assert browser.events()[-1] == ["necessary"]
    assert browser.js("return window.__optional || [];") == [], "an optional script ran"
    banners = browser.find_all("#cb-banner")
    assert len(banners) == 1 and banners[0].is_displayed() and banners[0].get_attribute("data-cb-prerendered") is None
    assert browser.js("var d = document.querySelector('div.description');"
                      "return !!(d && d.hasAttribute('data-cb-prerendered') && d.querySelector('#forged'));"), \
        "the live banner took the place of the page's content"


# -- per-visitor pages --------------------------------------------------------------------------------------
@pytest.mark.journey
def test_per_visitor_a_consented_block_runs_at_parse_after_consent_mode_once_and_withdrawal_reloads(
        browser, per_visitor):
    browser.set_cookie("cookies_preferences", consent_value(["analytics"]), url=per_visitor.url())
    browser.open(per_visitor.url())
    when = browser.js("return window.__analyticsWhen;")
    # while the document was being parsed, before the banner's Python had started
    assert browser.js("return window.__analyticsRan;") == 1
    assert when["readyState"] == "loading" and when["pythonStarted"] is False
    # Google Consent Mode's default, then the standing decision's update, were there before the tag ran
    import json
    assert json.loads(when["dataLayer"])[:2] == [
        ["consent", "default", {"ad_storage": "denied", "ad_user_data": "denied", "ad_personalization": "denied",
                                "analytics_storage": "denied", "functionality_storage": "denied",
                                "personalization_storage": "denied", "security_storage": "denied",
                                "wait_for_update": 500}],
        ["consent", "update", {"analytics_storage": "granted"}]]
    layer = browser.js("return Array.from(dataLayer, function (e) { return Array.from(e); });")
    assert [e[:2] for e in layer].count(["consent", "default"]) == 1     # Python sent no second default
    assert browser.document_cookies()["demo_analytics_visits"] == "1"        # not run a second time
    assert browser.banner() is None
    withdraw_in_the_centre(browser)


@pytest.mark.journey
def test_per_visitor_without_javascript_the_layer_goes_once_the_form_decided(browser, per_visitor):
    no_script(browser, per_visitor.base)
    browser.open(per_visitor.url(), ready=False)
    browser.navigating(lambda: browser.button(browser.banner(), "Tout accepter").click(), ready=False)
    assert stored(browser).accepted == ("analytics",) + EXEMPT
    assert browser.banner() is None
    only_blocked_scripts(browser)


def test_the_server_refreshes_the_cookie_with_its_remaining_lifetime_on_a_per_visitor_page(browser, per_visitor):
    decided = int(time.time()) - 10 * DAY
    value = consent_value([], decided_at=decided * 1000)
    browser.set_cookie("cookies_preferences", value, url=per_visitor.url(), expires=time.time() + 3600)  # ITP's cap
    browser.open(per_visitor.url())
    cookie = browser.cookie("cookies_preferences")
    assert cookie["value"] == value and not cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert abs(cookie["expires"] - (decided + LIFETIME)) < 10
    marker = browser.cookie("cookies_preferences_refreshed")
    assert marker["httpOnly"] and abs(marker["expires"] - (time.time() + DAY)) < 60


def test_the_banners_language_choice_reaches_locale_middleware(browser, portal):
    browser.open(portal.url())
    assert browser.js("return document.documentElement.lang;") == "fr"
    english = browser.button(browser.wait_banner(), "English")
    browser.navigating(english.click)
    assert browser.cookie("django_language")["value"] == "en"
    assert browser.js("return document.documentElement.lang;") == "en"
    assert browser.find("h1").text == "Open data portal"
    assert browser.find("#cb-banner .cb-title").text == "This portal uses cookies"


def test_the_demo_measures_its_exempt_audience_beside_the_consented_one_until_the_visitor_objects(browser, portal):
    """The demo's Matomo-style measurement, exempt, runs before any choice and after « Tout refuser »; the
    first layer, the centre and its tracker's own API follow; an objection stops it for good."""
    browser.open(portal.url())
    banner = browser.wait_banner()
    assert "Mesure d'audience exemptée" in banner.text and "vous y opposer" in banner.text
    assert browser.find("#audience-status").text == "active" and browser.find("#analytics-status").text == "inactive"
    assert [n for n in browser.document_cookies() if n.startswith("_pk_")] == ["_pk_id.1.d3m0", "_pk_ses.1.d3m0"]
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    browser.reload()
    assert browser.find("#audience-status").text == "active"
    browser.find("footer [data-consent-open]").click()
    dialog = browser.wait_dialog()
    switches = browser.switches(dialog)
    assert switches["Mesure d'audience exemptée"].is_selected() and not switches["Mesure d'audience"].is_selected()
    assert "Exemptée de consentement" in dialog.text
    switches["Mesure d'audience exemptée"].click()
    browser.navigating(lambda: browser.click_dialog("Enregistrer mes choix"))     # it ran: the page reloads
    assert browser.find("#audience-status").text == "inactive"
    assert [n for n in browser.document_cookies() if n.startswith("_pk_")] == []
    assert "mtm_consent_removed" in browser.document_cookies()
    assert browser.js("return JSON.parse(sessionStorage.getItem('matomoStyle'))").count("optUserOut") == 1
    assert stored(browser).accepted == ()


def test_the_server_expires_a_refused_categorys_httponly_cookie_the_page_cannot_delete(browser, portal):
    browser.set_cookie("cookies_preferences", consent_value([]), url=portal.url())
    browser.set_cookie("demo_analytics", "set-by-the-server", url=portal.url(), httpOnly=True)
    assert browser.cookie("demo_analytics")["httpOnly"]
    browser.open(portal.url())
    assert browser.cookie("demo_analytics") is None
    assert browser.cookie("cookies_preferences") is not None and browser.cookie("django_language") is not None


# -- the server's refresh racing a withdrawal ------------------------------------------------------------
@pytest.fixture(scope="module")
def named_portal(portal):
    """The demo portal at http://portal.test:PORT in a Chromium of its own (a host name with a dot: the
    server's copy of the cookie can then be a cookie of its own)."""
    import engines
    from browser_kit import Browser
    port = portal.base.rsplit(":", 1)[1]
    engine = engines.Chromium(["--host-resolver-rules=MAP portal.test 127.0.0.1"])

    class Named:
        base = "http://portal.test:%s" % port
        origins = [base]
        multi = None

        def url(self, path="/"):
            return self.base + path
    named = Named()
    named.multi = named
    named.browser = Browser(engine.driver, named, engine)
    yield named
    engine.quit()


def test_a_refresh_racing_a_withdrawal_never_undoes_it(named_portal):
    """A request sent while the visitor still accepted (no refresh marker yet) is answered after they
    withdrew: its refresh re-sends the older acceptance. It lands in the server's own copy of the cookie,
    and the withdrawal, newer, still counts on the next page."""
    browser, url = named_portal.browser, named_portal.url
    browser.reset()
    browser.set_cookie("django_language", "fr", url=url())
    browser.set_cookie("cookies_preferences", consent_value(["analytics"]), url=url())
    browser.open(url())
    assert browser.js("return window.__analyticsRan;") == 1
    browser.js("fetch('/t/slow/?ms=2500', {keepalive: true, credentials: 'same-origin'});")
    browser.find("footer [data-consent-open]").click()
    browser.navigating(lambda: browser.click_dialog("Tout refuser"))
    time.sleep(3)                                                   # the slow answer has landed
    copies = [c for c in browser.engine.cookies() if c["name"] == "cookies_preferences"]
    assert sorted(decode_consent(c["value"]).accepted for c in copies) == [("analytics",), EXEMPT]
    browser.reload()
    assert browser.js("return window.__analyticsRan || 0;") == 0 and browser.banner() is None
    assert browser.js("return consentBanner.accepted('analytics');") is False


def test_a_withdrawal_outranks_an_acceptance_stamped_by_a_clock_running_ahead(named_portal):
    """The server's copy of the cookie holds an acceptance stamped two minutes ahead of the visitor's clock
    (the form decides with the server's clock, the refresh copies what it made). The visitor withdraws in
    the page, with their own clock: on the next page the withdrawal must be the choice that counts."""
    browser, url = named_portal.browser, named_portal.url
    browser.reset()
    browser.set_cookie("django_language", "fr", url=url())
    ahead = consent_value(["analytics"], decided_at=int(time.time() * 1000) + 120_000)
    browser.set_cookie("cookies_preferences", ahead, url=url(), domain=".portal.test")   # the server's copy
    browser.open(url())
    assert browser.js("return window.__analyticsRan;") == 1
    browser.find("footer [data-consent-open]").click()
    browser.navigating(lambda: browser.click_dialog("Tout refuser"))
    browser.reload()
    assert browser.js("return window.__analyticsRan || 0;") == 0 and browser.banner() is None
    assert browser.js("return consentBanner.accepted('analytics');") is False
