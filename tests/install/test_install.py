"""Install the released packages as a user would, away from the checkout, and use the banner they carry.

The wheel and the npm tarball are built once (tools/package.py, what `make package` runs). Then:
- pip: a fresh venv gets the wheel alone (no index, no checkout on sys.path); the portal's bundle is built
  with the installed `consent-banner build` only, its first layer prerendered for the portal's data-config;
- npm: a fresh directory gets `npm install ./consent-banner-X.tgz`; the portal serves the package's dist/.
Each portal is served over HTTP and driven in headless Chromium: the banner shows, "Tout refuser" writes
the cookies_preferences cookie, nothing optional runs, and the page reports the packaged version.
"""

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
from banner import __version__  # noqa: E402
from banner.consent import FORMAT_VERSION  # noqa: E402

CONFIG = {"manifest": "/cookies.json", "languages": ["fr"], "policyUrl": "/pages/cookies/"}
PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Portail</title>
<script src="%s" defer data-config='%s'></script></head>
<body><main><h1>Portail</h1></main>
<script type="text/plain" data-consent="analytics">window.measured = true;</script>
<footer><a href="/pages/cookies/" data-consent-open>Gestion des cookies</a></footer></body></html>
"""


def run(*command, cwd):
    """A command in a clean environment: nothing from the checkout can leak in through PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    out = tmp_path_factory.mktemp("packages")
    ok(run(sys.executable, os.path.join(ROOT, "tools", "package.py"), "--out", str(out), cwd=ROOT))
    return {"wheel": out / ("consent_banner-%s-py3-none-any.whl" % __version__),
            "npm": out / ("consent-banner-%s.tgz" % __version__)}


def portal(directory, loader):
    """A portal's document root: one page including the loader, and its manifest."""
    (directory / "index.html").write_text(PAGE % (loader, json.dumps(CONFIG)), encoding="utf-8")
    shutil.copyfile(os.path.join(ROOT, "demo", "site", "cookies.json"), directory / "cookies.json")
    (directory / "config.json").write_text(json.dumps(CONFIG), encoding="utf-8")


@pytest.fixture
def serve():
    servers = []

    def start(directory):
        handler = functools.partial(QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return "http://127.0.0.1:%d/" % server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=fr-FR"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


REFUSE = "//*[@id='cb-banner']//button[normalize-space()='Tout refuser']"


def click_when_shown(driver, xpath):
    """Click the visible element, retrying while the painted first layer is swapped for Python's own."""
    for button in driver.find_elements(By.XPATH, xpath):
        try:
            if button.is_displayed():
                button.click()
                return True
        except StaleElementReferenceException:
            return False
    return False


def refuse_all(driver, url):
    """Open the portal's page, refuse everything in the banner; the cookie value and the page's state."""
    driver.delete_all_cookies()
    driver.get(url)
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: click_when_shown(d, REFUSE))
    cookie = wait.until(lambda d: d.get_cookie("cookies_preferences"))
    wait.until(lambda d: d.execute_script("var b = document.getElementById('cb-banner');"
                                          "return !b || b.offsetParent === null;"))
    state = driver.execute_script("return [consentBanner.version, consentBanner.accepted('analytics'), "
                                  "window.measured === true];")
    return cookie["value"], state


def test_the_wheel_installs_alone_and_builds_a_portal_with_its_command(packages, tmp_path, serve, chromium):
    venv = tmp_path / "venv"
    ok(run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path))
    ok(run(sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
           "--no-index", "--no-deps", str(packages["wheel"]), cwd=tmp_path))
    command = str(venv / "bin" / "consent-banner")
    site = tmp_path / "site"
    site.mkdir()
    portal(site, "/static/consent/consent.js")

    # Every module imports from the installed copy (banner.lang was once missing from the wheel).
    where = ok(run(str(venv / "bin" / "python"), "-c", "import banner, banner.i18n, banner.ui.notice, banner.build;"
                   "print(banner.__file__, banner.__version__)", cwd=site))
    assert where.split()[0].startswith(str(venv)) and where.split()[1] == __version__
    assert ok(run(command, "--version", cwd=site)).strip() == "consent-banner " + __version__
    assert "valid" in ok(run(command, "validate", "cookies.json", cwd=site))
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

    value, (version, analytics, measured) = refuse_all(chromium, serve(site))
    assert (version, analytics, measured) == (__version__, False, False)
    decoded = json.loads(ok(run(command, "decode", value, cwd=site)))
    assert decoded["accepted"] == [] and decoded["revision"] == json.load(open(site / "cookies.json"))["revision"]


def test_the_npm_tarball_installs_alone_and_its_dist_runs_the_banner(packages, tmp_path, serve, chromium):
    site = tmp_path / "portal"
    site.mkdir()
    ok(run("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", str(packages["npm"]), cwd=site))
    installed = site / "node_modules" / "consent-banner"
    assert json.loads((installed / "package.json").read_text())["version"] == __version__
    assert "## Install" in (installed / "README.md").read_text(encoding="utf-8")
    resolved = ok(run("node", "-p", "require.resolve('consent-banner/consent.js')", cwd=site)).strip()
    assert resolved == str(installed / "dist" / "consent.js")
    portal(site, "/node_modules/consent-banner/dist/consent.js")

    value, (version, analytics, measured) = refuse_all(chromium, serve(site))
    assert (version, analytics, measured) == (__version__, False, False)
    assert value.split(".")[0] == str(FORMAT_VERSION)       # the cookie format this release writes


DJANGO_SMOKE = """
import json, sys
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.staticfiles", "banner.django"], STATIC_URL="/static/",
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    LANGUAGE_CODE="fr", CONSENT_BANNER={"MANIFEST": "cookies.json", "MANIFEST_URL": "/cookies.json"})
django.setup()
from django.contrib.staticfiles import finders
from django.template import engines
from django.test import RequestFactory
import banner
request = RequestFactory().get("/")
html = engines["django"].from_string("{% load consent_banner %}{% consent_banner %}").render({}, request)
print(json.dumps({"banner": banner.__file__, "loader": finders.find("consent_banner/consent.js"), "html": html}))
"""


def test_the_wheel_carries_the_django_app_its_tags_and_its_assets(packages, tmp_path):
    """Installed from the wheel alone (Django taken from this test run's environment), the app's tags
    render and Django's static finders find the packaged loader inside the installed package."""
    import django
    venv = tmp_path / "venv"
    ok(run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path))
    ok(run(sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
           "--no-index", "--no-deps", str(packages["wheel"]), cwd=tmp_path))
    site = tmp_path / "site"
    site.mkdir()
    portal(site, "/static/consent_banner/consent.js")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(django.__file__)))
    result = subprocess.run([str(venv / "bin" / "python"), "-c", DJANGO_SMOKE], cwd=site, env=env,
                            capture_output=True, text=True)
    found = json.loads(ok(result))
    assert found["banner"].startswith(str(venv)) and found["loader"].startswith(str(venv))
    assert 'id="cb-banner"' in found["html"] and 'src="/static/consent_banner/consent.js"' in found["html"]
