"""`manage.py jobs_worker`: run background jobs (any number of these, on any machines, one database)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from console.jobs.runner import this_worker
from console.jobs.tasks import sweep
from console.jobs.worker import JobsWorker, Sweeper, run_pending_jobs

# An idle worker looks for a new job this often: a job waits half of it on average before it starts, and
# a job started just after the worker's last look waits all of it (1 s made an empty job take ~1 s from
# start to done: `make bench`'s J4). Each look is one indexed query; an idle worker takes ~1% of a core.
IDLE_POLL_SECONDS = 0.25


class Command(BaseCommand):
    help = "Run background jobs: take queued ones, resume those whose worker died, until stopped (SIGTERM)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=IDLE_POLL_SECONDS,
                            help=f"Seconds between looks when idle (default {IDLE_POLL_SECONDS}).")
        parser.add_argument("--once", action="store_true",
                            help="Run every pending job in this process, then exit (no task queue needed).")
        parser.add_argument("--sweep-only", action="store_true",
                            help="Only sweep, every JOBS_SWEEP_SECONDS: for a broker backend, whose own workers "
                                 "run the tasks.")

    def handle(self, *, interval: float, once: bool, sweep_only: bool, **options):
        if once:
            ran = run_pending_jobs(this_worker())
            self.stdout.write(f"{ran} job{'s' if ran != 1 else ''} run.")
            return
        sweeper = Sweeper()
        if sweep_only:
            sweeper.run()
            return
        backend = task_backends["default"]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(_("TASKS uses %(backend)s: run that backend's own workers, and one `manage.py "
                                 "jobs_worker --sweep-only` beside them.") % {"backend": type(backend).__name__})
        sweep()
        sweeper.start()
        worker = JobsWorker(queue_names=["default"], interval=interval, batch=False, backend_name="default",
                            startup_delay=False, max_tasks=None, worker_id=this_worker()[:64],
                            excluded_queue_names=[])
        worker.configure_signals()
        self.stdout.write(_("jobs worker %(worker)s (lease %(seconds)s s)") % {
            "worker": this_worker(), "seconds": settings.JOBS_LEASE_SECONDS}, ending="\n")
        self.stdout.flush()
        try:
            worker.run()
        finally:
            sweeper.stopped.set()
