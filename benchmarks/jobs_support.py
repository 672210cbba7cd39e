"""What the jobs rows (J1-J4) share: a real worker process, starting a job and waiting for its end, its RSS.

The worker is `manage.py jobs_worker`, as `make run` and the Helm chart start it, with the bench
console's settings and database. Jobs are started through `console.jobs.services.start_job` (what
the file manager calls) by the bench's editor, and their end is seen by polling the Job row.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from files_support import CONNECTION, ROOT, USER, console_env, stop_process

POLL = 0.02  # seconds between looks at the Job row: small beside J4's ~0.5 s


class WorkerProcess:
    """`manage.py jobs_worker` against the bench's database; its log in DATA/jobs-worker.log."""

    def __init__(self, data: Path) -> None:
        self.log_path = data / "jobs-worker.log"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "manage.py", "jobs_worker"], cwd=ROOT, stdout=log,
                                            stderr=subprocess.STDOUT, env={**os.environ, **console_env(data)})
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        """Until the worker has said its name (it is polling the queue then)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"jobs_worker exited:\n{self.log_path.read_text()[-2000:]}")
            if f"jobs worker {os.uname().nodename}:{self.process.pid}" in self.log_path.read_text(errors="replace"):
                return
            time.sleep(0.1)
        raise SystemExit("jobs_worker did not start")

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss(self) -> int:
        return psutil.Process(self.pid).memory_info().rss

    def stop(self) -> None:
        stop_process(self.process, timeout=30)  # SIGTERM: a running job hands itself back


class RssPeak(threading.Thread):
    """A process's RSS every 20 ms until stopped: the peak, and the RSS when sampling began."""

    def __init__(self, pid: int) -> None:
        super().__init__(name="bench-rss", daemon=True)
        self.process = psutil.Process(pid)
        self.start_rss = self.peak = self.process.memory_info().rss
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def growth(self) -> int:
        self.stopped.set()
        self.join()
        return max(0, self.peak - self.start_rss)


@dataclass(frozen=True)
class Ran:
    """A job that ran to its end: how long from start_job until its row said so, and the row."""

    seconds: float
    job: object


def run_job(kind: str, *, timeout: float = 3600, **params) -> Ran:
    """Start a job as the bench's editor (start_job, as the file manager does) and poll its row until it ends.

    Raises SystemExit when it ends in any state but done."""
    from django.contrib.auth.models import User

    from console.jobs.models import Job
    from console.jobs.services import start_job

    user = User.objects.get(username=USER)
    connection = params.pop("connection", CONNECTION)
    started = time.perf_counter()
    job = start_job(user, kind, connection, **params)
    rows = Job.objects.filter(pk=job.pk)
    while rows.filter(state__in=Job.FINISHED).values_list("pk", flat=True).first() is None:
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"job {job.pk} ({kind}) did not finish within {timeout:.0f} s")
        time.sleep(POLL)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    if job.state != Job.State.DONE:
        raise SystemExit(f"job {job.pk} ({kind}) ended {job.state}: {job.last_error}")
    return Ran(seconds, job)


def task_of(job) -> object | None:
    """The task row ("run job N") the job's start enqueued, for where the time went."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(id=job.task_id).first() if job.task_id else None
