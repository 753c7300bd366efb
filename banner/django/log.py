"""The consent log's POST view: the reference receiver's rules (banner/server/receiver.py), the portal's database.

    204  stored (answered only once the row is committed)
    400  not a consent record (the body names the field), nothing stored
    403  posted by a page of another site (its Origin is neither this host nor CSRF_TRUSTED_ORIGINS)
    413  larger than the receiver's MAX_BODY, nothing read, nothing stored
    500  the database refused the row: the page retries (banner/ui/page.py RETRY_DELAYS)

No CSRF token: the page posts with fetch (keepalive) and, when it goes away, with sendBeacon, which cannot
send a header. A token would guard something the request does with the visitor's credentials; this view
uses none (no session, no user): a forged record is one anybody could post with curl, and each record is
only as good as the consent id in it. What a browser does tell is who asked: a page of another site
sends its Origin, and the view refuses it, so third-party pages cannot fill the log through visitors'
browsers.
"""

import logging
import threading

from django.db import DatabaseError, connections, router, transaction
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..server.receiver import MAX_BODY, GroupCommit, RecordError, parse_record, record_columns
from .conf import banner_settings
from .models import ConsentRecord
from .versions import version_for
from .portal import site_origins

logger = logging.getLogger("banner.django")


def _same_site(request):
    """False only for a browser request from another origin (no Origin header: not a browser's cross-site
    request, as curl or a server-side client, which a token would not stop either)."""
    origin = request.headers.get("Origin")
    return origin is None or origin in site_origins(request)


_groups = {}                      # database alias -> GroupCommit, for SQLite databases
_groups_lock = threading.Lock()


def _bulk_insert(alias):
    def commit(records):
        try:
            with transaction.atomic(using=alias):
                ConsentRecord.objects.using(alias).bulk_create(records)
        except DatabaseError as error:
            return error
        return None
    return commit


def store(record):
    """Store one validated record; return once it is committed (DatabaseError when it is not).

    On SQLite the threads of a process take turns through a GroupCommit: SQLite has one writer at a
    time, and its busy timeout lets waiting writers sleep and retry, so under 50 concurrent clients some
    starve past any timeout ("database is locked"). Taking turns in the process never times out, and
    one commit serves every record that arrived meanwhile. Other databases take concurrent writers."""
    alias = router.db_for_write(ConsentRecord)
    row = ConsentRecord(**record_columns(record))
    if banner_settings()["DATABASE_MANIFEST"]:
        row.manifest_version_id = version_for(row.revision, row.fingerprints, alias)
    if connections[alias].vendor != "sqlite":
        row.save(using=alias, force_insert=True)
        return
    with _groups_lock:
        group = _groups.setdefault(alias, GroupCommit(_bulk_insert(alias)))
    group.append(row)


def _text(status, message):
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
@transaction.non_atomic_requests       # ATOMIC_REQUESTS would commit after the view: 204 means committed
def receive(request):
    """Validate one record and store it; see the module's docstring for the answers."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not (length.isascii() and length.isdigit()):
        return _text(400, "Content-Length: must be a non-negative integer")
    if len(length) > 9 or int(length) > MAX_BODY:
        return HttpResponse(status=413)
    if not _same_site(request):
        return _text(403, "consent records are accepted from this site's pages only")
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return HttpResponse(status=413)
    try:
        record = parse_record(body)
    except RecordError as error:
        return _text(400, str(error))
    try:
        store(record)
    except DatabaseError:
        logger.exception("consent log: the record was not stored")     # nothing about the request
        return _text(500, "internal error: the record was not stored")
    stored = HttpResponse(status=204)
    # One visitor's answer, never to be cached; and so the middleware's refresh may re-send their cookie
    # on it (it never does on a response a cache could share): a server-set cookie outlives Safari's cap.
    stored["Cache-Control"] = "no-store"
    return stored
