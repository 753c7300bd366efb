"""FNV-1a, 32 bits: the one short hash the banner computes, in two named variants.

- `code_points`: over Unicode code points (Python's ord()). The category fingerprints stored in the
  consent cookie (fingerprint.py): the same number in CPython, in Brython and on any server.
- `utf16`: over UTF-16 code units, which is what JavaScript's charCodeAt() walks. The loader's key for an
  inline manifest (the ahead-of-time first layer, loader_facts.py) is hashed in JavaScript before Python
  runs, so Python must hash the same units to agree with it.

Both give the same number for text in the Basic Multilingual Plane; they differ beyond it (an emoji is
one code point but two code units). `base36` writes the number for a cookie or a key. The test vectors in
tests/core/fnv_vectors.json are checked against this module and against the loader's JavaScript.
Builtins only: this runs in the page.
"""

OFFSET = 0x811C9DC5
PRIME = 0x01000193
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


_NATIVE = []        # the page's own code_points, handed in by its shell (use_native); none in CPython


def use_native(function):
    """The page's shell hands in the loader's JavaScript FNV-1a over code points (rules.js fnvPoints; the
    same numbers on the shared vectors, tests/core/test_loader_facts.py). In Brython, `^` and `&` on
    integers go through BigInt: the loop below took milliseconds per category at every start (the
    category fingerprints a first-layer click needs)."""
    _NATIVE[:] = [function]


def code_points(text):
    """FNV-1a over the code points of `text`."""
    if _NATIVE:
        return _NATIVE[0](text)
    value = OFFSET
    for char in text:
        value = ((value ^ ord(char)) * PRIME) & 0xFFFFFFFF
    return value


def _utf16_units(text):
    for char in text:
        point = ord(char)
        if point < 0x10000:
            yield point
        else:
            point -= 0x10000
            yield 0xD800 | (point >> 10)
            yield 0xDC00 | (point & 0x3FF)


def utf16(text):
    """FNV-1a over the UTF-16 code units of `text`, as JavaScript strings hold it."""
    value = OFFSET
    for unit in _utf16_units(text):
        value = ((value ^ unit) * PRIME) & 0xFFFFFFFF
    return value


def base36(value, width=None):
    """`value` in base 36: with `width`, exactly that many low digits (zero-padded, higher ones dropped);
    without, all of its digits, as JavaScript's Number.prototype.toString(36) writes them."""
    digits = ""
    while True:
        value, digit = divmod(value, 36)
        digits = ALPHABET[digit] + digits
        if (width is None and not value) or (width is not None and len(digits) == width):
            return digits
