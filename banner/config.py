"""The data-config attribute of the script tag: decoded JSON in, a Config (plus warnings) out.

Keys (see docs/reference.md): `manifest` (URL or inline object, required), `languages` (default ["fr"]),
`language` (default: <html lang> when offered, else the first), `policyUrl`, `cookieDomain`.
Unknown keys are warnings, not errors: a typo in an optional key must not take consent down with it.
Wrong types and unsafe URLs are errors: the banner then fails closed.
"""

from .errors import ConfigError
from .text import is_language_code, is_safe_url
from .i18n import pick_language

KNOWN_KEYS = ("manifest", "languages", "language", "policyUrl", "cookieDomain")


class Config:
    __slots__ = ("manifest", "languages", "language", "policy_url", "cookie_domain")

    def __init__(self, *, manifest, languages, language, policy_url, cookie_domain):
        self.manifest = manifest            # str (URL) or dict (inline manifest)
        self.languages = languages          # list of language codes, first is the default
        self.language = language            # the language this page view uses
        self.policy_url = policy_url        # str or None
        self.cookie_domain = cookie_domain  # str or None: host-only

    @property
    def multilingual(self):
        return len(self.languages) > 1


def _languages(data):
    value = data.get("languages", ["fr"])
    if not isinstance(value, list) or not value:
        raise ConfigError("languages", "must be a non-empty list of language codes, e.g. [\"fr\", \"en\"]")
    codes = []
    for item in value:
        code = item.lower() if isinstance(item, str) else item
        if not is_language_code(code):
            raise ConfigError("languages", "%r is not a language code" % (item,))
        if code in codes:
            raise ConfigError("languages", "%r is listed twice" % code)
        codes.append(code)
    return codes


def _domain(value):
    if value is None:
        return None
    labels = value.lstrip(".").split(".") if isinstance(value, str) else []
    ok = labels and all(0 < len(p) <= 63 and all(c.isalnum() or c == "-" for c in p) for p in labels)
    if not ok:
        raise ConfigError("cookieDomain", "must be a domain name such as \"example.org\" (got %r)" % (value,))
    return value.lstrip(".").lower()


def parse_config(data, html_lang=""):
    """Return (Config, warnings) from decoded data-config JSON, or raise ConfigError naming the key."""
    if not isinstance(data, dict):
        raise ConfigError("", "must be a JSON object such as {\"manifest\": \"/cookies.json\"}")
    warnings = ["data-config: unknown key %r ignored" % k for k in data if k not in KNOWN_KEYS]
    manifest = data.get("manifest")
    if isinstance(manifest, str):
        if not is_safe_url(manifest):
            raise ConfigError("manifest", "must be an http(s) or relative URL (got %r)" % manifest)
    elif not isinstance(manifest, dict):
        raise ConfigError("manifest", "is required: the URL of the cookie manifest, or the manifest object")
    languages = _languages(data)
    requested = data.get("language")
    if requested is not None and (not isinstance(requested, str) or requested.lower() not in languages):
        raise ConfigError("language", "must be one of %s (got %r)" % (", ".join(languages), requested))
    policy_url = data.get("policyUrl")
    if policy_url is not None and not is_safe_url(policy_url):
        raise ConfigError("policyUrl", "must be an http(s) or relative URL (got %r)" % (policy_url,))
    language = pick_language(languages, requested.lower() if requested else None, html_lang)
    return Config(manifest=manifest, languages=languages, language=language, policy_url=policy_url,
                  cookie_domain=_domain(data.get("cookieDomain"))), warnings
