"""The stored choice (cookies_preferences) as the page reads it: a valid value is honoured; a value that
does not decode, or is not current (another format version or revision, expired, from the future, an
unknown category), counts as no choice (the banner shows, nothing optional runs, the API says refused);
and for a tampered value, the visitor's next decision replaces it with a value the server-side decoder
reads back."""

import time

import pytest

from browser_kit import (CONSENT, DAY, assert_nothing_optional, consent_value, decode_consent, demo_manifest,
                         optional_ran, wait_analytics_active)

NOW_MS = int(time.time() * 1000)
VALID = consent_value(accepted=["analytics"])
_, _REVISION, _DECIDED, _ID, _ENTRIES = VALID.split(".")
WITH_MARKETING = demo_manifest()
WITH_MARKETING["categories"].append({"id": "marketing", "title": "Publicité", "description": "Publicité."})


def oversized():
    """A well-formed start, then padding to ~4000 characters (a browser still stores it: < 4096)."""
    value = VALID
    i = 0
    while len(value) < 3990:
        value += ":x%d=1" % i
        i += 1
    return value


TAMPERED = {
    "truncated": VALID[:len(VALID) - 9],
    "oversized": oversized(),
    "older-format-version": "1.1.%d.%s.analytics" % (NOW_MS - 60000, _ID),
    "unknown-category": consent_value(accepted=["analytics", "marketing"], manifest=WITH_MARKETING),
    "future-timestamp": consent_value(accepted=["analytics"], decided_at=NOW_MS + 3 * DAY * 1000),
    "hand-edited-accept-all": "2.1.%d.%s.*=1:analytics=yes" % (NOW_MS - 60000, _ID),
}
# half the cases then accept, half refuse: either decision must replace the tampered value
DECISIONS = {"Tout accepter": ("analytics",), "Tout refuser": ()}


def test_the_tampered_values_are_what_they_claim_to_be():
    """Guard for the cases below: the control value decodes and is current; none of the tampered do,
    except the two that decode but must be rejected by the manifest and clock rules (is_current)."""
    from banner.consent import is_current
    from banner.manifest import parse_manifest
    manifest = parse_manifest(demo_manifest(), ["fr", "en"])
    assert is_current(decode_consent(VALID), manifest, NOW_MS)
    assert len(TAMPERED["oversized"]) > 3900
    for name, value in TAMPERED.items():
        decoded = decode_consent(value)
        if name in ("unknown-category", "future-timestamp"):
            assert decoded is not None and not is_current(decoded, manifest, NOW_MS), name
        else:
            assert decoded is None, name


@pytest.mark.parametrize("case", list(TAMPERED))
def test_a_tampered_choice_counts_as_none_and_the_next_decision_replaces_it(browser, site, case):
    browser.set_cookie(CONSENT, TAMPERED[case])
    assert browser.cookie(CONSENT)["value"] == TAMPERED[case], "the browser did not store the tampered value"
    browser.open(site.page("/t/tampered.html", {"manifest": "/t/cookies.json", "languages": ["fr"]}))
    assert browser.wait_banner().is_displayed(), "a tampered choice was honoured"
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    assert browser.events() == [["necessary"]]
    assert_nothing_optional(browser)

    label = list(DECISIONS)[list(TAMPERED).index(case) % 2]
    browser.click_banner(label)
    browser.wait_no_banner()
    present = [p for p in (browser.js("return document.cookie;") or "").split("; ") if p.startswith(CONSENT + "=")]
    assert len(present) == 1, "the tampered value survived next to the decision: %r" % present
    value = present[0].split("=", 1)[1]
    assert value != TAMPERED[case]
    consent = decode_consent(value)
    assert consent is not None, "the new value does not decode: %r" % value
    assert consent.accepted == DECISIONS[label]
    assert consent.decided_at >= NOW_MS
    assert (optional_ran(browser) == ["analytics"]) == bool(DECISIONS[label])


UNDECODABLE = {
    "truncated": VALID[:len(VALID) // 2],
    "cut-before-categories": VALID.rsplit(".", 1)[0],
    "garbage": "%7B%22analytics%22%3Atrue%7D",
    "unknown-category": consent_value(accepted=["analytics", "marketing"], manifest=WITH_MARKETING),
    "future-timestamp": consent_value(accepted=["analytics"], decided_at=NOW_MS + 3 * DAY * 1000),
    "expired": consent_value(accepted=["analytics"], decided_at=NOW_MS - 200 * DAY * 1000),
    "other-format-version": consent_value(accepted=["analytics"], version=99),
    "short-consent-id": consent_value(accepted=["analytics"], consent_id="abc"),
    "other-revision": consent_value(accepted=["analytics"], revision=2),
    "empty": "",
}


@pytest.mark.journey
def test_a_valid_stored_choice_is_honoured(browser, site):
    """Control for the tampered values below: the same kind of cookie, well formed, is a choice."""
    browser.set_cookie(CONSENT, VALID)
    browser.open(site.url("/"))
    assert browser.banner() is None
    wait_analytics_active(browser)


@pytest.mark.parametrize("value", list(UNDECODABLE.values()), ids=list(UNDECODABLE))
def test_a_cookie_that_does_not_decode_counts_as_no_choice(browser, site, value):
    browser.set_cookie(CONSENT, value)
    browser.open(site.url("/"))
    assert browser.wait_banner().is_displayed(), "a tampered choice was honoured"
    assert browser.js("return window.consentBanner.accepted('analytics');") is False
    assert browser.events() == [["necessary"]]
    assert_nothing_optional(browser)
    # a value that does not decode is no choice of ours: one console error says so; a stale one is silent
    errors = browser.banner_errors()
    if decode_consent(value) is None:
        assert len(errors) == 1 and "is not one the banner wrote" in errors[0], errors
    else:
        assert errors == []
