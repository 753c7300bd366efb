"""End-to-end tests of the built bundle in real browsers: headless Chromium (the whole suite), and Firefox
ESR and WebKitGTK for the journeys of the public contract.

Infrastructure, shared by every test module of this directory (pure helpers that test modules import,
such as the demo manifest, test page HTML and cookies_preferences values, live in browser_kit.py; the
browsers themselves in engines.py):

- `servers` (session): two demo portals on 127.0.0.1, both from `demo.server.make_server`:
  `servers.multi` serves the demo pages in ["fr", "en"] plus the test pages this suite generates
  (`servers.multi.page(...)`, `servers.multi.route(...)`), `servers.mono` the demo pages in ["fr"] only.
  Both run on the same host, so they share cookies (cookies ignore the port): that is fine, since
  every test starts from an empty cookie jar. Every HTML page they send starts with
  browser_kit.PAGE_RECORDER (consent:change events, animations, and console entries for WebKit).
- `engine`: which browser a test runs in. Chromium unless the test is marked `@pytest.mark.journey`: then
  it runs once in each of Chromium, Firefox ESR and WebKitGTK (one browser of each kind for the session,
  started on first use). In a journey, a console error or uncaught exception that the test did not
  itself read (through `console_errors()` or `banner_errors()`) fails the test. `ALL_ENGINES=1` runs
  every test of the `browser` fixture in the three engines (those that need Chromium's DevTools fail in
  the others): how a module is tried before it is marked as journeys.
- `driver` (session): the session's Chromium (Selenium). A script installed for every new document
  records each `consent:change` event in `window.__events` (list of `detail.accepted`).
- `browser` (function): the engine's driver wrapped in `Browser`, reset before each test (cookies,
  storage, console drained), with the waits and cookie helpers tests need.

Nothing here builds the bundle: run `make build` first (the suite stops with that advice otherwise).
"""

import json
import os
import sys
import threading
from http.server import ThreadingHTTPServer

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DIST = os.path.join(ROOT, "static", "dist")
for _path in (ROOT, HERE):          # demo.server and banner from the repository; browser_kit from here
    if _path not in sys.path:
        sys.path.insert(0, _path)

from demo.server import make_handler  # noqa: E402
from browser_kit import FRAME_HTML, Browser, demo_manifest, hit_recording, recording, render_page  # noqa: E402,F401
import engines  # noqa: E402

BLANK = b"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>blank</title></head><body></body></html>"


def recording_handler(languages, routes):
    """demo.server's handler, with browser_kit.PAGE_RECORDER at the top of every HTML page it sends."""
    return recording(make_handler(list(languages), routes=routes))


class Site:
    """One running demo server; `routes` is the live table its handler reads, so pages can be added
    while it runs; `hits`, what was sent under HIT_PREFIX."""

    def __init__(self, languages, extra_routes=None):
        self.routes = {"/favicon.ico": ("image/x-icon", b""), "/t/blank.html": ("text/html; charset=utf-8", BLANK)}
        self.routes.update(extra_routes or {})
        self.hits = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0),
                                          hit_recording(recording_handler(languages, self.routes), self.hits))
        self.base = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
    def url(self, path="/"):
        return self.base + path

    def route(self, path, content_type, body):
        self.routes[path] = (content_type, body)
        return self.url(path)

    def json(self, path, data):
        return self.route(path, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def page(self, path, config, **kwargs):
        return self.route(path, "text/html; charset=utf-8", render_page(config, **kwargs))

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Servers:
    def __init__(self):
        with open(os.path.join(DIST, "consent.js"), "rb") as handle:
            loader = handle.read()
        with open(os.path.join(DIST, "brython.js"), "rb") as handle:
            runtime = handle.read()
        self.multi = Site(["fr", "en"], {
            "/t/frame.html": ("text/html; charset=utf-8", FRAME_HTML),
            "/t/cookies.json": ("application/json", json.dumps(demo_manifest()).encode("utf-8")),
            # A copy of the loader next to the runtime but without our package: consent.brython.js 404s.
            "/nobundle/consent.js": ("text/javascript", loader),
            "/nobundle/brython.js": ("text/javascript", runtime),
        })
        self.mono = Site(["fr"])
        self.origins = [self.multi.base, self.mono.base]

    def stop(self):
        self.multi.stop()
        self.mono.stop()


@pytest.fixture(scope="session")
def servers():
    missing = [n for n in ("consent.js", "consent.css", "brython.js", "consent.brython.js")
               if not os.path.exists(os.path.join(DIST, n))]
    if missing:
        pytest.fail("static/dist/%s is missing: run `make build` before the browser tests" % missing[0],
                    pytrace=False)
    running = Servers()
    yield running
    running.stop()


# -- engines ---------------------------------------------------------------------------------------------------
def pytest_configure(config):
    config.addinivalue_line("markers", "journey: a journey of the public contract, run in Chromium, Firefox "
                                       "ESR and WebKitGTK; unread console errors fail it")


def parametrized(definition, name):
    """Whether one of the test's own @pytest.mark.parametrize marks names the argument `name`."""
    for mark in definition.iter_markers("parametrize"):
        names = mark.args[0]
        if name in ([n.strip() for n in names.split(",")] if isinstance(names, str) else names):
            return True
    return False


def pytest_generate_tests(metafunc):
    journey = metafunc.definition.get_closest_marker("journey") or os.environ.get("ALL_ENGINES")
    if journey and "browser" in metafunc.fixturenames and not parametrized(metafunc.definition, "engine"):
        metafunc.parametrize("engine", engines.NAMES, indirect=True)


_running = {}


def running_engine(name):
    """The session's browser of kind `name`, started on first use."""
    if name not in _running:
        absent = engines.missing(name)
        if absent:
            pytest.fail("%s is missing: install Debian's %s (make setup)" % (absent, engines.PACKAGES[name]),
                        pytrace=False)
        _running[name] = engines.start(name)
    return _running[name]


@pytest.fixture(scope="session")
def browsers_session(servers):
    yield running_engine
    for name in list(_running):
        _running.pop(name).quit()


@pytest.fixture
def engine(request, browsers_session):
    return browsers_session(getattr(request, "param", "chromium"))


@pytest.fixture(scope="session")
def driver(browsers_session):
    """The session's Chromium (Selenium webdriver.Chrome)."""
    return browsers_session("chromium").driver


@pytest.fixture
def browser(engine, servers, request):
    b = Browser(engine.driver, servers, engine)
    b.reset()
    yield b
    if request.node.get_closest_marker("journey"):
        unread = b.unread_errors()
        if unread:
            pytest.fail("console errors during the journey in %s:\n%s" % (engine.name, "\n".join(unread)),
                        pytrace=False)


@pytest.fixture
def site(servers):
    """The multilingual demo portal, which also serves the generated test pages."""
    return servers.multi


@pytest.fixture
def mono(servers):
    """The demo portal offering French only."""
    return servers.mono
