"""The packages as a release publishes them, built by `make package` (the light route: conftest.source_copy)
and installed away from the checkout. The routes README gives a portal team, followed literally and checked in
a browser, are test_readme_routes.py; here, what those routes do not show:

- `make package` needs only the release step's tools: no test extras, no browser, none of the tests' npm
  packages; the wheel carries the Django app's translations, the npm tarball its validator and schema;
- the wheel alone (no index, no checkout on sys.path): every module imports from the installed copy, the
  command reports the version, and `build` refuses a directory holding someone else's file, untouched.
"""

import os
import sys
import tarfile
import zipfile

from install_kit import ok, run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
from banner import __version__  # noqa: E402

CONFIG = '{"manifest": "/cookies.json", "languages": ["fr"], "policyUrl": "/pages/cookies/"}'


def test_make_package_is_light_and_the_packages_carry_what_users_need(source_copy, packages):
    venv = source_copy / ".venv" / "bin" / "python"
    for module in ("selenium", "pytest", "django", "hypothesis"):
        assert run(str(venv), "-c", "import " + module, cwd=source_copy).returncode != 0, module
    assert ok(run(str(venv), "-c", "import brython; print('ok')", cwd=source_copy)).strip() == "ok"
    installed = sorted(os.listdir(source_copy / "node_modules"))
    assert "terser" in installed and "acorn" in installed
    assert not {"lighthouse", "axe-core", "klaro", "vanilla-cookieconsent", "tarteaucitronjs", "@gouvfr"} & set(installed)
    with zipfile.ZipFile(packages["wheel"]) as wheel:
        names = set(wheel.namelist())
    for code in ("fr", "de", "es", "it", "nl", "ar"):
        assert "banner/django/locale/%s/LC_MESSAGES/django.mo" % code in names
    with tarfile.open(packages["npm"]) as tarball:
        names = set(tarball.getnames())
    assert {"package/validate.js", "package/bin/consent-banner-validate.js", "package/manifest.schema.json"} <= names


def test_the_wheel_installs_alone_and_its_command_builds_a_portal(packages, tmp_path):
    venv = tmp_path / "venv"
    ok(run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path))
    ok(run(sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
           "--no-index", "--no-deps", str(packages["wheel"]), cwd=tmp_path))
    command = str(venv / "bin" / "consent-banner")
    site = tmp_path / "site"
    site.mkdir()
    with open(os.path.join(ROOT, "demo", "site", "cookies.json"), encoding="utf-8") as handle:
        (site / "cookies.json").write_text(handle.read(), encoding="utf-8")
    (site / "config.json").write_text(CONFIG, encoding="utf-8")

    # Every module imports from the installed copy (banner.lang was once missing from the wheel).
    where = ok(run(str(venv / "bin" / "python"), "-c", "import banner, banner.i18n, banner.ui.notice, banner.server.build,"
                   " banner.server.pages; print(banner.__file__, banner.__version__)", cwd=site))
    assert where.split()[0].startswith(str(venv)) and where.split()[1] == __version__
    assert ok(run(command, "--version", cwd=site)).strip() == "consent-banner " + __version__
    built = ok(run(command, "build", "--config", "config.json", "--manifest", "cookies.json",
                   "--out", "static/consent", cwd=site))
    assert "consent.brython.js" in built and "brython.js" in built
    assert '"key":' in (site / "static" / "consent" / "consent.js").read_text(encoding="utf-8")  # prerendered

    # A second build replaces its own files; a directory holding someone else's file is refused, untouched.
    ok(run(command, "build", "--config", "config.json", "--manifest", "cookies.json", "--out", "static/consent",
           cwd=site))
    (site / "static" / "mine.js").write_text("// the portal's own", encoding="utf-8")
    refused = run(command, "build", "--out", "static", cwd=site)
    assert refused.returncode == 2 and "mine.js" in refused.stderr
    assert (site / "static" / "mine.js").read_text(encoding="utf-8") == "// the portal's own"
