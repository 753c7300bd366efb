"""Injection: manifest and page strings are shown as text wherever the banner puts them (first
layer, preferences centre, policy page, embed placeholder, the explanation of a failure) and never run;
`javascript:` and `data:` values of data-src, however disguised, are refused even once accepted."""

from browser_kit import consent_value, demo_manifest

IMG = '<img src=x onerror="window.__pwned=(window.__pwned||[]).concat(\'img\')">'
SCRIPT = "<script>window.__pwned=(window.__pwned||[]).concat('script')</script>"

PAGE_BODY = """
<section id="policy" data-consent-policy="2"></section>
<iframe id="embed" title="%(script_escaped)s" data-consent="analytics" data-provider="%(img_escaped)s"
        data-src="/t/frame.html" width="400" height="150"></iframe>
"""


def escape_attribute(text):
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def hostile_manifest():
    manifest = demo_manifest()
    analytics = manifest["categories"][1]
    analytics["title"] = "Audience " + IMG
    analytics["description"] = SCRIPT + " " + IMG
    analytics["providers"] = [{"name": IMG}]          # the page's data-provider, declared: its placeholder offers the buttons
    demo_cookie = manifest["cookies"][4]
    demo_cookie["provider"] = SCRIPT
    demo_cookie["purpose"] = IMG
    demo_cookie["lifetime"] = "<b>13</b> mois"
    return manifest


def assert_nothing_parsed(browser):
    # the cause first: with no <img> or <b> element made from a text, there is nothing that could run
    assert browser.js("return document.querySelectorAll('img, b').length;") == 0, "manifest text became markup"
    assert browser.js("return typeof window.__pwned;") == "undefined", "injected code ran"
    assert browser.js("return Array.prototype.some.call(document.scripts, function (s) {"
                      " return s.textContent.indexOf('__pwned') >= 0; });") is False, "a <script> was created"


def text_of(browser, css):
    return browser.js("var el = document.querySelector(arguments[0]); return el ? el.textContent : null;", css)


def test_manifest_and_page_strings_render_as_text_everywhere(browser, site):
    url = site.page("/t/injection-everywhere.html", {"manifest": hostile_manifest(), "languages": ["fr"]},
                    body=PAGE_BODY % {"img_escaped": escape_attribute(IMG),
                                      "script_escaped": escape_attribute(SCRIPT)}, probes=False)
    browser.open(url)

    banner = browser.wait_banner()                     # the first layer lists the optional titles
    assert "Audience " + IMG in banner.text
    browser.wait_js("return !!document.querySelector('[data-cb-placeholder]');", "no embed placeholder")
    placeholder = text_of(browser, "[data-cb-placeholder]")
    assert IMG in placeholder, placeholder              # the provider (data-provider) and the category title,
    assert placeholder.count(IMG) == 4, placeholder     # the title again and the declared provider in the list
    assert browser.js("return document.querySelector('[data-cb-placeholder]').getAttribute('aria-label');") == SCRIPT
    policy = text_of(browser, "#policy")                # the policy page generated from the manifest
    for text in (SCRIPT, IMG, "<b>13</b> mois", "Audience " + IMG):
        assert text in policy, "the policy page lost %r" % text
    assert_nothing_parsed(browser)

    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    for text in (SCRIPT, IMG, "<b>13</b> mois", "Audience " + IMG):
        assert text in dialog.text, "the centre lost %r" % text
    assert_nothing_parsed(browser)
    assert browser.banner_errors() == []


def test_the_explanation_of_a_failure_shows_the_offending_value_as_text(browser, site):
    payload = '<img src=x onerror="window.__pwned=1">'          # no quote that repr() would escape
    manifest = demo_manifest()
    manifest["cookies"][4]["category"] = payload
    url = site.page("/t/injection-explained.html", {"manifest": manifest, "languages": ["fr"]})
    browser.open(url)
    errors = browser.banner_errors()
    assert len(errors) == 1 and "cookies[4].category" in errors[0], errors
    browser.find("#manage").click()
    dialog = browser.wait_dialog()
    assert payload in dialog.text, dialog.text
    assert_nothing_parsed(browser)


# data-src values that a browser would turn into code; each must be refused although analytics is accepted.
UNSAFE = ["javascript:window.__pwned=(window.__pwned||[]).concat('a')",
          "JaVaScRiPt:window.__pwned=(window.__pwned||[]).concat('b')",
          "   javascript:window.__pwned=(window.__pwned||[]).concat('c')",
          "java&#x09;script:window.__pwned=(window.__pwned||[]).concat('d')",   # a real tab once parsed
          "data:text/javascript,window.__pwned=(window.__pwned||[]).concat('e')"]
FRAME_UNSAFE = [u.replace("window.__pwned", "parent.__pwned") for u in UNSAFE[:4]] + [
    "data:text/html,<script>parent.__pwned=1</script>"]


def test_unsafe_data_src_values_are_refused_once_accepted(browser, site):
    body = "<script>window.__safe = 0;</script>\n"
    body += "\n".join('<script type="text/plain" data-consent="analytics" data-src="%s"></script>' % u for u in UNSAFE)
    body += '\n<script type="text/plain" data-consent="analytics" data-src="/t/safe.js"></script>\n'
    body += "\n".join('<iframe class="unsafe" title="f%d" data-consent="analytics" data-src="%s"></iframe>' % (i, u)
                      for i, u in enumerate(FRAME_UNSAFE))
    site.route("/t/safe.js", "text/javascript", b"window.__safe += 1;")
    url = site.page("/t/unsafe-data-src.html", {"manifest": "/t/cookies.json", "languages": ["fr"]},
                    body=body, probes=False)
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))
    browser.open(url)
    browser.wait_js("return window.__safe === 1;", "the safe script after the refused ones did not run")
    browser.wait_js("return document.querySelectorAll('[data-cb-placeholder]').length === 0 &&"
                    " document.querySelectorAll('script[data-consent-refused]').length === 5;",
                    "the unsafe scripts were not all refused")
    assert browser.js("return typeof window.__pwned;") == "undefined", "an unsafe data-src ran"
    live = browser.js("return Array.prototype.map.call(document.querySelectorAll('script[src]'),"
                      " function (s) { return s.getAttribute('src'); });")
    assert not [s for s in live if "pwned" in s], "an unsafe data-src became a live script: %r" % live
    frames = browser.js("return Array.prototype.map.call(document.querySelectorAll('iframe.unsafe'),"
                        " function (f) { return f.getAttribute('src'); });")
    assert frames == [None] * 5, "an unsafe data-src was loaded in an iframe: %r" % frames
    errors = browser.banner_errors()
    assert len(errors) == 10 and all("refused data-src" in e for e in errors), errors


def test_manifest_texts_are_shown_as_text_never_as_markup(browser, site):
    payload = '<img src=x onerror="window.__pwned=1">'
    manifest = demo_manifest()
    analytics = manifest["categories"][1]
    analytics["title"] = "Audience <b>gras</b>"
    analytics["description"] = payload
    manifest["cookies"][-1]["purpose"] = payload
    manifest["cookies"][-1]["provider"] = "<script>window.__pwned=2</script>"
    url = site.page("/t/injection.html", {"manifest": manifest, "languages": ["fr"]})
    browser.open(url)
    banner = browser.wait_banner()
    assert "Audience <b>gras</b>" in banner.text
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    assert dialog.text.count(payload) == 2, dialog.text
    assert "<script>window.__pwned=2</script>" in dialog.text
    assert browser.js("return document.querySelectorAll('img, b').length;") == 0
    assert browser.js("return typeof window.__pwned;") == "undefined"   # (no <img> exists to run it)
