"""python -m banner: the validate and decode commands as an integrator runs them."""

import io
import json

import pytest

from banner.__main__ import main
from core_kit import NOW, CID


def run(*argv):
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_validate_accepts_the_demo_manifest_and_summarises_it(demo_path):
    status, output = run("validate", demo_path)
    assert status == 0
    assert output == "%s: valid (revision 1, 2 categories, 5 cookies, languages: fr, en)\n" % demo_path


def test_validate_checks_plain_string_manifests_for_french_by_default(fixture_path):
    path = fixture_path("good/basic")
    assert run("validate", path) == (0, "%s: valid (revision 1, 2 categories, 2 cookies, languages: fr)\n" % path)


def test_validate_uses_the_languages_given_on_the_command_line(fixture_path):
    path = fixture_path("good/full")
    status, output = run("validate", path, "--languages", "FR, en,")
    assert status == 0
    assert output.endswith("languages: fr, en)\n")


def test_validate_rejects_each_bad_fixture_with_the_field_path_in_its_output(fixture_path, bad_manifest):
    name, languages, path, message = bad_manifest
    file = fixture_path("bad/" + name)
    status, output = run("validate", file, "--languages", ",".join(languages))
    assert status == 1
    assert "%s: %s: " % (file, path or "(top level)") in output
    assert message in output


def test_validate_prints_one_line_per_problem(fixture_path, tmp_path):
    with open(fixture_path("good/basic"), encoding="utf-8") as handle:
        data = json.load(handle)
    data["revision"] = 0
    data["cookies"][1]["category"] = "ads"
    file = tmp_path / "cookies.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    status, output = run("validate", str(file))
    assert status == 1
    assert output.splitlines() == [
        "%s: revision: must be an integer from 1 to 999999999999999" % file,
        "%s: cookies[1].category: unknown category 'ads'" % file,
    ]


def without_language_cookie(demo_path, tmp_path):
    with open(demo_path, encoding="utf-8") as handle:
        data = json.load(handle)
    data["cookies"] = [c for c in data["cookies"] if c.get("name") != "django_language"]
    file = tmp_path / "cookies.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    return str(file), data


def config_file(tmp_path, **config):
    file = tmp_path / "config.json"
    file.write_text(json.dumps(config), encoding="utf-8")
    return str(file)


def test_validate_with_the_config_requires_the_language_cookie_its_language_choice_writes(demo_path, tmp_path):
    manifest, _ = without_language_cookie(demo_path, tmp_path)
    config = config_file(tmp_path, manifest="/cookies.json", languages=["fr", "en"], languageCookie=True)
    status, output = run("validate", manifest, "--config", config)
    assert status == 1
    assert output.startswith("%s: cookies: 'django_language' is not declared" % manifest)
    # the same manifest passes when the language choice writes nothing, or only one language is offered
    assert run("validate", manifest, "--config", config_file(tmp_path, manifest="/c.json", languages=["fr", "en"]))[0] == 0
    assert run("validate", manifest, "--config", config_file(tmp_path, manifest="/c.json", languages=["fr"],
                                                             languageCookie=True))[0] == 0
    assert run("validate", demo_path, "--config", config)[0] == 0        # the demo declares it


def test_validate_with_the_config_checks_it_as_the_page_does_and_uses_its_languages(demo_path, tmp_path):
    bad = config_file(tmp_path, manifest="javascript:alert(1)")
    assert run("validate", demo_path, "--config", bad) == (
        1, "%s: data-config: manifest: must be an http(s) or relative URL (got 'javascript:alert(1)')\n" % bad)
    unknown = config_file(tmp_path, manifest="/c.json", languages=["fr"], lang="en")
    status, output = run("validate", demo_path, "--config", unknown)
    assert status == 0
    assert output.splitlines() == ["%s: data-config: unknown key 'lang' ignored" % unknown,
                                   "%s: valid (revision 1, 2 categories, 5 cookies, languages: fr)" % demo_path]
    assert run("validate", demo_path, "--config", unknown, "--languages", "fr")[0] == 2


def test_validate_with_the_config_names_google_and_vendor_mappings_the_page_would_report(manifest_data, tmp_path):
    from test_exempt import with_exempt
    manifest = tmp_path / "exempt.json"
    manifest.write_text(json.dumps(with_exempt(manifest_data)), encoding="utf-8")
    config = config_file(tmp_path, manifest="/c.json", languages=["fr"],
                         googleConsentMode={"audience": ["analytics_storage", "ad_storage"]},
                         vendors={"matomo": "necessary", "piano": "audiance"})
    status, output = run("validate", str(manifest), "--config", config)
    assert status == 1
    assert output.splitlines() == [
        "%s: data-config: googleConsentMode: audience: exempt, and Google's tags are not covered by the CNIL's "
        "exemption: their types stay denied (map a category that needs consent)" % config,
        "%s: data-config: vendors: necessary, audiance: not an optional category of the manifest: its tool is "
        "told that it is refused" % config]


def test_validate_reads_a_manifest_held_inline_in_the_config(demo_path, tmp_path):
    _, data = without_language_cookie(demo_path, tmp_path)
    inline = config_file(tmp_path, manifest=data, languages=["fr", "en"], languageCookie=True)
    status, output = run("validate", "--config", inline)
    assert status == 1 and "%s (its manifest): cookies: 'django_language' is not declared" % inline in output
    assert run("validate", demo_path, "--config", inline) == (
        2, "%s: its manifest is inline, and the page reads that one: leave out %s\n" % (inline, demo_path))
    by_url = config_file(tmp_path, manifest="/cookies.json")
    assert run("validate", "--config", by_url) == (
        2, "%s: its manifest is a URL (/cookies.json): give the manifest file too\n" % by_url)


def test_validate_without_languages_catches_a_text_translated_everywhere_but_once(fixture_path):
    file = fixture_path("bad/missing_english_title")
    status, output = run("validate", file)
    assert status == 1
    assert output == "%s: categories[0].title: no text for language 'en'\n" % file
    assert run("validate", file, "--languages", "fr")[0] == 0


def test_validate_rejects_an_invalid_regular_expression_with_python_re(fixture_path):
    status, output = run("validate", fixture_path("bad/invalid_regex"))
    assert status == 1
    assert "cookies[0].match: invalid regular expression '^stats(_'" in output



def test_validate_names_the_field_holding_a_lone_surrogate(demo_path, tmp_path):
    """"\\ud800" without its pair passed validate, then broke every Django page and the build's consent.js."""
    with open(demo_path, encoding="utf-8") as handle:
        data = json.load(handle)
    data["cookies"][2]["purpose"]["fr"] = "Mémoriser votre choix \ud800"
    file = tmp_path / "cookies.json"
    file.write_text(json.dumps(data), encoding="utf-8")          # written as the escape \ud800
    status, output = run("validate", str(file))
    assert status == 1
    assert output.startswith("%s: cookies[2].purpose.fr: holds U+D800, a lone surrogate" % file)
    output.encode("utf-8")                     # what it prints, a terminal can show

def test_validate_reports_a_missing_file_with_status_2(tmp_path):
    missing = str(tmp_path / "nope.json")
    status, output = run("validate", missing)
    assert status == 2
    assert output.startswith(missing + ": cannot read: ")


def test_validate_reports_a_file_that_is_not_json_with_status_1(tmp_path):
    file = tmp_path / "cookies.json"
    file.write_text("{\"revision\": 1,", encoding="utf-8")
    status, output = run("validate", str(file))
    assert status == 1
    assert output.startswith("%s: not valid JSON: " % file)



DEEP = "[" * 100000 + "]" * 100000         # valid JSON; Python's decoder gives up around 1,000 levels


@pytest.mark.parametrize("text", [DEEP, '{"revision": 1, "categories": %s, "cookies": []}' % DEEP])
def test_validate_reports_json_nested_too_deep_with_status_1_and_no_traceback(tmp_path, text):
    file = tmp_path / "cookies.json"
    file.write_text(text, encoding="utf-8")
    status, output = run("validate", str(file))
    assert (status, output) == (1, "%s: not valid JSON: arrays and objects nested more than 64 levels deep (a "
                                   "manifest needs 5)\n" % file)


def test_a_manifest_nested_as_deep_as_a_real_one_is_read(demo_path):
    from banner.server.host import load_json
    with open(demo_path, encoding="utf-8") as handle:
        assert load_json(handle)["revision"] == 1
    assert load_json(io.StringIO("[" * 64 + "]" * 64)) is not None
    with pytest.raises(ValueError, match="nested more than 64 levels"):
        load_json(io.StringIO("[" * 65 + "]" * 65))

def test_validate_reports_a_json_document_that_is_not_an_object(tmp_path):
    file = tmp_path / "cookies.json"
    file.write_text("[]", encoding="utf-8")
    assert run("validate", str(file)) == (1, "%s: (top level): must be an object\n" % file)


def test_decode_prints_what_a_consent_value_holds():
    status, output = run("decode", "2.3.%d.%s.analytics=1~4ylmn1:video=0~0k9a2c" % (NOW, CID))
    assert status == 0
    assert json.loads(output) == {"version": 2, "revision": 3, "decidedAt": NOW, "consentId": CID,
                                  "accepted": ["analytics"],
                                  "fingerprints": {"analytics": "4ylmn1", "video": "0k9a2c"}}


def test_decode_prints_which_providers_a_partly_accepted_category_accepts():
    status, output = run("decode", "4.3.%d.%s.analytics=1~4ylmn1:video=1-5~0k9a2c" % (NOW, CID))
    assert status == 0
    assert json.loads(output)["providers"] == {"video": [1, 3]}      # the 1st and 3rd provider by name
    assert "providers" not in json.loads(run("decode", "4.3.%d.%s.analytics=1" % (NOW, CID))[1])


def test_decode_prints_no_fingerprint_for_an_entry_without_one():
    status, output = run("decode", "2.3.%d.%s.analytics=1" % (NOW, CID))
    assert status == 0
    assert json.loads(output)["fingerprints"] == {}
    assert json.loads(output)["accepted"] == ["analytics"]


@pytest.mark.parametrize("value", ["2.3.%d.%s.Analytics=1" % (NOW, CID), "1.3.%d.%s.analytics" % (NOW, CID)])
def test_decode_refuses_a_value_it_did_not_write(value):
    assert run("decode", value) == (1, "not a valid cookies_preferences value\n")


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["validate"], ["decode"]])
def test_bad_usage_exits_with_status_2(argv, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv, out=io.StringIO())
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err
