"""The benchmark's portal page: the demo's page template (demo/site/page.html, rendered by demo/server.py)
with one body for every banner. Only the banner's own tags differ between the pages."""

import json
import os
import re
import sys

from .banners import ANALYTICS_URL, BANNERS, POLICY_URL, competitor_tags

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from demo import server as demo_server  # noqa: E402  (the template and its renderer live with the demo)

PATH = "/explore/dataset/frequentation-parkings/"
TITLE = "Fréquentation des parkings"
BODY = """<h1>Fréquentation des parkings</h1>
<p>Nombre de places libres par parking, mis à jour toutes les 5 minutes. Retrouvez les données publiques de la
ville : transports, stationnement, budget, équipements.</p>
<p><img src="/bench/hero.png" width="960" height="320" alt="Carte de fréquentation des parkings du centre-ville"
  style="max-width:100%;height:auto"></p>
<h2>À propos de ce jeu de données</h2>
<p>Les données proviennent des capteurs installés à l'entrée et à la sortie de chaque parking public. Elles
sont publiées sous Licence Ouverte 2.0 et peuvent être téléchargées aux formats CSV, JSON et GeoJSON, ou
interrogées par l'API du portail.</p>
<ul><li>Producteur : Ville d'Aix-en-Provence</li><li>Mise à jour : toutes les 5 minutes</li>
<li>Couverture : 14 parkings publics</li></ul>"""

NO_FAVICON = '<link rel="icon" href="data:,">'      # no favicon request on any page
LOADER = re.compile(r'<script src="/static/dist/consent\.js"[^>]*></script>')
MANAGE = re.compile(r'(<a href="[^"]*") data-consent-open>')
BLOCKED = re.compile(r'<script type="text/plain" data-consent="analytics" data-src="[^"]*"></script>')


def manifest():
    with open(os.path.join(ROOT, "demo", "site", "cookies.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    data.pop("$schema", None)
    return data


def ours_config():
    """Our data-config on the benchmark pages (the manifest inline, like the competitors' configs)."""
    return {"manifest": manifest(), "languages": ["fr"], "policyUrl": POLICY_URL}


def _replace_once(pattern, replacement, text):
    result, count = pattern.subn(lambda match: replacement(match), text)
    if count != 1:
        raise RuntimeError("demo/site/page.html changed: %r matched %d times, expected once" % (pattern.pattern,
                                                                                              count))
    return result


def render(kind):
    """The page for one kind of banner (see banners.ALL_KINDS)."""
    page = demo_server.render(PATH, "fr", ours_config(), {PATH: {"fr": (TITLE, BODY)}})
    blocked = ('<script type="text/plain" %s data-src="%s"></script>' % (BANNERS[kind]["blocked"], ANALYTICS_URL))
    page = _replace_once(BLOCKED, lambda m: blocked, page)
    if kind == "ours":
        return _replace_once(LOADER, lambda m: NO_FAVICON + "\n" + m.group(0), page)
    head, tail, manage = competitor_tags(kind)
    page = _replace_once(LOADER, lambda m: NO_FAVICON + ("\n" + head if head else ""), page)
    page = _replace_once(MANAGE, lambda m: m.group(1) + (" " + manage if manage else "") + ">", page)
    return page.replace("</body>", (tail + "\n" if tail else "") + "</body>")
