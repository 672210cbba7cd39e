"""Access keys for the S3 endpoint: issue (the secret shown once), look up, note use, revoke.

An id is "OSC" and 17 upper-case letters and digits (20 characters, as AWS's are); a secret is 40 URL-safe
characters (240 random bits). SigV4 needs the secret itself to check a signature, so it is kept encrypted
(the model's field does it), never hashed; the console shows it once, when the key is issued.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from console.access import rules
from console.s3api.models import AccessKey
from storage.gateway import InvalidKey
from storage.keys import as_folder
from storage.models import Connection
from storage.service_tokens import FOLDER_NEEDS_CONNECTIONS, note_use, revoke  # noqa: F401 (a key is noted and revoked as a token is)

ID_PREFIX = "OSC"
ID_ALPHABET = string.ascii_uppercase + string.digits
ID_LENGTH = 20
SECRET_BYTES = 30  # 40 URL-safe characters
MAX_LIVE_KEYS_PER_PERSON = 20


@dataclass(frozen=True)
class IssuedKey:
    record: AccessKey
    access_key_id: str
    secret: str  # shown once; never rendered again

    def __repr__(self) -> str:  # never the secret
        return f"IssuedKey({self.access_key_id})"


def new_access_key_id() -> str:
    return ID_PREFIX + "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH - len(ID_PREFIX)))


def live_keys(owner) -> int:
    """How many of a person's keys still work (neither revoked nor expired)."""
    now = timezone.now()
    return (AccessKey.objects.filter(owner=owner, revoked_at__isnull=True)
            .exclude(expires_at__lte=now).count())


def _checked_prefix(prefix: str) -> str:
    try:
        folder = as_folder(prefix)
    except InvalidKey as e:
        raise ValueError(_("A key's folder: %(why)s") % {"why": e}) from None
    if folder != prefix:
        raise ValueError(_("A key's folder ends with '/', such as 'team/' (got '%(prefix)s').") % {"prefix": prefix})
    return folder


def _check_owner_may_use(owner, connections: list[Connection] | None) -> None:
    """A person narrows their own reach: they cannot name a connection they hold no role on."""
    if owner is None or connections is None:
        return
    visible = set(rules.visible_connections(owner, among=[c.name for c in connections]))
    unseen = sorted(c.name for c in connections if c.name not in visible)
    if unseen:
        raise ValueError(_("You hold no role on: %(names)s.") % {"names": ", ".join(unseen)})


def issue_key(name: str, *, owner=None, connections: Iterable[Connection] | None = None, prefix: str = "",
              read_only: bool = False, expires_days: int | None = None, created_by=None) -> IssuedKey:
    """Create a key: a person's (`owner`: their grants, narrowed) or a service's (`owner` None: this scope only).

    `connections=None` is every connection, present and future; `prefix` ("" or a folder) limits the key to
    the keys under it on each of the `connections`, which it then needs; `read_only` limits it to reads.
    Raises ValueError with a message for the person.
    """
    if not name.strip():
        raise ValueError(_("A key needs a name."))
    if expires_days is not None and expires_days < 1:
        raise ValueError(_("A key's lifetime is at least one day."))
    folder = _checked_prefix(prefix)
    scoped = list(connections) if connections is not None else None
    if folder and scoped is None:
        raise ValueError(str(FOLDER_NEEDS_CONNECTIONS))
    if scoped is not None and not scoped:
        raise ValueError(_("Name at least one connection, or choose every connection."))
    _check_owner_may_use(owner, scoped)
    if owner is not None and live_keys(owner) >= MAX_LIVE_KEYS_PER_PERSON:
        raise ValueError(_("You hold %(count)d working keys, the most a person may; revoke one first.")
                         % {"count": MAX_LIVE_KEYS_PER_PERSON})
    access_key_id, secret = new_access_key_id(), secrets.token_urlsafe(SECRET_BYTES)
    expires_at = timezone.now() + dt.timedelta(days=expires_days) if expires_days else None
    with transaction.atomic():
        record = AccessKey.objects.create(
            access_key_id=access_key_id, secret=secret, name=name.strip(), owner=owner,
            all_connections=scoped is None, prefix=folder, read_only=read_only, expires_at=expires_at,
            created_by=created_by,
        )
        if scoped:
            record.connections.set(scoped)
    return IssuedKey(record, access_key_id, secret)


def find_key(access_key_id: str) -> AccessKey | None:
    """The record for a presented id, revoked or expired ones included; None if unknown."""
    if not access_key_id or len(access_key_id) > 32:
        return None
    return AccessKey.objects.select_related("owner").filter(access_key_id=access_key_id).first()


def allowed_names(key: AccessKey) -> set[str] | None:
    """The connection names a key may use by its own scope; None means all of them."""
    if key.all_connections:
        return None
    return set(key.connections.values_list("name", flat=True))
