"""`consent-banner build` (banner.server.build.build) on stand-in packaged assets: what it writes into a portal's
directory, what it removes there, and what it refuses to touch. The real assets and the browser are
exercised by tests/install/ and tests/browser/test_prerender.py."""

import json
import os

import pytest

from banner.server import build
from banner.__main__ import main


@pytest.fixture
def assets(tmp_path, monkeypatch):
    """Packaged assets as release() lays them out: a few files and the loader template with its hole."""
    packaged = tmp_path / "package"
    packaged.mkdir()
    for name in ("brython.js", "consent.brython.js", "consent.css", "consent-lang-de.js"):
        (packaged / name).write_text("/* %s */" % name, encoding="utf-8")
    (packaged / "consent.js").write_text("var p=null;", encoding="utf-8")
    template = tmp_path / "consent.template.js"
    template.write_text("var p=%s;" % build.HOLE, encoding="utf-8")
    monkeypatch.setattr(build, "ASSETS", str(packaged))
    monkeypatch.setattr(build, "TEMPLATE", str(template))
    return packaged


def test_it_creates_the_directory_and_records_what_it_wrote(assets, tmp_path):
    out = tmp_path / "site" / "consent"
    names = build.build(str(out))
    assert sorted(p.name for p in out.iterdir()) == sorted(names + [build.RECORD])
    assert (out / "consent.js").read_text() == "var p=null;"
    assert (out / build.RECORD).read_text().split() == names


def test_the_prerendered_first_layer_fills_the_hole(assets, tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "demo", "site", "cookies.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"manifest": manifest, "languages": ["fr"]}), encoding="utf-8")
    build.build(str(tmp_path / "out"), str(config))
    loader = (tmp_path / "out" / "consent.js").read_text(encoding="utf-8")
    first_layer = json.loads(loader[len("var p="):-1])
    assert set(first_layer) == {"key", "content", "trees", "early"} and list(first_layer["trees"]) == ["fr"]
    from banner.server.loader_facts import config_hash
    assert first_layer["early"]["config"] == config_hash({"manifest": manifest, "languages": ["fr"]})
    assert first_layer["early"]["manifest"] is None        # inline: the config's hash covers it
    from banner.fingerprint import layer_key
    from banner.manifest import parse_manifest
    assert first_layer["content"] == layer_key(parse_manifest(manifest, ["fr"]))   # what the page compares
    assert build.HOLE not in loader


def test_a_rebuild_removes_only_the_files_an_earlier_build_wrote(assets, tmp_path):
    out = tmp_path / "out"
    build.build(str(out))
    (assets / "consent-lang-de.js").unlink()                 # a newer release no longer ships this file
    build.build(str(out))
    assert not (out / "consent-lang-de.js").exists()
    assert (out / "consent.brython.js").exists()


def test_a_directory_holding_other_files_is_refused_and_left_as_it_was(assets, tmp_path, capsys):
    out = tmp_path / "static"
    out.mkdir()
    (out / "site.css").write_text("body{}", encoding="utf-8")
    (out / "consent.js").write_text("// the portal's own consent.js", encoding="utf-8")
    assert main(["build", "--out", str(out)]) == 2
    assert "site.css" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["consent.js", "site.css"]
    assert (out / "consent.js").read_text() == "// the portal's own consent.js"


@pytest.mark.parametrize("entry", ["../victim.txt", "/VICTIM", "sub/consent.js", "..", "sub", "link"])
def test_a_forged_record_naming_anything_but_a_plain_file_here_is_refused_before_any_change(assets, tmp_path,
                                                                                            capsys, entry):
    """The record is the list of files the next build removes: an entry outside DIR, through a link or
    naming a directory is no file a build wrote, so the build stops, says which line, and touches nothing."""
    out = tmp_path / "out"
    build.build(str(out))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    if entry == "sub":
        (out / "sub").mkdir()
        (out / "sub" / "page.html").write_text("keep", encoding="utf-8")
    if entry == "link":
        (out / "link").symlink_to(victim)
    entry = entry.replace("/VICTIM", str(victim))
    record = out / build.RECORD
    record.write_text(record.read_text(encoding="utf-8") + entry + "\n", encoding="utf-8")
    (assets / "consent-lang-de.js").unlink()                 # what the build would remove next
    before = snapshot(out)
    assert main(["build", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("build: %s lists %r, which is not a plain file name in %s" % (record, entry, out)), error
    assert snapshot(out) == before and victim.read_text() == "keep"


def test_a_symbolic_link_where_an_output_goes_is_refused_and_its_target_untouched(assets, tmp_path, capsys):
    """Following it would write outside DIR (here over a file elsewhere); replacing it would remove a link the
    build never made: the build refuses, naming it, and writes nothing."""
    out = tmp_path / "out"
    build.build(str(out))
    victim = tmp_path / "victim.js"
    victim.write_text("keep", encoding="utf-8")
    (out / "brython.js").unlink()
    (out / "brython.js").symlink_to(victim)
    before = snapshot(out)
    assert main(["build", "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("build: %s is a symbolic link (to %s)" % (out / "brython.js", victim))
    assert victim.read_text() == "keep" and (out / "brython.js").is_symlink()
    assert snapshot(out) == before


def test_a_record_that_is_a_symbolic_link_is_refused(assets, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "list.txt"
    elsewhere.write_text("consent.js\n", encoding="utf-8")
    (out / build.RECORD).symlink_to(elsewhere)
    assert main(["build", "--out", str(out)]) == 2
    assert "is a symbolic link" in capsys.readouterr().err
    assert elsewhere.read_text() == "consent.js\n" and sorted(p.name for p in out.iterdir()) == [build.RECORD]


def test_a_config_naming_its_manifest_by_url_needs_the_manifest_file(assets, tmp_path, capsys):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"manifest": "/cookies.json"}), encoding="utf-8")
    assert main(["build", "--config", str(config), "--out", str(tmp_path / "out")]) == 2
    assert "--manifest" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_manifest_the_page_would_refuse_stops_the_build_with_its_field(assets, tmp_path, capsys):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"manifest": "/cookies.json"}), encoding="utf-8")
    manifest = tmp_path / "cookies.json"
    manifest.write_text(json.dumps({"revision": 1, "categories": [], "cookies": []}), encoding="utf-8")
    assert main(["build", "--config", str(config), "--manifest", str(manifest), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("build: %s: manifest: categories" % manifest) and "Traceback" not in error
    assert not (tmp_path / "out").exists()



def demo_manifest():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "demo", "site", "cookies.json"), encoding="utf-8") as handle:
        return json.load(handle)


def snapshot(directory):
    """What a directory holds: each file's bytes, each link's target, each subdirectory's snapshot."""
    return {p.name: os.readlink(p) if p.is_symlink() else snapshot(p) if p.is_dir() else p.read_bytes()
            for p in directory.iterdir()}


def test_a_manifest_with_a_lone_surrogate_stops_the_build_and_leaves_the_previous_output(assets, tmp_path, capsys):
    """A title holding "\\ud800" (no character: UTF-8 cannot encode it) used to pass, then leave an empty
    consent.js behind a traceback."""
    config, manifest, out = tmp_path / "config.json", tmp_path / "cookies.json", tmp_path / "out"
    config.write_text(json.dumps({"manifest": "/cookies.json", "languages": ["fr", "en"]}), encoding="utf-8")
    data = demo_manifest()
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert main(["build", "--config", str(config), "--manifest", str(manifest), "--out", str(out)]) == 0
    before = snapshot(out)
    capsys.readouterr()
    data["categories"][1]["title"]["fr"] = "Mesure d'audience \ud800"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert main(["build", "--config", str(config), "--manifest", str(manifest), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("build: %s: manifest: categories[1].title.fr: holds U+D800" % manifest)
    assert snapshot(out) == before


FULL_DISK = """
import resource, signal, sys
from banner.server import build
from banner.__main__ import main
build.ASSETS, build.TEMPLATE = sys.argv[1], sys.argv[2]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)              # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))  # no file may grow past 64 KiB: a disk filling up
sys.exit(main(["build", "--out", sys.argv[3]]))
"""


def test_a_build_that_fails_while_writing_leaves_every_earlier_file_whole(assets, tmp_path):
    """Each file is written beside its old one and renamed over it: a disk filling up during a rebuild
    (here a file-size limit, past which writes fail) leaves the earlier build's files as they were, not
    truncated, and no temporary file behind."""
    import subprocess
    import sys
    out = tmp_path / "out"
    build.build(str(out))
    before = snapshot(out)
    (assets / "brython.js").write_text("/* a new release */" + " " * 200000, encoding="utf-8")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(assets), build.TEMPLATE, str(out)], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert snapshot(out) == before
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("build: %s: File too large" % (out / "brython.js")), done.stderr


@pytest.mark.parametrize("which", ["--config", "--manifest"])
def test_a_json_file_nested_too_deep_stops_the_build_with_a_message(assets, tmp_path, capsys, which):
    config, manifest = tmp_path / "config.json", tmp_path / "cookies.json"
    config.write_text(json.dumps({"manifest": "/cookies.json"}), encoding="utf-8")
    manifest.write_text(json.dumps(demo_manifest()), encoding="utf-8")
    deep = config if which == "--config" else manifest
    deep.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    assert main(["build", "--config", str(config), "--manifest", str(manifest), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error == "build: %s: not valid JSON: arrays and objects nested more than 64 levels deep (a manifest " \
                    "needs 5)\n" % deep
    assert not (tmp_path / "out").exists()

def test_without_packaged_assets_it_says_how_to_get_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(build, "ASSETS", str(tmp_path / "missing"))
    assert main(["build", "--out", str(tmp_path / "out")]) == 2
    assert "make build" in capsys.readouterr().err


def test_the_early_path_knows_the_manifest_text_as_the_browser_will_fetch_it(assets, tmp_path):
    """A manifest named by URL is recognised by the hash of its text as served: a byte-order mark is
    dropped (fetch's text() drops it) and Windows line ends are kept (they are in what the server sends)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "demo", "site", "cookies.json"), encoding="utf-8") as handle:
        text = handle.read().replace("\n", "\r\n")
    manifest = tmp_path / "cookies.json"
    manifest.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"manifest": "/cookies.json"}), encoding="utf-8")
    build.build(str(tmp_path / "out"), str(config), str(manifest))
    loader = (tmp_path / "out" / "consent.js").read_text(encoding="utf-8")
    early = json.loads(loader[len("var p="):-1])["early"]
    from banner.fnv import base36, utf16
    assert early["manifest"] == base36(utf16(text)) and "\r\n" in text
    assert early["revision"] == 1 and [c["id"] for c in early["categories"]] == ["necessary", "analytics"]
