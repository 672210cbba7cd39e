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

MAX_SNAPSHOTS = 8  # people with a snapshot (one each); a sorted folder of 10,000 entries holds some 3 MB
SNAPSHOT_SECONDS = 300

# person -> (owner, id, expiry, reading): one per person, so neither reloading a first page nor asking for
# another folder, filter or order piles snapshots up, and one person cannot push out everyone else's
_entries: OrderedDict[Hashable, tuple[Hashable, str, float, SortedFolder]] = OrderedDict()
_lock = threading.Lock()


def keep(person: Hashable, owner: Hashable, read: SortedFolder) -> str:
    """Keep `read` for `person` and `owner` (where, which order, what they may see); the id to find it again."""
    snapshot = secrets.token_urlsafe(9)
    with _lock:
        _entries.pop(person, None)
        _entries[person] = (owner, snapshot, time.monotonic() + SNAPSHOT_SECONDS, read)
        while len(_entries) > MAX_SNAPSHOTS:
            _entries.popitem(last=False)
    return snapshot


def find(person: Hashable, owner: Hashable, snapshot: str) -> SortedFolder | None:
    with _lock:
        kept_owner, kept, expires, read = _entries.get(person, (None, "", 0.0, None))
    return read if kept_owner == owner and kept == snapshot and time.monotonic() < expires else None


def clear() -> None:
    with _lock:
        _entries.clear()
