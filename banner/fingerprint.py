"""Short fingerprints of each category's content, stored with the choice so the banner asks again
only about what really changed.

A category's fingerprint covers everything the visitor is shown about it when deciding: its title and
description, whether it offers a choice per provider, its declared providers (name, policy link, hosts) and each of its cookies (name, clean-up
pattern, storage, provider, lifetime, purpose). Any edit of these asks again about that category only.
Texts are taken in one reference language (French when present, as the portals' legal language, then
English, else the first code in sorted order), so adding a translation does not ask everyone again.

FNV-1a (32 bits) over code points (fnv.code_points): the same number in CPython and in Brython.
"""

from .fnv import code_points, base36

WIDTH = 6        # 36**6 > 2**31: six base-36 digits hold most of the 32 bits


def _reference(text):
    for code in ("fr", "en"):
        if code in text:
            return text[code]
    keys = sorted(text)
    return text[keys[0]] if keys else ""


def category_text(manifest, category_id):
    """What is hashed: the category's own texts first, then its providers and cookies in sorted order
    (their order in the manifest is not something the visitor decides on)."""
    category = manifest.category(category_id)
    head = "\x1f".join(["category", _reference(category.title), _reference(category.description)]
                      + (["providerChoice"] if category.provider_choice else []))
    entries = []
    for provider in category.providers:
        entries.append("\x1f".join(["provider", provider.name, provider.policy_url or "",
                                    " ".join(sorted(provider.hosts))]))
    for cookie in manifest.cookies_of(category_id):
        entries.append("\x1f".join([cookie.storage, cookie.name, cookie.match or "", _reference(cookie.provider),
                                    _reference(cookie.lifetime), _reference(cookie.purpose)]))
    return "\x1e".join([head] + sorted(entries))


def category_fingerprint(manifest, category_id):
    return base36(code_points(category_text(manifest, category_id)), WIDTH)


def fingerprints(manifest):
    """{category id: fingerprint} for every optional category. Worked out once per manifest (a parsed
    manifest never changes): hashing every category's text takes milliseconds in the page, and a click on
    « Tout refuser » must not wait for it."""
    if manifest.prints is None:
        manifest.prints = {cid: category_fingerprint(manifest, cid) for cid in manifest.optional_ids}
    return dict(manifest.prints)


def _all_languages(text):
    return "\x1f".join(k + "\x1d" + text[k] for k in sorted(text))


def layer_key(manifest):
    """What a first layer rendered ahead of time from this manifest was about: its revision, every
    category (id, required or not, its title in every language, as the layer lists them) and each
    optional category's fingerprint (what "Tout accepter" would record as shown). A click made on a
    layer painted for another key must never decide anything (StartUp.replay)."""
    parts = [str(manifest.revision)]
    prints = fingerprints(manifest)
    for category in manifest.categories:
        parts.append("\x1e".join([category.id, "1" if category.required else "0", _all_languages(category.title),
                                  prints.get(category.id, "")]))
    return base36(code_points("\x1c".join(parts)), WIDTH)
