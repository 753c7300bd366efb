"""The page runs our Python precompiled at build time on a runtime without Brython's compiler, and
never calls the compiler even when a portal's full runtime is there: with the
compiler's entry points made to throw as soon as the runtime has loaded, the banner, the preferences
centre, the footer link, the embeds, the policy page and every built-in language still work. A bundle
compiled for another runtime build is refused, and so is a portal's own Brython of another build: one
console error, nothing optional runs."""

import importlib.util
import os
import re

import pytest

from browser_kit import (ROOT, assert_failed_closed, consent_value,
                         document_script, single_text_manifest, strings)

DIST = os.path.join(os.path.dirname(__file__), "..", "..", "static", "dist")

# Installed in every new document: once the runtime is whole (after the last step our brython.js hands
# the loader, or once a runtime evaluated at once has loaded), each compiler entry point records its call
# and throws. Brython's own callers look these up on __BRYTHON__, so nothing can reach the compiler.
NO_COMPILER = """
(function () {
  window.__compilerCalls = [];
  var names = ["py2js", "runPythonSource", "python_to_js", "pythonToJS", "pythonToAST", "run_script",
               "importPythonModule", "importModule", "Parser", "tokenizer"], boot, stepped = false;
  function poison() {
    var B = window.__BRYTHON__;
    if (!B || B.__noCompiler) { return; }
    B.__noCompiler = true;
    names.forEach(function (name) {
      B[name] = function () { window.__compilerCalls.push(name); throw new Error("compiler called: " + name); };
    });
  }
  Object.defineProperty(window, "__consentBoot", {configurable: true, get: function () { return boot; },
    set: function (value) {
      boot = value;
      var real;
      Object.defineProperty(boot, "runtimeSteps", {configurable: true, set: function (fn) { real = fn; },
        get: function () { return function (steps) { stepped = true; real(steps.concat([poison])); }; }});
    }});
  document.addEventListener("load", function (event) {
    if (!stepped && /\\/brython\\.js/.test(event.target.src || "")) { poison(); }
  }, true);
})();
"""


def compiler_calls(browser):
    return browser.js("return window.__compilerCalls;")


@pytest.fixture
def no_compiler(browser):
    with document_script(browser, NO_COMPILER):
        yield


def test_banner_centre_and_footer_link_run_without_the_compiler(browser, site, no_compiler):
    browser.open(site.url("/"))
    banner = browser.wait_banner()
    assert browser.js("return window.__BRYTHON__.__noCompiler === true;"), "the poison was not installed"
    browser.click_banner("Personnaliser")
    dialog = browser.wait_dialog()
    assert len(browser.switches(dialog)) >= 2
    browser.click_dialog("Tout accepter")
    browser.wait_no_dialog()
    assert browser.cookie("cookies_preferences") is not None
    browser.wait_no_banner()
    browser.js("document.querySelector('[data-consent-open]').click();")
    browser.wait_dialog()
    assert compiler_calls(browser) == []
    assert browser.console_errors() == []
    # Control: the poison does catch a compile (Python's eval needs the compiler).
    browser.js("try { window.__BRYTHON__.builtins.eval('1 + 1'); } catch (e) {}")
    browser.js("try { window.__BRYTHON__.runPythonSource('x = 1'); } catch (e) {}")
    assert "runPythonSource" in compiler_calls(browser)
    del banner


def test_embeds_and_policy_page_run_without_the_compiler(browser, site, no_compiler):
    browser.open(site.url("/explore/dataset/frequentation-parkings/"))
    holder = browser.wait_js("return document.querySelector('[data-cb-placeholder]');", "no embed placeholder")
    assert "Autoriser une fois" in holder.text
    browser.js("arguments[0].click();", browser.button(holder, "Autoriser une fois"))
    browser.wait_js("var f = document.querySelector('iframe[data-consent]'); return f.getAttribute('src');",
                    "the embed did not load")
    browser.open(site.url("/pages/cookies/"))
    browser.wait_js("return document.querySelector('[data-consent-policy] table');", "no policy tables")
    assert compiler_calls(browser) == []
    assert browser.console_errors() == []


@pytest.mark.parametrize("code", ["fr", "en", "de", "es", "it", "nl", "ar"])
def test_every_language_runs_without_the_compiler(browser, site, no_compiler, code):
    site.json("/t/plain.json", single_text_manifest())
    url = site.page("/t/aot-%s.html" % code, {"manifest": "/t/plain.json", "languages": [code], "language": code},
                    lang=code, probes=False)
    text = strings(code)
    browser.open(url)
    browser.wait_banner()
    browser.wait_js("return !document.querySelector('[data-cb-prerendered]');", "Python did not take over")
    assert browser.find("#cb-banner-title").text == text["banner_title"]
    browser.click_banner(text["customise"])
    browser.wait_dialog()
    assert browser.find("#cb-prefs-title").text == text["prefs_title"]
    assert compiler_calls(browser) == []
    assert browser.console_errors() == []


def _dist(name):
    with open(os.path.join(DIST, name), "rb") as handle:
        return handle.read()


def test_a_bundle_compiled_for_another_runtime_is_refused(browser, site):
    """The start-up bundle claims another Brython build: the loader refuses it before running anything."""
    for name in ("consent.js", "consent.css", "brython.js"):
        site.route("/t/other/" + name, "text/javascript" if name.endswith(".js") else "text/css", _dist(name))
    bundle = _dist("consent.brython.js")
    stamp = re.search(rb'__consentBoot\.bundle\("([^"]+)"', bundle).group(1)
    site.route("/t/other/consent.brython.js", "text/javascript", bundle.replace(stamp, b"3.14.3+1760000000000", 1))
    site.json("/t/cookies.json", single_text_manifest("fr"))
    url = site.page("/t/other-runtime.html", {"manifest": "/t/cookies.json"}, loader="/t/other/consent.js")
    browser.open(url, ready=False)
    assert_failed_closed(browser, "compiled for Brython 3.14.3+1760000000000")


def test_a_portal_brython_of_another_build_is_not_reused(browser, site):
    """The portal runs its own Brython, another build: a second engine would break both, and our
    bundles cannot run on it, so the banner fails closed without loading anything."""
    site.json("/t/cookies.json", single_text_manifest("fr"))
    url = site.page("/t/portal-brython.html", {"manifest": "/t/cookies.json"},
                    head="<script>window.__BRYTHON__ = {version_info: [3, 14, 3, 'final', 0], "
                         "timestamp: 1760000000000};</script>")
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]), url=site.url("/"))
    browser.open(url, ready=False)
    assert_failed_closed(browser, "already runs Brython 3.14.3+1760000000000")
    loaded = browser.js("return performance.getEntriesByType('resource').map(function (e) { return e.name; });")
    assert not [p for p in loaded if p.endswith((".brython.js", "/brython.js"))], loaded


def test_the_shipped_runtime_has_no_compiler(browser, site):
    """What a compiler-free runtime cannot do (Python's eval, exec, runPythonSource) fails; the banner works."""
    browser.open(site.url("/"))
    browser.wait_banner()
    assert browser.js("return typeof window.__BRYTHON__.Parser;") == "undefined"
    failed = browser.js("""var B = window.__BRYTHON__, out = [];
        try { B.builtins.eval('1 + 1'); out.push('eval ran'); } catch (e) { out.push('eval failed'); }
        try { B.runPythonSource('x = 1'); out.push('runPythonSource ran'); } catch (e) { out.push('runPythonSource failed'); }
        return out;""")
    assert failed == ["eval failed", "runPythonSource failed"]


# Installed in every new document: wraps each runtime step the loader receives from brython.js, counting
# the steps, those that start in the same task as the one before (no microtask checkpoint in between) and
# whether any of our modules was registered before the runtime was whole.
STEP_RECORDER = """
(function () {
  var record = window.__runtimeSteps = {count: 0, sameTask: 0, early: false, longest: 0}, boot, pending = false;
  Object.defineProperty(window, "__consentBoot", {configurable: true, get: function () { return boot; },
    set: function (value) {
      boot = value;
      var real;
      Object.defineProperty(boot, "runtimeSteps", {configurable: true, set: function (fn) { real = fn; },
        get: function () { return function (steps) {
          real(steps.map(function (step) { return function () {
            var B = window.__BRYTHON__, started = performance.now();
            if (pending) { record.sameTask++; }
            if (Object.keys(B.precompiled || {}).some(function (n) { return n.indexOf("banner") === 0; })) { record.early = true; }
            record.count++;
            step();
            record.longest = Math.max(record.longest, performance.now() - started);
            pending = true;
            queueMicrotask(function () { pending = false; });
          }; }));
        }; }});
    }});
})();
"""


def test_the_runtime_is_evaluated_in_many_tasks_before_our_modules_arrive(browser, site):
    """Evaluating Brython's runtime whole was one long task (~100 ms on a desktop CPU): the loader now
    evaluates it step by step, one task each, and registers our modules only once it is whole."""
    with document_script(browser, STEP_RECORDER):
        browser.open(site.url("/"))
        browser.wait_banner()
        browser.wait_js("return !document.querySelector('[data-cb-prerendered]');", "Python did not take over")
        record = browser.js("return window.__runtimeSteps;")
    assert record["count"] >= 10, record
    assert record["sameTask"] == 0, record
    assert record["early"] is False, record
    browser.click_banner("Personnaliser")
    browser.wait_dialog()
    assert browser.console_errors() == []


def test_a_portal_brython_of_the_same_build_is_reused(browser, site):
    """The portal runs the stock brython.js of the very release we ship (same build, with its compiler):
    the loader reuses it, loads no runtime of its own, and our modules (functions in our bundles, which
    that runtime evaluates as strings) run on it: banner, centre and the extra bundle."""
    spec = importlib.util.spec_from_file_location("release_step", os.path.join(ROOT, "tools", "release.py"))
    release = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(release)
    brython_runtime = release.brython_runtime
    with open(brython_runtime(), "rb") as handle:
        site.route("/t/full/brython.js", "text/javascript", handle.read())
    site.json("/t/cookies.json", single_text_manifest("fr"))
    url = site.page("/t/portal-same-brython.html", {"manifest": "/t/cookies.json"},
                    head='<script src="/t/full/brython.js"></script>')
    browser.open(url)
    browser.wait_banner()
    browser.wait_js("return !document.querySelector('[data-cb-prerendered]');", "Python did not take over")
    browser.click_banner("Personnaliser")
    browser.wait_dialog()
    browser.click_dialog("Tout accepter")
    browser.wait_no_dialog()
    assert browser.cookie("cookies_preferences") is not None
    loaded = browser.js("return performance.getEntriesByType('resource').map(function (e) { return e.name; });")
    assert not [p for p in loaded if p.endswith("/static/dist/brython.js")], loaded
    assert browser.console_errors() == []
