"""Short fingerprints of each category's content, stored with the choice so the banner asks again
only about what really changed.

A category's fingerprint covers the names, clean-up patterns, providers and purposes of its cookies:
a new cookie, a new provider or a new purpose changes it; a lifetime or a description edit does not.
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


def category_fingerprint(manifest, category_id):
    entries = []
    for cookie in manifest.cookies_of(category_id):
        entries.append("\x1f".join([cookie.storage, cookie.name, cookie.match or "", _reference(cookie.provider),
                                    _reference(cookie.purpose)]))
    return base36(code_points("\x1e".join(sorted(entries))), WIDTH)


def fingerprints(manifest):
    """{category id: fingerprint} for every optional category."""
    return {cid: category_fingerprint(manifest, cid) for cid in manifest.optional_ids}
