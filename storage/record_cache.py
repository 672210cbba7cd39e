"""Short-lived, per-process copies of the rows every request reads (connections, edition).

Signing a URL costs less than reading its connection from the database, so each process
keeps what it read for RECORD_CACHE_SECONDS. A process that saves or deletes such a row
forgets at once (signals, see storage.apps); other processes see the change within
that many seconds. Zero turns the cache off.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")
_entries: dict[str, tuple[float, object]] = {}
_lock = threading.Lock()


def cached(key: str, load: Callable[[], T], *, seconds: float | None = None) -> T:
    """`load()`'s value, kept RECORD_CACHE_SECONDS (or `seconds`, for what changes rarer than a row; zero in
    the setting turns every cache off)."""
    ttl = getattr(settings, "RECORD_CACHE_SECONDS", 2.0)
    ttl = seconds if ttl and seconds is not None else ttl
    now = time.monotonic()
    hit = _entries.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]  # type: ignore[return-value]
    value = load()
    if ttl > 0:
        with _lock:
            _entries[key] = (now + ttl, value)
    return value


def forget(**_signal_kwargs) -> None:
    with _lock:
        _entries.clear()
