"""The manifest kept in the database (CONSENT_BANNER["DATABASE_MANIFEST"]): checking a draft, publishing it
as an immutable version, and the published version as the banner reads it.

Checking is banner.manifest's own (`parse_manifest`, for the portal's languages): the admin shows its
problems by field path, as `consent-banner validate` does.

Publishing keeps what the banner already does with revision and fingerprints (banner/consent.py): every
edit of a category's content changes its fingerprint, and the banner asks again about that category
only. The revision is raised (every visitor asked again about everything) only when the change needs a
new consent: a new category, a new provider, a new purpose in a category (`new_consent_reasons`). The
first version keeps the draft's revision, so a portal moving its file into the database keeps its
visitors' choices (same revision, same fingerprints).

The published version is cached per process and per database: a process asks whether a newer version
exists (one indexed query, `SELECT id ... ORDER BY number DESC LIMIT 1`) at most once every
DATABASE_MANIFEST_CHECK seconds, and reads a version's text only when it changed. A publish clears the
publishing process's cache at once; every other worker (gunicorn, uWSGI, other hosts) serves the new
version within DATABASE_MANIFEST_CHECK seconds. Between checks no request queries the database for it.
"""

import hashlib
import json
import threading
import time

from django.db import router, transaction

from banner.server.host import regex_ok
from banner.errors import BannerError
from banner.fingerprint import _reference, fingerprints
from banner.manifest import parse_manifest, text_languages

from .conf import banner_settings


class NoPublishedVersion(BannerError):
    """DATABASE_MANIFEST is on and nothing was published yet: the banner fails closed until it is."""


def decode(text):
    """JSON text -> data, or a ManifestError-like problem list [(path, message)] (never an exception)."""
    try:
        return json.loads(text), []
    except ValueError as error:
        return None, [("", "not JSON: %s" % error)]


def check(data, languages):
    """banner.manifest's problems with `data` for these languages: [(field path, message)], [] when none."""
    from banner.errors import ManifestError
    try:
        parse_manifest(data, languages, regex_ok)
    except ManifestError as error:
        return error.problems
    return []


def fingerprint_text(manifest):
    """A manifest's fingerprints written as a consent record stores them (banner/server/receiver.py record_columns):
    "category=fingerprint" in category order, comma-separated."""
    return ",".join("%s=%s" % item for item in sorted(fingerprints(manifest).items()))


def _purposes(manifest, category_id):
    return {_reference(c.purpose) for c in manifest.cookies_of(category_id)}


def new_consent_reasons(old, new):
    """Why `new` needs a new consent from everyone compared with `old` (two banner.manifest.Manifest): a
    category, a provider of a category, or a cookie purpose in a category that `old` did not have. []:
    the fingerprints alone tell the banner what to ask again."""
    reasons = []
    for category in new.categories:
        if category.required:
            continue                    # strictly necessary: nothing to consent to
        before = old.category(category.id)
        if before is None or before.required:
            reasons.append("new category %s" % category.id)
            continue
        known = {p.name for p in before.providers}
        reasons += ["new provider %s in %s" % (p.name, category.id) for p in category.providers if p.name not in known]
        reasons += ["new purpose in %s: %s" % (category.id, text)
                    for text in sorted(_purposes(new, category.id) - _purposes(old, category.id))]
    return reasons


def own_languages(data, languages):
    """The languages a stored version was checked for: those its texts are written in (a version published
    before the portal added a language has none in it), else the portal's."""
    return text_languages(data) or list(languages)


def _alias():
    from .models import ManifestVersion
    return router.db_for_write(ManifestVersion)


def publish(data, languages, user="", published_at=None):
    """Publish a draft (decoded JSON): the new ManifestVersion, or None when it is the latest version's very
    content (nothing to publish). Raises ManifestError when it is invalid. `published_at` (default: now)
    is for a demo's history only."""
    from .models import ManifestVersion
    alias = _alias()
    with transaction.atomic(using=alias):
        latest = ManifestVersion.objects.using(alias).select_for_update().order_by("-number").first()
        data = dict(data)
        changes = ""
        if latest is not None:
            before = json.loads(latest.text)
            old = parse_manifest(before, own_languages(before, languages), regex_ok)
            data["revision"] = latest.revision
            if data == before:
                return None
            new = parse_manifest(data, languages, regex_ok)
            reasons = new_consent_reasons(old, new)
            if reasons:
                data["revision"] = latest.revision + 1
                changes = "; ".join(reasons)
            else:
                before, after = fingerprints(old), fingerprints(new)
                changed = [c for c in after if before.get(c) != after[c]]
                changes = ("fingerprints changed: " + ", ".join(changed)) if changed else "texts only"
        new = parse_manifest(data, languages, regex_ok)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        version = ManifestVersion(
            number=(latest.number + 1) if latest else 1, revision=new.revision, fingerprints=fingerprint_text(new),
            text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), published_by=user or "",
            changes=changes)
        if published_at is not None:
            version.published_at = published_at
        version.save(using=alias, force_insert=True)
    forget()
    return version


class Published:
    """What a process keeps of one published version: its id, number, text and decoded data."""
    __slots__ = ("id", "number", "text", "data")

    def __init__(self, id, number, text):
        self.id, self.number, self.text = id, number, text
        self.data = json.loads(text)


_cache = {}                    # database alias -> [checked at (monotonic), Published or None]
_index = {}                    # database alias -> (latest id, [(id, revision, fingerprints)], newest first)
_lock = threading.Lock()


def forget():
    """Drop this process's cached versions: the next request reads the latest one."""
    with _lock:
        _cache.clear()
        _index.clear()


def published(alias=None):
    """The latest published version (Published); NoPublishedVersion when there is none. Cached: see the
    module's docstring."""
    from .models import ManifestVersion
    alias = alias or router.db_for_read(ManifestVersion)
    every = banner_settings()["DATABASE_MANIFEST_CHECK"]
    now = time.monotonic()
    entry = _cache.get(alias)
    if entry is None or now - entry[0] >= every:
        latest = ManifestVersion.objects.using(alias).order_by("-number").values_list("id", flat=True).first()
        current = entry[1] if entry else None
        if latest is None:
            current = None
        elif current is None or current.id != latest:
            row = ManifestVersion.objects.using(alias).values_list("id", "number", "text").get(id=latest)
            current = Published(*row)
        entry = _cache[alias] = [now, current]
    if entry[1] is None:
        raise NoPublishedVersion('CONSENT_BANNER["DATABASE_MANIFEST"]: no manifest version is published yet; '
                                 'publish one in the admin (or `manage.py publish_manifest`)')
    return entry[1]


def version_for(revision, fingerprints_text, alias):
    """The id of the version a record names: the latest published one with its revision and fingerprints
    (versions differing only in translations share them: the latest is the one served when it arrived),
    or None. Versions are listed once per process and listed again on a miss (a version another worker
    just published), so a record costs no query of its own besides its insert."""
    from .models import ManifestVersion

    def match(rows):
        return next((id for id, rev, prints in rows if rev == revision and prints == fingerprints_text), None)

    try:
        latest = published(alias).id
    except NoPublishedVersion:
        return None
    known = _index.get(alias)
    found = match(known[1]) if known and known[0] == latest else None
    if found is None:
        rows = list(ManifestVersion.objects.using(alias).order_by("-number")
                    .values_list("id", "revision", "fingerprints"))
        with _lock:
            _index[alias] = (latest, rows)
        found = match(rows)
    return found
