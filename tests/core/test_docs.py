"""The docs say what the code does: the data-config keys of README and docs/reference.md are KNOWN_KEYS,
the module lists name the modules that exist, and no text points at the tracker's issue numbers (which
mean nothing to a reader of the repository)."""

import glob
import json
import os
import re
import subprocess

import pytest

from banner.config import DEFAULT_LANGUAGES, KNOWN_KEYS

from core_kit import ROOT, read


def config_table(text):
    """{key: row cells} of the first markdown table under the data-config heading."""
    section = re.split(r"^#+ `data-config`.*$", text, maxsplit=1, flags=re.M)[1]
    lines = section.split("\n| key |", 1)[1].split("\n\n", 1)[0].split("\n")[2:]
    rows = [re.match(r"\| `(\w+)` \|(.*)\|$", line) for line in lines]
    assert all(rows), lines
    return {row.group(1): [cell.strip() for cell in row.group(2).split("|")] for row in rows}


@pytest.mark.parametrize("doc", ["README.md", os.path.join("docs", "reference.md")])
def test_the_data_config_table_lists_exactly_the_known_keys_in_order(doc):
    table = config_table(read(doc))
    assert list(table) == list(KNOWN_KEYS)


@pytest.mark.parametrize("doc", ["README.md", os.path.join("docs", "reference.md")])
def test_the_documented_default_languages_are_the_code_s(doc):
    assert "`%s`" % json.dumps(list(DEFAULT_LANGUAGES)) in config_table(read(doc))["languages"]


def modules(folder):
    return sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "banner", folder, "*.py"))
                  if not p.endswith("__init__.py"))


def test_architecture_names_every_module_and_only_those():
    text = read("docs", "architecture.md")
    named = set(re.findall(r"\b(\w+)\.py\b", text))
    described = modules("") + modules("ui") + modules("django") + modules("audit") + ["consent_banner"]
    for module in described:
        assert module in named, "docs/architecture.md does not describe %s.py" % module
    existing = set(described) | {"conftest", "xx", "xx_more"} | {
        os.path.basename(p)[:-3] for pattern in (("tools", "*.py"), ("tests", "*", "*.py"))
        for p in glob.glob(os.path.join(ROOT, *pattern))}
    assert named <= existing, named - existing


def test_readme_layout_names_every_core_module_and_only_those():
    layout = read("README.md").split("## Layout", 1)[1]
    core = layout.split("`banner/ui/`", 1)[0]
    named = set(re.findall(r"`(\w+)`", core))
    assert named == set(modules("")), named ^ set(modules(""))


def test_no_text_points_at_an_issue_number():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    mine = [f for f in files if os.path.splitext(f)[1] in (".py", ".md", ".js", ".css", ".html", ".toml", "")]
    found = [f for f in mine if os.path.isfile(os.path.join(ROOT, f)) and
             re.search(r"\bissues? #?\d", read(f), re.I)]
    assert found == []
