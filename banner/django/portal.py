"""What the server knows about the banner: the portal's data-config and manifest, from settings, and each
request's decision, read by the very core the page runs (banner.session, banner.cookies, banner.consent).

Nothing here raises on what a visitor sends: a tampered, stale or foreign cookies_preferences is "no
choice" (fail closed: nothing optional is sent live), exactly as in the page. A broken manifest or
setting is the portal's mistake: logged once per request as an error, and it fails closed too.
"""

import json
import logging
import os
import time

from django.conf import settings
from django.conf import global_settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from banner.server.host import load_json, regex_ok
from banner.config import parse_config
from banner.cookies import CONSENT_COOKIE, decode_consent, parse_cookie_header
from banner.errors import BannerError
from banner.i18n import pick_language
from banner.manifest import parse_manifest
from banner.session import Session

from .conf import banner_settings

log = logging.getLogger("banner.django")

_manifests = {}                      # path -> (mtime, decoded JSON): re-read when the file changes


def manifest_data():
    """The decoded manifest: with DATABASE_MANIFEST the latest published version (banner/django/versions.py),
    else CONSENT_BANNER["MANIFEST"] itself when it is one, else the JSON file it names (re-read when it
    changes on disk)."""
    conf = banner_settings()
    if conf["DATABASE_MANIFEST"]:
        from .versions import published
        return published().data
    path = conf["MANIFEST"]
    if isinstance(path, dict):
        return path
    if not path:
        raise BannerError('CONSENT_BANNER["MANIFEST"] must name the cookie manifest file')
    path = os.fspath(path)
    mtime = os.stat(path).st_mtime_ns
    cached = _manifests.get(path)
    if cached is None or cached[0] != mtime:
        with open(path, encoding="utf-8") as handle:
            cached = _manifests[path] = (mtime, load_json(handle))
    return cached[1]


def languages():
    """The banner's languages: the setting, else the project's LANGUAGES when it sets its own."""
    given = banner_settings()["LANGUAGES"]
    if given:
        return [code.lower() for code in given]
    if settings.LANGUAGES is not global_settings.LANGUAGES:
        return [code.lower() for code, _ in settings.LANGUAGES]
    return [settings.LANGUAGE_CODE.lower().split("-")[0]]


def _url(value):
    """A URL as given, or the path of a URL name ("cookie-policy", "consent_banner:manifest")."""
    if value.startswith(("/", ".")) or "://" in value:
        return value
    try:
        return reverse(value)
    except NoReverseMatch:
        return value


def app_url(name):
    """The path of one of the app's views ("consent_banner:log"...), or None when the portal's URLconf
    does not include banner.django.urls (or there is no URLconf at all)."""
    if not getattr(settings, "ROOT_URLCONF", None):
        return None
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def site_origins(request):
    """The origins whose pages are this site's: its own, and CSRF_TRUSTED_ORIGINS."""
    return {"%s://%s" % (request.scheme, request.get_host())} | set(getattr(settings, "CSRF_TRUSTED_ORIGINS", ()))


def manifest_text():
    """The manifest's text as banner.django.urls serves it (`consent_banner:manifest`): the file's own text
    when MANIFEST names one, else the dict as compact JSON. The page's loader hashes what it fetched to
    know it is the manifest the server described (early_data). With DATABASE_MANIFEST: the published
    version's text, the one its SHA-256 was taken of."""
    conf = banner_settings()
    if conf["DATABASE_MANIFEST"]:
        from .versions import published
        return published().text
    path = conf["MANIFEST"]
    if isinstance(path, dict):
        return json.dumps(path, ensure_ascii=False, separators=(",", ":"))
    with open(os.fspath(path), encoding="utf-8") as handle:
        return handle.read()


def data_config(language=None):
    """The data-config object of this page view: settings, and the active language (Django's)."""
    conf = banner_settings()
    codes = languages()
    data = dict(conf["CONFIG"] or {})
    data["manifest"] = _url(conf["MANIFEST_URL"]) if conf["MANIFEST_URL"] else manifest_data()
    data["languages"] = codes
    data["language"] = pick_language(codes, None, language or translation.get_language() or "")
    if len(codes) > 1:
        data.setdefault("languageCookie", True)     # LocaleMiddleware reads django_language: write it, reload
    if conf["POLICY_URL"]:
        data["policyUrl"] = _url(conf["POLICY_URL"])
    if conf["COOKIE_DOMAIN"]:
        data["cookieDomain"] = conf["COOKIE_DOMAIN"]
    if conf["RESPECT_GPC"] is not True:
        data["respectGPC"] = conf["RESPECT_GPC"]
    if "consentLog" not in data:
        # A portal that includes banner.django.urls wants its proof of consent in its own database.
        url = log_url()
        if url:
            data["consentLog"] = url
    return data


_parsed = {}                         # (data-config JSON, manifest identity) -> (Config, Manifest)


def portal(language=None):
    """(data-config dict, Config, Manifest) for this page view; raises BannerError when they are wrong.
    Parsed once per data-config and manifest file version, not at every request."""
    data = data_config(language)
    source = manifest_data()
    key = (json.dumps(data, sort_keys=True), id(source))
    if key not in _parsed:
        config, _ = parse_config(data)
        if len(_parsed) > 64:
            _parsed.clear()
        _parsed[key] = (config, parse_manifest(source, config.languages, regex_ok), source)
    config, manifest, _ = _parsed[key]
    return data, config, manifest


_early = {}                          # (data-config JSON, manifest identity) -> loader_facts.early


def early_data(data, manifest):
    """What the loader needs to run a return visitor's consented blocks before Python starts (banner.
    loader_facts.early), for this page's data-config; the manifest's text is the one the app serves."""
    from banner.server.loader_facts import early
    key = (json.dumps(data, sort_keys=True), id(manifest))
    if key not in _early:
        if len(_early) > 64:
            _early.clear()
        try:
            text = manifest_text() if isinstance(data.get("manifest"), str) else None
        except OSError:
            text = None
        _early[key] = early(data, manifest, text)
    return _early[key]


def now_ms():
    return int(time.time() * 1000)


class RequestConsent:
    """`request.consent`: the visitor's decision as the page will read it.

    - `decision`: the standing banner.consent.Consent, or None (no choice, tampered, stale, expired);
    - `accepted`: accepted category ids (the required one always), `accepts(id)` / `id in request.consent`;
    - `needs_banner`, `gpc`; `value`: the cookie text of the standing decision (what the refresh re-sends).
    Fails closed: when the portal's settings or manifest are wrong, nothing optional is accepted.
    """

    def __init__(self, request, now=None):
        self.error = self.session = self.value = self.manifest = None
        self.gpc = request.headers.get("Sec-GPC", "").strip() == "1"
        self.secure = request.is_secure()
        try:
            self.data, self.config, self.manifest = portal()
        except Exception as error:        # the portal's mistake, not the visitor's: say it, run nothing
            self.error = "%s: %s" % (type(error).__name__, error)
            log.error("consent banner: %s; nothing optional is accepted", self.error)
            return
        cookie_text = request.META.get("HTTP_COOKIE", "")
        self.now = now_ms() if now is None else now
        self.session = Session(self.manifest, self.config, cookie_text, self.now, self.secure, self.gpc)
        decision = self.session.consent
        if decision is not None:
            self.value = next(v for n, v in parse_cookie_header(cookie_text)
                              if n == CONSENT_COOKIE and decode_consent(v) == decision)

    @property
    def decision(self):
        return self.session.consent if self.session else None

    @property
    def decided(self):
        return self.decision is not None

    @property
    def accepted(self):
        return list(self.session.accepted) if self.session else []

    def accepts(self, category_id):
        return category_id in self.accepted

    __contains__ = accepts

    def allows(self, category_id, provider=None):
        """Whether content of the category from `provider` (Manifest.provider_of; None: no declared
        provider claims it) may run: banner.session.Session.allows, so a provider the visitor refused in a
        category offering a choice per provider is refused here too."""
        return bool(self.session and self.session.allows(category_id, provider))

    def accepted_providers(self):
        """{category id: accepted provider names} for each accepted category offering a choice per
        provider (Session.accepted_providers)."""
        if not self.session:
            return {}
        return {c.id: self.session.accepted_providers(c.id) for c in self.manifest.categories
                if c.provider_choice and c.id in self.session.accepted}

    def allows_all(self, category_id):
        """A function of a set of providers: whether each of them may run in this category."""
        return lambda providers: all(self.allows(category_id, p) for p in providers)

    @property
    def needs_banner(self):
        return bool(self.session and self.session.needs_banner)

    @property
    def first_visit(self):
        """No standing decision and no GPC answer: the first layer is what the page will show."""
        return bool(self.session and self.session.needs_banner and self.decision is None)

    def __repr__(self):
        return "<RequestConsent accepted=%r decided=%r gpc=%r>" % (self.accepted, self.decided, self.gpc)


def request_consent(request):
    """request.consent when the middleware is installed, else computed for this request (and kept)."""
    found = getattr(request, "consent", None)
    if not isinstance(found, RequestConsent):
        found = RequestConsent(request)
        request.consent = found
    return found


def log_url():
    """The consent log view's path for the page's `consentLog` data-config key, or None when the portal's
    URLconf does not include banner.django.urls (then the page logs nothing), or has no URLconf at all."""
    return app_url("consent_banner:log")
