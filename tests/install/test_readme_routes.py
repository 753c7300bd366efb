"""Each route README gives, followed literally in a fresh directory: its commands, files and snippets are
read from README.md itself (readme_kit), run as a new portal team would run them, and the portal they make
is checked in Chromium with README's own third parties (stats.example.org's tag, videos.example.org's
embed, served by a fake on a local TLS port): nothing of theirs before consent, everything after
« Tout accepter ». The time of each route, fresh directory to checked page, is printed at the end of the
run (conftest.TIMES).

- static: the Python package, `consent-banner validate --pages` and `build`, Python's http.server;
- npm: the npm package, `npx consent-banner-validate`, its dist/ copied as it is;
- Django: `django-admin startproject`, README's settings and URLs appended, its two templates, `manage.py
  check` silent, `runserver`.
"""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from install_kit import TIMES, clean_env, ok, run
from readme_kit import block, commands, install_commands, section, with_packages

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
from banner import __version__  # noqa: E402
from banner.cookies import decode_consent  # noqa: E402

ACCEPT = "//*[@id='cb-banner']//button[normalize-space()='Tout accepter']"
EMBED = "https://videos.example.org/embed/42"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shell(line, cwd, env):
    return ok(run("sh", "-c", line, cwd=cwd, env=env))


def fresh_python(tmp_path):
    """A new virtual environment, first on PATH, as `python -m venv venv && . venv/bin/activate` makes it."""
    venv = tmp_path / "venv"
    ok(run(sys.executable, "-m", "venv", str(venv), cwd=tmp_path))
    return clean_env(PATH=str(venv / "bin") + os.pathsep + clean_env()["PATH"], VIRTUAL_ENV=str(venv))


def five_minutes():
    text = section("Integrate in five minutes")
    return {"cookies.json": block(text, "json", '"categories"'), "config.json": block(text, "json", '"manifest"'),
            "index.html": block(text, "html", "data-consent"), "python": block(text, "sh", "consent-banner build"),
            "npm": block(text, "sh", "npx consent-banner-validate")}


def write_site(project, steps):
    for name in ("cookies.json", "config.json", "index.html"):
        (project / name).write_text(steps[name], encoding="utf-8")
    # the page's tag carries "that very data-config": what the build painted the first layer for
    tag = re.search(r"data-config='([^']*)'", steps["index.html"]).group(1)
    assert json.loads(tag) == json.loads(steps["config.json"])


class Server:
    """A README serve command run in the background, on a free port instead of the one README names."""

    def __init__(self, line, cwd, env, port):
        self.process = subprocess.Popen(shlex.split(line), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.url = "http://127.0.0.1:%d/" % port
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stderr.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("%s did not answer" % line)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def click_when_shown(driver, xpath):
    for button in driver.find_elements(By.XPATH, xpath):
        try:
            if button.is_displayed():
                button.click()
                return True
        except StaleElementReferenceException:
            return False
    return False


def banner_errors(driver):
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and ("consent-banner" in e["message"] or "Uncaught" in e["message"])]


def accept_everything(driver, url, third_party):
    """A new visitor: the banner, nothing of the third party; « Tout accepter »: its tag runs before the
    inline script that calls it, its embed loads; the cookie holds both categories."""
    driver.delete_all_cookies()
    driver.get_log("browser")
    del third_party.seen[:]
    driver.get(url)
    wait = WebDriverWait(driver, 30, poll_frequency=0.05, ignored_exceptions=(WebDriverException,))
    wait.until(lambda d: d.execute_script("return !!(window.__consentBoot && window.__consentBoot.ready);"))
    assert third_party.seen == [], "a third party was contacted before any consent"
    assert driver.execute_script("return document.querySelectorAll('iframe[src]').length;") == 0
    wait.until(lambda d: click_when_shown(d, ACCEPT))
    wait.until(lambda d: d.execute_script("return window.counted === true;"), "the tag or the inline script did not run")
    wait.until(lambda d: d.execute_script("return document.querySelectorAll('iframe[src=\"%s\"]').length;" % EMBED))
    wait.until(lambda d: ("videos.example.org", "/embed/42") in third_party.seen, "the embed did not load")
    assert ("stats.example.org", "/tag.js") in third_party.seen
    consent = decode_consent(driver.get_cookie("cookies_preferences")["value"])
    assert sorted(consent.accepted) == ["analytics", "video"]
    assert banner_errors(driver) == []
    return driver.execute_script("return consentBanner.version;")


def served_and_accepted(serve, project, env, chromium, third_party):
    """README's serve command on a free port, then « Tout accepter » checked in Chromium (accept_everything);
    returns the banner version the page reports."""
    port = free_port()
    server = Server(serve.replace(" 8000", " %d" % port), project, env, port)
    try:
        return accept_everything(chromium, server.url, third_party)
    finally:
        server.stop()


def test_the_static_route_with_the_python_package(packages, third_party, chromium, tmp_path):
    started = time.monotonic()
    env = fresh_python(tmp_path)
    project = tmp_path / "portal"
    project.mkdir()
    shell(install_commands(packages["dist"])["pip"], project, env)
    steps = five_minutes()
    write_site(project, steps)
    validate, build, serve = commands(steps["python"])
    checked = shell(validate, project, env)
    assert "valid (revision 1, 3 categories" in checked
    assert checked.splitlines()[-1] == "pages: 1 file read, every blocked element's third party is declared"
    assert "consent.brython.js" in shell(build, project, env)
    assert served_and_accepted(serve, project, env, chromium, third_party) == __version__
    TIMES["static site, pip + consent-banner build"] = time.monotonic() - started

    # what the visitor's cookie holds, with the installed command; a typo README's --pages would catch
    assert json.loads(shell("consent-banner decode " + shlex.quote(chromium.get_cookie("cookies_preferences")["value"]),
                            project, env))["revision"] == 1
    (project / "index.html").write_text(steps["index.html"].replace("videos.example.org/embed", "vids.example.net/embed"),
                                        encoding="utf-8")
    typo = run("sh", "-c", validate, cwd=project, env=env)
    assert typo.returncode == 1 and '"hosts": ["vids.example.net"]' in typo.stdout


def test_the_static_route_with_the_npm_package(packages, third_party, chromium, tmp_path):
    started = time.monotonic()
    project = tmp_path / "portal"
    project.mkdir()
    env = clean_env()
    shell(install_commands(packages["dist"])["npm"], project, env)
    steps = five_minutes()
    write_site(project, steps)
    validate, copy, serve = commands(steps["npm"])
    assert shell(validate, project, env).startswith("cookies.json: valid (revision 1, 3 categories")
    shell(copy, project, env)
    assert served_and_accepted(serve, project, env, chromium, third_party) == __version__
    TIMES["static site, npm (dist as it is)"] = time.monotonic() - started

    installed = project / "node_modules" / "consent-banner"
    assert json.loads((installed / "package.json").read_text())["version"] == __version__
    assert "## Install" in (installed / "README.md").read_text(encoding="utf-8")
    found = json.loads(ok(run("node", "-e", """
        const v = require("consent-banner");
        console.log(JSON.stringify({
          consent: require.resolve("consent-banner/consent.js"),
          schema: require("consent-banner/manifest.schema.json").$schema,
          bad: v.validate({revision: 0, categories: [], cookies: []}).problems}));""", cwd=project, env=env)))
    assert found["consent"] == str(installed / "dist" / "consent.js")
    assert found["schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert found["bad"] == [{"path": "revision", "message": "must be an integer from 1 to 999999999999999"},
                            {"path": "categories", "message": "must be a non-empty list"}]
    # the page API as an ES module, through the package's exports, and its declarations beside it
    api = ok(run("node", "--input-type=module", "-e", """
        import * as api from "consent-banner/api";
        console.log(Object.keys(api).sort().join(" "), api.accepted("analytics"), JSON.stringify(api.version()));""",
                 cwd=project, env=env)).split()
    assert api == ["accepted", "apply", "onChange", "reset", "settled", "show", "showPreferences", "version", "false", '""']
    assert "interface ConsentBanner" in (installed / "api.d.ts").read_text(encoding="utf-8")


def test_the_django_route_from_startproject(packages, third_party, chromium, tmp_path):
    started = time.monotonic()
    env = fresh_python(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    django = section("Django")
    setup = commands(block(django, "sh", "startproject"))
    for line in setup:
        shell(with_packages(line, packages["dist"]), project, env)
    manifest = json.loads(five_minutes()["cookies.json"])
    manifest["cookies"].append(json.loads(block(django, "json", "cookies_preferences_refreshed")))
    (project / "cookies.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, containing in (("settings.py", "INSTALLED_APPS +="), ("urls.py", "urlpatterns +=")):
        with open(project / "portal" / name, "a", encoding="utf-8") as handle:
            handle.write("\n" + block(django, "python", containing))
    (project / "templates" / "home.html").write_text(block(django, "django", "consent_block"), encoding="utf-8")
    (project / "templates" / "cookies.html").write_text(block(django, "django", "consent_policy %}</main>"),
                                                        encoding="utf-8")
    validate, check, migrate, runserver = commands(block(django, "sh", "manage.py runserver"))
    assert shell(validate, project, env).splitlines()[-1] == (
        "pages: 2 files read, every blocked element's third party is declared")
    checked = run("sh", "-c", check, cwd=project, env=env)
    assert checked.returncode == 0 and "consent_banner" not in checked.stdout + checked.stderr, checked.stderr
    assert "System check identified no issues" in checked.stdout
    shell(migrate, project, env)
    port = free_port()
    server = Server("%s 127.0.0.1:%d --noreload" % (runserver, port), project, env, port)
    try:
        assert accept_everything(chromium, server.url, third_party) == __version__
        TIMES["Django, from django-admin startproject"] = time.monotonic() - started
        # outside its features the project behaves as before: a missing static file is a 404, not a 500
        chromium.get(server.url + "static/no-such-file.css")
        assert "Page not found" in chromium.page_source
        chromium.get(server.url + "cookies/")
        assert "Mesure d'audience" in chromium.find_element(By.TAG_NAME, "main").text
    finally:
        server.stop()

    # the admin of the consent log speaks the admin's language, from the catalogs the wheel carries
    said = shell("python manage.py shell -c \"from django.utils import translation; "
                 "from banner.django.models import ConsentRecord as R; translation.activate('fr'); "
                 "print(R._meta.verbose_name_plural, '|', R._meta.get_field('received_at').verbose_name)\"",
                 project, env)
    assert said.strip().splitlines()[-1] == "enregistrements de consentement | reçu le"
