"""`consent-banner validate cookies.json --pages DIR`: blocked content whose third party its category does not
declare is named before a visitor meets it, each with the manifest entry that lets it run (banner/server/pages.py)."""

import io
import json
import re

from banner.__main__ import main

MANIFEST = {"revision": 1, "cookies": [], "categories": [
    {"id": "necessary", "required": True, "title": "Nécessaires", "description": "Le portail en a besoin."},
    {"id": "analytics", "title": "Mesure d'audience", "description": "Statistiques de visite.",
     "providers": [{"name": "Matomo", "policyUrl": "https://matomo.org/privacy/", "hosts": ["stats.example.org"]}]},
    {"id": "video", "title": "Vidéos", "description": "Vidéos intégrées."}]}

PAGE = """<!doctype html><html lang="fr"><body>
<script type="text/plain" data-consent="analytics" data-src="https://stats.example.org/tag.js"></script>
<script type="text/plain" data-consent="analytics">startCounting();</script>
<script type="text/plain" data-consent="analytics" data-src="https://cdn.matomo.cloud/matomo.js"
        data-provider="Matomo"></script>
<iframe data-consent="video" data-provider="YouTube" title="Vidéo"
        data-src="https://www.youtube-nocookie.com/embed/xyz"></iframe>
<iframe data-consent="video" data-src="/embed/local.html" title="Carte"></iframe>
<iframe data-consent="stats" data-src="/embed/local.html" title="Typo"></iframe>
</body></html>
"""

TEMPLATE = """{% load consent_banner %}
<main>
{% consent_block "analytics" %}<script src="https://stats.example.org/tag.js"></script>
<noscript><img src="https://pixel.adnet.example/p.gif" alt=""></noscript>{% endconsent_block %}
{% consent_block 'video' %}<iframe data-provider="Vimeo" src="https://player.vimeo.com/video/1"></iframe>{% endconsent_block %}
{% consent_block "analytics" %}<base href="https://elsewhere.example/">{% endconsent_block %}
</main>
"""


def run(*argv):
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def portal(tmp_path, manifest=MANIFEST):
    (tmp_path / "cookies.json").write_text(json.dumps(manifest), encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "home.html").write_text(TEMPLATE, encoding="utf-8")
    return str(tmp_path / "cookies.json")


def apply(manifest, output):
    """The manifest with every entry the output suggests, as an integrator would paste them."""
    manifest = json.loads(json.dumps(manifest))
    for verb, index, provider, snippet in re.findall(
            r"^    (replace|add to) categories\[(\d+)\]\.providers(?:\[(\d+)\])? \(\w+\): (.*)$", output, re.M):
        providers = manifest["categories"][int(index)].setdefault("providers", [])
        if verb == "replace":
            providers[int(provider)] = json.loads(snippet)
        else:
            providers.append(json.loads(snippet))
    return manifest


def test_pages_name_each_undeclared_element_with_the_entry_to_add(tmp_path):
    status, output = run("validate", portal(tmp_path), "--pages", str(tmp_path / "site"))
    assert status == 1
    lines = output.splitlines()
    page = str(tmp_path / "site" / "index.html")
    assert lines[1] == ('%s:4: <script data-consent="analytics" data-provider="Matomo" '
                        'data-src="https://cdn.matomo.cloud/matomo.js">: host \'cdn.matomo.cloud\' is not declared '
                        "by a provider of category 'analytics'; it stays blocked even once accepted" % page)
    # a provider it declares gains the host, keeping what it had
    assert lines[2] == ('    replace categories[1].providers[0] (analytics): {"name": "Matomo", "policyUrl": '
                        '"https://matomo.org/privacy/", "hosts": ["stats.example.org", "cdn.matomo.cloud"]}')
    assert lines[3].startswith('%s:6: <iframe data-consent="video" data-provider="YouTube" ' % page)
    assert "provider 'YouTube' is not declared for category 'video'" in lines[3]
    assert "host 'www.youtube-nocookie.com' is not declared" in lines[3]
    assert lines[4] == ('    add to categories[2].providers (video): {"name": "YouTube", '
                        '"hosts": ["www.youtube-nocookie.com"]}')
    assert lines[5] == ('%s:9: <iframe data-consent="stats" data-src="/embed/local.html">: category \'stats\' '
                        "is not in the manifest (it has: necessary, analytics, video)" % page)
    assert lines[-1] == "pages: 1 file read, 3 blocked elements cannot run as written"
    # the inline script, the declared host and the portal's own embed are fine: nothing about them
    assert "tag.js" not in output and "local.html\">: provider" not in output


def test_the_suggested_entries_are_exactly_what_lets_the_content_run(tmp_path):
    path = portal(tmp_path)
    status, output = run("validate", path, "--pages", str(tmp_path / "site"), str(tmp_path / "templates"))
    assert status == 1
    fixed = apply(MANIFEST, output)
    (tmp_path / "cookies.json").write_text(json.dumps(fixed), encoding="utf-8")
    status, output = run("validate", path, "--pages", str(tmp_path / "site"), str(tmp_path / "templates"))
    # what no declaration can fix is all that is left: a category typo, a <base> in a block
    assert [line.split(": ", 2)[1] for line in output.splitlines()[1:-1]] == [
        '<iframe data-consent="stats" data-src="/embed/local.html">', '{% consent_block "analytics" %}']


def test_django_blocks_are_judged_as_the_server_gate_judges_them(tmp_path):
    status, output = run("validate", portal(tmp_path), "--pages", str(tmp_path / "templates"))
    assert status == 1
    template = str(tmp_path / "templates" / "home.html")
    assert output.splitlines()[1:] == [
        # what a browser without JavaScript fetches from <noscript> counts, as the gate counts it
        "%s:3: {%% consent_block \"analytics\" %%} <img>: host 'pixel.adnet.example' is not declared by a provider "
        "of category 'analytics'; the server sends nothing of this block" % template,
        '    add to categories[1].providers (analytics): {"name": "pixel.adnet.example", "hosts": '
        '["pixel.adnet.example"]}',
        "%s:5: {%% consent_block \"video\" %%} <iframe>: provider 'Vimeo' is not declared for category 'video'; "
        "host 'player.vimeo.com' is not declared by a provider of category 'video'; the server sends nothing of "
        "this block" % template,
        '    add to categories[2].providers (video): {"name": "Vimeo", "hosts": ["player.vimeo.com"]}',
        "%s:6: {%% consent_block \"analytics\" %%}: a <base> element would change the address of every link and "
        "file of the page; the server sends nothing of this block" % template,
        "pages: 1 file read, 3 blocked elements cannot run as written",
    ]


def test_a_portal_s_own_host_needs_no_declaration(tmp_path):
    manifest = json.loads(json.dumps(MANIFEST))
    path = tmp_path / "cookies.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text('<iframe data-consent="video" data-src="https://www.portal.example/embed/map"></iframe>',
                    encoding="utf-8")
    assert run("validate", str(path), "--pages", str(page))[0] == 1
    status, output = run("validate", str(path), "--pages", str(page), "--host", "www.portal.example")
    assert status == 0
    assert output.splitlines()[-1] == "pages: 1 file read, every blocked element's third party is declared"


def test_an_unreadable_page_is_named_without_a_traceback(tmp_path):
    path = portal(tmp_path)
    status, output = run("validate", path, "--pages", str(tmp_path / "missing.html"))
    assert status == 2
    assert output.splitlines()[-1] == "%s: cannot read: No such file or directory" % (tmp_path / "missing.html")


def test_pixels_pictures_and_players_are_judged_with_every_address_they_keep(tmp_path):
    path = tmp_path / "cookies.json"
    path.write_text(json.dumps(MANIFEST), encoding="utf-8")
    page = tmp_path / "media.html"
    page.write_text("""<p>
<img data-consent="analytics" data-src="https://stats.example.org/p.gif" alt="">
<img data-consent="analytics" data-src="https://pixel.adnet.example/p.gif" alt="">
<picture data-consent="video"><source data-srcset="https://img.cdn.example/a.webp 1x, /b.webp 2x">
  <img data-src="/local.png" alt=""></picture>
<video data-consent="video" data-poster="/poster.jpg"><source data-src="https://media.example.net/v.mp4"></video>
<audio data-consent="video"><source data-src="/sound.mp3"></audio>
</p>""", encoding="utf-8")
    status, output = run("validate", str(path), "--pages", str(page))
    assert status == 1
    lines = output.splitlines()[1:]
    assert [line.split(": ", 2)[1] for line in lines[:-1] if not line.startswith("    ")] == [
        '<img data-consent="analytics" data-src="https://pixel.adnet.example/p.gif">',
        '<picture data-consent="video">', '<video data-consent="video" data-poster="/poster.jpg">']
    assert '    add to categories[2].providers (video): {"name": "img.cdn.example", "hosts": ["img.cdn.example"]}' in lines
    assert '    add to categories[2].providers (video): {"name": "media.example.net", "hosts": ["media.example.net"]}' in lines
    assert lines[-1] == "pages: 1 file read, 3 blocked elements cannot run as written"
