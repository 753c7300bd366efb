"""Render the first layer ahead of time, in CPython, with the page's own code (banner.ui.notice).

The loader paints this tree as soon as its stylesheet is in, when the visitor has no stored choice,
instead of waiting ~1 s for Brython to start; Python then replaces it with the identical live banner
and replays any click made in between. The tree is data (tag, attributes, children; strings are text),
mounted with createElement/createTextNode: no HTML is ever parsed.

Inputs are the portal's own data-config and manifest, so a prerender is only used by pages whose
config matches (`key`); any other page simply waits for Python.
"""

from banner.server.host import regex_ok
from banner.config import parse_config
from banner.fingerprint import layer_key
from banner.server.loader_facts import config_key, early
from banner.manifest import parse_manifest
from banner.i18n import strings, interface_language, direction
from banner.ui import notice
from banner.ui.view import View
from banner.server.document import Document


def layer_tree(config_data, manifest, language):
    """The first layer of one language as data: what the page's notice.build makes for this data-config
    (the Django app serialises the same tree into the page it sends: banner.server.document.to_html)."""
    page_config, _ = parse_config(dict(config_data, language=language))
    return notice.build(View(Document(), strings(language), manifest, page_config, interface_language(language),
                             direction(language))).tree()



def prerender(config_data, manifest_data, manifest_text=None):
    """{"key", "content", "trees": {language: tree}, "early"}, or None when the portal has nothing optional
    to ask about. `content` (fingerprint.layer_key) names the manifest content the trees show and decide:
    the page replays early clicks only when its live manifest has the same. `early` (loader_facts.early)
    lets the loader run a return visitor's consented scripts before Python starts; it needs the manifest's
    text as served (`manifest_text`) when data-config names it by URL, and is None without it."""
    config, _ = parse_config(config_data)
    manifest = parse_manifest(manifest_data, config.languages, regex_ok)
    if not manifest.optional_ids:
        return None
    trees = {language: layer_tree(config_data, manifest, language) for language in config.languages}
    return {"key": config_key(config_data), "content": layer_key(manifest), "trees": trees,
            "early": early(config_data, manifest, manifest_text)}
