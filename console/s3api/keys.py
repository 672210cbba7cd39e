"""Issue and look up access keys. (Minimal: helper s30-keys replaces this module.)"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from console.s3api.models import AccessKey

ID_ALPHABET = string.ascii_uppercase + string.digits


@dataclass(frozen=True)
class IssuedKey:
    record: AccessKey
    access_key_id: str
    secret: str  # shown once


def issue_key(name: str, *, owner=None, connections=None, prefix: str = "", read_only: bool = False,
              created_by=None) -> IssuedKey:
    access_key_id = "OSC" + "".join(secrets.choice(ID_ALPHABET) for _ in range(17))
    secret = secrets.token_urlsafe(30)
    record = AccessKey.objects.create(access_key_id=access_key_id, secret=secret, name=name, owner=owner,
                                      all_connections=connections is None, prefix=prefix, read_only=read_only,
                                      created_by=created_by)
    if connections:
        record.connections.set(connections)
    return IssuedKey(record, access_key_id, secret)


def find_key(access_key_id: str) -> AccessKey | None:
    return AccessKey.objects.filter(access_key_id=access_key_id).first()
