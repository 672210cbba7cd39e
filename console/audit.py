"""Record audit events from views, commands and API handlers."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.db.models.functions import Left
from django.db.models.lookups import Exact
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_noop

from console.database import busy_reason
from console.models import AuditEvent

log = logging.getLogger("console.audit")

SECRET_WORDS = ("secret", "password", "token")
# Words entries store in English and pages show in their language (console.adminpages.audit_names.stored_words):
# who made a change nobody in the console made, and the values some details hold.
OUTSIDE_ACTOR = gettext_noop("(outside the console)")
COMMAND_LINE = gettext_noop("command line")
NO_REQUEST = gettext_noop("no request (a command or the shell)")
WITH_SECRETS, WITHOUT_SECRETS = gettext_noop("with secret keys"), gettext_noop("without secret keys")
TO_FILE, TO_STANDARD_OUTPUT = gettext_noop("a file"), gettext_noop("standard output")
SHARE_VISITOR, DROPBOX_VISITOR = gettext_noop("(share link)"), gettext_noop("(drop box link)")  # who used a link
STORED_WORDS = {OUTSIDE_ACTOR, COMMAND_LINE, NO_REQUEST, WITH_SECRETS, WITHOUT_SECRETS, TO_FILE, TO_STANDARD_OUTPUT,
                SHARE_VISITOR, DROPBOX_VISITOR}
_REQUEST: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request being answered on this thread, for what is audited without one at hand (model signals)."""
    return _REQUEST.get()


class RequestMiddleware:
    """Makes the request known to current_request() while it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _REQUEST.set(request)
        try:
            return self.get_response(request)
        finally:
            _REQUEST.reset(token)


def target_under(prefix: str) -> Q:
    """Entries done to `prefix` or below it, letter case counted: SQLite's LIKE ignores it ("ops/" is not "OPS/")."""
    if not prefix:
        return Q()
    return Q(target__startswith=prefix) & Q(Exact(Left("target", len(prefix)), prefix))


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(request: HttpRequest | None, kind: str, *, connection: str = "", target: str = "",
           actor=None, **detail) -> AuditEvent:
    """Store one event; detail keys that look like secrets are refused, not stored."""
    leaked = [k for k in detail if any(word in k.lower() for word in SECRET_WORDS)]
    if leaked:
        raise ValueError(f"audit detail must not hold secrets: {leaked}")  # i18n: not shown (a programming error)
    user = actor or (getattr(request, "user", None) if request is not None else None)
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        actor=user, actor_name=user.get_username() if user else (detail.pop("actor_name", "") or ""),
        kind=kind, connection=connection, target=target, detail=detail, address=client_address(request),
    )


def record_or_count(request: HttpRequest | None, kind: str, *, window: timedelta, per_address: int,
                    target: str = "", **detail) -> None:
    """Store the event, or count it as a repeat, so that nobody can fill the log by sending requests.

    A repeat is the same event (kind, target, details) from the same address within `window`, and,
    once `per_address` events of this kind came from that address within it, any other one: counted
    on the latest of them. Every event is counted; the first `per_address` of each kind are whole.
    """
    recent = AuditEvent.objects.filter(kind=kind, address=client_address(request), at__gte=timezone.now() - window)
    same = recent.filter(target=target, detail=detail).first()
    if same is None and recent.count() >= per_address:
        same = recent.first()  # the newest
    _count_or_store(same, request, kind, target=target, **detail)


def _count_or_store(same: AuditEvent | None, request: HttpRequest | None, kind: str, **fields) -> None:
    """Count the event as a repeat of `same`, or store it when there is none."""
    if same is None:
        record(request, kind, **fields)
    else:
        AuditEvent.objects.filter(pk=same.pk).update(repeats=F("repeats") + 1, last_at=timezone.now())


def record_repeat(request: HttpRequest, kind: str, *, window: timedelta, connection: str = "", target: str = "",
                  **detail) -> None:
    """Count the event as a repeat of the same person's same event within `window`, else store it."""
    same = AuditEvent.objects.filter(actor=request.user, kind=kind, connection=connection, target=target,
                                     detail=detail, at__gte=timezone.now() - window).first()
    _count_or_store(same, request, kind, connection=connection, target=target, **detail)


def record_storage_change(request: HttpRequest | None, kind: str, *, connection: str = "", target: str = "",
                          **detail) -> AuditEvent | None:
    """Store the event of a change the storage has already made (a delete, an upload, a new folder).

    The change cannot be undone, so a busy database must not turn the answer into "nothing was changed"
    (console.middleware.DatabaseBusyMiddleware): the event goes to the server log instead, whole, and the
    person is told what happened to the storage.
    """
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL's transaction stays usable after a refusal
            return record(request, kind, connection=connection, target=target, **detail)
    except DatabaseError as e:
        reason = busy_reason(e)
        if not reason:
            raise
        user = getattr(request, "user", None)
        event = {"kind": kind, "connection": connection, "target": target, "detail": detail,
                 "actor": user.get_username() if user is not None and user.is_authenticated else "",
                 "address": client_address(request)}
        log.error("audit event not stored (database busy: %s); kept here: %s", reason, json.dumps(event, default=str))
        return None
