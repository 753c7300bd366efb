"""The demo portal: a few pages in the spirit of an Opendatasoft portal, in French or English.

    python demo/server.py [--port 8000] [--languages fr,en]

Like Django's LocaleMiddleware, the page language comes from the django_language cookie (else French),
so the banner's language choice can be seen working. The banner itself is the built bundle under
/static/dist/ (run `make build` first; `make demo` does). Tests reuse `make_server` with extra pages.
"""

import argparse
import html
import json
import os
import sys
from http.cookies import SimpleCookie
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
from banner.server.receiver import handle_post, open_db  # noqa: E402  (the reference consent-log receiver)
from banner.server.static_policy import render_all  # noqa: E402  (the policy page without JavaScript)
SITE = os.path.join(HERE, "site")

TEXTS = {
    "fr": {
        "site": "Aix-en-Provence — données ouvertes (démo)", "skip": "Aller au contenu",
        "nav_label": "Navigation principale", "nav_home": "Accueil", "nav_dataset": "Jeu de données",
        "nav_policy": "Politique de cookies", "manage": "Gestion des cookies",
        "analytics_label": "Mesure d'audience :", "analytics_off": "inactive",
        "analytics_on": "active ({n} pages vues)",
    },
    "en": {
        "site": "Aix-en-Provence — open data (demo)", "skip": "Skip to content",
        "nav_label": "Main navigation", "nav_home": "Home", "nav_dataset": "Dataset",
        "nav_policy": "Cookie policy", "manage": "Cookie settings",
        "analytics_label": "Audience measurement:", "analytics_off": "off",
        "analytics_on": "on ({n} page views)",
    },
}

PAGES = {
    "/": {
        "fr": ("Accueil", "<h1>Portail de données ouvertes</h1><p>Retrouvez les données publiques de la ville : "
               "transports, stationnement, budget, équipements.</p><ul><li><a href='/explore/dataset/"
               "frequentation-parkings/'>Fréquentation des parkings</a></li><li><a href='/google/'>Exemple avec des "
               "balises Google</a></li></ul>"),
        "en": ("Home", "<h1>Open data portal</h1><p>Find the city's public data: transport, parking, budget, "
               "facilities.</p><ul><li><a href='/explore/dataset/frequentation-parkings/'>Car park "
               "occupancy</a></li><li><a href='/google/'>Example with Google tags</a></li></ul>"),
    },
    "/explore/dataset/frequentation-parkings/": {
        "fr": ("Fréquentation des parkings", "<h1>Fréquentation des parkings</h1><p>Nombre de places libres par "
               "parking, mis à jour toutes les 5 minutes.</p><h2>Tableau de bord intégré</h2><p class='embed-off'>"
               "Ce contenu intégré n'est chargé qu'avec votre accord pour la mesure d'audience.</p>"
               "<iframe title='Tableau de fréquentation' data-consent='analytics' data-provider='Demo Dashboards' data-src='/embed.html' width='640' height='200'></iframe>"),
        "en": ("Car park occupancy", "<h1>Car park occupancy</h1><p>Free spaces per car park, updated every 5 "
               "minutes.</p><h2>Embedded dashboard</h2><p class='embed-off'>This embedded content loads only "
               "with your consent to audience measurement.</p><iframe title='Occupancy dashboard' "
               "data-consent='analytics' data-provider='Demo Dashboards' data-src='/embed.html' width='640' "
               "height='200'></iframe>"),
    },
    "/pages/cookies/": {
        # The policy comes from the manifest: written as static HTML into data-consent-policy by
        # banner.server.static_policy (what `python -m banner policy` writes), so it reads without JavaScript;
        # the script then only adds the button that opens the centre.
        "fr": ("Politique de cookies", "<h1>Charte cookies</h1><p>Ce portail utilise des cookies. Cette page "
               "est générée à partir du manifeste de cookies du portail.</p><div data-consent-policy></div>"
               "<p>Cette politique peut être mise à jour à tout moment.</p>"),
        "en": ("Cookie policy", "<h1>Cookie policy</h1><p>This portal uses cookies. This page is generated from "
               "the portal's cookie manifest.</p><div data-consent-policy></div><p>This policy may be updated "
               "at any time.</p>"),
    },
    "/google/": {
        # A second manifest: a portal using Google tags, with Google Consent Mode v2 signals.
        "config": {"manifest": "/cookies-google.json", "policyUrl": "/pages/cookies/",
                   "googleConsentMode": {"analytics": ["analytics_storage"],
                                         "ads": ["ad_storage", "ad_user_data", "ad_personalization"]}},
        "fr": ("Exemple Google", "<h1>Exemple avec des balises Google</h1><p>Cette page utilise un second "
               "manifeste (Google Analytics et Google Ads) et envoie les signaux Google Consent Mode v2. "
               "Ouvrez la console et inspectez <code>dataLayer</code>. Comme c'est un autre manifeste, la "
               "bannière vous redemande votre choix en passant de cette page aux autres.</p>"
               "<p>État des balises Google : <output id='gtag-status'>bloquées</output></p>"
               "<script type='text/plain' data-consent='analytics' data-src='/gtag-stub.js'></script>"),
        "en": ("Google example", "<h1>Example with Google tags</h1><p>This page uses a second manifest (Google "
               "Analytics and Google Ads) and sends Google Consent Mode v2 signals. Open the console and look "
               "at <code>dataLayer</code>. As this is another manifest, the banner asks again when you move "
               "between this page and the others.</p><p>Google tags: <output id='gtag-status'>blocked</output></p>"
               "<script type='text/plain' data-consent='analytics' data-src='/gtag-stub.js'></script>"),
    },
}


POLICY_SLOT = "<div data-consent-policy></div>"


def render(path, lang, config, extra=None, policies=None):
    page = (extra or PAGES)[path]
    title, body = page[lang]
    if policies and lang in policies:
        body = body.replace(POLICY_SLOT, policies[lang])
    config = dict(config, **page.get("config", {}))
    values = dict(TEXTS[lang], lang=lang, title=title, body=body,
                  config=html.escape(json.dumps(config, ensure_ascii=False), quote=True))
    with open(os.path.join(SITE, "page.html"), encoding="utf-8") as handle:
        page = handle.read()
    for key, value in values.items():
        page = page.replace("{{%s}}" % key, value)
    return page


def make_handler(languages, pages=None, routes=None, log_path=None):
    """A request handler: demo pages (or `pages`), /static/ from the repo, the rest from demo/site.
    `routes` maps extra paths to (content type, body bytes or a callable(handler) -> bytes)."""
    with open(os.path.join(SITE, "config.json"), encoding="utf-8") as handle:
        config = dict(json.load(handle), languages=languages)      # the data-config of every page
    log_db = open_db(log_path or ":memory:")
    with open(os.path.join(SITE, "cookies.json"), encoding="utf-8") as handle:
        policies = render_all(config, json.load(handle))       # the static policy page, per language

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=SITE, **kwargs)

        def log_message(self, *args):
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def translate_path(self, path):
            clean = urlsplit(path).path
            if clean.startswith("/static/"):
                return os.path.join(ROOT, clean.lstrip("/"))
            return super().translate_path(path)

        def language(self):
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
            lang = cookie["django_language"].value if "django_language" in cookie else languages[0]
            return lang if lang in languages and lang in TEXTS else languages[0]

        def do_GET(self):
            path = urlsplit(self.path).path
            if routes and path in routes:
                ctype, body = routes[path]
                return self.send_body(ctype, body(self) if callable(body) else body)
            if path in (pages or PAGES):
                return self.send_body("text/html; charset=utf-8",
                                      render(path, self.language(), config, pages, policies).encode("utf-8"))
            return super().do_GET()

        def do_POST(self):
            if urlsplit(self.path).path == "/consent-log/":
                return handle_post(log_db, self)
            self.send_error(404)

        def send_body(self, ctype, body):
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def make_server(port=8000, languages=("fr", "en"), host="127.0.0.1", pages=None, routes=None, log_path=None):
    return ThreadingHTTPServer((host, port), make_handler(list(languages), pages, routes, log_path))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve the consent-banner demo portal.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--languages", default="fr,en", help="comma-separated, e.g. fr or fr,en")
    parser.add_argument("--consent-log", default=os.path.join(HERE, "consent-log.sqlite3"),
                        help="SQLite file receiving the consent records POSTed to /consent-log/")
    args = parser.parse_args(argv)
    if not os.path.exists(os.path.join(ROOT, "static", "dist", "consent.js")):
        sys.exit("static/dist/ is missing: run `make demo` (it builds first)")
    server = make_server(args.port, args.languages.split(","), log_path=args.consent_log)
    print("Demo portal on http://127.0.0.1:%d/  (Ctrl+C to stop)" % args.port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
