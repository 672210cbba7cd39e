"""Real worker processes (`manage.py jobs_worker`) on the test database, started and killed by tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from console.jobs.models import Job

# Short leases and sweeps: a killed worker's job moves on within a few seconds.
FAST = {"JOBS_LEASE_SECONDS": "2", "JOBS_SWEEP_SECONDS": "1", "JOBS_RENUDGE_SECONDS": "5", "LOG_LEVEL": "WARNING"}


def database_url() -> str:
    """The test database as a DATABASE_URL (pytest-django's `test_...` database on PostgreSQL)."""
    d = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(d["USER"] or "") + (":" + quote(d["PASSWORD"]) if d.get("PASSWORD") else "")
        return f"postgres://{auth}@{d['HOST']}:{d['PORT']}/{quote(d['NAME'])}"
    return f"sqlite:///{d['NAME']}"


class Workers:
    def __init__(self, log_dir: Path, **env):
        self.log_dir, self.env, self.processes = log_dir, env, []

    def start(self) -> subprocess.Popen:
        env = {**os.environ, **FAST, **self.env, "DJANGO_SETTINGS_MODULE": "console.settings",
               "DATABASE_URL": database_url(), "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "wb")  # noqa: SIM115 (the child keeps it)
        process = subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--interval", "0.1"],
                                   cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            self.kill(process)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.log_dir.glob("worker-*.log")))


def wait_for(predicate, timeout: float, what: str, workers: Workers | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n" + (workers.logs() if workers else ""))


def job_state(job_id: int) -> Job:
    return Job.objects.get(pk=job_id)


def claimed_by(job_id: int, process: subprocess.Popen, attempts: int) -> bool:
    job = job_state(job_id)
    return job.attempts > attempts and job.worker.endswith(f":{process.pid}") or job.is_finished
