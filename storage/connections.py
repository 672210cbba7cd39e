"""Connection specs (plain values built from records) and the registry that serves them."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Protocol

from django.utils.translation import gettext as _

from storage import record_cache
from storage.gateway import ConnectionNotFound, StorageInfo


@dataclass(frozen=True)
class ConnectionSpec:
    """Everything needed to reach one connection: an S3 client's settings (kind "s3"), a folder ("local"),
    or the members of a group ("group")."""

    name: str
    bucket: str = ""
    endpoint: str = ""
    public_endpoint: str = ""
    region: str = "us-east-1"
    access_key_id: str = ""
    secret_access_key: str = field(default="", repr=False)
    addressing_style: str = "auto"
    use_ssl: bool = True
    verify_ssl: bool = True
    enabled: bool = True
    is_default: bool = False
    max_upload_size: int = 5 * 1024**4
    kind: str = "s3"
    local_root: str = ""
    members: tuple[str, ...] = ()
    placement: str = "hash"
    instant_uploads: bool = False

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything a client is built from changes."""
        return _fingerprint(self)

    @classmethod
    def from_record(cls, record) -> ConnectionSpec:
        return cls(
            name=record.name, bucket=record.bucket, endpoint=record.endpoint,
            public_endpoint=record.public_endpoint, region=record.region,
            access_key_id=record.access_key_id, secret_access_key=record.secret_access_key,
            addressing_style=record.addressing_style, use_ssl=record.use_ssl,
            verify_ssl=record.verify_ssl, enabled=record.enabled, is_default=record.is_default,
            max_upload_size=record.max_upload_size, kind=record.kind, local_root=record.local_root,
            members=tuple(record.members or ()), placement=record.placement, instant_uploads=record.instant_uploads,
        )


@lru_cache(maxsize=256)
def _fingerprint(spec: ConnectionSpec) -> str:
    """Worked out once per set of values (a spec is frozen, and hashed by them): every storage request asks for
    it, and asdict, repr and SHA-256 cost some 0.1-0.2 ms, about a tenth of a server-side copy in the worker."""
    return hashlib.sha256(repr(sorted(asdict(spec).items())).encode()).hexdigest()


class Registry(Protocol):
    def get(self, name: str) -> ConnectionSpec: ...

    def all(self) -> list[ConnectionSpec]: ...


class DatabaseRegistry:
    """Connections as stored in the database (the console's source of truth), briefly cached."""

    def get(self, name: str) -> ConnectionSpec:
        spec = record_cache.cached(f"connection:{name}", lambda: self._load(name))
        if spec is None:
            raise ConnectionNotFound(_("There is no connection named '%(name)s'.") % {"name": name})
        if not spec.enabled:
            raise ConnectionNotFound(_("The connection '%(name)s' is disabled.") % {"name": name})
        return spec

    @staticmethod
    def _load(name: str) -> ConnectionSpec | None:
        from storage.models import Connection

        record = Connection.objects.filter(name=name).first()
        return None if record is None else ConnectionSpec.from_record(record)

    def all(self) -> list[ConnectionSpec]:
        from storage.models import Connection

        return record_cache.cached("connections", lambda: [
            ConnectionSpec.from_record(r) for r in Connection.objects.order_by("-is_default", "name")])


class StaticRegistry:
    """Connections given in code: for scripts, benchmarks and tests without a database."""

    def __init__(self, specs: list[ConnectionSpec]):
        self._specs = {spec.name: spec for spec in specs}

    def get(self, name: str) -> ConnectionSpec:
        spec = self._specs.get(name)
        if spec is None or not spec.enabled:
            raise ConnectionNotFound(_("There is no enabled connection named '%(name)s'.") % {"name": name})
        return spec

    def all(self) -> list[ConnectionSpec]:
        return sorted(self._specs.values(), key=lambda s: (not s.is_default, s.name))


def storage_infos(registry: Registry) -> list[StorageInfo]:
    return [StorageInfo(s.name, s.name, s.is_default, s.enabled) for s in registry.all()]
