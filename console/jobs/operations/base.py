"""What every operation offers the walk (console/jobs/walk.py)."""

from __future__ import annotations

from collections.abc import Callable

from console.jobs import walk
from console.jobs.progress import JobContext, Outcome
from storage.gateway import ObjectMeta, ObjectNotFound, ObjectSummary

MISSING = -1  # the size of a source key that does not exist


class Operation:
    count_first = False  # count objects and bytes before working (a progress bar with a total)
    page_size = 1000  # objects listed per page, and keys per group
    pages_per_round = 1  # pages in one batch

    def __init__(self, ctx: JobContext):
        self.ctx = ctx
        self.gateway = ctx.gateway
        self.connection = ctx.connection
        self.params = ctx.job.params

    def run(self) -> None:
        walk.run(self.ctx, self)

    def sources(self) -> list[str]:
        return list(self.params["items"])

    def entries_for_keys(self, keys: list[str]) -> list[ObjectSummary]:
        """The keys as listing entries (a HEAD each, a few at once); a missing key has size MISSING."""
        metas = self.ctx.map(self.head, keys)
        return [ObjectSummary(key, meta.size, meta.etag, meta.last_modified) if meta else
                ObjectSummary(key, MISSING, "", None) for key, meta in zip(keys, metas, strict=True)]

    def head(self, key: str, connection: str | None = None) -> ObjectMeta | None:
        """The object's metadata on this job's connection (or `connection`); None when there is none."""
        try:
            return self.gateway.get_object_meta(connection or self.connection, key)
        except ObjectNotFound:
            return None

    def plan(self, entries: list[tuple[int, ObjectSummary]]) -> list:
        """The batch's intent items, JSON: everything `work` needs to do (and redo) it exactly."""
        raise NotImplementedError

    def carry(self, cursor: dict, after: dict, items: list) -> dict:
        """The cursor to checkpoint after this batch: `after`, plus what the operation keeps across batches
        (saved with the intent, so a replayed batch is not counted twice)."""
        return after

    def work(self, items: list) -> list[tuple[list, Callable[[], list[Outcome]]]]:
        raise NotImplementedError

    def finish_source(self, index: int) -> list[Outcome]:
        """After a folder source was walked to its end (its folder markers, say)."""
        return []

    def verify(self) -> str | None:
        """Why the job must not be reported done although every batch ran, or None."""
        return None

    def finish(self) -> dict:
        """Fields written with the final state (a result, say)."""
        return {}
