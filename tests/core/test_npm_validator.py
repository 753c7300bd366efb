"""The npm package's validator (static/src/validate.js, its rules written in from Python by tools/package.py)
says what `consent-banner validate` says: on every manifest fixture, the demo's and a table of broken ones,
the same problems with the same field paths and the same words, in the same order; and its command
(`npx consent-banner-validate`) prints what the Python command prints."""

import copy
import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from banner.__main__ import main as cli
from banner.server.host import regex_ok
from banner.errors import ManifestError
from banner.manifest import parse_manifest, text_languages

from core_kit import FIXTURES, ROOT, validator_problems

sys.path.insert(0, os.path.join(ROOT, "tools"))
import package  # noqa: E402

NODE = shutil.which("node")
DEMO_MANIFEST = os.path.join(ROOT, "demo", "site", "cookies.json")


def python_problems(data, languages):
    try:
        parse_manifest(data, languages or text_languages(data) or ["fr"], regex_ok)
    except ManifestError as error:
        return [list(p) for p in error.problems]
    return []


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def broken(demo):
    """Manifests broken in ways the fixtures do not cover (providers, paths, storages, limits, surrogates)."""
    def edit(change):
        data = copy.deepcopy(demo)
        change(data)
        return data
    return [
        edit(lambda d: d["categories"][1].update(providers=[{"name": "A", "hosts": ["x..org"]}, {"name": "A"},
                                                            {"name": " ", "policyUrl": "javascript:x", "logo": 1}])),
        edit(lambda d: d["categories"][1].update(providers="Matomo")),
        edit(lambda d: d["cookies"][0].update(paths=["/a/", "/a/"])),
        edit(lambda d: d["cookies"][0].update(paths=["no-slash", "/x;y"])),
        edit(lambda d: d["cookies"][0].update(storage="local", paths=["/a/"])),
        edit(lambda d: d["cookies"][0].update(storage="disk", name="a b")),
        edit(lambda d: d["cookies"][0].update(category=None, match=["^x"])),
        edit(lambda d: d["cookies"][1].update(name=d["cookies"][0]["name"])),
        edit(lambda d: d.update(categories=[dict(d["categories"][1], id="c%d" % i) for i in range(65)])),
        edit(lambda d: d.update(revision=True, cookies={}, extra="it's")),
        edit(lambda d: d["categories"][0].update({"title": {"fr": "ok", "en": "\ud800"}, "k\udc00": 1})),
        edit(lambda d: d["categories"][1].update(title={"fr": "x", "EN-gb": "y", "de": 3})),
        edit(lambda d: d["categories"][1].update(exempt=True)),              # its cookies give no maxAgeDays
        edit(lambda d: (d["categories"][1].update(exempt="yes", required=True),
                        d["cookies"][4].update(maxAgeDays=-1, domain="bad host"))),
        edit(lambda d: (d["categories"][1].update(exempt=True), d["cookies"][4].update(maxAgeDays=400),
                        d["cookies"][3].update(maxAgeDays=30, domain="stats.example.net", category="analytics"))),
        edit(lambda d: d["cookies"][0].update(storage="local", domain="x.example", maxAgeDays=36501)),
        # a choice per provider: only where consent is asked, for 1 to 20 providers, a boolean; its problems
        # come before the texts', as Python finds them
        edit(lambda d: d["categories"][0].update(providerChoice=True)),
        edit(lambda d: d["categories"][1].update(providerChoice=True, providers=[])),
        edit(lambda d: d["categories"][1].update(providerChoice=True, exempt=True)),
        edit(lambda d: d["categories"][1].update(
            providerChoice=True, providers=[{"name": "P%d" % i} for i in range(21)])),
        edit(lambda d: d["categories"][1].update(providerChoice="yes", title={"fr": "x"})),
        ["not", "an", "object"],
        {"categories": [], "cookies": []},
    ]


def cases():
    table = [(load(os.path.join(FIXTURES, "good", name)), None) for name in sorted(os.listdir(os.path.join(FIXTURES, "good")))]
    bad = sorted(os.listdir(os.path.join(FIXTURES, "bad")))
    table += [(load(os.path.join(FIXTURES, "bad", name)), languages) for name in bad for languages in (["fr", "en"], None)]
    demo = load(DEMO_MANIFEST)
    table += [(demo, None), (demo, ["fr"]), (demo, ["fr", "en", "de"])]
    table += [(data, ["fr", "en"]) for data in broken(demo)]
    return table


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_npm_validator_finds_exactly_the_problems_python_finds():
    table = cases()
    expected = [python_problems(data, languages) for data, languages in table]
    assert sum(1 for e in expected if e) > 45                 # the table does break things
    assert validator_problems(table) == expected


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_npm_command_prints_what_the_python_command_prints(tmp_path):
    package_dir = tmp_path / "consent-banner"
    (package_dir / "bin").mkdir(parents=True)
    (package_dir / "validate.js").write_text(package.validator_source(), encoding="utf-8")
    shutil.copyfile(package.VALIDATOR_CLI, package_dir / "bin" / "consent-banner-validate.js")
    files = {"demo.json": open(DEMO_MANIFEST, encoding="utf-8").read(),
             "two.json": open(os.path.join(FIXTURES, "good", "basic.json"), encoding="utf-8").read().replace(
                 '"revision": 1', '"revision": 2.0'),
             "half.json": open(os.path.join(FIXTURES, "good", "basic.json"), encoding="utf-8").read().replace(
                 '"revision": 1', '"revision": 2.5'),
             "bad.json": open(os.path.join(FIXTURES, "bad", "unknown_cookie_category.json"), encoding="utf-8").read()}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for argv in (["demo.json"], ["demo.json", "--languages", "fr,en,de"], ["two.json"], ["half.json"], ["bad.json"],
                 ["missing.json"]):
        out = io.StringIO()
        cwd = os.getcwd()
        os.chdir(tmp_path)
        try:
            status = cli(["validate"] + argv, out=out)
        finally:
            os.chdir(cwd)
        node = subprocess.run([NODE, str(package_dir / "bin" / "consent-banner-validate.js")] + argv, cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
        assert (node.returncode, node.stdout) == (status, out.getvalue()), argv
