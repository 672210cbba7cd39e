"""The Django Storage of a connection, for services that keep files through Django's storage API.

    STORAGES = {"default": {"BACKEND": "storage.django_storage.ConnectionStorage",
                            "OPTIONS": {"connection": "<name>"}}}

or, picked by name at run time, `storage_for("<name>")`. It serves S3 connections (kind "s3"); the class lives
in storage.s3, the one place that knows S3, and is named here. README, "The Django storage".
"""

from __future__ import annotations

import threading

from storage.s3.django_storage import ConnectionStorage

__all__ = ["ConnectionStorage", "storage_for"]

_storages: dict[str, ConnectionStorage] = {}
_lock = threading.Lock()


def storage_for(connection: str) -> ConnectionStorage:
    """The storage of the connection named `connection`, one per name (it follows changes to the record)."""
    storage = _storages.get(connection)
    if storage is None:
        with _lock:
            storage = _storages.setdefault(connection, ConnectionStorage(connection=connection))
    return storage
