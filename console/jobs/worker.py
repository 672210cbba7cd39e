"""The worker process: django-tasks-db's worker, plus the sweep, plus a prompt hand-back on SIGTERM."""

from __future__ import annotations

import logging
import threading
import time
from importlib import import_module

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from console.jobs.models import Job
from console.jobs.progress import STOPPING
from console.jobs.runner import run_job
from console.jobs.tasks import sweep

log = logging.getLogger("console.jobs")


def clear_expired_sessions() -> None:
    """What `manage.py clearsessions` does: each sign-in page visit or single sign-on start leaves a row."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


class Sweeper(threading.Thread):
    """Every JOBS_SWEEP_SECONDS: re-queue jobs whose worker died, nudge forgotten ones (lease.sweep);
    every SESSION_CLEANUP_SECONDS also delete the expired sessions."""

    def __init__(self) -> None:
        super().__init__(name="jobs-sweeper", daemon=True)
        self.stopped = threading.Event()
        self.sessions_due = 0.0  # time.monotonic() of the next clean-up: the first round does one

    def run(self) -> None:
        while True:
            try:
                self.tick()
            finally:
                connection.close()
            if self.stopped.wait(settings.JOBS_SWEEP_SECONDS):
                return

    def tick(self) -> None:
        """One round; a database that is busy or away fails it, and the next round tries again."""
        try:
            sweep()
        except Exception:
            log.exception("the jobs sweep failed; trying again in %s s", settings.JOBS_SWEEP_SECONDS)
        if time.monotonic() < self.sessions_due:
            return
        try:
            clear_expired_sessions()
        except Exception:
            log.exception("clearing expired sessions failed; trying again in %s s", settings.JOBS_SWEEP_SECONDS)
            return
        self.sessions_due = time.monotonic() + settings.SESSION_CLEANUP_SECONDS


class JobsWorker(Worker):
    """On the first SIGTERM/SIGINT the running job checkpoints and hands itself back, then the worker exits."""

    def shutdown(self, signum, frame) -> None:
        STOPPING.set()
        super().shutdown(signum, frame)

    def run_task(self, db_task_result) -> None:
        close_old_connections()
        super().run_task(db_task_result)


def run_pending_jobs(worker: str = "inline", *, limit: int = 100) -> int:
    """Run every job that is queued (or whose lease expired) here, one after another; how many ran.

    What tests use instead of a worker process, and `jobs_worker --once`.
    """
    ran = 0
    while ran < limit:
        sweep()
        job_id = Job.objects.filter(state=Job.State.QUEUED, cancel_requested=False).order_by(
            "created_at", "pk").values_list("pk", flat=True).first()
        if job_id is None:
            return ran
        run_job(job_id, worker)
        ran += 1
    return ran
