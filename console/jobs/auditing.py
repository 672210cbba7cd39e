"""Audit entries for jobs: started (by the person, in services), and ended, with the counts."""

from __future__ import annotations

from console import audit
from console.jobs.models import Job


def record_end(job: Job) -> None:
    """The audit entry for a job that ended: finished (done or failed) or cancelled, with its counts."""
    kind = "job.cancelled" if job.state == Job.State.CANCELLED else "job.finished"
    named = {} if job.created_by else {"actor_name": job.created_by_name}
    if job.dest_connection:
        named["dest_connection"] = job.dest_connection
    audit.record(None, kind, connection=job.connection, target=job.target, actor=job.created_by, **named,
                 job=job.pk, job_kind=job.kind, state=job.state, objects=job.objects_done, bytes=job.bytes_done, skipped=job.objects_skipped,
                 failed=job.objects_failed, total=job.objects_total, error=job.last_error[:500])

