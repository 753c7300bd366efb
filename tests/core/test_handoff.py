"""The loader and Python meet in one object, `window.__consentBoot`, declared whole on each side: one
object literal at the top of static/src/consent.js, and HANDOFF in banner/ui/page.py saying what each
name holds. A name used on either side that is not declared, or declared on one side only, is a field
that one side waits for and the other never fills."""

import re

from banner.ui.page import HANDOFF
from core_kit import read


def without_comments(js):
    return re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", "", js, flags=re.S))


def declared_in_loader():
    source = without_comments(read("static", "src", "consent.js"))
    body = source.split("var boot = window.__consentBoot = {", 1)[1].split("};", 1)[0]
    return re.findall(r"(\w+):", body)


def used_by_loader():
    source = without_comments(read("static", "src", "consent.js") + read("static", "src", "rules.js"))
    return set(re.findall(r"\bboot\.(\w+)", source))


def used_by_python():
    found = set()
    for path in (("banner", "ui", "page.py"), ("banner", "ui", "boot.py")):
        source = read(*path)
        found |= set(re.findall(r"\bhandoff\.(\w+)", source))
        found |= set(re.findall(r"getattr\((?:self\.)?handoff, \"(\w+)\"", source))
    return found


def used_by_the_build():
    found = set(re.findall(r"__consentBoot\.(\w+)", read("tools", "release.py")))
    return found | set(re.findall(r"\bboot\.(\w+)", read("tools", "split_runtime.js")))


def test_the_loader_and_python_declare_the_same_hand_off():
    loader = declared_in_loader()
    assert len(loader) == len(set(loader)), "a name declared twice in the loader's literal"
    assert set(loader) == set(HANDOFF)


def test_every_name_either_side_uses_is_declared():
    declared = set(HANDOFF)
    assert used_by_loader() - declared == set()
    assert used_by_python() - declared == set()
    assert used_by_the_build() - declared == set()


def test_every_declared_name_is_used_by_the_loader_and_by_python_or_the_build():
    unused = set(HANDOFF) - (used_by_python() | used_by_the_build())
    assert unused == set(), "declared for Python, read by nobody there"
    assert set(HANDOFF) - used_by_loader() - {"config", "nonce", "build", "manifestText", "pending", "roots"} == set()
