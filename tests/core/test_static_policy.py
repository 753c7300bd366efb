"""banner.server.static_policy and `python -m banner policy`: the policy page as static HTML, per language, from
the page's own code; manifest strings are escaped text, never markup."""

import copy
import io
import json

from banner.__main__ import main
from banner.server.static_policy import render, render_all

CONFIG = {"manifest": "/cookies.json", "languages": ["fr", "en"]}


def test_each_language_gets_its_page_with_every_cookie_and_no_button(load_fixture):
    manifest = load_fixture("good/basic")
    pages = render_all(CONFIG, manifest)
    assert sorted(pages) == ["en", "fr"]
    assert pages["fr"].startswith('<div class="cb-policy" data-consent-policy="2" data-cb-static lang="fr" dir="ltr">')
    assert "Qu'est-ce qu'un cookie ?" in pages["fr"] and "What is a cookie?" in pages["en"]
    for cookie in manifest["cookies"]:
        assert "<code>%s</code>" % cookie["name"] in pages["fr"]
    assert "<button" not in pages["fr"] and "data-cb-policy-manage" in pages["fr"]


def test_manifest_strings_are_escaped(load_fixture):
    manifest = copy.deepcopy(load_fixture("good/basic"))
    manifest["categories"][1]["title"] = '<img src=x onerror="alert(1)"> & co'
    page = render(CONFIG, manifest, "fr", level=3)
    assert "<img" not in page
    assert "&lt;img src=x onerror=\"alert(1)\"&gt; &amp; co" in page
    assert "<h3>" in page and "<h2>" not in page


def test_the_cli_writes_one_file_per_language(tmp_path, load_fixture):
    (tmp_path / "config.json").write_text(json.dumps(CONFIG), encoding="utf-8")
    (tmp_path / "cookies.json").write_text(json.dumps(load_fixture("good/basic")), encoding="utf-8")
    out = io.StringIO()
    status = main(["policy", str(tmp_path / "config.json"), "--manifest", str(tmp_path / "cookies.json"),
                   "--out", str(tmp_path / "site")], out)
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["cookie-policy.en.html", "cookie-policy.fr.html"]
    assert (tmp_path / "site" / "cookie-policy.en.html").read_text(encoding="utf-8").strip() == \
        render(CONFIG, load_fixture("good/basic"), "en")
    assert main(["policy", str(tmp_path / "config.json"), "--out", str(tmp_path)], io.StringIO()) == 2
    bad = io.StringIO()
    (tmp_path / "bad.json").write_text('{"revision": 1}', encoding="utf-8")
    assert main(["policy", str(tmp_path / "config.json"), "--manifest", str(tmp_path / "bad.json")], bad) == 1
    assert bad.getvalue().startswith("policy: ")


def test_the_cli_refuses_a_symbolic_link_where_a_page_goes_and_writes_no_page(tmp_path, load_fixture):
    """A link named cookie-policy.fr.html in the output directory would have the page written wherever it
    points (a file of another site, a configuration file): it is refused, before any page is written."""
    (tmp_path / "config.json").write_text(json.dumps(CONFIG), encoding="utf-8")
    (tmp_path / "cookies.json").write_text(json.dumps(load_fixture("good/basic")), encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    victim = tmp_path / "victim.conf"
    victim.write_text("keep", encoding="utf-8")
    (site / "cookie-policy.fr.html").symlink_to(victim)
    out = io.StringIO()
    status = main(["policy", str(tmp_path / "config.json"), "--manifest", str(tmp_path / "cookies.json"),
                   "--out", str(site)], out)
    assert status == 1
    assert out.getvalue().startswith("policy: %s is a symbolic link" % (site / "cookie-policy.fr.html"))
    assert victim.read_text() == "keep"
    assert sorted(p.name for p in site.iterdir()) == ["cookie-policy.fr.html"]


def test_the_cli_reports_a_manifest_nested_too_deep_without_a_traceback(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps(CONFIG), encoding="utf-8")
    (tmp_path / "cookies.json").write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    out = io.StringIO()
    status = main(["policy", str(tmp_path / "config.json"), "--manifest", str(tmp_path / "cookies.json"),
                   "--out", str(tmp_path / "site")], out)
    assert (status, out.getvalue()) == (1, "policy: arrays and objects nested more than 64 levels deep (a manifest "
                                           "needs 5)\n")
    assert not (tmp_path / "site").exists()


def test_the_policy_names_each_categorys_third_parties_with_their_privacy_policy(load_fixture):
    manifest = copy.deepcopy(load_fixture("good/basic"))
    optional = [c for c in manifest["categories"] if not c.get("required")][0]
    optional["providers"] = [{"name": "Matomo", "policyUrl": "https://matomo.org/privacy-policy/",
                              "hosts": ["stats.example.org"]}, {"name": "Demo Dashboards"}]
    page = render(CONFIG, manifest, "fr")
    section = page.split('data-cb-cat="%s"' % optional["id"], 1)[1].split("</section>", 1)[0]
    assert '<li data-cb-provider="Matomo">Matomo — <a href="https://matomo.org/privacy-policy/"' in section
    assert '<li data-cb-provider="Demo Dashboards">Demo Dashboards</li>' in section
    assert section.index("Prestataires") < section.index("<table")
