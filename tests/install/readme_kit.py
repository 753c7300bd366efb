"""README.md as the route tests read it: the text under a heading, its fenced blocks, and its commands with
the one substitution README itself asks for before a release is published (the packages built from a
checkout: `--find-links DIST` for pip, the tarball's path for npm). The tests take every command, file
and snippet from here, so README and the tests cannot drift apart."""

import os
import re
import shlex

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECKOUT = "/path/to/consent-banner"          # README's placeholder for the reader's checkout


def readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        return handle.read()


def section(title):
    """The text under `## title`, up to the next heading of level 2 (its subsections included)."""
    text = readme()
    start = text.index("\n## %s\n" % title)
    following = re.search(r"^## ", text[start + 4:], re.M)
    return text[start:start + 4 + following.start()] if following else text[start:]


def blocks(text):
    """[(language, body)] of the fenced blocks of `text`, in order."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.M | re.S)]


def block(text, language, containing):
    """The one block of `language` holding `containing`."""
    found = [body for lang, body in blocks(text) if lang == language and containing in body]
    assert len(found) == 1, "README: %d %s blocks hold %r" % (len(found), language, containing)
    return found[0]


def commands(body):
    """The command lines of a shell block, their comments dropped."""
    lines = []
    for line in body.splitlines():
        line = re.sub(r"\s+#.*$", "", line).strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def install_commands(dist):
    """README's "before a release" commands for pip and npm, with its placeholder checkout's `dist` made
    the directory holding the packages built for this run."""
    body = block(section("Install"), "sh", "--find-links")
    found = {}
    for line in commands(body):
        found[shlex.split(line)[0]] = line.replace(CHECKOUT + "/dist", str(dist))
    assert set(found) == {"pip", "npm"}, found
    return found


def with_packages(line, dist):
    """A command of README run as Install says to before a release: `pip install X` gets `--find-links`."""
    words = shlex.split(line)
    if words[:2] == ["pip", "install"]:
        pip = install_commands(dist)["pip"]
        assert "--find-links" in pip
        return "pip install --find-links %s %s" % (shlex.quote(str(dist)), " ".join(shlex.quote(w) for w in words[2:]))
    return line
