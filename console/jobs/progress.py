"""What a running job holds: its lease, its counters, its storage calls, and how it writes checkpoints.

Progress is written at checkpoints (one per batch), never per object. Work is done in rounds: the
batch is written first as an intent (`JobIntent`), then done by a few threads, then the checkpoint
moves the cursor past it and clears the intent in one transaction. Only the main thread touches the
database; the threads only call storage, and check before each write that the lease still holds.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, transaction
from django.db.models.functions import Now
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from console.jobs.auditing import record_end
from console.jobs.lease import Lease, LeaseLost
from console.jobs.models import Job, JobFailure, JobIntent
from storage.gateway import StorageUnreachable

log = logging.getLogger("console.jobs")

# Set by a worker that was asked to stop (SIGTERM): running jobs hand themselves back at once.
STOPPING = threading.Event()
MAX_FAILURES = 1000  # a job stops after this many objects failed: something is wrong beyond one object
FIRST_BACKOFF, MAX_BACKOFF = 0.5, 10.0
WAKE = object()  # put on a round's queue by a task that asks the main thread to write the intent


class Interrupted(Exception):
    """The job must stop now; the subclass says why."""


class Cancelled(Interrupted):
    pass


class Stopping(Interrupted):
    """This worker is shutting down: hand the job back, another resumes it from the intent."""


class StorageDown(Interrupted):
    """Storage stayed unreachable through every retry."""


class TooManyFailures(Interrupted):
    pass


class AccessWithdrawn(Interrupted):
    """The person who started the job no longer holds the access it needs (console/jobs/services.py)."""


@dataclass(frozen=True)
class Outcome:
    state: str  # "done", "skipped" or "failed"
    key: str
    bytes: int = 0
    dest: str = ""
    cause: str = ""
    objects: int = 1  # a folder size counts a page of objects in one outcome


def done(key: str, size: int = 0, dest: str = "", objects: int = 1) -> Outcome:
    return Outcome("done", key, size, dest, objects=objects)


def skipped(key: str, dest: str = "") -> Outcome:
    return Outcome("skipped", key, 0, dest)


def failed(key: str, cause: str, dest: str = "") -> Outcome:
    return Outcome("failed", key, 0, dest, cause)


@dataclass
class Tally:
    objects: int = 0
    bytes: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[Outcome] = field(default_factory=list)

    def add(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.state == "done":
                self.objects += outcome.objects
                self.bytes += outcome.bytes
            elif outcome.state == "skipped":
                self.skipped += 1
            else:
                self.failed += 1
                self.failures.append(outcome)


class RoundInterrupted(Exception):
    """A round stopped early: what finished (`outcomes`) and which items did not (`unfinished`).

    `cause` is an Interrupted, a LeaseLost, or the error a task raised (a storage error, say); `left`
    says in words what stays undone when `unfinished` cannot (a folder's clean-up, say)."""

    def __init__(self, cause: Exception, outcomes: list[Outcome], unfinished: list, left: str = ""):
        super().__init__(str(cause))
        self.cause, self.outcomes, self.unfinished, self.left = cause, outcomes, unfinished, left


def _in_pool(language: str | None, fn: Callable, *args, **kwargs):
    """Run in a pool thread, in the job's language (a thread starts in none: the causes it words would be
    English); its database connection (the gateway reads connection records) closed after."""
    try:
        with translation.override(language):
            return fn(*args, **kwargs)
    finally:
        connections.close_all()


class JobContext:
    """One run of one job by one worker."""

    def __init__(self, job: Job, lease: Lease, gateway, access_problem: Callable[[Job], str | None] | None = None):
        self.job, self.lease, self.gateway = job, lease, gateway
        self.access_problem = access_problem
        self.connection = job.connection
        self.language = job.language or None  # None: the site's language
        self.halt = threading.Event()
        self.pool = ThreadPoolExecutor(settings.JOBS_IN_FLIGHT, thread_name_prefix=f"job{job.pk}")
        self._parts: ThreadPoolExecutor | None = None
        self._claimed = time.monotonic()
        self._done_at_claim = (job.objects_done, job.bytes_done)
        self.intent_items: list = []  # the batch being worked on, the very dicts its tasks were given
        self._remembered: list[threading.Event] = []
        self._remember_lock = threading.Lock()
        # A round's finished tasks, and WAKE when a task asks the main thread to write the intent: one queue,
        # so the main thread waits on it alone (not on every future in flight, once per finished task).
        self._events: queue.SimpleQueue = queue.SimpleQueue()

    def submit(self, fn: Callable, *args, **kwargs):
        return self.pool.submit(_in_pool, self.language, fn, *args, **kwargs)

    def submit_part(self, size: int, fn: Callable, *args, **kwargs) -> Future:
        """Work an item's task waits for (the parts of one object), in a second pool of `size` threads: a task
        waiting on its own pool could wait for ever for threads that all wait too."""
        with self._remember_lock:
            if self._parts is None:
                self._parts = ThreadPoolExecutor(size, thread_name_prefix=f"job{self.job.pk}-part")
        return self._parts.submit(_in_pool, self.language, fn, *args, **kwargs)

    def close(self) -> None:
        self.halt.set()
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self._parts is not None:
            self._parts.shutdown(wait=True, cancel_futures=True)

    # --- checks, from any thread ---

    def check(self) -> None:
        """Before any storage write: stop if the job must stop, or the lease is no longer surely ours."""
        if self.halt.is_set():
            raise Interrupted(_("the job is stopping"))
        self.lease.check()

    def call(self, fn: Callable, *args, **kwargs):
        """A storage call, retried with backoff while storage is unreachable, within JOBS_STORAGE_RETRY_SECONDS."""
        deadline = time.monotonic() + settings.JOBS_STORAGE_RETRY_SECONDS
        delay = FIRST_BACKOFF
        while True:
            self.check()
            try:
                return fn(*args, **kwargs)
            except StorageUnreachable as e:
                if time.monotonic() + delay > deadline:
                    raise StorageDown(_("%(error)s (retried for %(seconds)s s)") % {
                        "error": e, "seconds": settings.JOBS_STORAGE_RETRY_SECONDS}) from e
                log.warning("job %s: %s; retrying in %.1f s", self.job.pk, e, delay)
                if self.halt.wait(delay):
                    raise Interrupted(_("the job is stopping")) from e
                delay = min(delay * 2, MAX_BACKOFF)

    def remember(self, item: dict, **values) -> None:
        """From a round's task: set `values` on its item of the intent, and return once the main thread has written
        the intent (a worker that takes the job over after this one died replays the batch with them)."""
        written = threading.Event()
        with self._remember_lock:
            item.update(values)
            self._remembered.append(written)
        self._events.put(WAKE)
        while not written.wait(0.1):
            self.check()

    # --- rounds, from the main thread ---

    def _write_remembered(self) -> Exception | None:
        """Write the intent when a task asked to (`remember`); the LeaseLost that stopped it, if one did.

        Once the round is stopping nothing is written: the tasks waiting see the stop and give up."""
        with self._remember_lock:
            waiting, self._remembered = self._remembered, []
            if not waiting or self.halt.is_set():
                return None
            items = copy.deepcopy(self.intent_items)
        try:
            with transaction.atomic():
                self.lease.renew()
                JobIntent.objects.filter(job_id=self.job.pk).update(items=items)
        except LeaseLost as e:
            return e
        for event in waiting:
            event.set()
        return None

    def check_access(self) -> None:
        """Before each batch: stop (AccessWithdrawn) when the job's starter lost the access it needs."""
        problem = self.access_problem(self.job) if self.access_problem else None
        if problem:
            raise AccessWithdrawn(problem)

    def interruption(self, *, fresh: bool = False) -> Interrupted | None:
        """Renew the lease when due; say whether the job must stop (cancel, shutdown).

        `fresh`: read a cancel request now, not only at the lease's renewal (between long steps)."""
        if self.lease.due():
            self.lease.renew()
        elif fresh:
            self.lease.read_cancel()
        if self.lease.cancel_requested:
            return Cancelled(pgettext("a job", "cancelled"))
        if STOPPING.is_set():
            return Stopping(_("the worker is stopping"))
        return None

    def _stop_reason(self) -> Exception | None:
        """What `interruption` says, or the LeaseLost it raised: why the pool's work must stop now."""
        try:
            return self.interruption()
        except LeaseLost as e:
            return e

    def run_round(self, work: list[tuple[list, Callable[[], list[Outcome]]]]) -> list[Outcome]:
        """Run each (items, task) in the pool; the tasks' outcomes, or RoundInterrupted."""
        pending: dict = {}
        for items, task in work:
            future = self.submit(task)
            pending[future] = items
            future.add_done_callback(self._events.put)
        outcomes: list[Outcome] = []
        unfinished: list = []
        problem: Exception | None = None
        while pending:
            for future in self._next_events(self._events):
                items = pending.pop(future, None)
                if items is None:
                    continue  # WAKE
                try:
                    outcomes.extend(future.result())
                except Exception as e:  # noqa: BLE001 - a storage error too: the rest of the round stops first
                    # (else its threads went on copying and deleting after the job was marked failed, uncounted)
                    problem = problem or e
                    unfinished.extend(items)
            written = self._write_remembered()
            reason = self._stop_reason()  # asked even once stopping: the lease stays renewed while tasks end
            problem = problem or written or reason
            if problem is not None:
                self.halt.set()
        if problem is not None:
            raise RoundInterrupted(problem, outcomes, unfinished)
        return outcomes

    def _next_events(self, events: queue.SimpleQueue) -> list:
        """What was put on `events` since the last look (finished futures, WAKE), waiting up to a sixth of the lease."""
        try:
            got = [events.get(timeout=self.lease.seconds / 6)]
        except queue.Empty:
            return []
        with contextlib.suppress(queue.Empty):
            while True:
                got.append(events.get_nowait())
        return got

    def map(self, fn: Callable, values: list) -> list:
        """`fn(value)` for each value, a few at once in the pool (each retried as `call` does), in order."""
        futures = [self.submit(self.call, fn, value) for value in values]
        finished: queue.SimpleQueue = queue.SimpleQueue()
        for future in futures:
            future.add_done_callback(finished.put)
        pending = set(futures)
        while pending:
            done_now = self._next_events(finished)
            pending.difference_update(done_now)
            problem = next((f.exception() for f in done_now if f.exception() is not None), None)
            problem = problem or self._stop_reason()
            if problem is not None:
                self.halt.set()
                raise problem
        return [future.result() for future in futures]

    def run_one(self, fn: Callable, *args, **kwargs):
        """One storage call (retried as `call` does) in the pool, while this thread keeps the lease renewed."""
        future = self.submit(self.call, fn, *args, **kwargs)
        while True:
            finished, _ = wait([future], timeout=self.lease.seconds / 6)
            if finished:
                return future.result()
            problem = self._stop_reason()
            if problem is not None:
                self.halt.set()
                raise problem

    # --- checkpoints ---

    def save_intent(self, items: list, cursor: dict, **fields) -> None:
        with transaction.atomic():
            self.lease.renew(**fields)
            JobIntent.objects.update_or_create(job_id=self.job.pk, defaults={"items": items, "cursor": cursor})
        for name, value in fields.items():
            setattr(self.job, name, value)

    def commit(self, cursor: dict, outcomes: list[Outcome] = (), *, clear_intent: bool = True, **fields) -> None:
        """Checkpoint: counters, cursor and rate in one write, the intent cleared, failures recorded."""
        tally = Tally()
        tally.add(list(outcomes))
        job = self.job
        job.objects_done += tally.objects
        job.bytes_done += tally.bytes
        job.objects_skipped += tally.skipped
        job.objects_failed += tally.failed
        job.cursor = cursor
        elapsed = max(time.monotonic() - self._claimed, 1e-3)
        values = dict(objects_done=job.objects_done, bytes_done=job.bytes_done, objects_skipped=job.objects_skipped,
                      objects_failed=job.objects_failed, cursor=cursor, updated_at=Now(),
                      rate_objects=(job.objects_done - self._done_at_claim[0]) / elapsed,
                      rate_bytes=(job.bytes_done - self._done_at_claim[1]) / elapsed, **fields)
        for name, value in fields.items():
            setattr(job, name, value)
        with transaction.atomic():
            self.lease.renew(**values)
            if clear_intent:
                JobIntent.objects.filter(job_id=job.pk).delete()
            JobFailure.objects.bulk_create([JobFailure(job_id=job.pk, key=o.key[:1100], dest_key=o.dest[:1100],
                                                       cause=o.cause[:2000]) for o in tally.failures])
        if job.objects_failed >= MAX_FAILURES:
            raise TooManyFailures(_("Stopped after %(count)s objects failed; the last: %(cause)s") % {
                "count": job.objects_failed, "cause": tally.failures[-1].cause} if tally.failures else
                _("Stopped after %(count)s objects failed.") % {"count": job.objects_failed})

    def settle(self, interrupted: RoundInterrupted) -> None:
        """A round stopped for good: count what finished, keep the rest as the intent (a resume does only that)."""
        intent = JobIntent.objects.filter(job_id=self.job.pk).first()
        self.commit(self.job.cursor, interrupted.outcomes, clear_intent=False)
        if intent is not None:
            JobIntent.objects.filter(pk=intent.pk).update(items=interrupted.unfinished)

    def finish(self, state: str, error: str = "", **fields) -> bool:
        """The last write: the state, when, and the lease given up. False when the lease was lost meanwhile."""
        if state == Job.State.DONE:
            JobIntent.objects.filter(job_id=self.job.pk).delete()
        updated = self.lease.mine().update(state=state, last_error=error, finished_at=Now(), owner="",
                                           lease_expires_at=None, updated_at=Now(), **fields)
        if updated:
            record_end(Job.objects.get(pk=self.job.pk))
        return bool(updated)
