"""Small pure helpers about strings shared by the parsers: identifiers, language codes, URLs.

Why here and not in each parser: the same rule (what a safe URL is, what a language code looks like)
must give the same answer for data-config, the manifest and the blocked-content attributes.
Builtins only: this runs in Brython, where `re` is not shipped.
"""

LOWER = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"
ID_CHARS = LOWER + DIGITS + "_-"
MAX_IDENTIFIER = 32                     # characters of a category id
# RFC 6265 cookie-name token: visible ASCII except separators.
TOKEN_SEPARATORS = '()<>@,;:\\"/[]?={} \t'
TOKEN_CHARS = "".join(chr(i) for i in range(33, 127) if chr(i) not in TOKEN_SEPARATORS)
SAFE_SCHEMES = ("http", "https", "mailto")
C0_AND_SPACE = "".join(chr(i) for i in range(33))     # what a browser strips around a URL
SURROGATE = ("holds U+%04X, a lone surrogate (a \\ud800-\\udfff escape without its pair): not a character, "
             "no server can send it")


def is_identifier(value):
    """Category ids: 1-32 chars of [a-z0-9_-], starting with a letter. They go into the consent cookie
    unescaped, so the alphabet is what keeps that cookie octet-safe."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_IDENTIFIER or value[0] not in LOWER:
        return False
    return _only(value, ID_CHARS)


def _only(value, alphabet):
    """Whether every character of `value` is in `alphabet`. One str.strip() call instead of a loop over
    characters: in the page (Brython) a generator over a string costs microseconds a character, and these
    checks run on every manifest text at each page view."""
    return not value.strip(alphabet)


def is_language_code(value):
    """BCP 47-ish codes as Django writes them: 'fr', 'en', 'en-gb', 'zh-hans'."""
    if not isinstance(value, str) or not value:
        return False
    parts = value.split("-")
    if not 2 <= len(parts[0]) <= 3 or not _only(parts[0], LOWER):
        return False
    for part in parts[1:]:
        if not 0 < len(part) <= 8 or not _only(part, LOWER + DIGITS):
            return False
    return True


def is_host_name(value):
    """A DNS host name as a provider's `hosts` lists it: dot-separated labels of letters, digits and '-'."""
    if not isinstance(value, str) or not 0 < len(value) <= 253:
        return False
    labels = value.lower().split(".")
    for label in labels:
        if not 0 < len(label) <= 63 or label[0] == "-" or label[-1] == "-" or not _only(label, LOWER + DIGITS + "-"):
            return False
    return True


def within(host, domain):
    """Whether `host` is `domain` or a host under it (both lower case): what a cookie's Domain attribute
    covers, and the hosts a provider declares."""
    return host == domain or host.endswith("." + domain)


def host_of(url):
    """The lower-case host a browser loads an http(s) or scheme-relative URL from, or "" for a path on the
    page's own host. Read as the URL standard reads http(s) URLs, so that a blocked script cannot name one
    host to us and load from another: spaces and controls around and tabs/newlines inside are dropped, a
    backslash counts as a slash, and the host follows any number of them ("https:\\\\evil.example/x.js",
    "https:evil.example/x.js" and "/\\evil.example/x.js" all load from evil.example; the second one only
    from an http page, but refusing it on an https one fails closed)."""
    if not isinstance(url, str):
        return ""
    url = "".join(c for c in url.strip(C0_AND_SPACE) if c not in "\t\n\r").replace("\\", "/")
    if url_scheme(url) in ("http", "https"):
        rest = url.split(":", 1)[1]
    elif url.startswith("//"):
        rest = url
    else:
        return ""
    rest = rest.lstrip("/")
    for stop in "/?#":
        rest = rest.split(stop, 1)[0]
    rest = rest.rsplit("@", 1)[-1]
    if rest.startswith("["):
        return rest.split("]", 1)[0] + "]"
    return rest.split(":", 1)[0].lower()


def lone_surrogate(value):
    """The first lone UTF-16 surrogate (U+D800 to U+DFFF) in a string, or None. JSON's "\\ud800" escape
    without its pair decodes to one: it is not a character, so no server can encode it (a Django page
    holding it fails, a built file stops half-written). A surrogate is never printable, so the usual
    text costs one native isprintable() call in the page, not a loop over its characters."""
    if value.isprintable():
        return None
    for c in value:
        if 0xD800 <= ord(c) <= 0xDFFF:
            return c
    return None


def _field_path(entry):
    """The field path of a walk entry (parent entry, key or list index, whether it is an index, node):
    built only for a node found wrong, since formatting one for every node took most of the check's
    time in the page. Iterative, like the walk."""
    keys = []
    while entry[0] is not None:
        keys.append(entry)
        entry = entry[0]
    path = entry[1]
    for _, key, index, _ in reversed(keys):
        path = "%s[%d]" % (path, key) if index else (path + "." if path else "") + str(key)
    return path


def surrogate_problems(path, value, skip=()):
    """(path, message) for every string under a decoded JSON value holding a lone surrogate, with its
    field path ("cookies[2].purpose.fr"); keys in `skip` at the top are left to the caller. A key holding
    one is reported at its object's path and not entered (its path could not be printed). Iterative, so
    no nesting depth makes it recurse."""
    found, stack = [], [(None, path, False, value)]
    while stack:
        entry = stack.pop()
        node = entry[3]
        if isinstance(node, str):
            char = lone_surrogate(node)
            if char is not None:
                found.append((_field_path(entry), SURROGATE % ord(char)))
        elif isinstance(node, dict):
            items = [(k, v) for k, v in node.items() if k not in skip]
            for key, item in reversed(items):
                char = lone_surrogate(key) if isinstance(key, str) else None
                if char is not None:
                    found.append((_field_path(entry), "a field name: " + SURROGATE % ord(char)))
                else:
                    stack.append((entry, key, False, item))
        elif isinstance(node, list):
            for i in range(len(node) - 1, -1, -1):
                stack.append((entry, i, True, node[i]))
        skip = ()
    return found


def _none_found(path, value, skip=()):
    return []


def surrogate_check(surrogate_free):
    """surrogate_problems, or, when the caller has found natively that the JSON text could not decode to a
    lone surrogate (`surrogate_free`: banner.ui.boot), a check that finds none without walking: the one
    place both parsers skip the walk."""
    return _none_found if surrogate_free else surrogate_problems


def is_cookie_name(value):
    if not isinstance(value, str) or not value or len(value) > 256:
        return False
    return _only(value, TOKEN_CHARS)


def url_scheme(url):
    """The scheme a browser would see, after it strips leading spaces/controls and tabs/newlines inside.
    Returns '' for a relative URL."""
    # native replace() rather than a generator over every character: in the page that cost microseconds a
    # character, for each URL of the config and the manifest at every page view
    cleaned = url.lstrip(C0_AND_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    for i, c in enumerate(cleaned):
        if c == ":":
            return cleaned[:i].lower()
        if c in "/?#":
            return ""
        if not (c.isalnum() or c in "+-.") or (i == 0 and not c.isalpha()):
            return ""
    return ""


def is_fetch_url(url):
    """A URL the banner may send requests to: relative or http(s) only."""
    return is_safe_url(url) and url_scheme(url) in ("", "http", "https")


def is_safe_url(url):
    """Relative URLs and http(s)/mailto only: `javascript:`, `data:` and friends are refused, since a
    manifest or config value must never become code."""
    return isinstance(url, str) and url.strip() != "" and url_scheme(url) in ("",) + SAFE_SCHEMES
