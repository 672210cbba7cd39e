"""What the file pages ask about versions and headers: whether the bucket keeps versions, whether this edition
edits headers, and where a manager changes versioning."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from console.access import rules
from console.roles import MANAGER
from storage import record_cache
from storage.factory import get_gateway
from storage.gateway import NotSupported, OssGateway, StorageError


@dataclass(frozen=True)
class Versioning:
    """The bucket's state ("Enabled", "Suspended", "" when never on), or why it cannot be told (`problem`)."""

    status: str = ""
    problem: str = ""
    unsupported: bool = False

    @property
    def on(self) -> bool:
        """Versions are kept, or were: a suspended bucket still holds the versions made before."""
        return self.status in ("Enabled", "Suspended")  # i18n: not shown (S3's states, compared)


def _read(connection: str) -> Versioning:
    try:
        return Versioning(get_gateway().get_bucket_versioning(connection))
    except NotSupported as e:
        return Versioning(problem=str(e), unsupported=True)
    except StorageError as e:
        return Versioning(problem=str(e))


def edits_headers() -> bool:
    """Whether this edition's gateway can rewrite an object's headers (the manager client cannot: no
    protocol request carries it), so the object page offers "Edit metadata and tags" only where it works."""
    return type(get_gateway()).replace_object_headers is not OssGateway.replace_object_headers


VERSIONING_SECONDS = 60.0


def versioning_of(connection: str) -> Versioning:
    """Read at most once a minute per process: every folder page asks, and a bucket's versioning rarely changes.

    Saving a connection forgets it (storage.record_cache); a page that changes versioning calls `forget()`."""
    return record_cache.cached(f"versioning:{connection}", lambda: _read(connection), seconds=VERSIONING_SECONDS)


def forget() -> None:
    """After versioning changed (the bucket page, creating the bucket): the next page reads it again."""
    record_cache.forget()


def bucket_settings_url(user, connection: str) -> str | None:
    """The bucket settings page, for a manager of the whole connection (who may change versioning)."""
    return reverse("connection_bucket", args=[connection]) if rules.allows(user, MANAGER, connection) else None
