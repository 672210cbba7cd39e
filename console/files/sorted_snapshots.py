"""Folders read to sort them, kept a few minutes in this process: a first page opened again, "load more" and
the other orders of the same folder are served from the reading instead of listing the whole folder again (up
to MAX_SORTED_ENTRIES entries each time), and a person reads whole folders at most once every READ_GAP_SECONDS.

A snapshot is found only by who read it, for the same connection, folder, filter and what they may see, and
(from a "load more" link) by its id: an id alone shows nobody anything. Another server process, or a snapshot
gone, means reading the folder again, which gives the same answer but for what changed meanwhile.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from console.files.sorted_listing import Sort, SortedFolder
from console.models import ReadingGap
from console.recent import Recent

MAX_SNAPSHOTS = 8  # people with a snapshot (one each)
# and what they hold, about: a sorted folder of 10,000 entries is some 3 MB with short names, 13 MB with names of
# S3's full 1,024 bytes. The oldest readings go first, the newest always stays.
MAX_KEPT_BYTES = 24 * 2**20
ENTRY_BYTES = 300  # an entry's objects and references, beside its name
SNAPSHOT_SECONDS = 300
# After a reading that took more than one listing call, the same person's next reading waits this long (a
# reading of one call costs what a page in name order does). Reloading, "load more" and the other orders of
# the folder read nothing; another folder or filter sorted within the gap waits, and the page says how long.
READ_GAP_SECONDS = 30


@dataclass
class Snapshot:
    owner: Hashable
    id: str
    read_at: float  # time.time(), for the page to say when
    expires: float  # time.monotonic()
    read: SortedFolder
    orders: dict[Sort, SortedFolder] = field(default_factory=dict)  # a few (six orders at most)
    size: int = 0  # bytes held, about

    def __post_init__(self):
        self.size = sum(len(name) + ENTRY_BYTES for name in self.read.folders) + sum(
            len(summary.key) + ENTRY_BYTES for summary in self.read.objects)

    def sorted(self, sort: Sort, within: str = "") -> SortedFolder:
        """The reading in `sort`'s order (each order sorted once), only the names starting with `within`."""
        if sort not in self.orders:
            self.orders[sort] = self.read.resorted(sort)
        return self.orders[sort].within(within) if within else self.orders[sort]

    @property
    def when(self) -> datetime:
        return datetime.fromtimestamp(self.read_at, tz=UTC)

    @property
    def age(self) -> int:
        return max(0, int(time.time() - self.read_at))


# person -> snapshot: one per person, so neither reloading a first page nor asking for another folder, filter
# or order piles snapshots up, and one person cannot push out everyone else's
_entries: Recent = Recent(MAX_SNAPSHOTS)
_lock = threading.Lock()


def claim_reading(person: int) -> int:
    """0 when `person` (a user's id) may read a whole folder now (and the gap starts now), else the seconds left.

    Claimed before reading, by one conditional write in the database, so requests sent together, to whichever
    server process, read once between them."""
    now = timezone.now()
    if ReadingGap.objects.filter(user_id=person, read_at__lte=now - timedelta(seconds=READ_GAP_SECONDS)).update(
            read_at=now):
        return 0
    gap, created = ReadingGap.objects.get_or_create(user_id=person, defaults={"read_at": now})
    return 0 if created else _seconds_left(gap.read_at, now)


def release(person: int) -> None:
    """No gap after a claimed reading that failed, or that took one listing call."""
    ReadingGap.objects.filter(user_id=person).delete()


def wait_before_reading(person: int) -> int:
    """Seconds before `person` may read a whole folder again (0: now); claims nothing."""
    last = ReadingGap.objects.filter(user_id=person).values_list("read_at", flat=True).first()
    return 0 if last is None else _seconds_left(last, timezone.now())


def _seconds_left(read_at: datetime, now: datetime) -> int:
    return max(0, math.ceil((read_at - now).total_seconds() + READ_GAP_SECONDS))


def keep(person: Hashable, owner: Hashable, read: SortedFolder) -> Snapshot:
    """Keep `read` for `person` and `owner` (where, what they may see); what to find it by again."""
    kept = Snapshot(owner, secrets.token_urlsafe(9), time.time(), time.monotonic() + SNAPSHOT_SECONDS, read)
    with _lock:
        _entries[person] = kept
        while len(_entries) > 1 and sum(snapshot.size for snapshot in _entries.values()) > MAX_KEPT_BYTES:
            _entries.popitem(last=False)
    if read.calls <= 1:
        release(person)
    return kept


def find(person: Hashable, owner: Hashable, snapshot: str | None = None) -> Snapshot | None:
    """The person's snapshot for `owner` while it lasts (and, when given, with the id `snapshot`)."""
    with _lock:
        kept = _entries.get(person)
    if kept is None or kept.owner != owner or time.monotonic() >= kept.expires:
        return None
    return kept if snapshot is None or kept.id == snapshot else None


def clear() -> None:
    with _lock:
        _entries.clear()
