"""The page's JavaScript API is one list of names wherever it is written: the loader's stand-in (before
Python starts), Python's own (boot.py), the ES module and the TypeScript declarations shipped in the npm
package, and the reference's table. A name added to one and not the others would be a call that does
nothing, or a type that lies."""

import os
import re

from core_kit import ROOT


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as handle:
        return handle.read()


def block(text, start):
    """The text from `start` to its matching closing brace."""
    at = text.index(start)
    depth, i = 0, text.index("{", at)
    while True:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[at:i]
        i += 1


def stand_in():
    body = block(read("static", "src", "consent.js"), "window.consentBanner = window.consentBanner || {")
    return set(re.findall(r"^\s{4}(\w+):", body, re.M))


def python_api():
    body = read("banner", "ui", "boot.py").split("def expose_api", 1)[1].split("\n    def ", 1)[0]
    return set(re.findall(r"api\.(\w+) =", body))


def declared():
    return set(re.findall(r"^\s+(?:readonly )?(\w+)[(:]", block(read("static", "src", "api.d.ts"),
                                                                 "export interface ConsentBanner"), re.M))


def module_exports():
    return set(re.findall(r"^export function (\w+)", read("static", "src", "api.mjs"), re.M))


def module_declared():
    return set(re.findall(r"^export declare function (\w+)", read("static", "src", "api.d.ts"), re.M))


def documented():
    return set(re.findall(r"^\| `consentBanner\.(\w+)", read("docs", "reference.md"), re.M))


def test_every_place_names_the_same_api():
    names = python_api()
    assert names == {"version", "accepted", "show", "showPreferences", "reset", "apply", "settled"}
    assert stand_in() == names
    assert declared() == names
    assert documented() == names
    assert module_exports() == module_declared() == names | {"onChange"}

