"""Leases on job rows: who runs a job, until when, and how a job whose worker died is handed on.

A worker claims a job with one conditional UPDATE (queued, or running with an expired lease), so two
workers never both win: on PostgreSQL the row lock makes the second UPDATE re-read the row and miss,
on SQLite the database's write lock does the same. The holder renews the lease while it works and
writes only while its lease is known to be valid; a worker that finds its lease gone stops. Times
are the database's (`Now()`), so workers on machines whose clocks differ agree on expiry.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time

from django.conf import settings
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, Now

from console.jobs.models import Job

log = logging.getLogger("console.jobs")

# A lease is trusted locally for this share of its length after the last renewal: the rest absorbs a
# slow database answer, so a worker stops writing before anyone else may take the job.
TRUSTED_SHARE = 0.7


class LeaseLost(Exception):
    """Another worker holds the job now (or it was finished meanwhile): stop, write nothing more."""


def lease_seconds() -> int:
    return settings.JOBS_LEASE_SECONDS


def in_seconds(seconds: float):
    """The database's now, plus `seconds`."""
    return ExpressionWrapper(Now() + dt.timedelta(seconds=seconds), output_field=DateTimeField())


class Lease:
    """The claim a worker holds on one job. `check()` is cheap and safe from any thread."""

    def __init__(self, job_id: int, owner: str, seconds: int):
        self.job_id, self.owner, self.seconds = job_id, owner, seconds
        self.renewed = time.monotonic()
        self.lost = False
        self.cancel_requested = False
        self._lock = threading.Lock()

    @property
    def trusted_until(self) -> float:
        return self.renewed + self.seconds * TRUSTED_SHARE

    def check(self) -> None:
        if self.lost or time.monotonic() >= self.trusted_until:
            self.lost = True
            raise LeaseLost(f"job {self.job_id}: the lease of {self.owner} is no longer held")  # i18n: not shown (logs)

    def due(self) -> bool:
        return time.monotonic() - self.renewed >= self.seconds / 3

    def renew(self, **fields) -> None:
        """Extend the lease (and write `fields` with it); raise LeaseLost when this claim no longer holds it."""
        self.check()
        with self._lock:
            started = time.monotonic()
            updated = self.mine().update(lease_expires_at=in_seconds(self.seconds), **fields)
            if not updated:
                self.lost = True
                raise LeaseLost(f"job {self.job_id}: {self.owner} lost its lease")  # i18n: not shown (logs)
            self.renewed = started
            self.read_cancel()

    def read_cancel(self) -> bool:
        """Whether the job was asked to stop, read now (a renewal reads it too, every third of the lease)."""
        self.cancel_requested = Job.objects.filter(pk=self.job_id).values_list(
            "cancel_requested", flat=True).first() or False
        return self.cancel_requested

    def mine(self):
        return Job.objects.filter(pk=self.job_id, owner=self.owner, state=Job.State.RUNNING)


def claim(job_id: int, worker: str) -> Lease | None:
    """Take the job if it is queued, or running under a lease that expired; None when another holds it."""
    owner = f"{worker}/{secrets.token_hex(4)}"
    seconds = lease_seconds()
    started = time.monotonic()
    runnable = Q(state=Job.State.QUEUED) | Q(state=Job.State.RUNNING, lease_expires_at__lt=Now())
    updated = Job.objects.filter(runnable, pk=job_id, cancel_requested=False).update(
        state=Job.State.RUNNING, owner=owner, worker=worker, lease_expires_at=in_seconds(seconds),
        attempts=F("attempts") + 1, started_at=Coalesce(F("started_at"), Now()))
    if not updated:
        return None
    lease = Lease(job_id, owner, seconds)
    lease.renewed = started
    return lease


def release(lease: Lease) -> bool:
    """Hand the job back to the queue (a worker shutting down); True when it was still ours.

    No nudge from here (the task would import its runner, which imports this): the next sweep sends it.
    """
    return bool(lease.mine().update(state=Job.State.QUEUED, owner="", lease_expires_at=None, nudged_at=None))
