"""Folder size: the count and bytes of everything under a prefix, kept with when it was computed.

A usage job (the whole bucket, `by_folder`) also keeps each top-level folder's count and bytes: the running
sums travel in the cursor, checkpointed with each batch, and become FolderSize rows when the walk ends.
"""

from __future__ import annotations

from django.utils import timezone

from console.jobs.models import FolderSize
from console.jobs.operations.base import Operation
from console.jobs.progress import done

MAX_TOP_FOLDERS = 2000  # beyond this many top-level folders, later ones count in the whole bucket only


def top_folder(key: str) -> str:
    """"a/b/c.txt" -> "a/"; a file at the top -> "" (counted in the whole bucket only)."""
    head, slash, _ = key.partition("/")
    return head + slash if slash else ""


class FolderSizeOperation(Operation):
    """params: {"items": [prefix], "by_folder"?: true}: the intent of a page is its count and bytes (and, by
    folder, each top-level folder's)."""

    @property
    def by_folder(self) -> bool:
        return bool(self.params.get("by_folder"))

    def plan(self, entries):
        objects = [entry for _, entry in entries if not entry.key.endswith("/")]
        item = [len(objects), sum(entry.size for entry in objects)]
        if self.by_folder:
            tops: dict[str, list[int]] = {}
            for entry in objects:
                if top := top_folder(entry.key):
                    sums = tops.setdefault(top, [0, 0])
                    sums[0], sums[1] = sums[0] + 1, sums[1] + entry.size
            item.append(tops)
        return [item]

    def carry(self, cursor, after, items):
        if not self.by_folder:
            return after
        tops = {name: list(sums) for name, sums in (cursor.get("tops") or {}).items()}
        for item in items:
            for name, (count, size) in item[2].items():
                if name in tops or len(tops) < MAX_TOP_FOLDERS:
                    sums = tops.setdefault(name, [0, 0])
                    sums[0], sums[1] = sums[0] + count, sums[1] + size
        return {**after, "tops": tops}

    def work(self, items):
        return [(items, lambda: [done("", item[1], objects=item[0]) for item in items])]

    def finish_source(self, index):
        """The whole bucket was walked: each top-level folder's sums, as the last checkpoint holds them."""
        if self.by_folder:
            self._keep_folders(self.ctx.job.cursor.get("tops") or {})
        return []

    def _keep_folders(self, tops: dict) -> None:
        now, job = timezone.now(), self.ctx.job
        for name, (count, size) in tops.items():
            FolderSize.objects.update_or_create(connection=job.connection, prefix=name, defaults={
                "object_count": count, "byte_count": size, "computed_at": now, "job": job})
        # A top-level folder that is gone now is not shown with its old size. When the walk stopped counting
        # folders (MAX_TOP_FOLDERS), only those before the last it counted are known to be gone: the listing is
        # in key order, so a later one was not seen, and its size (another job's) is kept.
        last = max(tops) if len(tops) >= MAX_TOP_FOLDERS else None
        shown = FolderSize.objects.filter(connection=job.connection, prefix__regex=r"^[^/]+/$").exclude(
            prefix__in=list(tops)).values_list("prefix", flat=True)
        gone = [prefix for prefix in shown if last is None or prefix < last]
        FolderSize.objects.filter(connection=job.connection, prefix__in=gone).delete()

    def finish(self):
        job = self.ctx.job
        result = {"objects": job.objects_done, "bytes": job.bytes_done}
        FolderSize.objects.update_or_create(
            connection=job.connection, prefix=self.sources()[0],
            defaults={"object_count": job.objects_done, "byte_count": job.bytes_done, "computed_at": timezone.now(), "job": job})
        return {"result": result}
