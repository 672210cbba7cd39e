"""The effective edition settings: the environment first, then the admins' row."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from storage import record_cache
from storage.models import EditionSettings, StorageBackend


@dataclass(frozen=True)
class EffectiveEdition:
    edition: str
    storage_backend: str  # "" when chosen by the edition
    ossgateway_url: str
    locked: dict[str, str]  # field -> the environment variable that fixes it

    @property
    def backend(self) -> str:
        """The gateway that runs: the override if set, else the edition's."""
        if self.storage_backend:
            return self.storage_backend
        return "ossgateway" if self.edition == "commercial" else "s3"

    @property
    def gateway_label(self) -> str:
        return str(StorageBackend.OSSGATEWAY.label if self.backend == "ossgateway" else StorageBackend.S3.label)


_ENV_FIELDS = {"edition": "EDITION", "storage_backend": "STORAGE_BACKEND", "ossgateway_url": "OSSGATEWAY_URL"}


def _row_values(row: EditionSettings) -> dict[str, str]:
    return {"edition": row.edition, "storage_backend": row.storage_backend,
            "ossgateway_url": row.ossgateway_url.rstrip("/")}


def effective_edition(row: EditionSettings | None = None) -> EffectiveEdition:
    if row is None:
        values = dict(record_cache.cached("edition", lambda: _row_values(EditionSettings.current())))
    else:
        values = _row_values(row)
    locked = {}
    for field, env_name in _ENV_FIELDS.items():
        env_value = getattr(settings, env_name, "")
        if env_value:
            values[field] = env_value
            locked[field] = env_name
    return EffectiveEdition(locked=locked, **values)
