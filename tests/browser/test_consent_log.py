"""Proof of consent. With `consentLog` in data-config (the demo has "/consent-log/"), each decision
is POSTed (sendBeacon, else fetch keepalive) to the reference receiver (banner/server/receiver.py), which the demo
server mounts and which appends it to SQLite: here a temporary file the test reads. A failing endpoint
never blocks the visitor."""

import pytest

from browser_kit import LoggingSite, decode_consent, document_script, log_columns, log_rows, serving

NO_BEACON = "delete Navigator.prototype.sendBeacon;"
COLUMNS = ["id", "received_at", "consent_id", "decided_at", "revision", "language", "action", "accepted",
           "refused", "fingerprints", "banner_version", "build", "source", "once", "providers"]


@pytest.fixture(scope="module")
def logsite(tmp_path_factory, servers):
    yield from serving(LoggingSite(str(tmp_path_factory.mktemp("consent-log") / "log.sqlite3")), servers)


@pytest.fixture
def log(logsite):
    logsite.clear()
    return logsite


def stored(browser):
    return decode_consent(browser.cookie("cookies_preferences")["value"])


def assert_record(row, consent, action, accepted, refused, language="fr", consent_id=None):
    assert row["consent_id"] == (consent_id or consent.consent_id)
    assert row["decided_at"] == consent.decided_at
    assert abs(row["received_at"] - consent.decided_at) < 60000
    assert (row["revision"], row["language"], row["action"]) == (1, language, action)
    assert (row["accepted"], row["refused"]) == (accepted, refused)
    assert row["fingerprints"] == ",".join("%s=%s" % kv for kv in sorted(consent.fingerprints.items()))


def test_accepting_posts_one_record_with_the_cookie_consent_id_and_nothing_about_the_visitor(browser, log):
    browser.open(log.url("/"))
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    rows = log.rows(1)
    assert len(rows) == 1
    assert_record(rows[0], stored(browser), "accept_all", "analytics", "")
    assert log_columns(log.path) == COLUMNS          # no IP address, no user agent
    # One decision, one record: a second decision's record arrives after any duplicate of the first.
    browser.js("window.consentBanner.show();")
    browser.navigating(lambda: browser.click_banner("Tout refuser"))     # the tag ran: withdrawal reloads
    assert [r["action"] for r in log.rows(2)] == ["accept_all", "withdraw"], "one decision, one record"


def test_each_decision_is_logged_refusal_custom_choice_then_withdrawal(browser, log):
    browser.set_cookie("django_language", "en", url=log.url("/"))
    browser.open(log.url("/"))
    browser.click_banner("Reject all")
    browser.wait_no_banner()
    first = stored(browser)
    browser.find("footer [data-consent-open]").click()
    browser.switches(browser.wait_dialog())["Audience measurement"].click()
    browser.click_dialog("Save my choices")
    browser.wait_no_dialog()
    browser.wait_js("return !!window.demoAnalytics")
    second = stored(browser)
    # Refusing what was accepted is a withdrawal (the page reloads to stop the running analytics script).
    browser.find("footer [data-consent-open]").click()
    browser.navigating(lambda: browser.click_dialog("Reject all"))
    third = stored(browser)
    rows = log.rows(3)
    assert len(rows) == 3
    assert_record(rows[0], first, "reject_all", "", "analytics", "en")
    assert_record(rows[1], second, "custom", "analytics", "", "en")
    # the cookie of a refusal names no one; the withdrawal's record names the acceptance it takes back
    assert first.consent_id == third.consent_id == "0" * 16 != second.consent_id
    assert_record(rows[2], third, "withdraw", "", "analytics", "en", consent_id=second.consent_id)


def test_without_send_beacon_the_record_goes_by_fetch_keepalive(browser, log):
    with document_script(browser, NO_BEACON):
        browser.open(log.url("/"))
        assert browser.js("return 'sendBeacon' in navigator") is False
        browser.click_banner("Tout refuser")
        browser.wait_no_banner()
        rows = log.rows(1)
    assert len(rows) == 1
    assert_record(rows[0], stored(browser), "reject_all", "", "analytics")


@pytest.mark.parametrize("endpoint, beacon", [
    ("/t/no-such-log/", True),                          # 404
    ("/t/no-such-log/", False),
    ("http://127.0.0.1:9/consent-log/", True),          # nothing listens: network error
    ("http://127.0.0.1:9/consent-log/", False),
], ids=["404-beacon", "404-fetch", "network-beacon", "network-fetch"])
def test_a_failing_endpoint_never_blocks_the_visitor(browser, log, endpoint, beacon):
    path = "/t/failing-log-%d.html" % len(log.routes)
    log.routes[path] = ("text/html; charset=utf-8", _page(endpoint))
    with document_script(browser, "" if beacon else NO_BEACON):
        browser.open(log.url(path))
        browser.click_banner("Tout accepter")
        browser.wait_no_banner()
        assert stored(browser).accepted == ("analytics",)
        assert browser.events()[-1] == ["necessary", "analytics"]
        browser.wait_js("return !!window.demoAnalytics", "the accepted script did not run")
    assert browser.banner_errors() == []
    assert log_rows(log.path) == []


def _page(endpoint):
    from browser_kit import render_page
    return render_page({"manifest": "/cookies.json", "languages": ["fr", "en"], "consentLog": endpoint},
                       probes=False, body='<span id="analytics-status" data-on="on">off</span>'
                       '<script type="text/plain" data-consent="analytics" data-src="/analytics.js"></script>')
