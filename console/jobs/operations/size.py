"""Folder size: the count and bytes of everything under a prefix, kept with when it was computed."""

from __future__ import annotations

from django.utils import timezone

from console.jobs.models import FolderSize
from console.jobs.operations.base import Operation
from console.jobs.progress import done


class FolderSizeOperation(Operation):
    """params: {"items": [prefix]}: the intent of a page is its count and bytes (nothing to replay but a sum)."""

    def plan(self, entries):
        objects = [entry for _, entry in entries if not entry.key.endswith("/")]
        return [[len(objects), sum(entry.size for entry in objects)]]

    def work(self, items):
        return [(items, lambda: [done("", size, objects=count) for count, size in items])]

    def finish(self):
        job = self.ctx.job
        result = {"objects": job.objects_done, "bytes": job.bytes_done}
        FolderSize.objects.update_or_create(
            connection=job.connection, prefix=self.sources()[0],
            defaults={"object_count": job.objects_done, "byte_count": job.bytes_done, "computed_at": timezone.now(), "job": job})
        return {"result": result}
