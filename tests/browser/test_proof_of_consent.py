"""Proof of consent names which banner asked (version and build hash), where the
visitor answered (first layer, centre, embed placeholder, API), logs "Autoriser une fois", and a record
the receiver could not store is sent again within the page view. The receiver is the reference one
(banner/server/receiver.py) behind the demo server, writing to a temporary SQLite file."""

import time

import pytest

from banner import __version__
from browser_kit import LoggingSite, log_rows, render_page, serving

pytestmark = pytest.mark.journey                # every test in Chromium, Firefox and WebKit

DATASET = "/explore/dataset/frequentation-parkings/"


def other_errors(browser, receiver):
    """Console errors besides the browser's own report of the receiver's error answers (Chromium logs
    each as a failed resource load), which these tests cause on purpose."""
    return [m for m in browser.console_errors() if receiver not in m]


class ProofSite(LoggingSite):
    """A demo portal whose /consent-log/ stores into `path`; `fail_next` answers that many POSTs 503 first."""

    def __init__(self, path):
        self.fail_next = 0
        self.posts = []
        super().__init__(path, wrap=self.failing)

    def failing(self, base):
        site = self

        class Handler(base):
            def do_POST(self):
                site.posts.append(time.time())
                if site.fail_next > 0:
                    site.fail_next -= 1
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                base.do_POST(self)
        return Handler


@pytest.fixture(scope="module")
def proofsite(tmp_path_factory, servers):
    yield from serving(ProofSite(str(tmp_path_factory.mktemp("proof") / "log.sqlite3")), servers)


@pytest.fixture
def proof(proofsite):
    proofsite.clear()
    proofsite.fail_next = 0
    proofsite.posts.clear()
    return proofsite


def build_of(browser):
    build = browser.js("return window.__consentBoot.build;")
    assert len(build) == 12 and all(c in "0123456789abcdef" for c in build), build
    return build


def origin(row):
    return (row["banner_version"], row["build"], row["source"], row["action"], row["once"])


def test_each_record_names_the_banner_version_the_build_and_where_the_choice_was_made(browser, proof):
    browser.open(proof.url("/"))
    build = build_of(browser)
    browser.click_banner("Tout refuser")                                   # first layer
    browser.wait_no_banner()
    browser.find("footer [data-consent-open]").click()                     # centre
    browser.switches(browser.wait_dialog())["Mesure d'audience"].click()
    browser.click_dialog("Enregistrer mes choix")
    browser.wait_no_dialog()
    proof.rows(2)
    browser.navigating(lambda: browser.js("consentBanner.reset();"))       # API: withdraws, page reloads
    rows = proof.rows(3)
    assert [origin(r) for r in rows] == [
        (__version__, build, "first_layer", "reject_all", ""),
        (__version__, build, "centre", "custom", ""),
        (__version__, build, "api", "withdraw", ""),
    ]
    assert rows[2]["accepted"] == "" and rows[2]["refused"] == "analytics"


def test_allow_once_and_always_allow_on_an_embed_are_logged_from_the_placeholder(browser, proof):
    browser.open(proof.url(DATASET))
    build = build_of(browser)
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    stored = browser.cookie("cookies_preferences")["value"]
    placeholder = browser.wait(lambda d: browser.find_all(".cb-embed"))[0]
    browser.button(placeholder, "Autoriser une fois").click()
    rows = proof.rows(2)
    assert [origin(r) for r in rows] == [(__version__, build, "first_layer", "reject_all", ""),
                                         (__version__, build, "embed", "allow_once", "analytics")]
    assert (rows[1]["accepted"], rows[1]["refused"]) == ("", "analytics")   # the stored refusal stands
    assert rows[1]["consent_id"] == rows[0]["consent_id"]
    assert browser.cookie("cookies_preferences")["value"] == stored           # allow_once writes nothing

    browser.reload()
    placeholder = browser.wait(lambda d: browser.find_all(".cb-embed"))[0]
    browser.button(placeholder, "Toujours autoriser").click()
    rows = proof.rows(3)
    assert origin(rows[2]) == (__version__, build, "embed", "custom", "")
    assert rows[2]["accepted"] == "analytics"


def test_a_record_the_receiver_could_not_store_is_sent_again_within_the_page_view(browser, proof):
    proof.fail_next = 2                          # two 503 answers, then the receiver stores
    browser.open(proof.url("/"))
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    rows = proof.rows(1)
    assert len(rows) == 1 and rows[0]["action"] == "accept_all"
    assert len(proof.posts) == 3, "expected two failed attempts then one stored: %d POSTs" % len(proof.posts)
    time.sleep(1)
    assert len(log_rows(proof.path)) == 1, "stored once, not once per attempt"
    assert browser.banner_errors() == []
    assert other_errors(browser, "/consent-log/") == []


def test_a_record_refused_as_invalid_is_not_sent_again(browser, proof):
    url = proof.url("/t/proof-bad-log.html")
    proof.routes["/t/proof-bad-log.html"] = ("text/html; charset=utf-8", render_page(
        {"manifest": "/cookies.json", "languages": ["fr", "en"], "consentLog": "/t/not-a-receiver/"}, probes=False))
    browser.open(url)
    browser.click_banner("Tout refuser")
    browser.wait_no_banner()
    time.sleep(1.5)                              # past the first retry delay
    assert len(proof.posts) == 1                 # a 404 is an answer, not a failure to retry
    assert other_errors(browser, "/t/not-a-receiver/") == []
