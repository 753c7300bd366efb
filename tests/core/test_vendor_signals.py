"""The audience-measurement tools' consent APIs (data-config `vendors`): each tool is told what holds before
its tag can run, then every decision, in the calls its own documentation names; a bad `vendors` value is
refused with a message naming the key."""

import json
import shutil
import subprocess

import pytest

from banner.config import parse_config
from banner.errors import ConfigError
from banner.manifest import parse_manifest
from banner import vendors
from core_kit import read
from test_exempt import with_exempt

MAPPING = {"matomo": "audience", "piano": "analytics", "dsfrAnalytics": "analytics"}
# Matomo's refusal cookie lives 182 days (the banner's term for a choice), not its 30-year default; each
# consent command replaces, in a queue Matomo has not taken yet, the ones of its kind
HOURS, DECISIONS, OPPOSITION = 182 * 24, ["setConsentGiven", "forgetConsentGiven"], ["optUserOut", "forgetUserOptOut"]


@pytest.fixture
def manifest(manifest_data):
    return parse_manifest(with_exempt(manifest_data), ["fr"])


def test_before_any_choice_matomo_waits_for_consent_and_piano_starts_opted_out(manifest):
    found = vendors.signals({"matomo": "analytics", "piano": "analytics", "dsfrAnalytics": "analytics"},
                            manifest)
    assert found == [["push", "_paq", ["requireConsent"], ["requireConsent"]],
                     ["merge", "pdl", {"requireConsent": "v2", "consent": {"defaultPreset": {"PA": "opt-out"}}}]]


def test_an_exempt_category_runs_matomo_unconditionally_and_piano_in_its_essential_mode(manifest):
    found = vendors.signals({"matomo": "audience", "piano": "audience"}, manifest)
    assert found == [["merge", "pdl", {"requireConsent": "v2", "consent": {"defaultPreset": {"PA": "essential"}}}]]


def test_a_stored_choice_follows_the_before_signals_for_every_tool(manifest):
    found = vendors.signals(MAPPING, manifest, ["necessary", "analytics"], decided=True)
    assert found[-4:] == [["push", "_paq", ["optUserOut", HOURS], OPPOSITION],     # audience opposed
                          ["merge", "pdl", {"consent": {"defaultPreset": {"PA": "opt-in"}}}],
                          ["call", "pa.consent.setMode", ["opt-in"]],
                          ["remove", "_EA_"]]


def test_with_no_choice_only_an_exempt_tool_the_browser_opposes_is_told_so(manifest):
    assert vendors.signals(MAPPING, manifest, ["necessary", "audience"], decided=False) == \
        vendors.signals(MAPPING, manifest)                                    # nothing beyond `before`
    gpc = vendors.signals(MAPPING, manifest, ["necessary"], decided=False)   # Global Privacy Control
    assert gpc[len(vendors.signals(MAPPING, manifest)):] == [["push", "_paq", ["optUserOut", HOURS], OPPOSITION]]


@pytest.mark.parametrize("exempt, on, expected", [
    (False, True, [["push", "_paq", ["setConsentGiven"], DECISIONS]]),
    (False, False, [["push", "_paq", ["forgetConsentGiven", HOURS], DECISIONS]]),
    (True, True, [["push", "_paq", ["forgetUserOptOut"], OPPOSITION]]),
    (True, False, [["push", "_paq", ["optUserOut", HOURS], OPPOSITION]]),
])
def test_matomo_is_given_its_consent_api_calls(exempt, on, expected):
    """Each replaces the earlier ones of its kind in a queue Matomo has not taken yet (signals.js)."""
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
    for category in ("nope", "necessary"):                  # the required category is always "accepted"
        assert vendors.updates({"matomo": category}, manifest, ["necessary", "analytics", "audience"]) == \
            [["push", "_paq", ["forgetConsentGiven", HOURS], DECISIONS]]


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


# --- the signals as the page runs them (static/src/signals.js, under node) ---------------------------------

def run_signals(steps):
    """Matomo's queue, still an array (its tracker not loaded), after each list of signals in `steps` and
    the page's own trackPageView."""
    script = ("var window = globalThis, run = (%s);\n"
              "window._paq = [['setSiteId', '1']];\n"
              "%s.forEach(function (s) { run(s, function (m) { throw new Error(m); }); });\n"
              "window._paq.push(['trackPageView']);\n"
              "process.stdout.write(JSON.stringify(window._paq));") % (read("static", "src", "signals.js"),
                                                                          json.dumps(steps))
    return json.loads(subprocess.run([shutil.which("node"), "-e", script], capture_output=True, text=True,
                                     check=True).stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_matomo_queue_not_taken_yet_holds_only_the_latest_consent_command(manifest):
    """Refused on one page view's start, then accepted before matomo.js has loaded: its tracker applies
    setConsentGiven before the other commands, so an older forgetConsentGiven left in its queue would win."""
    mapping = {"matomo": "analytics"}
    steps = [vendors.signals(mapping, manifest, ["necessary"], decided=True),      # the loader's early path
             vendors.signals(mapping, manifest, ["necessary"], decided=True),      # Python's start
             vendors.updates(mapping, manifest, ["necessary", "analytics"])]       # « Tout accepter »
    assert run_signals(steps) == [["setSiteId", "1"], ["requireConsent"], ["setConsentGiven"], ["trackPageView"]]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_an_exempt_matomo_opposed_then_accepted_again_before_it_loaded_holds_only_the_last_word(manifest):
    mapping = {"matomo": "audience"}
    steps = [vendors.updates(mapping, manifest, ["necessary"]),                    # opposed (GPC, the centre)
             vendors.updates(mapping, manifest, ["necessary", "audience"])]        # accepted again
    assert run_signals(steps) == [["setSiteId", "1"], ["forgetUserOptOut"], ["trackPageView"]]


def test_the_dsfr_analytics_package_loaded_with_the_page_is_one_error_naming_its_file_and_the_fix():
    from banner.vendors import unblocked
    mapping = {"dsfrAnalytics": "audience"}
    for src in ("/static/dsfr/analytics/analytics.module.min.js", "https://cdn.example/npm/@gouvfr/dsfr@1.14.4/"
                "dist/analytics/analytics.nomodule.js?v=2", "/v/dsfr-analytics.js"):
        problem = unblocked(mapping, ["/static/consent.js", src])
        assert src in problem and 'data-consent="audience"' in problem
    assert unblocked(mapping, ["/static/consent.js", "/js/analytics.js", "/static/dsfr/dsfr.module.min.js"]) is None
    assert unblocked({"matomo": "audience"}, ["/static/dsfr/analytics/analytics.module.min.js"]) is None
