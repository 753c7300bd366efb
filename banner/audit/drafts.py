"""Manifest entries drafted for what the audit found and the manifest does not declare.

A drafted entry is what a portal team pastes into its manifest once it has chosen the category (left
`null`: only the portal knows why it uses a cookie) and written the purpose. Its name is the cookie seen,
with a `match` pattern when the name carries a number or an identifier that varies between visitors or
sites (`_ga_ABC123`, `_pk_id.1.2fa3`: a segment holding a digit becomes `[0-9A-Za-z]+`), its provider is
guessed from the domain that set it (or the script that did, or the name's well-known prefix), its
lifetime is the measured one rounded up (banner.audit.lifetimes) and in whole days (`maxAgeDays`), its
path is kept when it is not `/`, and another site's cookie names that site (`domain`).
Hosts get a provider entry (`{"name", "hosts"}`) for a category's `providers`.
"""

import ipaddress
import math
import re

from ..manifest import MAX_AGE_DAYS_LIMIT
from .lifetimes import drafted as drafted_lifetime, per_language

# Public suffixes of two labels that portals and trackers commonly sit under (no full Public Suffix List:
# the guess only names a provider, it decides nothing).
TWO_LABEL_SUFFIXES = {
    "co.uk", "org.uk", "ac.uk", "gov.uk", "gouv.fr", "asso.fr", "com.fr", "com.au", "net.au", "org.au",
    "co.nz", "co.jp", "ne.jp", "com.br", "com.cn", "co.in", "co.za", "com.mx", "com.tr", "com.es", "co.it",
    "github.io", "gitlab.io", "herokuapp.com", "cloudfront.net", "azurewebsites.net", "appspot.com",
    "blogspot.com", "netlify.app", "vercel.app", "pages.dev", "workers.dev",
}

# Sites and cookie-name prefixes of well-known third parties: a friendlier guess than a domain name.
KNOWN_SITES = {
    "google-analytics.com": "Google Analytics", "analytics.google.com": "Google Analytics",
    "googletagmanager.com": "Google Tag Manager", "doubleclick.net": "Google (DoubleClick)",
    "googlesyndication.com": "Google AdSense", "googleadservices.com": "Google Ads", "google.com": "Google",
    "youtube.com": "YouTube", "youtube-nocookie.com": "YouTube", "ytimg.com": "YouTube",
    "facebook.com": "Meta", "facebook.net": "Meta", "instagram.com": "Meta",
    "matomo.cloud": "Matomo", "hotjar.com": "Hotjar", "hotjar.io": "Hotjar",
    "linkedin.com": "LinkedIn", "licdn.com": "LinkedIn", "twitter.com": "X (Twitter)", "x.com": "X (Twitter)",
    "twimg.com": "X (Twitter)", "vimeo.com": "Vimeo", "vimeocdn.com": "Vimeo", "dailymotion.com": "Dailymotion",
    "xiti.com": "AT Internet (Piano)", "atinternet.com": "AT Internet (Piano)", "clarity.ms": "Microsoft Clarity",
    "bing.com": "Microsoft Bing", "tiktok.com": "TikTok", "cloudflareinsights.com": "Cloudflare Web Analytics",
    "openstreetmap.org": "OpenStreetMap", "mapbox.com": "Mapbox", "typekit.net": "Adobe Fonts",
    "fonts.googleapis.com": "Google Fonts", "gstatic.com": "Google",
}
KNOWN_PREFIXES = (("_ga", "Google Analytics"), ("_gid", "Google Analytics"), ("_gat", "Google Analytics"),
                  ("_gcl_", "Google Ads"), ("_fbp", "Meta"), ("_fbc", "Meta"), ("_pk_", "Matomo"),
                  ("_hj", "Hotjar"), ("atuserid", "AT Internet (Piano)"), ("_clck", "Microsoft Clarity"),
                  ("_clsk", "Microsoft Clarity"), ("_ttp", "TikTok"), ("li_", "LinkedIn"))


def _is_ip(host):
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def site_of(host):
    """The registrable domain of a host, by a short list of suffixes (`www.portal.gouv.fr` ->
    `portal.gouv.fr`, `tracker.example.org` -> `example.org`); an IP address or a one-label name is its
    own site."""
    host = (host or "").lower().strip(".")
    if _is_ip(host) or "." not in host:
        return host
    labels = host.split(".")
    take = 3 if ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-take:])


def same_site(host, other):
    return site_of(host) == site_of(other)


def guess_provider(host=None, name=None, portal_host=None):
    """A provider's name for a cookie or a host: a well-known third party by the name's prefix or the
    site, else the site itself (the portal's own site for a first-party cookie)."""
    for prefix, provider in KNOWN_PREFIXES:
        if name and name.startswith(prefix):
            return provider
    host = (host or portal_host or "").lower().lstrip(".")
    for known, provider in KNOWN_SITES.items():
        if host == known or host.endswith("." + known):
            return provider
    return site_of(host) or "?"


_SEGMENTS = re.compile(r"([._-]+)")


def name_pattern(name):
    """A `match` pattern for names that vary by a number or an identifier, or None for a plain name."""
    parts = _SEGMENTS.split(name)
    varying = [i % 2 == 0 and re.fullmatch(r"[0-9A-Za-z]*[0-9][0-9A-Za-z]*", p) is not None
               for i, p in enumerate(parts)]
    if not any(varying):
        return None
    pattern = "^" + "".join("[0-9A-Za-z]+" if vary else re.escape(p) for p, vary in zip(parts, varying)) + "$"
    return pattern if re.search(pattern, name) else None


def _purpose(languages):
    texts = {"fr": "À décrire", "en": "To describe", "de": "Zu beschreiben", "es": "Por describir",
             "it": "Da descrivere", "nl": "Te beschrijven"}
    return _in_languages(texts, languages)


def _in_languages(texts, languages):
    """{base language: text} drafted in each of `languages` (English for a language it lacks)."""
    return per_language(languages, lambda code: texts.get(code.split("-")[0], texts["en"]))


def cookie_entry(cookie, languages, portal_host, storage="cookie"):
    """A manifest entry for an undeclared cookie (or storage key: `storage` "local" or "session")."""
    setter = cookie.get("setBy") or ""
    setter_host = re.sub(r"^[a-z]+://([^/:]+).*$", r"\1", setter) if "://" in setter else ""
    own = (cookie.get("domain") or portal_host or "").lstrip(".")
    # a first-party cookie written by a third party's script belongs to that third party
    host = setter_host if setter_host and not same_site(setter_host, portal_host or own) else own
    entry = {"name": cookie["name"]}
    pattern = name_pattern(cookie["name"])
    if pattern:
        entry["match"] = pattern
    if storage != "cookie":
        entry["storage"] = storage
    entry["provider"] = guess_provider(host, cookie["name"], portal_host)
    entry["category"] = None
    if storage == "cookie":
        entry["lifetime"] = drafted_lifetime(cookie.get("lifetime"), languages)
        if cookie.get("lifetime") is not None:            # what the lifetime says, in numbers
            entry["maxAgeDays"] = min(MAX_AGE_DAYS_LIMIT, math.ceil(cookie["lifetime"] / 86400 - 0.01))
    else:
        entry["lifetime"] = drafted_lifetime(None, languages) if storage == "session" else _until_cleared(languages)
    entry["purpose"] = _purpose(languages)
    if storage == "cookie" and cookie.get("path") and cookie["path"] != "/":
        entry["paths"] = [cookie["path"]]
    domain = (cookie.get("domain") or "").lstrip(".").lower()
    if storage == "cookie" and domain and portal_host and not same_site(domain, portal_host):
        entry["domain"] = domain                          # a third party's cookie
    return entry


def _until_cleared(languages):
    texts = {"fr": "Jusqu'à effacement", "en": "Until cleared", "de": "Bis zur Löschung", "es": "Hasta que se borre",
             "it": "Fino alla cancellazione", "nl": "Tot het wissen"}
    return _in_languages(texts, languages)


def provider_entry(host):
    """A provider for a category's `providers`, for requests to an undeclared host."""
    site = site_of(host)
    return {"name": guess_provider(host), "hosts": [site if not _is_ip(site) and "." in site else host]}
