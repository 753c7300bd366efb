"""The banner's own files failing (issue 4): consent.js itself missing, the Brython runtime missing, or
a runtime that is there but broken. Even for a visitor who had accepted everything, every data-consent
script stays text/plain and every iframe without src, and the portal page keeps working.
(A missing consent.brython.js is test_fail_closed.py's case; exceptions inside Python are in
test_security_config.py.)"""

import os

import pytest

from browser_kit import consent_value
from security_kit import assert_nothing_optional, assert_page_still_works

DIST = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "static", "dist")


def dist(name):
    with open(os.path.join(DIST, name), "rb") as handle:
        return handle.read()


@pytest.fixture
def accepted_before(browser):
    browser.set_cookie("cookies_preferences", consent_value(accepted=["analytics"]))


def test_a_missing_loader_leaves_the_page_working_and_everything_inert(browser, site, accepted_before):
    url = site.page("/t/no-loader.html", {"manifest": "/t/cookies.json"}, loader="/t/gone/consent.js")
    browser.open(url, ready=False)
    browser.wait_js("return document.readyState === 'complete';")
    assert_nothing_optional(browser, settle=0.5)
    assert_page_still_works(browser)
    assert browser.js("return typeof window.__consentBoot;") == "undefined"
    assert browser.banner() is None
    browser.find("#manage").click()             # a plain link again: it follows its href, nothing breaks
    assert browser.js("return location.href.slice(-1);") == "#"
    assert_page_still_works_again(browser)


def assert_page_still_works_again(browser):
    browser.find("#page-button").click()
    assert browser.find("#page-count").text == "2"


def test_a_missing_runtime_fails_closed_with_one_error_naming_it(browser, site, accepted_before):
    site.route("/t/no-runtime/consent.js", "text/javascript", dist("consent.js"))
    site.route("/t/no-runtime/consent.brython.js", "text/javascript", dist("consent.brython.js"))
    url = site.page("/t/no-runtime.html", {"manifest": "/t/cookies.json"}, loader="/t/no-runtime/consent.js")
    browser.open(url, ready=False)
    browser.wait_loader_settled()
    errors = browser.banner_errors()
    assert len(errors) == 1 and "brython.js" in errors[0], errors
    assert_nothing_optional(browser)
    assert_page_still_works(browser)
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    browser.find("#manage").click()             # no longer held back by the loader: it follows its href
    browser.wait_js("return location.href.slice(-1) === '#';", "the footer link stayed blocked")


def test_a_broken_runtime_on_the_page_fails_closed(browser, site, accepted_before):
    """The portal already defines window.__BRYTHON__, but it is not the runtime build our bundles are
    compiled for (here not a runtime at all): the loader refuses to reuse it and loads nothing."""
    url = site.page("/t/broken-runtime.html", {"manifest": "/t/cookies.json"},
                    head="<script>window.__BRYTHON__ = {broken: true};</script>")
    browser.open(url, ready=False)
    browser.wait_loader_settled()
    errors = browser.banner_errors()
    assert len(errors) == 1 and "already runs Brython none" in errors[0], errors
    assert_nothing_optional(browser)
    assert_page_still_works(browser)
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    browser.find("#manage").click()
    browser.wait_js("return location.href.slice(-1) === '#';", "the footer link stayed blocked")
