"""What one page of a folder shows: its folders and files (as rows or gallery tiles) and the next page's URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from console.files import gallery, sorted_listing
from console.files.common import FileRow, browse_url, folder_name
from console.files.sorted_listing import FIELDS, Sort, SortedFolder
from console.files.sorted_snapshots import READ_GAP_SECONDS, SNAPSHOT_SECONDS, Snapshot
from storage.gateway import ObjectSummary


@dataclass(frozen=True)
class Shown:
    folders: list[str]
    objects: list[ObjectSummary]
    more_url: str | None
    read: SortedFolder | None = None  # how the folder was read to sort it (None: one call, S3's order)
    offset: int = 0  # where this page starts in the sorted folder
    sort: Sort = Sort()  # the order shown
    kept: Snapshot | None = None  # a reading made by an earlier request, served again: the page says when
    wait: int = 0  # seconds before this person may read a whole folder again
    held: Sort | None = None  # the order asked for, not read yet because of that wait

    def context(self, view: str, thumbnail: Callable[[str], str]) -> dict:
        """What the listing shows; `thumbnail(key)` is a gallery tile's picture link."""
        rows = [FileRow.of(o) for o in self.objects]
        return {"folders": [(p, folder_name(p)) for p in self.folders], "rows": rows, "more_url": self.more_url,
                "sorted_read": self.read, "tiles": gallery.tiles(rows, thumbnail) if view == "gallery" else None,
                "kept": self.kept, "read_wait": self.wait, "held": self.held}


def page_links(connection: str, prefix: str, query: str, sort: Sort, asked: Sort) -> dict:
    """The listing's own links: each column's sort, each view, the listing as it is (to refresh it: a sorted
    one read again), and the order asked for (while the person waits to read a folder again)."""
    choices = [(field, label, browse_url(connection, prefix, q=query, **sort.toggled(field).params))
               for field, label in zip(FIELDS, (_("Name"), _("Size"), pgettext("sort by", "Date")), strict=True)]
    return {
        "sort_choices": choices, "sort_links": {field: url for field, _label, url in choices},
        "max_sorted": sorted_listing.MAX_SORTED_ENTRIES, "keys_per_call": sorted_listing.KEYS_PER_CALL,
        "snapshot_minutes": SNAPSHOT_SECONDS // 60,
        "view_links": {view: browse_url(connection, prefix, q=query, view=view, **sort.params)
                       for view in gallery.VIEWS},
        "refresh_url": browse_url(connection, prefix, q=query, **sort.params, fresh=None if sort.native else 1),
        "asked_url": browse_url(connection, prefix, q=query, **asked.params),
        "read_gap": READ_GAP_SECONDS,
    }
