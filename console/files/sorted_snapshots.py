"""Folders read and sorted for a first page, kept a few minutes in this process so "load more" pages through
the same reading instead of listing the whole folder again (up to MAX_SORTED_ENTRIES entries each time).

A snapshot is found only by who read it, for the same connection, folder, filter and order, and by its id
(from the "load more" link): an id alone shows nobody anything. Another server process, or a snapshot gone,
means reading the folder again, which gives the same answer but for what changed meanwhile.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable

from console.files.sorted_listing import SortedFolder

MAX_SNAPSHOTS = 8  # a sorted folder of 10,000 entries holds some 3 MB
SNAPSHOT_SECONDS = 300

# owner -> (id, expiry, reading): one per owner, so reloading a first page replaces its snapshot, not piles up
_entries: OrderedDict[Hashable, tuple[str, float, SortedFolder]] = OrderedDict()
_lock = threading.Lock()


def keep(owner: Hashable, read: SortedFolder) -> str:
    """Keep `read` for `owner` (who, where, which order); the id to find it again."""
    snapshot = secrets.token_urlsafe(9)
    with _lock:
        _entries.pop(owner, None)
        _entries[owner] = (snapshot, time.monotonic() + SNAPSHOT_SECONDS, read)
        while len(_entries) > MAX_SNAPSHOTS:
            _entries.popitem(last=False)
    return snapshot


def find(owner: Hashable, snapshot: str) -> SortedFolder | None:
    with _lock:
        kept, expires, read = _entries.get(owner, ("", 0.0, None))
    return read if kept == snapshot and time.monotonic() < expires else None


def clear() -> None:
    with _lock:
        _entries.clear()
