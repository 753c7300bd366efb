"""What the install tests share: the packages, built once by `make package` in a fresh copy of the sources
(the light route README gives: no test tools, no browser); a fake third party (stats.example.org and
videos.example.org, the hosts README's examples load from) on a local TLS port; one Chromium whose
resolver sends those hosts there; and the time each README route took, printed at the end of the run."""

import functools
import http.server
import os
import shutil
import ssl
import subprocess
import threading
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from install_kit import ROOT, THIRD_PARTY_HOSTS, TIMES, ok, run  # noqa: E402


@pytest.fixture(scope="session")
def source_copy(tmp_path_factory):
    """`make package` in a fresh copy of the sources (tracked and new files; no .venv, no node_modules): the
    light route, which installs only the release step's tools. Its build cache (the minified runtime, keyed
    by content) is copied too, to keep the suite short; it changes what is computed, not what is needed."""
    copy = tmp_path_factory.mktemp("checkout") / "consent-banner"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        if os.path.isfile(os.path.join(ROOT, name)):
            os.makedirs(os.path.dirname(os.path.join(copy, name)) or str(copy), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, name), os.path.join(copy, name))
    if os.path.isdir(os.path.join(ROOT, ".build-cache")):
        shutil.copytree(os.path.join(ROOT, ".build-cache"), copy / ".build-cache")
    started = time.monotonic()
    ok(run("make", "package", cwd=copy, timeout=900))
    TIMES["make package (fresh copy of the sources)"] = time.monotonic() - started
    return copy


@pytest.fixture(scope="session")
def packages(source_copy):
    from banner import __version__
    dist = source_copy / "dist"
    return {"dist": dist, "wheel": dist / ("consent_banner-%s-py3-none-any.whl" % __version__),
            "npm": dist / ("consent-banner-%s.tgz" % __version__)}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class ThirdParty(http.server.BaseHTTPRequestHandler):
    """The third party of README's examples: its tag defines startCounting(), its embed is a page. Every
    request is recorded with the host it was addressed to."""
    seen = None
    BODIES = {"/tag.js": ("text/javascript", b"window.startCounting = function () { window.counted = true; };"),
              "/embed/42": ("text/html; charset=utf-8", b"<!doctype html><title>video</title><p id='video'>42</p>")}

    def do_GET(self):
        self.seen.append((self.headers.get("Host", "").split(":")[0], self.path))
        kind, body = self.BODIES.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in self.BODIES else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def third_party(tmp_path_factory):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("the openssl command is missing: it makes the fake third party's certificate", pytrace=False)
    folder = tmp_path_factory.mktemp("third-party")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=%s" % THIRD_PARTY_HOSTS[0], "-addext", "subjectAltName=" + ",".join(
                        "DNS:" + h for h in THIRD_PARTY_HOSTS), "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    seen = []
    handler = type("Handler", (ThirdParty,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.seen = seen
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium(third_party):
    """Headless Chromium in French, whose resolver sends README's third-party hosts to the fake one (its
    self-signed certificate accepted); every other host resolves as usual (127.0.0.1 for the portals)."""
    rules = ", ".join("MAP %s 127.0.0.1:%d" % (h, third_party.server_address[1]) for h in THIRD_PARTY_HOSTS)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=fr-FR",
                 "--host-resolver-rules=" + rules, "--ignore-certificate-errors"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def serve():
    """serve(directory) -> the URL of a static server of that directory (for the packages' own tests)."""
    servers = []

    def start(directory):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return "http://127.0.0.1:%d/" % server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def pytest_terminal_summary(terminalreporter):
    if TIMES:
        terminalreporter.write_sep("-", "README routes from a fresh directory")
        for name, seconds in TIMES.items():
            terminalreporter.write_line("%-60s %6.1f s" % (name, seconds))
