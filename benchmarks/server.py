"""The benchmark's web server on 127.0.0.1: one page per kind of banner at /p/<kind>/, the banners' files,
gzip (level 6) for text when the request accepts it, max-age=3600 for assets, no-store for HTML, HTTP/1.1
keep-alive. Unlike the demo's server it serves what a portal's CDN would: compressed, cacheable files."""

import gzip
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import django_page, page
from .banners import ALL_KINDS

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NODE = os.path.join(ROOT, "node_modules")
DEMO_SITE = os.path.join(ROOT, "demo", "site")

COMPRESSIBLE = (".js", ".css", ".json", ".html", ".svg")
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png",
         ".json": "application/json", ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}


def mounts(dist):
    """URL prefix (or exact path) -> file or directory. `dist` is where our built files are."""
    return [("/static/dist/", dist),
            ("/vendor/vanilla/", os.path.join(NODE, "vanilla-cookieconsent", "dist")),
            ("/vendor/klaro/", os.path.join(NODE, "klaro", "dist")),
            ("/vendor/tarteaucitron/", os.path.join(NODE, "tarteaucitronjs")),
            ("/demo.css", os.path.join(DEMO_SITE, "demo.css")),
            ("/analytics.js", os.path.join(DEMO_SITE, "analytics.js")),
            ("/bench/hero.png", os.path.join(HERE, "site", "hero.png"))]


def resolve(table, path):
    """The file serving `path`, or None (never outside a mounted directory)."""
    for prefix, target in table:
        if path == prefix and os.path.isfile(target):
            return target
        if prefix.endswith("/") and path.startswith(prefix):
            file = os.path.normpath(os.path.join(target, path[len(prefix):]))
            return file if file.startswith(target + os.sep) and os.path.isfile(file) else None
    return None


class Content:
    """Static bodies, each read once at its first request and kept for the whole run, gzip computed once."""

    def __init__(self, dist):
        self.table = mounts(dist)
        self.lock = threading.Lock()
        self.cache = {}

    def get(self, path):
        with self.lock:
            if path in self.cache:
                return self.cache[path]
        file = resolve(self.table, path)
        if file is None:
            return None
        with open(file, "rb") as handle:
            body = handle.read()
        ext = os.path.splitext(path)[1]
        entry = (body, gzip.compress(body, 6, mtime=0) if ext in COMPRESSIBLE else None,
                 TYPES.get(ext, "application/octet-stream"))
        with self.lock:
            self.cache[path] = entry
        return entry

    def served(self, prefix="/static/dist/"):
        """{path: (raw bytes, gzip bytes or None)} of what was served under `prefix`."""
        with self.lock:
            return {path: (len(raw), len(zipped) if zipped else None)
                    for path, (raw, zipped, _) in self.cache.items() if path.startswith(prefix)}


def make_server(dist):
    """A started-on-demand server on a free port; `server.content` tells what it served."""
    content = Content(dist)
    pages = {"/p/%s/" % kind: page.render(kind).encode("utf-8") for kind in ALL_KINDS if kind != "django"}
    pages_gz = {path: gzip.compress(body, 6, mtime=0) for path, body in pages.items()}
    django_page.render("")           # Django set up and its template compiled, as in a portal already running

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = urlsplit(self.path).path
            if path == "/p/django/":             # rendered per request: it depends on the visitor's cookie
                body, cookies = django_page.render(self.headers.get("Cookie", ""))
                return self.send(200, gzip.compress(body, 6, mtime=0), TYPES[".html"], "no-store", vary=True,
                                 gzipped=True, cookies=cookies)
            if path in pages:
                entry, cache = (pages[path], pages_gz[path], TYPES[".html"]), "no-store"
            else:
                entry, cache = content.get(path), "max-age=3600"
            if entry is None:
                return self.send(404, b"not found", "text/plain", "no-store")
            body, zipped, ctype = entry
            gzipped = zipped is not None and "gzip" in self.headers.get("Accept-Encoding", "")
            self.send(200, zipped if gzipped else body, ctype, cache, vary=zipped is not None, gzipped=gzipped)

        def send(self, status, body, ctype, cache, vary=False, gzipped=False, cookies=()):
            self.send_response(status)
            for cookie in cookies:
                self.send_header("Set-Cookie", cookie)
            self.send_header("Content-Type", ctype)
            self.send_header("Cache-Control", cache)
            if vary:
                self.send_header("Vary", "Accept-Encoding")
            if gzipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.content = content
    return server
