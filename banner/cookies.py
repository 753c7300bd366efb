"""Everything about cookie text: the cookies_preferences value, Set-Cookie strings, and the clean-up plan.

Value format, version 1 (fields joined by "."):

    1.<revision>.<decided_at ms>.<consent id>.<accepted ids joined by ":">
    e.g. 1.3.1764403200000.k2m9x0c4a7q1v8z3.analytics:video

Every character is in [0-9a-z_:.-], so the value is a valid RFC 6265 cookie-octet string with no quoting
or escaping: a server reads it with `decode_consent(request.COOKIES["cookies_preferences"])`.
Decoding never raises: anything malformed (truncated, oversized, another version, bad characters)
returns None, and the caller treats None as "no choice yet".
"""

from .consent import Consent, FORMAT_VERSION, MAX_AGE_SECONDS
from .text import is_identifier, LOWER, DIGITS

CONSENT_COOKIE = "cookies_preferences"
MAX_VALUE_LENGTH = 3800                 # a browser drops a cookie whose name+value pass 4096 bytes
ID_ALPHABET = LOWER + DIGITS


def encode_consent(consent):
    """The cookie value for a Consent."""
    return "%d.%d.%d.%s.%s" % (consent.version, consent.revision, consent.decided_at, consent.consent_id,
                               ":".join(consent.accepted))


def _number(text):
    if not text or len(text) > 15 or not all(c in DIGITS for c in text) or (len(text) > 1 and text[0] == "0"):
        return None
    return int(text)


def is_consent_id(text):
    return isinstance(text, str) and 8 <= len(text) <= 40 and all(c in ID_ALPHABET for c in text)


def decode_consent(value):
    """A Consent from a cookie value, or None when the value is not one we wrote."""
    if not isinstance(value, str) or len(value) > MAX_VALUE_LENGTH:
        return None
    if len(value) > 1 and value[0] == value[-1] == '"':
        value = value[1:-1]               # RFC 6265 allows a quoted value
    fields = value.split(".")
    if len(fields) != 5 or fields[0] != str(FORMAT_VERSION):
        return None
    revision, decided_at, consent_id = _number(fields[1]), _number(fields[2]), fields[3]
    accepted = fields[4].split(":") if fields[4] else []
    if revision is None or revision < 1 or decided_at is None or not is_consent_id(consent_id):
        return None
    if not all(is_identifier(c) for c in accepted) or len(set(accepted)) != len(accepted):
        return None
    return Consent(version=FORMAT_VERSION, revision=revision, decided_at=decided_at,
                   consent_id=consent_id, accepted=accepted)


def new_consent_id(random_bytes):
    """A consent id from 16 random bytes supplied by the shell (crypto.getRandomValues in the page)."""
    return "".join(ID_ALPHABET[b % 36] for b in random_bytes)


def set_cookie_string(name, value, max_age, secure, domain=None):
    """A document.cookie assignment: Path=/, SameSite=Lax, Secure on https, Domain only when configured."""
    parts = [name + "=" + value, "Path=/", "Max-Age=%d" % max_age, "SameSite=Lax"]
    if domain:
        parts.append("Domain=" + domain)
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def consent_cookie_string(consent, secure, domain=None):
    return set_cookie_string(CONSENT_COOKIE, encode_consent(consent), MAX_AGE_SECONDS, secure, domain)


def parse_cookie_header(text):
    """document.cookie (or a Cookie header) -> list of (name, value), in order, duplicates kept."""
    pairs = []
    for part in (text or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if name and sep:
            pairs.append((name, value))
    return pairs


def cookie_value(text, name):
    """The first value of a cookie named `name` in document.cookie text, or None."""
    for key, value in parse_cookie_header(text):
        if key == name:
            return value
    return None


def _is_ip(hostname):
    return ":" in hostname or all(p and all(c in DIGITS for c in p) for p in hostname.split("."))


def cookie_domains(hostname):
    """The Domain attributes under which a cookie visible on `hostname` may have been set: the host itself
    and each parent domain (a.b.example.org -> a.b.example.org, b.example.org, example.org). Browsers refuse
    public suffixes, so listing "gouv.fr" cannot harm, and listing every parent is what catches a cookie
    set on the registrable domain that the "last two labels" heuristics of other banners miss."""
    hostname = hostname.lower().rstrip(".")
    if not hostname or _is_ip(hostname) or "." not in hostname:
        return []
    labels = hostname.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def erase_strings(name, hostname):
    """document.cookie assignments that delete `name` on path / for the host and each parent domain."""
    base = name + "=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    return [base] + [base + "; Domain=" + d for d in cookie_domains(hostname)]


def matches(info, name, regex_test):
    """Whether a present cookie/storage key `name` is one that manifest entry `info` names."""
    if info.match is None:
        return name == info.name
    return name == info.name or regex_test(info.match, name)


def names_to_clear(manifest, accepted, present, regex_test, storage="cookie"):
    """Present cookie names (or localStorage keys) that belong to refused categories. The required
    category is never cleared, whatever a `match` says, and names the manifest does not list are left."""
    keep = [k for k in manifest.cookies if k.storage == storage and
            (manifest.category(k.category).required or k.category in accepted)]
    clear = [k for k in manifest.cookies if k.storage == storage and k not in keep]
    result = []
    for name in present:
        if name in result or any(matches(k, name, regex_test) for k in keep if k.match is None):
            continue
        if any(matches(k, name, regex_test) for k in clear):
            result.append(name)
    return result
