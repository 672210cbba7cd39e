"""Service tokens for the OSS Gateway Manager API: issue, look up, check scope.

A token is `osc_` followed by 43 URL-safe characters (256 random bits). Only its SHA-256
is stored, so a token is shown once, when it is issued, and can never be shown again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.gateway import InvalidKey
from storage.keys import as_folder
from storage.models import Connection, ServiceToken

PREFIX = "osc_"
HINT_LENGTH = 10  # "osc_" + 6 characters: enough to recognise a token in a list
LAST_USED_PRECISION = dt.timedelta(minutes=1)
# A folder is a place in one bucket: on "every connection, present and future" the token would also reach a
# folder of that name in every bucket added later, which whoever adds a connection cannot know.
FOLDER_NEEDS_CONNECTIONS = gettext_lazy("A folder is a place in one bucket: name the connections it is on. On every "
                                        "connection it would also reach a folder of that name in buckets added later.")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    record: ServiceToken
    raw: str  # shown once, never stored


def issue_token(name: str, *, connections: Iterable[Connection] | None = None, prefix: str = "",
                read_only: bool = False, expires_days: int | None = None, created_by=None) -> IssuedToken:
    """Create a token; `connections=None` scopes it to every connection, present and future.

    `prefix` ("" or a folder such as "team/") limits it to the keys under that folder on each of the
    `connections`, which it then needs (FOLDER_NEEDS_CONNECTIONS); `read_only` limits it to reads.
    """
    if not name.strip():
        raise ValueError(_("A token needs a name."))
    if expires_days is not None and expires_days < 1:
        raise ValueError(_("A token's lifetime is at least one day."))
    try:
        folder = as_folder(prefix)
    except InvalidKey as e:
        raise ValueError(_("A token's prefix is a folder: %(why)s") % {"why": e}) from None
    if folder != prefix:
        raise ValueError(_("A token's prefix is a folder such as 'team/' (got '%(prefix)s').") % {"prefix": prefix})
    if folder and connections is None:
        raise ValueError(str(FOLDER_NEEDS_CONNECTIONS))
    raw = PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=expires_days) if expires_days else None
    scoped = list(connections) if connections is not None else None
    with transaction.atomic():
        record = ServiceToken.objects.create(
            name=name.strip(), token_hash=hash_token(raw), hint=raw[:HINT_LENGTH],
            all_connections=scoped is None, prefix=prefix, read_only=read_only, expires_at=expires_at,
            created_by=created_by,
        )
        if scoped:
            record.connections.set(scoped)
    return IssuedToken(record, raw)


def find_token(raw: str) -> ServiceToken | None:
    """The record for a presented token, revoked or expired ones included; None if unknown."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    return ServiceToken.objects.filter(token_hash=hash_token(raw)).first()


def note_use(token) -> None:
    """Remember when a token (or another credential with `last_used_at`: an S3 access key) was last used,
    writing at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def allowed_names(token: ServiceToken) -> set[str] | None:
    """The connection names a token may use; None means all of them."""
    if token.all_connections:
        return None
    return set(token.connections.values_list("name", flat=True))


def revoke(token) -> bool:
    """Revoke a token (or another credential with `revoked_at`); False if it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return True
