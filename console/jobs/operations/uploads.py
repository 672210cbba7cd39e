"""Abort multipart uploads under a prefix that were started before a cutoff (N days ago at the start)."""

from __future__ import annotations

import datetime as dt

from console.jobs.models import JobIntent
from console.jobs.operations.base import Operation
from console.jobs.progress import done, failed
from console.jobs.walk import WORKING, do_batch
from storage.gateway import ObjectNotFound, StorageError

BATCH = 100


class AbortUploads(Operation):
    """params: {"prefix": "...", "before": ISO time}: the cutoff is fixed when the job starts."""

    def run(self) -> None:
        ctx = self.ctx
        intent = JobIntent.objects.filter(job_id=ctx.job.pk).first()
        if intent is not None:
            do_batch(ctx, self, intent.items, intent.cursor)
        cutoff = dt.datetime.fromisoformat(self.params["before"])
        uploads = ctx.run_one(self.gateway.list_multipart_uploads, self.connection, self.params.get("prefix", ""))
        old = sorted([u.key, u.upload_id] for u in uploads if u.initiated is None or u.initiated <= cutoff)
        if ctx.job.objects_total is None:
            ctx.commit(ctx.job.cursor, clear_intent=False, objects_total=len(old), phase=WORKING)
        after = ctx.job.cursor.get("after")
        left = [u for u in old if after is None or u > after]  # our own order, of a list we hold: not storage's
        for start in range(0, len(left), BATCH):
            batch = left[start:start + BATCH]
            cursor = {"phase": "work", "after": batch[-1]}
            ctx.save_intent(batch, cursor, phase=WORKING)
            do_batch(ctx, self, batch, cursor)

    def work(self, items):
        return [([item], lambda item=item: [self._abort(*item)]) for item in items]

    def _abort(self, key: str, upload_id: str):
        try:
            self.ctx.call(self.gateway.abort_multipart_upload, self.connection, key, upload_id)
        except ObjectNotFound:
            pass  # aborted already (by us before a restart, or by someone else): gone either way
        except StorageError as e:
            return failed(key, str(e))
        return done(key)
