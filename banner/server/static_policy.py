"""The cookie policy page as static HTML (CPython only; never bundled for the page):

    python -m banner policy CONFIG.json [--manifest MANIFEST.json] [--out DIR] [--level 2]

Without JavaScript the footer link "Gestion des cookies" still leads to the policy page, and the visitor
must find the cookie list there (CNIL: information before the choice, and at any time). So the page is
written at build time, per language, by the page's own code (banner.ui.policy) through the server-side document
(banner/server/document.py), serialised to HTML. Manifest strings stay data: every text is escaped, never parsed.

The portal puts the fragment where it wants the policy; the banner's script, when it runs, sees
`data-cb-static` and only adds the button that opens the preferences centre.
"""

import os

from banner.server.host import load_json, regex_ok
from banner.server.build import refuse_links, write as write_file
from banner.config import parse_config
from banner.i18n import direction, interface_language, strings
from banner.manifest import parse_manifest
from banner.ui import policy
from banner.ui.contract import POLICY
from banner.ui.dom import h
from banner.ui.view import View
from banner.server.document import Document, to_html


def render(config_data, manifest_data, language, level=2):
    """The policy of one language as an HTML fragment: <div data-consent-policy data-cb-static ...>."""
    config, _ = parse_config(dict(config_data, language=language))
    manifest = parse_manifest(manifest_data, config.languages, regex_ok)
    view = View(Document(), strings(config.language, complete=True), manifest, config,
                interface_language(config.language), direction(config.language))
    root = h(view.doc, "div", {"class": "cb-policy", POLICY: str(level), "data-cb-static": True,
                               "lang": view.lang, "dir": view.direction},
             policy.build(view, level, with_button=False))
    return to_html(root)


def render_all(config_data, manifest_data, level=2):
    """{language: fragment} for every language data-config offers."""
    config, _ = parse_config(config_data)
    return {code: render(config_data, manifest_data, code, level) for code in config.languages}


def write(config_path, manifest_path, out_dir, level, out):
    """The CLI command: one file per language, cookie-policy.LANG.html. Returns the exit status."""
    with open(config_path, encoding="utf-8") as handle:
        config_data = load_json(handle)
    manifest_data = config_data.get("manifest")
    if not isinstance(manifest_data, dict):
        if not manifest_path:
            print("%s names its manifest by URL: give the file with --manifest" % config_path, file=out)
            return 2
        with open(manifest_path, encoding="utf-8") as handle:
            manifest_data = load_json(handle)
    os.makedirs(out_dir, exist_ok=True)
    pages = render_all(config_data, manifest_data, level)
    refuse_links(out_dir, ["cookie-policy.%s.html" % code for code in pages])     # before writing any
    for code, fragment in pages.items():
        name = "cookie-policy.%s.html" % code
        write_file(out_dir, name, fragment + "\n")        # atomically: never a half-written page
        print(os.path.join(out_dir, name), file=out)
    return 0
