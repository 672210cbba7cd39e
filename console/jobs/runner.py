"""Run one job to its end (or until it must stop), and run every pending job in this process."""

from __future__ import annotations

import logging
import os
import socket

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from console.i18n.sentences import joined
from console.jobs import lease as leases
from console.jobs.access import access_problem
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
        return "not claimed"  # i18n: not shown (the task's result); running elsewhere, finished, cancelled, gone
    job = Job.objects.get(pk=job_id)
    ctx = JobContext(job, lease, get_gateway(), access_problem)
    try:
        with translation.override(ctx.language):  # what it words (causes, why it stopped) is for its starter
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
        return _end(ctx, Job.State.FAILED, _stopped_because(job, _("internal error (%(error)s); see the log") % {"error": type(e).__name__}))
    if problem:
        return _end(ctx, Job.State.FAILED, problem, **fields)
    if job.objects_failed:
        return _end(ctx, Job.State.FAILED, ngettext("%(count)s object failed; it is listed with its cause.",
                                                    "%(count)s objects failed; each is listed with its cause.",
                                                    job.objects_failed) % {"count": job.objects_failed}, **fields)
    return _end(ctx, Job.State.DONE, "", **fields)


def _interrupted(ctx: JobContext, cause: Exception, round_: RoundInterrupted | None) -> str:
    if isinstance(cause, LeaseLost):
        log.warning("job %s: %s; this worker stops and writes nothing more", ctx.job.pk, cause)
        return "lease lost"  # i18n: not shown (the task's result, for logs)
    if isinstance(cause, Stopping):
        leases.release(ctx.lease)  # the intent stays: the next worker does this batch again, whole
        return "handed back"  # i18n: not shown (the task's result, for logs)
    left = round_.left if round_ is not None else ""
    if round_ is not None:
        ctx.settle(round_)
    if isinstance(cause, Cancelled):
        return _end(ctx, Job.State.CANCELLED, left)
    if isinstance(cause, Interrupted | StorageError):
        return _end(ctx, Job.State.FAILED, joined([_stopped_because(ctx.job, str(cause)), left]))
    log.error("job %s failed", ctx.job.pk, exc_info=cause)  # a bug: its words stay in the log, not on the page
    return _end(ctx, Job.State.FAILED, _stopped_because(ctx.job, _("internal error (%(error)s); see the log") % {"error": type(cause).__name__}))


def _stopped_because(job: Job, cause: str) -> str:
    """The cause with exact counts: what was done, and what was not."""
    numbers = {"cause": cause, "done": job.objects_done, "skipped": job.objects_skipped, "failed": job.objects_failed}
    if job.objects_total is None:
        return _("%(cause)s Stopped: %(done)s done, %(skipped)s skipped, %(failed)s failed.") % numbers
    numbers.update(left=max(job.objects_total - job.objects_handled, 0), total=job.objects_total)
    if job.objects_total_at_least:
        return _("%(cause)s Stopped: %(done)s done, %(skipped)s skipped, %(failed)s failed, at least %(left)s not "
                 "reached, of at least %(total)s.") % numbers
    return _("%(cause)s Stopped: %(done)s done, %(skipped)s skipped, %(failed)s failed, %(left)s not reached, "
             "of %(total)s.") % numbers


def _end(ctx: JobContext, state: str, error: str, **fields) -> str:
    if not ctx.finish(state, error, **fields):
        return "lease lost"  # i18n: not shown (the task's result, for logs)
    log.info("job %s %s: %s", ctx.job.pk, state, error or "ok")
    return state
