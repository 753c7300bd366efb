"""Everything about cookie text: the cookies_preferences value, Set-Cookie strings, and the clean-up plan.

Value format, version 4 (fields joined by "."):

    4.<revision>.<decided_at ms>.<consent id>.<entries joined by ":">
    entry: <category id>=<1 accepted | 0 refused>[-<providers>]~<fingerprint of the category when decided>[~<age>]
    e.g. 4.3.1764403200000.k2m9x0c4a7q1v8z3.analytics=1~4ylmn1~1dgf:video=0~0k9a2c
    and, the visitor accepting the 1st and 3rd of video's providers only: ...:video=1-5~0k9a2c

<providers>, in base 36, is the mask of the accepted providers of a category that offers a choice per
provider (consent.provider_mask), written only when the visitor accepted some of them and not all: 3
characters more per category of 10 providers, MAX_MASK_DIGITS + 1 at most (README gives what a
64-category, 10-provider manifest costs).

<decided_at> is the time of the latest decision; <age>, in base 36, is how many whole seconds before it
that category was decided (rounded up, so a category never looks younger than it is), absent when it
was decided then. Ages are capped just past the 182-day lifetime: older is expired anyway.

Version 3 is the same without providers, version 2 also without ages (every category decided at
<decided_at>); they still read, as a Consent of their version, and are written again as version 4 at the
visitor's next decision.

Every character is in [0-9a-z_:.=~-], so the value is a valid RFC 6265 cookie-octet string with no quoting
or escaping: a server reads it with `decode_consent(request.COOKIES["cookies_preferences"])`.
Decoding never raises: anything malformed (truncated, oversized, another version, bad characters)
returns None, and the caller treats None as "no choice yet".
"""

from .consent import Consent, FORMAT_VERSION, MAX_AGE_SECONDS
from .fnv import base36
from .text import is_identifier, LOWER, DIGITS
from .fingerprint import WIDTH as FINGERPRINT_WIDTH

CONSENT_COOKIE = "cookies_preferences"
MAX_VALUE_LENGTH = 3800                 # a browser drops a cookie whose name+value pass 4096 bytes
ID_ALPHABET = LOWER + DIGITS
READ_VERSIONS = (2, 3, FORMAT_VERSION)
MASK_VERSION = 4                         # the first format with providers masks
MAX_MASK_DIGITS = 4                      # of a providers mask in base 36: 36**4 > 2**20 (MAX_CHOICE_PROVIDERS)
MAX_AGE_FIELD = MAX_AGE_SECONDS + 1      # seconds; an older category is expired, whatever its exact age
MAX_AGE_DIGITS = 6                       # of an age in base 36
MAX_NUMBER_DIGITS = 15                   # of the revision and the decision time
CONSENT_ID_LENGTH = (8, 40)              # shortest and longest consent id read


def is_consent_cookie(name, storage="cookie"):
    """Whether a manifest entry (or a present cookie) is the banner's own consent cookie, which holds the
    visitor's choice: deleted with a refusal, the refusal would be forgotten at once and asked again on
    every page. The manifest refuses it in a category a visitor may refuse, by name or by `match`
    (manifest._consent_cookie), and the clean-up never deletes it, whatever a manifest says."""
    return storage == "cookie" and name == CONSENT_COOKIE


def _age(consent, category):
    """Whole seconds between the category's decision and the latest one, rounded up and capped."""
    ms = consent.decided_at - consent.decided_time(category)
    return min((ms + 999) // 1000, MAX_AGE_FIELD)


def _entry(category, accepted, fingerprint, age=0, mask=None):
    flag = ("1" if accepted else "0") + ("-" + base36(mask) if accepted and mask else "")
    text = category + "=" + flag + ("~" + fingerprint if fingerprint else "")
    if age:
        text += ("" if fingerprint else "~") + "~" + base36(age)
    return text


def _entry_order(consent):
    """Each stored category once: the fingerprinted ones in their order (manifest order after decide()), an
    accepted one never after a later one of `accepted`, so that decoding gives back the same Consent."""
    ids, accepted = [], list(consent.accepted)
    for c in consent.fingerprints:
        if c in accepted:
            ids += [a for a in accepted[:accepted.index(c)] if a not in ids]
        if c not in ids:
            ids.append(c)
    return ids + [a for a in accepted if a not in ids]


def encode_consent(consent):
    """The cookie value for a Consent."""
    ids = _entry_order(consent)
    aged = consent.version >= 3
    masked = consent.version >= MASK_VERSION
    entries = [_entry(c, c in consent.accepted, consent.fingerprints.get(c), _age(consent, c) if aged else 0,
                      consent.providers.get(c) if masked else None)
               for c in ids]
    return "%d.%d.%d.%s.%s" % (consent.version, consent.revision, consent.decided_at, consent.consent_id,
                               ":".join(entries))


def _mask(text):
    """A providers mask as written (base 36, no leading zero, so never 0), or None."""
    if not text or len(text) > MAX_MASK_DIGITS or text[0] == "0" or not all(c in ID_ALPHABET for c in text):
        return None
    return int(text, 36)


def _decode_entries(field, version):
    """'a=1-5~fp~age:b=0~fp' -> (accepted ids, {id: fingerprint}, {id: age in s}, {id: providers mask}), or
    None when any entry is malformed. Ages exist from format 3 on, providers masks from format 4."""
    accepted, fingerprints, ages, masks, seen = [], {}, {}, {}, []
    aged = version >= 3
    for entry in field.split(":") if field else []:
        category, sep, rest = entry.partition("=")
        parts = rest.split("~")
        flag, fingerprint, age = parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""
        flag, dash, mask = flag.partition("-")
        if dash:
            if version < MASK_VERSION or flag != "1" or _mask(mask) is None:
                return None
            masks[category] = _mask(mask)
        if not sep or not is_identifier(category) or category in seen or flag not in ("0", "1"):
            return None
        if len(parts) > (3 if aged else 2) or (len(parts) == 3 and not age):
            return None
        if (len(parts) == 2 or fingerprint) and (len(fingerprint) != FINGERPRINT_WIDTH or
                                                 not all(c in ID_ALPHABET for c in fingerprint)):
            return None
        if age:
            if len(age) > MAX_AGE_DIGITS or not all(c in ID_ALPHABET for c in age) or age[0] == "0":
                return None
            ages[category] = int(age, 36)
        seen.append(category)
        if flag == "1":
            accepted.append(category)
        if fingerprint:
            fingerprints[category] = fingerprint
    return accepted, fingerprints, ages, masks


def _number(text):
    if not text or len(text) > MAX_NUMBER_DIGITS or not all(c in DIGITS for c in text) or (len(text) > 1 and text[0] == "0"):
        return None
    return int(text)


def is_consent_id(text):
    return isinstance(text, str) and CONSENT_ID_LENGTH[0] <= len(text) <= CONSENT_ID_LENGTH[1] and all(c in ID_ALPHABET for c in text)


def decode_consent(value):
    """A Consent from a cookie value, or None when the value is not one we wrote."""
    if not isinstance(value, str) or len(value) > MAX_VALUE_LENGTH:
        return None
    if len(value) > 1 and value[0] == value[-1] == '"':
        value = value[1:-1]               # RFC 6265 allows a quoted value
    fields = value.split(".")
    if len(fields) != 5 or fields[0] not in [str(v) for v in READ_VERSIONS]:
        return None
    version = int(fields[0])
    revision, decided_at, consent_id = _number(fields[1]), _number(fields[2]), fields[3]
    entries = _decode_entries(fields[4], version)
    if revision is None or revision < 1 or decided_at is None or not is_consent_id(consent_id) or entries is None:
        return None
    accepted, fingerprints, ages, masks = entries
    if any(a > MAX_AGE_FIELD for a in ages.values()):
        return None
    return Consent(version=version, revision=revision, decided_at=decided_at, consent_id=consent_id,
                   accepted=accepted, fingerprints=fingerprints,
                   decided={c: decided_at - a * 1000 for c, a in ages.items()}, providers=masks)


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


MAX_PATHS = 16                          # of a page's own path: enough for any real URL, bounded for odd ones


def erase_targets(name, hostname, paths=("/",)):
    """(name, path, domain) of each cookie `name` may be here: on each path, host-only (domain None) and
    under the host and each parent domain."""
    return [(name, path, d) for path in paths for d in [None] + cookie_domains(hostname)]


def erase_string(target):
    """The document.cookie assignment deleting one (name, path, domain) cookie."""
    name, path, domain = target
    text = name + "=; Path=" + path + "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    return text + "; Domain=" + domain if domain else text


def erase_strings(name, hostname, paths=("/",)):
    """document.cookie assignments that delete `name` on each path, for the host and each parent domain."""
    return [erase_string(t) for t in erase_targets(name, hostname, paths)]


def page_paths(page_path):
    """The Path attributes a cookie visible on this page may have (RFC 6265 path-match): "/" and each
    prefix of the page's path ending before or at a "/", e.g. /a/b -> /, /a, /a/, /a/b. A cookie set by a
    script on /explore/x (default path /explore) shows in document.cookie there, but `Path=/` does not
    delete it: only its own path does."""
    path = page_path if isinstance(page_path, str) and page_path[:1] == "/" else "/"
    found = ["/"]
    for i in range(1, len(path)):
        if path[i] == "/":
            found += [p for p in (path[:i], path[:i + 1]) if p not in found]
    if path not in found:
        found.append(path)
    return found[:MAX_PATHS]


def withdrawal_targets(manifest, accepted, present, hostname, page_path, regex_test, everywhere=False):
    """(name, path, domain) of the cookies of refused categories to delete: each present one on every path
    it may have here, and, with `everywhere` (a decision was just made), each declared with `paths` on
    those paths too, although this page cannot see it. The page deletes them with document.cookie
    (withdrawal_strings), the Django middleware with Set-Cookie (which reaches HttpOnly ones too)."""
    here = page_paths(page_path)
    clear = [k for k in manifest.cookies if k.storage == "cookie" and k.category not in accepted
             and not manifest.category(k.category).required]
    targets, done = [], []
    for name in names_to_clear(manifest, accepted, present, regex_test):
        declared = [p for k in clear if matches(k, name, regex_test) for p in k.paths]
        targets += erase_targets(name, hostname, here + [p for p in declared if p not in here])
        done.append(name)
    if everywhere:
        for k in clear:
            if k.paths and k.name not in done and not is_consent_cookie(k.name):
                targets += erase_targets(k.name, hostname, k.paths)
    return targets


def withdrawal_strings(manifest, accepted, present, hostname, page_path, regex_test, everywhere=False):
    """document.cookie strings deleting the cookies of refused categories (withdrawal_targets)."""
    return [erase_string(t) for t in withdrawal_targets(manifest, accepted, present, hostname, page_path,
                                                        regex_test, everywhere)]


def matches(info, name, regex_test):
    """Whether a present cookie/storage key `name` is one that manifest entry `info` names."""
    if info.match is None:
        return name == info.name
    return name == info.name or regex_test(info.match, name)


def names_to_clear(manifest, accepted, present, regex_test, storage="cookie"):
    """Present cookie names (or localStorage keys) that belong to refused categories. The required
    category is never cleared, whatever a `match` says (its entries' names and patterns are kept); the
    exact name of an accepted entry is kept; names the manifest does not list are left; the consent cookie
    is never cleared (is_consent_cookie)."""
    keep = [k for k in manifest.cookies if k.storage == storage and
            (manifest.category(k.category).required or k.category in accepted)]
    clear = [k for k in manifest.cookies if k.storage == storage and k not in keep]
    required = [k for k in keep if manifest.category(k.category).required]
    result = []
    for name in present:
        if name in result or is_consent_cookie(name, storage) or any(k.name == name for k in keep) or any(
                matches(k, name, regex_test) for k in required):
            continue
        if any(matches(k, name, regex_test) for k in clear):
            result.append(name)
    return result
