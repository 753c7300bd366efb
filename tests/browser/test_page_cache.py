"""A real shared cache in front of the demo Django portal: Debian's nginx with proxy_cache, configured as a
portal would (cache 200 answers for ten minutes, honour Cache-Control, Set-Cookie and Vary; the key adds
the language cookie, as every page of a portal whose language follows django_language needs), and real
browsers through it.

- Pages the same for every visitor (the default): cached once, served to everyone, and still each visitor's
  own choice applies (a visitor who accepted gets their analytics from a cached page; a new visitor gets
  the same cached page and nothing optional); no cached answer ever carries a visitor's Set-Cookie. The hit
  ratio for new visitors is measured and printed.
- Per-visitor pages: private, so nginx never stores them, and no visitor gets another's.
"""

import os
import re
import socket
import subprocess
import time
import urllib.request

import pytest

from browser_kit import consent_value, decode_consent, serving
from django_site import serve

NGINX = "/usr/sbin/nginx"
DATASET = "/explore/dataset/frequentation-parkings/"
PAGES = ("/", DATASET, "/pages/cookies/")

CONFIG = """
worker_processes 1;
daemon off;
{user}
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
  log_format cache '$upstream_cache_status $request_method $request_uri';
  access_log {dir}/access.log cache;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  proxy_cache_path {dir}/cache levels=1:2 keys_zone=pages:4m max_size=64m inactive=10m use_temp_path=off;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass {upstream};
      proxy_set_header Host $http_host;
      proxy_cache pages;
      proxy_cache_valid 200 10m;
      proxy_cache_key "$scheme$http_host$request_uri|$cookie_django_language";
      add_header X-Cache $upstream_cache_status always;
    }}
  }}
}}
"""


class CachedPortal:
    """The demo portal (its own runserver) behind a private nginx; `url()` is nginx's."""

    def __init__(self, directory, **env):
        if not os.access(NGINX, os.X_OK):
            pytest.fail("%s is missing: install Debian's nginx-light (make setup)" % NGINX, pytrace=False)
        self.upstream, self.django, self.database = serve(directory, **env)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.dir = str(directory)
        with open(os.path.join(self.dir, "nginx.conf"), "w") as handle:
            handle.write(CONFIG.format(dir=self.dir, port=port, upstream=self.upstream,
                                       user="user root;" if os.geteuid() == 0 else ""))
        self.nginx = subprocess.Popen([NGINX, "-p", self.dir, "-c", os.path.join(self.dir, "nginx.conf")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base = "http://127.0.0.1:%d" % port
        deadline = time.time() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if self.nginx.poll() is not None or time.time() > deadline:
                    raise RuntimeError("nginx did not start: %s" % self.nginx.stderr.read().decode()[-2000:])
                time.sleep(0.05)

    def url(self, path="/"):
        return self.base + path

    def log(self):
        """(cache status, method, URI) of every request nginx answered so far."""
        with open(os.path.join(self.dir, "access.log")) as handle:
            return [tuple(line.split()) for line in handle if line.strip()]

    def stop(self):
        for process in (self.nginx, self.django):
            process.terminate()
            process.wait(10)


@pytest.fixture(scope="module")
def cached(tmp_path_factory, servers):
    yield from serving(CachedPortal(tmp_path_factory.mktemp("cached")), servers)


@pytest.fixture(scope="module")
def cached_per_visitor(tmp_path_factory, servers):
    yield from serving(CachedPortal(tmp_path_factory.mktemp("cached-visitor"), DEMO_PER_VISITOR="1"), servers)


def fetch(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers, response.read()


def test_new_visitors_get_the_cached_pages_and_the_hit_ratio_is_measured(cached):
    """Twenty new visitors (no cookie), each reading the three pages, after one visitor who accepted."""
    accepted = "django_language=fr; cookies_preferences=" + consent_value(["analytics"])
    first = {path: fetch(cached.url(path), accepted) for path in PAGES}
    statuses = []
    for _ in range(20):
        for path in PAGES:
            headers, body = fetch(cached.url(path), "django_language=fr")
            statuses.append(headers["X-Cache"])
            assert body == first[path][1]                         # the very bytes the accepting visitor got
            assert headers.get_all("Set-Cookie") is None
    ratio = statuses.count("HIT") / len(statuses)
    print("\nnginx proxy_cache, pages the same for every visitor: %d new-visitor requests, hit ratio %.1f%%"
          % (len(statuses), 100 * ratio))
    assert ratio == 1.0
    # the accepting visitor's own answers: the refresh never rides on a page a cache keeps
    assert all(headers.get_all("Set-Cookie") is None for headers, _ in first.values())


@pytest.mark.journey
def test_through_the_cache_each_visitor_gets_their_own_choice_and_never_anothers(browser, cached):
    browser.set_cookie("django_language", "fr", url=cached.url())
    browser.open(cached.url())
    browser.click_banner("Tout accepter")
    browser.wait_no_banner()
    browser.open(cached.url(DATASET))
    assert browser.js("return window.__analyticsRan;") == 1
    browser.wait_js("return !!document.querySelector('iframe[data-consent][src]')", "the map did not load")
    served = [status for status, method, uri in cached.log() if uri == DATASET]
    # a new visitor now, on the very page the accepting visitor's cache entry serves
    browser.reset()
    browser.set_cookie("django_language", "fr", url=cached.url())
    browser.open(cached.url(DATASET))
    assert [status for status, method, uri in cached.log() if uri == DATASET][len(served):] == ["HIT"]
    assert browser.wait_banner().is_displayed()
    assert browser.js("return window.__analyticsRan || 0;") == 0
    assert browser.find_all("iframe[src]") == [] and browser.find_all("[data-cb-placeholder]")
    assert browser.cookie("cookies_preferences") is None


def test_per_visitor_pages_are_never_stored_and_never_given_to_another_visitor(cached_per_visitor):
    accepted = "django_language=fr; cookies_preferences=" + consent_value(["analytics"])
    statuses = []
    for cookie in (accepted, "django_language=fr", accepted, "django_language=fr"):
        headers, body = fetch(cached_per_visitor.url(), cookie)
        statuses.append(headers["X-Cache"])
        # the analytics tag live in the page (the exempt measurement's is, for everyone)
        live = any(b"analytics.js" in tag and b'data-cb-ran=""' in tag for tag in re.findall(rb"<script[^>]*>", body))
        assert live is (cookie == accepted)
        assert "private" in headers["Cache-Control"]
    print("\nnginx proxy_cache, per-visitor pages: %d requests, %d hits" % (len(statuses), statuses.count("HIT")))
    assert "HIT" not in statuses


def test_a_returning_visitors_refresh_never_reaches_the_cache(cached):
    """Through nginx, a visitor whose cookie is due for the refresh gets no Set-Cookie on a shared page, so
    no cached copy can hand their decision to anyone."""
    value = consent_value([], decided_at=int(time.time() * 1000) - 10 * 24 * 3600 * 1000)
    headers, _ = fetch(cached.url("/pages/cookies/?refresh-check"), "django_language=fr; cookies_preferences=" + value)
    assert headers.get_all("Set-Cookie") is None
    headers, _ = fetch(cached.url("/pages/cookies/?refresh-check"), "django_language=fr")
    assert headers["X-Cache"] == "HIT" and headers.get_all("Set-Cookie") is None
    assert decode_consent(value) is not None
