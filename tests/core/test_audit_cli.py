"""`consent-banner audit` as a command, without a browser: the exit status says clean (0), violations (1)
or could not run (2, one line saying why: a usage error, or Chromium missing, naming the Debian package)."""

import io

import pytest

from banner.__main__ import main
from banner.audit import cdp

from audit_kit import PORTAL, audited_manifest, faulty, full_report


@pytest.fixture
def manifest(demo_data):
    return audited_manifest(demo_data())


def run(*argv):
    """The exit status and the summary, on standard output (nothing on standard error: no error)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(["audit"] + list(argv), out=out, err=err)
    assert err.getvalue() == ""
    return status, out.getvalue()


def failing(*argv):
    """The exit status and the error line of a run that could not audit: on standard error, standard output
    left empty (where a CI job keeps the summary)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(["audit"] + list(argv), out=out, err=err)
    assert out.getvalue() == ""
    return status, err.getvalue()


@pytest.fixture
def recorded(monkeypatch, manifest):
    """banner.audit.audit answering a recorded report (clean unless told otherwise)."""
    answer = {}

    def fake(url, **options):
        answer["options"] = options
        return answer.get("report") or full_report(manifest, [])
    monkeypatch.setattr("banner.audit.audit", fake)
    return answer


def test_the_command_exits_0_on_a_clean_audit_and_1_on_a_violation(recorded, manifest):
    status, out = run(PORTAL)
    assert status == 0 and out.endswith("Verdict: clean: nothing found\n")
    recorded["report"] = faulty(manifest)
    status, out = run(PORTAL)
    assert status == 1 and "VIOLATION [without_consent] cookie fx_uid_42" in out


def test_the_command_passes_resolve_as_host_to_address(recorded):
    run(PORTAL, "--resolve", "Tracker.example=127.0.0.1", "--pages", "2")
    assert recorded["options"]["resolve"] == {"tracker.example": "127.0.0.1"}
    assert recorded["options"]["pages"] == 2
    status, out = failing(PORTAL, "--resolve", "nothing")
    assert (status, out) == (2, "audit: --resolve nothing: expected HOST=ADDRESS\n")


def test_a_missing_chromium_exits_2_naming_the_debian_package(monkeypatch):
    monkeypatch.delenv(cdp.ENV, raising=False)
    monkeypatch.setattr(cdp, "DEBIAN_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("PATH", "/nonexistent")
    status, message = failing(PORTAL)
    assert status == 2
    assert message.startswith("audit: Chromium is not installed (looked for /nonexistent/chromium, then chromium, ")
    assert "sudo apt-get install chromium" in message and "chromedriver is not needed" in message
    assert "Traceback" not in message


def test_a_chromium_given_that_does_not_exist_exits_2(monkeypatch):
    assert failing(PORTAL, "--chromium", "/nonexistent/chrome") == (
        2, "audit: no Chromium at /nonexistent/chrome (given with --chromium)\n")
    monkeypatch.setenv(cdp.ENV, "/nonexistent/chrome")
    assert failing(PORTAL) == (2, "audit: no Chromium at /nonexistent/chrome (given by $CONSENT_BANNER_CHROMIUM)\n")


@pytest.mark.parametrize("argv, message", [
    (["audit", "ftp://portal.example/"], "audit: 'ftp://portal.example/' is not an http(s) URL\n"),
    (["audit", PORTAL, "--pages", "0"], "audit: --pages must be a whole number from 1\n"),
    (["audit", PORTAL, "--manifest", "/nonexistent/cookies.json"],
     "audit: /nonexistent/cookies.json: cannot read: No such file or directory\n"),
])
def test_usage_errors_exit_2_with_one_line_before_any_browser_starts(argv, message):
    assert failing(*argv[1:]) == (2, message)


def test_a_manifest_file_that_is_not_utf8_exits_2_with_one_line(tmp_path):
    latin1 = tmp_path / "cookies.json"
    latin1.write_bytes('{"title": "Café"}'.encode("latin-1"))            # saved as Latin-1: é is the byte 0xe9
    assert failing(PORTAL, "--manifest", str(latin1)) == (
        2, "audit: %s: not UTF-8 (byte 0xe9 at offset 14): a manifest is JSON, saved as UTF-8\n" % latin1)


def test_an_error_goes_to_standard_error_leaving_standard_output_to_the_summary(capsys):
    assert main(["audit", "ftp://portal.example/"]) == 2
    assert capsys.readouterr() == ("", "audit: 'ftp://portal.example/' is not an http(s) URL\n")


def test_an_out_path_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "report").write_text("x")
    assert failing(PORTAL, "--out", str(tmp_path / "report")) == (
        2, "audit: --out %s: not a directory\n" % (tmp_path / "report"))
