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
    described = modules("") + modules("server") + modules("ui") + modules("django") + modules("audit") + ["consent_banner"]
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


# -- drift between the docs and the code ---------------------------------------------------------------------
# The hand-written docs: each heading once per file, every link's anchor a heading of its target.
DOCS = ["README.md", "CHANGELOG.md", os.path.join("benchmarks", "README.md")] + sorted(
    os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


def headings(text):
    """The headings of a markdown text, code blocks left out (a `# comment` in a shell block is none)."""
    return [m.group(1) for m in re.finditer(r"^#{1,6}\s+(.*?)\s*#*\s*$", FENCE.sub("", text), re.M)]


def anchor(heading):
    """GitHub's anchor of a heading (github-slugger): lower-cased, punctuation but `-` and `_` removed,
    each space a `-` (so `{% x %}` leaves two)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def test_anchor_follows_github():
    assert anchor("Django settings (`CONSENT_BANNER`)") == "django-settings-consent_banner"
    assert anchor("What `{% consent_block %}` guarantees") == "what--consent_block--guarantees"
    assert anchor("Caching pages: the same HTML for every visitor") == "caching-pages-the-same-html-for-every-visitor"


@pytest.mark.parametrize("doc", [d for d in DOCS if d != "CHANGELOG.md"])
def test_no_two_headings_of_a_doc_share_a_name(doc):
    """Two headings of one name share an anchor: a link to the second lands on the first."""
    found = headings(read(doc))
    assert sorted({h for h in found if found.count(h) > 1}) == []


@pytest.mark.parametrize("doc", DOCS)
def test_every_link_anchor_is_a_heading_of_its_target(doc):
    broken = []
    for target, name in re.findall(r"\]\(([^)\s#]*)#([^)\s]+)\)", FENCE.sub("", read(doc))):
        path = os.path.normpath(os.path.join(os.path.dirname(doc), target)) if target else doc
        if path.endswith(".md") and name not in [anchor(h) for h in headings(read(path))]:
            broken.append("%s#%s" % (target, name))
    assert broken == []


# Paths of the portal README's walkthrough builds (in the reader's project), not of this repository.
PORTAL_PATHS = {"static/consent/"}


def cited_paths(doc):
    """Paths of the repository a doc names: a link target, or a `code` span that is one path whose first
    part is a top-level entry of the repository (`banner/server/build.py`, `tests/browser/`)."""
    text, top = read(doc), set(os.listdir(ROOT))
    for code, link in re.findall(r"`([\w.*/-]+)`|\]\(([^)#\s]+)", text):
        if link and ("://" in link or link.startswith("mailto:")):
            continue
        base = os.path.dirname(doc) if link else ""
        path = os.path.normpath(os.path.join(base, code or link))
        if "/" in (code or link) and path.split(os.sep)[0] in top and "*" not in path and "XX" not in path \
                and (code or link) not in PORTAL_PATHS:
            yield code or link, path


@pytest.mark.parametrize("doc", [d for d in DOCS if d != "CHANGELOG.md"])      # history names moved files
def test_every_file_a_doc_names_exists(doc):
    """A path the docs cite exists, unless it is one the build or a run writes (git-ignored)."""
    missing = [cited for cited, path in cited_paths(doc) if not os.path.exists(os.path.join(ROOT, path))
               and subprocess.run(["git", "check-ignore", "-q", path + ("/" if cited.endswith("/") else "")],
                                  cwd=ROOT).returncode != 0]
    assert missing == []


def readme_section(title):
    text = read("README.md")
    return re.split(r"^##+ .*$", text.split("\n" + title + "\n", 1)[1], maxsplit=1, flags=re.M)[0]


def test_readme_documents_the_cookie_format_the_banner_writes():
    from banner.consent import FORMAT_VERSION
    section = readme_section("### `cookies_preferences`")
    assert re.findall(r"^Format (\d+):", section, re.M) == [str(FORMAT_VERSION)]
    example = section.split("```\n", 2)[1]
    assert {line.split(".", 1)[0] for line in example.splitlines() if line} == {str(FORMAT_VERSION)}


def test_readme_command_table_lists_exactly_the_cli_subcommands():
    from banner.__main__ import subcommands
    table = readme_section("## Install").split("| command |", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `consent-banner ([\w-]+)", table, re.M)
    assert sorted(listed) == sorted(subcommands()) and len(set(listed)) == len(listed)


def test_the_django_settings_table_lists_exactly_the_app_s_settings():
    import ast
    tree = ast.parse(read("banner", "django", "conf.py"))
    defaults = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "DEFAULTS")
    keys = [k.value for k in defaults.keys]
    section = read("docs", "reference.md").split("\n## Django settings (`CONSENT_BANNER`)\n", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^\| `(\w+)` \|", section, re.M) == keys
