"""Sorting a whole folder: by name (S3's own order, one page per call) or, bounded, by size or date.

S3 lists keys in name order only. Any other order needs every entry of the folder first, so the listing is
read call after call (1,000 entries each) up to MAX_SORTED_ENTRIES, then sorted; a page is a slice of that,
and "load more" takes the next slice of the same reading (sorted_snapshots). The page says what that cost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from storage.gateway import ListPage, ObjectSummary

MAX_SORTED_ENTRIES = 10_000  # entries read to sort by size or date; beyond it, only those read are sorted
KEYS_PER_CALL = 1000  # S3's maximum per listing call
FIELDS = ("name", "size", "modified")
FIRST_ORDER = {"name": "asc", "size": "desc", "modified": "desc"}  # a first click: A-Z, largest, newest
# English in the audit (`words`), translated on pages (`label`)
WORDS = {("name", "asc"): gettext_noop("name, A to Z"), ("name", "desc"): gettext_noop("name, Z to A"),
         ("size", "desc"): gettext_noop("size, largest first"), ("size", "asc"): gettext_noop("size, smallest first"),
         ("modified", "desc"): gettext_noop("date, newest first"), ("modified", "asc"): gettext_noop("date, oldest first")}


@dataclass(frozen=True)
class Sort:
    field: str = "name"
    order: str = "asc"

    @classmethod
    def of(cls, query: Mapping[str, str]) -> Sort:
        """The order asked for in the URL (`sort`, `order`); name ascending for anything else."""
        field = query.get("sort", "name")
        if field not in FIELDS:
            return cls()
        order = query.get("order") or FIRST_ORDER[field]
        return cls(field, order if order in ("asc", "desc") else FIRST_ORDER[field])

    @property
    def native(self) -> bool:
        """S3's own order: one listing call per page, nothing to read ahead."""
        return self == Sort()

    @property
    def params(self) -> dict[str, str | None]:
        """What goes in a URL to keep this order (nothing for the native one)."""
        return {} if self.native else {"sort": self.field, "order": self.order}

    @property
    def words(self) -> str:
        return WORDS[(self.field, self.order)]

    @property
    def label(self) -> str:
        """The order in the page's language."""
        return gettext(self.words)

    def toggled(self, field: str) -> Sort:
        """The order a column header's link asks for: the other direction of the current one, else a first click."""
        if field == self.field:
            return Sort(field, "asc" if self.order == "desc" else "desc")
        return Sort(field, FIRST_ORDER[field])


@dataclass(frozen=True)
class SortedFolder:
    """A folder read (up to the bound) and sorted: folders first, then files."""

    folders: list[str]
    objects: list[ObjectSummary]
    calls: int  # listing calls made
    complete: bool  # False when the folder holds more than MAX_SORTED_ENTRIES

    @property
    def entries(self) -> int:
        return len(self.folders) + len(self.objects)

    def page(self, offset: int, size: int) -> tuple[list[str], list[ObjectSummary], int | None]:
        """Entries offset..offset+size of the sorted folder, and where the next page starts (None at the end)."""
        end = offset + size
        folders = self.folders[offset:end]
        objects = self.objects[max(0, offset - len(self.folders)):max(0, end - len(self.folders))]
        return folders, objects, end if end < self.entries else None

    def within(self, start: str) -> SortedFolder:
        """Only the entries whose names start with `start` (a filter on a complete reading: complete too)."""
        return SortedFolder([f for f in self.folders if f.startswith(start)],
                            [o for o in self.objects if o.key.startswith(start)], self.calls, self.complete)

    def resorted(self, sort: Sort) -> SortedFolder:
        """The same entries in another order (what was read is what a reading in that order would have read)."""
        folders, objects = _in_order(list(self.folders), list(self.objects), sort)
        return SortedFolder(folders, objects, self.calls, self.complete)


def _key(field: str) -> Callable[[ObjectSummary], tuple]:
    if field == "size":
        return lambda o: (o.size, o.key)
    if field == "modified":
        return lambda o: (o.last_modified.timestamp() if o.last_modified else 0.0, o.key)
    return lambda o: (o.key,)


def read_sorted(list_page: Callable[[str | None, int], ListPage], sort: Sort,
                bound: int | None = None) -> SortedFolder:
    """Read the folder through `list_page(token, max_keys)` up to `bound` entries; sort what was read.

    `bound` is MAX_SORTED_ENTRIES unless given. Folders have no size or date: they stay first, by name (reversed with a name sort Z to A)."""
    bound = MAX_SORTED_ENTRIES if bound is None else bound
    folders: list[str] = []
    objects: list[ObjectSummary] = []
    token, calls = None, 0
    while True:
        page = list_page(token, min(KEYS_PER_CALL, bound - len(folders) - len(objects)))
        calls += 1
        folders += page.folders
        objects += page.objects
        token = page.next_token
        if token is None or len(folders) + len(objects) >= bound:
            break
    folders, objects = _in_order(folders, objects, sort)
    return SortedFolder(folders, objects, calls, complete=token is None)


def _in_order(folders: list[str], objects: list[ObjectSummary], sort: Sort) -> tuple[list[str], list[ObjectSummary]]:
    descending = sort.order == "desc"
    folders.sort(reverse=descending and sort.field == "name")
    objects.sort(key=_key(sort.field), reverse=descending)
    return folders, objects
