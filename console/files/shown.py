"""What one page of a folder shows: its folders and files (as rows or gallery tiles) and the next page's URL."""

from __future__ import annotations

from dataclasses import dataclass

from console.files import gallery, sorted_listing
from console.files.common import FileRow, browse_url, folder_name
from console.files.sorted_listing import FIELDS, Sort, SortedFolder
from console.files.sorted_snapshots import SNAPSHOT_SECONDS
from storage.gateway import ObjectSummary


@dataclass(frozen=True)
class Shown:
    folders: list[str]
    objects: list[ObjectSummary]
    more_url: str | None
    read: SortedFolder | None = None  # how the folder was read to sort it (None: one call, S3's order)
    offset: int = 0  # where this page starts in the sorted folder

    def context(self, view: str) -> dict:
        rows = [FileRow.of(o) for o in self.objects]
        return {"folders": [(p, folder_name(p)) for p in self.folders], "rows": rows, "more_url": self.more_url,
                "sorted_read": self.read, "tiles": gallery.tiles(rows) if view == "gallery" else None}


def page_links(connection: str, prefix: str, query: str, sort: Sort) -> dict:
    """The listing's own links: each column's sort, each view, and the listing as it is (to refresh it)."""
    choices = [(field, label, browse_url(connection, prefix, q=query, **sort.toggled(field).params))
               for field, label in zip(FIELDS, ("Name", "Size", "Date"), strict=True)]
    return {
        "sort_choices": choices, "sort_links": {field: url for field, _, url in choices},
        "max_sorted": sorted_listing.MAX_SORTED_ENTRIES, "keys_per_call": sorted_listing.KEYS_PER_CALL,
        "snapshot_minutes": SNAPSHOT_SECONDS // 60,
        "view_links": {view: browse_url(connection, prefix, q=query, view=view, **sort.params)
                       for view in gallery.VIEWS},
        "refresh_url": browse_url(connection, prefix, q=query, **sort.params),
    }
