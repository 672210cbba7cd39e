"""Run one job to its end (or until it must stop), and run every pending job in this process."""

from __future__ import annotations

import logging
import os
import socket

from console.jobs import lease as leases
from console.jobs.lease import LeaseLost
from console.jobs.models import Job
from console.jobs.operations import operation_for
from console.jobs.progress import (
    Cancelled,
    Interrupted,
    JobContext,
    RoundInterrupted,
    Stopping,
)
from storage.factory import get_gateway
from storage.gateway import StorageError

log = logging.getLogger("console.jobs")


def this_worker() -> str:
    """A name for this process among all workers: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(job_id: int, worker: str | None = None) -> str:
    """Claim the job and run it; returns what happened in a word (for logs and the task's result)."""
    lease = leases.claim(job_id, worker or this_worker())
    if lease is None:
        return "not claimed"  # running elsewhere, finished, cancelled, or gone
    job = Job.objects.get(pk=job_id)
    ctx = JobContext(job, lease, get_gateway())
    try:
        return _run(ctx)
    finally:
        ctx.close()


def _run(ctx: JobContext) -> str:
    job = ctx.job
    try:
        op = operation_for(job, ctx)
        op.run()
        problem = op.verify()
        fields = op.finish()
    except RoundInterrupted as e:
        return _interrupted(ctx, e.cause, e)
    except (Interrupted, LeaseLost) as e:
        return _interrupted(ctx, e, None)
    except StorageError as e:
        return _end(ctx, Job.State.FAILED, _stopped_because(job, str(e)))
    except Exception as e:
        log.exception("job %s failed", job.pk)
        return _end(ctx, Job.State.FAILED, _stopped_because(job, f"internal error ({type(e).__name__}); see the log"))
    if problem:
        return _end(ctx, Job.State.FAILED, problem, **fields)
    if job.objects_failed:
        return _end(ctx, Job.State.FAILED, f"{job.objects_failed} objects failed; each is listed with its cause.",
                    **fields)
    return _end(ctx, Job.State.DONE, "", **fields)


def _interrupted(ctx: JobContext, cause: Exception, round_: RoundInterrupted | None) -> str:
    if isinstance(cause, LeaseLost):
        log.warning("job %s: %s; this worker stops and writes nothing more", ctx.job.pk, cause)
        return "lease lost"
    if isinstance(cause, Stopping):
        leases.release(ctx.lease)  # the intent stays: the next worker does this batch again, whole
        return "handed back"
    left = round_.left if round_ is not None else ""
    if round_ is not None:
        ctx.settle(round_)
    if isinstance(cause, Cancelled):
        return _end(ctx, Job.State.CANCELLED, left)
    if isinstance(cause, Interrupted | StorageError):
        return _end(ctx, Job.State.FAILED, f"{_stopped_because(ctx.job, str(cause))} {left}".strip())
    log.error("job %s failed", ctx.job.pk, exc_info=cause)  # a bug: its words stay in the log, not on the page
    return _end(ctx, Job.State.FAILED, _stopped_because(ctx.job, f"internal error ({type(cause).__name__}); see the log"))


def _stopped_because(job: Job, cause: str) -> str:
    """The cause with exact counts: what was done, and what was not."""
    counts = f"{job.objects_done} done, {job.objects_skipped} skipped, {job.objects_failed} failed"
    if job.objects_total is not None:
        at_least = "at least " if job.objects_total_at_least else ""
        counts += f", {at_least}{max(job.objects_total - job.objects_handled, 0)} not reached, of {at_least}{job.objects_total}"
    return f"{cause} Stopped: {counts}."


def _end(ctx: JobContext, state: str, error: str, **fields) -> str:
    if not ctx.finish(state, error, **fields):
        return "lease lost"
    log.info("job %s %s: %s", ctx.job.pk, state, error or "ok")
    return state
