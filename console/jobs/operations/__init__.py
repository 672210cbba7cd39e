"""The bulk operations a job can run, by kind."""

from __future__ import annotations

from console.jobs.models import Job


def operation_for(job: Job, ctx):
    from console.jobs.operations.copy import Copy, Move
    from console.jobs.operations.delete import Delete
    from console.jobs.operations.size import FolderSizeOperation
    from console.jobs.operations.uploads import AbortUploads

    kinds = {Job.Kind.DELETE: Delete, Job.Kind.COPY: Copy, Job.Kind.MOVE: Move,
             Job.Kind.FOLDER_SIZE: FolderSizeOperation, Job.Kind.ABORT_UPLOADS: AbortUploads}
    return kinds[job.kind](ctx)
