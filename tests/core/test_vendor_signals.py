"""The audience-measurement tools' consent APIs (data-config `vendors`): each tool is told what holds before
its tag can run, then every decision, in the calls its own documentation names; a bad `vendors` value is
refused with a message naming the key."""

import pytest

from banner.config import parse_config
from banner.errors import ConfigError
from banner.manifest import parse_manifest
from banner import vendors
from test_exempt import with_exempt

MAPPING = {"matomo": "audience", "piano": "analytics", "dsfrAnalytics": "analytics"}


@pytest.fixture
def manifest(manifest_data):
    return parse_manifest(with_exempt(manifest_data), ["fr"])


def test_before_any_choice_matomo_waits_for_consent_and_piano_starts_opted_out(manifest):
    found = vendors.signals({"matomo": "analytics", "piano": "analytics", "dsfrAnalytics": "analytics"},
                            manifest)
    assert found == [["push", "_paq", ["requireConsent"]],
                     ["merge", "pdl", {"requireConsent": "v2", "consent": {"defaultPreset": {"PA": "opt-out"}}}]]


def test_an_exempt_category_runs_matomo_unconditionally_and_piano_in_its_essential_mode(manifest):
    found = vendors.signals({"matomo": "audience", "piano": "audience"}, manifest)
    assert found == [["merge", "pdl", {"requireConsent": "v2", "consent": {"defaultPreset": {"PA": "essential"}}}]]


def test_a_stored_choice_follows_the_before_signals_for_every_tool(manifest):
    found = vendors.signals(MAPPING, manifest, ["necessary", "analytics"], decided=True)
    assert found[-4:] == [["push", "_paq", ["optUserOut"]],                     # audience opposed
                          ["merge", "pdl", {"consent": {"defaultPreset": {"PA": "opt-in"}}}],
                          ["call", "pa.consent.setMode", ["opt-in"]],
                          ["remove", "_EA_"]]


def test_with_no_choice_only_an_exempt_tool_the_browser_opposes_is_told_so(manifest):
    assert vendors.signals(MAPPING, manifest, ["necessary", "audience"], decided=False) == \
        vendors.signals(MAPPING, manifest)                                    # nothing beyond `before`
    gpc = vendors.signals(MAPPING, manifest, ["necessary"], decided=False)   # Global Privacy Control
    assert gpc[len(vendors.signals(MAPPING, manifest)):] == [["push", "_paq", ["optUserOut"]]]


@pytest.mark.parametrize("exempt, on, expected", [
    (False, True, [["push", "_paq", ["setConsentGiven"]]]),
    (False, False, [["push", "_paq", ["forgetConsentGiven"]]]),
    (True, True, [["push", "_paq", ["forgetUserOptOut"]]]),
    (True, False, [["push", "_paq", ["optUserOut"]]]),
])
def test_matomo_is_given_its_consent_api_calls(exempt, on, expected):
    assert vendors.update("matomo", exempt, on) == expected


@pytest.mark.parametrize("exempt, on, mode", [(False, True, "opt-in"), (False, False, "opt-out"),
                                              (True, True, "essential"), (True, False, "opt-out")])
def test_piano_gets_its_v2_mode_for_the_sdk_not_loaded_yet_and_the_one_running(exempt, on, mode):
    assert vendors.update("piano", exempt, on) == [["merge", "pdl", {"consent": {"defaultPreset": {"PA": mode}}}],
                                                   ["call", "pa.consent.setMode", [mode]]]


def test_the_dsfr_analytics_opt_out_key_is_written_on_refusal_and_removed_on_consent():
    assert vendors.update("dsfrAnalytics", False, False) == [["store", "_EA_", "1"]]
    assert vendors.update("dsfrAnalytics", True, True) == [["remove", "_EA_"]]
    assert vendors.before("dsfrAnalytics", False) == []          # nothing stored before a choice


def test_a_category_the_manifest_lacks_or_that_is_required_is_named(manifest):
    assert vendors.unknown_categories({"matomo": "nope", "piano": "necessary", "dsfrAnalytics": "analytics"},
                                      manifest) == ["nope", "necessary"]
    # and its tool is told it is refused, whatever was accepted
    assert vendors.updates({"matomo": "nope"}, manifest, ["necessary", "analytics", "audience"]) == \
        [["push", "_paq", ["forgetConsentGiven"]]]


# --- data-config ------------------------------------------------------------------------------------------

def test_a_vendors_mapping_is_kept_and_raises_no_warning():
    config, warnings = parse_config({"manifest": "/m.json", "vendors": MAPPING})
    assert config.vendors == MAPPING and warnings == []


@pytest.mark.parametrize("value, field, words", [
    ({}, "vendors", "must map tools to category ids"),
    (["matomo"], "vendors", "must map tools to category ids"),
    ({"eulerian": "analytics"}, "vendors.eulerian", "unknown tool (known: matomo, piano, dsfrAnalytics)"),
    ({"matomo": ["analytics"]}, "vendors.matomo", "must be a category id"),
    ({"matomo": "Analytics!"}, "vendors.matomo", "must be a category id"),
])
def test_a_bad_vendors_value_is_refused_naming_the_key(value, field, words):
    with pytest.raises(ConfigError) as caught:
        parse_config({"manifest": "/m.json", "vendors": value})
    assert caught.value.field == field and words in str(caught.value)
