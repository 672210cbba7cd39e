"""The task queue's side: the one task ("run job N"), sending it, and the sweep that re-sends it.

The job row, not the task, is the truth: a lost or duplicated task costs nothing, since a worker
must win the job's lease (console/jobs/lease.py) before it runs it; still, at most one task waits per
job (`send`), so a backlog does not grow a pile of tasks. Django 5.2 reads the Tasks API
from the `django-tasks` backport; on Django 6 the import below becomes `from django.tasks import task`.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from console.jobs.auditing import record_end
from console.jobs.lease import in_seconds
from console.jobs.models import Job

log = logging.getLogger("console.jobs")


@task()
def run(job_id: int) -> str:
    from console.jobs.runner import run_job

    return run_job(job_id)


def nudge(job_id: int) -> None:
    """Send a "run job N" task once the current transaction commits (see `send`)."""
    transaction.on_commit(lambda: send(job_id))


def send(job_id: int) -> None:
    """Enqueue the job's task, unless one still waits for a worker: at most one waits per job.

    The sweep calls this for every job queued longer than JOBS_RENUDGE_SECONDS (all workers busy, say);
    a task sent each time would pile up, and each would wake a worker for nothing. A task lost by the
    backend, or one that ran without finishing the job (its worker stopped), is replaced.
    """
    task_id = Job.objects.filter(pk=job_id).values_list("task_id", flat=True).first()
    if task_id is None:
        return
    if task_id and _waiting(task_id):
        Job.objects.filter(pk=job_id).update(nudged_at=Now())  # looked at: again in JOBS_RENUDGE_SECONDS
        return
    # Of two sweeps sending at once, one takes the row; the other finds it sent just now, and stops.
    if not Job.objects.filter(_due(), pk=job_id, task_id=task_id).update(nudged_at=Now(), task_id=""):
        return
    try:
        result = run.enqueue(job_id)
    except Exception:  # a broker that is down: the next sweep sends it
        log.exception("could not enqueue job %s; the sweep will try again", job_id)
        Job.objects.filter(pk=job_id).update(nudged_at=None)
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def _due() -> Q:
    """Never sent, or sent so long ago that the task may be lost."""
    return Q(nudged_at__isnull=True) | Q(nudged_at__lt=in_seconds(-settings.JOBS_RENUDGE_SECONDS))


def _waiting(task_id: str) -> bool:
    """Whether that task still waits for a worker. A backend that cannot say, or no longer knows it: no."""
    try:
        return run.get_result(task_id).status == TaskResultStatus.READY
    except (TaskResultDoesNotExist, NotImplementedError):
        return False


def _gave_up(attempts: int, language: str) -> str:
    """Why the sweep failed a job, in the language of the person who started it."""
    with translation.override(language or None):
        return _("Gave up after %(count)s attempts: each worker stopped before finishing this "
                 "job.") % {"count": attempts}


def sweep() -> int:
    """Re-queue jobs whose worker stopped renewing, settle cancelled ones, nudge forgotten ones.

    Every worker runs this now and then, and `start_job` once; it is safe to run anywhere, any
    number of times at once. Returns how many jobs it touched.
    """
    touched = 0
    expired = Job.objects.filter(state=Job.State.RUNNING, lease_expires_at__lt=Now())
    for job_id, owner, cancel, attempts, language in expired.values_list("pk", "owner", "cancel_requested", "attempts",
                                                                          "language"):
        still = Job.objects.filter(pk=job_id, owner=owner, state=Job.State.RUNNING, lease_expires_at__lt=Now())
        if cancel:
            touched += _settle(still, job_id, Job.State.CANCELLED, "")
        elif attempts >= settings.JOBS_MAX_ATTEMPTS:
            touched += _settle(still, job_id, Job.State.FAILED,
                               _gave_up(attempts, language))
        elif still.update(state=Job.State.QUEUED, owner="", lease_expires_at=None, nudged_at=None):
            log.warning("job %s: the lease of %s expired; queued again to resume from its checkpoint", job_id, owner)
            nudge(job_id)
            touched += 1
    forgotten = Job.objects.filter(_due(), state=Job.State.QUEUED)
    for job_id in forgotten.values_list("pk", flat=True):
        nudge(job_id)
        touched += 1
    return touched


def _settle(rows, job_id: int, state: str, error: str) -> int:
    if not rows.update(state=state, owner="", lease_expires_at=None, finished_at=Now(),
                       **({"last_error": error} if error else {})):
        return 0
    record_end(Job.objects.get(pk=job_id))
    return 1
