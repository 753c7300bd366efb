"""The cookie manifest: one JSON document that drives categories, cookie tables, clean-up and the policy page.

Theory of operation
-------------------
`parse_manifest(data, languages, regex_ok)` takes the already-decoded JSON (dicts, lists, strings) and
returns a `Manifest`, or raises `ManifestError` listing every problem with its field path. Later code
accepts only a `Manifest`, so it never re-checks anything: parse once at the edge, then trust.

Rules (mirrored by manifest.schema.json; tests keep the two in step):
- top level: `revision` (integer from 1 to MAX_REVISION), `categories` (1 to MAX_CATEGORIES), `cookies` (list);
  `$schema` (a string) allowed.
- category: `id` (see text.is_identifier, unique), `title`, `description`, optional `required` (bool),
  optional `exempt` (bool: audience measurement exempt from consent under the CNIL's conditions, on
  unless the visitor opposes it), optional `providers`: the third parties whose content the category
  covers, each `{name, policyUrl?, hosts?}` (name unique in the category; hosts are the domains their
  scripts and iframes come from), optional `providerChoice` (bool: the visitor accepts or refuses each
  of its providers; only for a category that needs consent, with 1 to MAX_CHOICE_PROVIDERS providers).
  Exactly one category is required: the strictly necessary one, shown
  on and locked. A category is not both required and exempt.
- cookie: `name`, `provider`, `category` (a known id), `lifetime`, `purpose`; optional `match` (a regular
  expression naming the cookies to clear on refusal), `multilingualOnly` (bool), `storage` ("cookie",
  "local" for a localStorage key, "session" for a sessionStorage key), `paths` (cookies only: the paths,
  other than "/", on which the cookie may be set, so that withdrawal deletes it there too: a page only
  sees the cookies of its own path), `maxAgeDays` (the longest it is kept, in days), `domain` (cookies
  only: the other site that sets it, a third-party cookie). Names are unique per storage.
- the cookies of an exempt category meet the CNIL exemption's limits (EXEMPT_MAX_AGE_DAYS): each gives
  its `maxAgeDays`, at most 13 months, and none is a third party's (`domain`).
- every human text is a string, or an object keyed by language code that has every configured language.
- no string holds a lone surrogate (text.lone_surrogate): a server could not send it.
- the banner's own consent cookie (cookies.CONSENT_COOKIE) is in no category a visitor may refuse, by name or
  by `match`: a refusal would delete it, and with it the refusal (the clean-up spares it anyway). Declaring it
  in the required category is recommended, not required.
- no `match` repeats a group that holds a repetition of its own (`^(a+)+$`): on a long cookie name that
  almost matches, such a pattern takes exponential time and freezes the page (nested_repetition).

The core cannot compile regular expressions (no `re` in the page), so the caller passes `regex_ok(pattern)`,
and `regex_ok(pattern, name)`: whether the pattern finds a match in `name` (as RegExp.test does); the page
passes one built on JavaScript's RegExp, the CLI one built on Python's `re`.
"""

from .cookies import CONSENT_COOKIE, is_consent_cookie
from .errors import ManifestError
from .text import (is_identifier, is_cookie_name, is_language_code, is_safe_url, is_host_name, host_of,
                   surrogate_check, within)

TOP_KEYS = ("$schema", "revision", "categories", "cookies")
CATEGORY_KEYS = ("id", "title", "description", "required", "exempt", "providers", "providerChoice")
PROVIDER_KEYS = ("name", "policyUrl", "hosts")
COOKIE_KEYS = ("name", "provider", "category", "lifetime", "purpose", "match", "multilingualOnly", "storage",
               "paths", "maxAgeDays", "domain")
# The CNIL's exemption of audience measurement (délibération 2020-091, art. 5): trackers kept 13 months at
# most, first-party only.
EXEMPT_MAX_AGE_DAYS = 395
MAX_AGE_DAYS_LIMIT = 36500
STORAGES = ("cookie", "local", "session")
MAX_PATH = 256
MAX_REVISION = 999999999999999      # 15 digits: the most the consent cookie carries (cookies._number)
MAX_CATEGORIES = 64                 # keeps an "accept all" cookie value far below the 4096-byte cookie limit
MAX_CHOICE_PROVIDERS = 20           # of a providerChoice category: its answer is a 20-bit mask (cookies.py)


class Provider:
    """A third party named to the visitor: content from it runs only for the category declaring it."""
    __slots__ = ("name", "policy_url", "hosts")

    def __init__(self, *, name, policy_url=None, hosts=()):
        self.name = name              # str, as data-provider names it
        self.policy_url = policy_url  # str or None
        self.hosts = list(hosts)      # lower-case host names; a subdomain of one belongs to it too

    def __repr__(self):
        return "Provider(%r)" % self.name


class Category:
    __slots__ = ("id", "title", "description", "required", "exempt", "providers", "provider_choice")

    def __init__(self, *, id, title, description, required, providers=(), exempt=False, provider_choice=False):
        self.id = id
        self.title = title            # dict: language -> text
        self.description = description
        self.required = required
        self.exempt = exempt          # exempt audience measurement: on unless the visitor opposes it
        self.providers = list(providers)   # list of Provider, in manifest order
        self.provider_choice = provider_choice   # the visitor answers for each provider, not only the category

    @property
    def choice_order(self):
        """The provider names of a providerChoice category in the order of the bits of its stored answer
        (cookies.py): sorted, so that reordering the manifest's list changes neither the answer nor the
        fingerprint (any other change of the list changes the fingerprint, and the visitor is asked again)."""
        return sorted(p.name for p in self.providers)

    def __repr__(self):
        return "Category(%r, required=%r)" % (self.id, self.required)


class CookieInfo:
    __slots__ = ("name", "provider", "category", "lifetime", "purpose", "match", "multilingual_only", "storage",
                 "paths", "max_age_days", "domain")

    def __init__(self, *, name, provider, category, lifetime, purpose, match, multilingual_only, storage,
                 paths=(), max_age_days=None, domain=None):
        self.name = name
        self.provider = provider      # dict: language -> text
        self.category = category
        self.lifetime = lifetime
        self.purpose = purpose
        self.match = match            # str (regular expression) or None: exact name
        self.multilingual_only = multilingual_only
        self.storage = storage
        self.paths = list(paths)      # cookie paths besides "/" where withdrawal deletes it too
        self.max_age_days = max_age_days  # int or None: the longest it is kept
        self.domain = domain          # str or None: the third party that sets it

    def __repr__(self):
        return "CookieInfo(%r, category=%r)" % (self.name, self.category)


class Manifest:
    __slots__ = ("revision", "categories", "cookies", "languages", "prints")

    def __init__(self, *, revision, categories, cookies, languages):
        self.revision = revision
        self.categories = categories  # list of Category, in manifest order
        self.cookies = cookies        # list of CookieInfo, in manifest order
        self.languages = languages    # the languages every text was checked for
        self.prints = None            # fingerprint.fingerprints, worked out once (hashing is slow in the page)

    def category(self, category_id):
        for category in self.categories:
            if category.id == category_id:
                return category
        return None

    def declares(self, storage):
        """Whether any entry is kept in `storage` ("cookie", "local", "session"): where none is, nothing
        there is ours to clear, and the page does not read that area (its first read loads it)."""
        return any(k.storage == storage for k in self.cookies)

    @property
    def optional_ids(self):
        """Every category a visitor answers for: those that need consent and the exempt ones."""
        return [c.id for c in self.categories if not c.required]

    @property
    def consent_ids(self):
        """The categories that need consent: the first layer asks about these."""
        return [c.id for c in self.categories if not c.required and not c.exempt]

    @property
    def exempt_ids(self):
        """Exempt audience measurement: on unless the visitor opposes it."""
        return [c.id for c in self.categories if c.exempt]

    def undeclared(self, category_id, named, url, page_host):
        """Why blocked content of a category may not run, or None when it may: a `data-provider` must be a
        provider the category declares, and a URL on another host than the page's must be on a host one of
        them declares (or a subdomain of it). The portal's own content (inline, same host) names no third
        party; anything else would load a provider the visitor was never told about."""
        category = self.category(category_id)
        providers = category.providers if category is not None else []
        if named and not any(p.name == named for p in providers):
            return "provider %r is not declared for category %r" % (named, category_id)
        host = host_of(url)
        if host and host != (page_host or "").lower() and not any(
                within(host, known) for p in providers for known in p.hosts):
            return "host %r is not declared by a provider of category %r" % (host, category_id)
        return None

    def provider_of(self, category_id, named, url, page_host):
        """The declared provider whose content this is: the one `data-provider` names, else the one whose
        hosts cover the URL's (another host than the page's); None for the portal's own content. Call it on
        content `undeclared` accepts: it says whose answer a providerChoice category asks for."""
        category = self.category(category_id)
        if category is None:
            return None
        if named:
            return named if any(p.name == named for p in category.providers) else None
        host = host_of(url)
        if not host or host == (page_host or "").lower():
            return None
        for provider in category.providers:
            if any(within(host, known) for known in provider.hosts):
                return provider.name
        return None

    def cookies_of(self, category_id, multilingual=True):
        """The cookie table of one category; `multilingual=False` leaves out cookies that only exist on
        portals offering several languages (django_language)."""
        return [k for k in self.cookies
                if k.category == category_id and (multilingual or not k.multilingual_only)]


def whole_number(value):
    """`value` as an int if it is a whole number, else None. JSON has one number type: `2.0` is the number 2
    (JSON Schema's `integer` says so, and the page's JSON.parse cannot tell them apart), so Python, which
    reads it as a float, takes it as 2 too; one reading everywhere keeps the cookie's revision the same."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


class _Checker:
    """Collects problems with their paths so the integrator sees all of them at once."""

    def __init__(self, languages):
        self.languages = languages
        # the languages every text is keyed by, judged once: in the page a text's keys were judged one
        # by one, for every text of the manifest at each page view
        self.codes = [lang for lang in languages if is_language_code(lang)]
        self.problems = []

    def fail(self, path, message):
        self.problems.append((path, message))

    def text(self, path, data, key):
        """A human text: a string for every language, or an object with one string per configured language.
        A missing field was already reported by keys(): report it once."""
        if key not in data:
            return {}
        path, value = path + "." + key, data[key]
        if isinstance(value, str):
            if not value.strip():
                self.fail(path, "must not be empty")
            return {lang: value for lang in self.languages}
        if isinstance(value, dict):
            result = {}
            for lang, item in value.items():
                if lang not in self.codes and not is_language_code(lang):
                    self.fail(path, "%r is not a language code" % lang)
                elif not isinstance(item, str) or not item.strip():
                    self.fail(path + "." + lang, "must be a non-empty string")
                else:
                    result[lang] = item
            for lang in self.languages:
                if lang not in value:
                    self.fail(path, "no text for language %r" % lang)
            return result
        self.fail(path, "must be a string or an object keyed by language code")
        return {}

    def keys(self, path, obj, allowed, required):
        if not isinstance(obj, dict):
            self.fail(path, "must be an object")
            return False
        for key in obj:
            if key not in allowed:
                self.fail(path, "unknown field %r" % key)
        for key in required:
            if key not in obj:
                self.fail(path, "missing field %r" % key)
        return True

    def flag(self, path, obj, key):
        value = obj.get(key, False)
        if not isinstance(value, bool):
            self.fail(path + "." + key, "must be true or false")
            return False
        return value


def _provider(check, path, data, names):
    if not check.keys(path, data, PROVIDER_KEYS, ("name",)):
        return None
    name, policy, hosts = data.get("name"), data.get("policyUrl"), data.get("hosts", [])
    if not isinstance(name, str) or not name.strip():
        check.fail(path + ".name", "must be a non-empty string")
    elif name in names:
        check.fail(path + ".name", "duplicate provider %r" % name)
    names.append(name)
    if "policyUrl" in data and not is_safe_url(policy):
        check.fail(path + ".policyUrl", "must be an http(s) or relative URL")
        policy = None
    if not isinstance(hosts, list) or not all(is_host_name(x) for x in hosts):
        check.fail(path + ".hosts", "must be a list of host names (example.org)")
        hosts = []
    return Provider(name=name, policy_url=policy, hosts=[x.lower() for x in hosts])


def _providers(check, path, data):
    raw = data.get("providers", [])
    if not isinstance(raw, list):
        check.fail(path + ".providers", "must be a list")
        return []
    names, found = [], []
    for i, item in enumerate(raw):
        provider = _provider(check, "%s.providers[%d]" % (path, i), item, names)
        if provider is not None:
            found.append(provider)
    return found


def _category(check, path, data, seen):
    if not check.keys(path, data, CATEGORY_KEYS, ("id", "title", "description")):
        return None
    cid = data.get("id")
    if not is_identifier(cid):
        check.fail(path + ".id", "must be 1-32 characters of a-z, 0-9, '_' or '-', starting with a letter")
    elif cid in seen:
        check.fail(path + ".id", "duplicate id %r" % cid)
    seen.append(cid)
    required, exempt = check.flag(path, data, "required"), check.flag(path, data, "exempt")
    if required and exempt:
        check.fail(path + ".exempt", "a category is strictly necessary or exempt audience measurement, not both")
    providers = _providers(check, path, data)
    choice = check.flag(path, data, "providerChoice")
    if choice and (required or exempt):
        check.fail(path + ".providerChoice", "only a category that needs consent offers a choice per provider")
    elif choice and not 1 <= len(providers) <= MAX_CHOICE_PROVIDERS:
        check.fail(path + ".providerChoice", "a choice per provider needs 1 to %d providers (found %d)"
                   % (MAX_CHOICE_PROVIDERS, len(providers)))
    return Category(id=cid, title=check.text(path, data, "title"),
                    description=check.text(path, data, "description"),
                    required=required, exempt=exempt, providers=providers, provider_choice=choice)


def _cookie(check, path, data, category_ids, seen, regex_ok):
    if not check.keys(path, data, COOKIE_KEYS, ("name", "provider", "category", "lifetime", "purpose")):
        return None
    name, storage, match = data.get("name"), data.get("storage", "cookie"), data.get("match")
    if storage not in STORAGES:
        check.fail(path + ".storage", "must be \"cookie\", \"local\" or \"session\"")
    if storage == "cookie" and not is_cookie_name(name):
        check.fail(path + ".name", "must be a cookie name (visible ASCII, no spaces or separators)")
    elif not isinstance(name, str) or not name:
        check.fail(path + ".name", "must be a non-empty string")
    elif (storage, name) in seen:
        check.fail(path + ".name", "duplicate cookie %r" % name)
    seen.append((storage, name))
    if data.get("category") not in category_ids:
        check.fail(path + ".category", "unknown category %r" % (data.get("category"),))
    if "match" in data:
        if not isinstance(match, str) or not match:
            check.fail(path + ".match", "must be a non-empty string")
            match = None
        elif regex_ok is not None and not regex_ok(match):
            check.fail(path + ".match", "invalid regular expression %r" % match)
            match = None
        else:
            nested = nested_repetition(match)
            if nested is not None:
                check.fail(path + ".match", "nested repetition can take exponential time: %r repeats a group that "
                                            "itself holds a repetition" % nested)
                match = None
    days, domain = whole_number(data.get("maxAgeDays")), data.get("domain")
    if "maxAgeDays" in data and (days is None or not 0 <= days <= MAX_AGE_DAYS_LIMIT):
        check.fail(path + ".maxAgeDays", "must be a whole number of days from 0 to %d" % MAX_AGE_DAYS_LIMIT)
        days = None
    if "domain" in data and (storage != "cookie" or not is_host_name(domain)):
        check.fail(path + ".domain", "must be the host name of the other site setting the cookie (cookies only)")
        domain = None
    return CookieInfo(name=name, provider=check.text(path, data, "provider"),
                      category=data.get("category"), lifetime=check.text(path, data, "lifetime"),
                      purpose=check.text(path, data, "purpose"), match=match,
                      multilingual_only=check.flag(path, data, "multilingualOnly"), storage=storage,
                      paths=_paths(check, path, data, storage), max_age_days=days, domain=domain)


def _exemption(check, categories, cookies):
    """The CNIL exemption's conditions on the cookies of exempt categories, each failure named."""
    exempt = [c.id for c in categories if c.exempt]
    for i, cookie in enumerate(cookies):
        if cookie is None or cookie.category not in exempt:
            continue
        path = "cookies[%d]" % i
        if cookie.max_age_days is None:
            check.fail(path, "the exempt category %r needs each cookie's maxAgeDays: the exemption keeps cookies "
                             "13 months at most (%d days)" % (cookie.category, EXEMPT_MAX_AGE_DAYS))
        elif cookie.max_age_days > EXEMPT_MAX_AGE_DAYS:
            check.fail(path + ".maxAgeDays", "%d days is over the exemption's 13 months (%d days): category %r "
                                             "cannot be exempt" % (cookie.max_age_days, EXEMPT_MAX_AGE_DAYS,
                                                                   cookie.category))
        if cookie.domain is not None:
            check.fail(path + ".domain", "a cookie set by %s is a third party's: exempt audience measurement "
                                         "uses first-party cookies only (category %r)" % (cookie.domain,
                                                                                          cookie.category))


def _quantifier(pattern, i):
    """The quantifier at `pattern[i]` as (least, most or None for no limit, index after it), or None."""
    n, c = len(pattern), pattern[i] if i < len(pattern) else ""
    if c in ("*", "+", "?"):
        least, most, end = (0 if c != "+" else 1), (1 if c == "?" else None), i + 1
    elif c == "{":                       # {n}, {n,}, {n,m}; {,m} too, as Python reads it (the server's clean-up)
        j = i + 1
        while j < n and pattern[j] in "0123456789":
            j += 1
        least = most = int(pattern[i + 1:j]) if j > i + 1 else None
        if j < n and pattern[j] == ",":
            k = j + 1
            while k < n and pattern[k] in "0123456789":
                k += 1
            most, j = (int(pattern[j + 1:k]) if k > j + 1 else None), k
        if j >= n or pattern[j] != "}" or (least is None and most is None):
            return None                   # not a count: a literal brace
        least, end = least or 0, j + 1
    else:
        return None
    if end < n and pattern[end] == "?":  # lazy: the same repetition
        end += 1
    return least, most, end


def _class_end(pattern, i):
    """The index after the character class opening at `pattern[i]` ("["), as JavaScript reads it: a "]" right
    after "[" or "[^" closes it, "\\" escapes the next character."""
    n, j = len(pattern), i + 1
    if j < n and pattern[j] == "^":
        j += 1
    while j < n:
        if pattern[j] == "\\":
            j += 2
        elif pattern[j] == "]":
            return j + 1
        else:
            j += 1
    return n


def nested_repetition(pattern):
    """The first group of a regular expression repeated more than once (`*`, `+`, `{n,}`, `{n,m}` with m > 1)
    that holds a repetition of its own (`*`, `+`, `{n,}`, `{n,m}` with m > n and m > 1), as its text with its
    quantifier ("(a+)+"); None when there is none. Such a pattern can split a name between the two
    repetitions in exponentially many ways: `^(a+)+$` tested on "aaaa...a!" (30 letters) froze a page for
    seconds. A scan of the text, builtins only: an escaped character and a character class (`\\(`, `[(+]`)
    are single characters."""
    n, i, groups = len(pattern), 0, []   # groups: [start index, holds a repetition] of each open group
    while i < n:
        c, start, group = pattern[i], i, None
        if c == "\\":
            i += 2
        elif c == "[":
            i = _class_end(pattern, i)
        elif c == "(":
            groups.append([i, False])
            i += 2 if pattern[i + 1:i + 2] == "?" else 1    # (?:, (?=, (?<name>...: not a quantifier
            continue
        elif c == ")" and groups:
            group = groups.pop()
            start, i = group[0], i + 1
        else:
            i += 1
        found = _quantifier(pattern, i)
        least, most, end = found if found is not None else (1, 1, i)
        if group is not None and group[1] and (most is None or most > 1):
            return pattern[start:end]
        if groups and ((group is not None and group[1]) or most is None or (most > least and most > 1)):
            groups[-1][1] = True
        i = end
    return None


def _consent_cookie(check, categories, cookies, regex_ok):
    """The consent cookie in a category a visitor may refuse, by name or by `match` (is_consent_cookie)."""
    optional = [c.id for c in categories if not c.required]
    for i, cookie in enumerate(cookies):
        if cookie is None or cookie.category not in optional:
            continue
        path = "cookies[%d]" % i
        if is_consent_cookie(cookie.name, cookie.storage):
            check.fail(path + ".category", "%r is the banner's own consent cookie, which holds the visitor's choice: "
                                           "it belongs to the required category, not to %r, whose refusal would "
                                           "delete it" % (cookie.name, cookie.category))
        elif (cookie.storage == "cookie" and cookie.match is not None and regex_ok is not None
              and regex_ok(cookie.match, CONSENT_COOKIE)):
            check.fail(path + ".match", "%r matches %r, the banner's own consent cookie, which holds the visitor's "
                                        "choice: refusing %r would delete it" % (cookie.match, CONSENT_COOKIE,
                                                                                cookie.category))


def is_cookie_path(value):
    """A Path attribute the banner may write: "/" then visible ASCII without ";", at most MAX_PATH long."""
    return (isinstance(value, str) and 0 < len(value) <= MAX_PATH and value[0] == "/"
            and all(32 < ord(c) < 127 and c != ";" for c in value))


def _paths(check, path, data, storage):
    if "paths" not in data:
        return []
    value = data["paths"]
    if storage != "cookie":
        check.fail(path + ".paths", "only cookies have paths")
        return []
    if not isinstance(value, list) or not value or not all(is_cookie_path(p) for p in value):
        check.fail(path + ".paths", "must be a non-empty list of paths such as \"/explore/\" (\"/\" then "
                                    "visible ASCII without ';', at most %d characters)" % MAX_PATH)
        return []
    if len(set(value)) != len(value):
        check.fail(path + ".paths", "lists a path twice")
        return []
    return value


def parse_manifest(data, languages=("fr",), regex_ok=None):
    """Validate decoded manifest JSON for the given languages; return a Manifest or raise ManifestError."""
    result = None
    for result in parse_in_steps(data, languages, regex_ok):  # noqa: B007 (the last step's value is the manifest)
        pass
    return result


def parse_in_steps(data, languages=("fr",), regex_ok=None, surrogate_free=False):
    """parse_manifest() as a generator that yields None after each category and cookie, a point where
    the caller may pause, and the Manifest last (or raises ManifestError). The page parses a manifest in
    tasks of a few milliseconds (boot.py): in Brython each cookie takes about a millisecond on a desktop
    CPU, four on a phone, and a portal may declare dozens. `surrogate_free`: the caller vouches that no
    string can hold a lone surrogate (text.surrogate_check)."""
    walk = surrogate_check(surrogate_free)
    check = _Checker(list(languages))
    if not check.keys("", data, TOP_KEYS, ("revision", "categories", "cookies")):
        raise ManifestError(check.problems)
    if "$schema" in data and not isinstance(data["$schema"], str):
        check.fail("$schema", "must be a string")
    lists = [key for key in ("categories", "cookies") if isinstance(data.get(key), list)]
    check.problems.extend(walk("", data, lists))     # their items: one step each, below
    revision = whole_number(data.get("revision"))
    if "revision" in data and (revision is None or not 1 <= revision <= MAX_REVISION):
        check.fail("revision", "must be an integer from 1 to %d" % MAX_REVISION)
    categories, cookies, ids, names = [], [], [], []
    raw_categories = data.get("categories", [])
    if not isinstance(raw_categories, list) or not raw_categories:
        if "categories" in data:
            check.fail("categories", "must be a non-empty list")
        raw_categories = []
    elif len(raw_categories) > MAX_CATEGORIES:
        check.fail("categories", "at most %d categories (found %d)" % (MAX_CATEGORIES, len(raw_categories)))
    for i, item in enumerate(raw_categories):
        category = _category(check, "categories[%d]" % i, item, ids)
        check.problems.extend(walk("categories[%d]" % i, item))
        if category is not None:
            categories.append(category)
        yield None
    required = [c.id for c in categories if c.required]
    if raw_categories and len(required) != 1:
        check.fail("categories", "exactly one category must have \"required\": true (found %d)" % len(required))
    raw_cookies = data.get("cookies", [])
    if not isinstance(raw_cookies, list):
        check.fail("cookies", "must be a list")
        raw_cookies = []
    checked = []                            # by index, None where a cookie failed to parse
    for i, item in enumerate(raw_cookies):
        cookie = _cookie(check, "cookies[%d]" % i, item, ids, names, regex_ok)
        check.problems.extend(walk("cookies[%d]" % i, item))
        checked.append(cookie)
        if cookie is not None:
            cookies.append(cookie)
        yield None
    _exemption(check, categories, checked)
    _consent_cookie(check, categories, checked, regex_ok)
    if check.problems:
        raise ManifestError(check.problems)
    yield Manifest(revision=revision, categories=categories, cookies=cookies, languages=list(languages))


def text_languages(data):
    """Every language code used by a text object anywhere in the manifest: the CLI checks each of them
    when no language list is given, so a text translated everywhere but once is caught."""
    found = []

    def walk(node, key):
        if isinstance(node, dict):
            if key in ("title", "description", "provider", "lifetime", "purpose"):
                for lang in node:
                    if lang not in found and is_language_code(lang):
                        found.append(lang)
                return
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    walk(data, None)
    return found
