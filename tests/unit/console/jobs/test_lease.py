"""Claims, renewals and the sweep, on the database alone (no storage)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from console.jobs import lease as leases
from console.jobs.lease import LeaseLost
from console.jobs.models import Job
from console.jobs.tasks import sweep
from console.models import AuditEvent


@pytest.fixture
def job(db):
    return Job.objects.create(kind=Job.Kind.DELETE, connection="primary", params={"items": ["a/"]})


def expire(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))


def test_it_claims_a_queued_job_once(job):
    first = leases.claim(job.pk, "w1")
    assert first is not None and leases.claim(job.pk, "w2") is None
    job.refresh_from_db()
    assert (job.state, job.worker, job.attempts, job.owner) == (Job.State.RUNNING, "w1", 1, first.owner)
    assert job.lease_expires_at > timezone.now()


def test_it_never_claims_a_finished_or_cancelled_job(job):
    for state in (Job.State.DONE, Job.State.FAILED, Job.State.CANCELLED):
        Job.objects.filter(pk=job.pk).update(state=state)
        assert leases.claim(job.pk, "w1") is None
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, cancel_requested=True)
    assert leases.claim(job.pk, "w1") is None


def test_a_worker_whose_lease_expired_and_was_taken_writes_nothing_more(job):
    first = leases.claim(job.pk, "w1")
    expire(job)
    second = leases.claim(job.pk, "w2")
    assert second is not None
    first.renewed += 3600  # its own clock still trusts the lease: the database decides
    with pytest.raises(LeaseLost):
        first.renew(objects_done=999)
    job.refresh_from_db()
    assert (job.objects_done, job.owner) == (0, second.owner)
    with pytest.raises(LeaseLost):
        first.check()  # and from then on, nothing: not even a storage call


def test_a_lease_is_trusted_locally_only_for_part_of_its_length(job, monkeypatch):
    held = leases.claim(job.pk, "w1")
    held.check()
    monkeypatch.setattr(leases.time, "monotonic", lambda: held.renewed + held.seconds * 0.75)
    with pytest.raises(LeaseLost):
        held.check()


def test_a_renewal_reads_a_cancel_request(job):
    held = leases.claim(job.pk, "w1")
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    held.renew()
    assert held.cancel_requested


def test_the_sweep_queues_again_a_job_whose_worker_died(job):
    leases.claim(job.pk, "w1")
    assert sweep() == 0 or Job.objects.get(pk=job.pk).state == Job.State.RUNNING
    expire(job)
    sweep()
    job.refresh_from_db()
    assert (job.state, job.owner, job.lease_expires_at) == (Job.State.QUEUED, "", None)
    assert leases.claim(job.pk, "w2") is not None


def test_the_sweep_settles_a_cancelled_job_whose_worker_died(job):
    leases.claim(job.pk, "w1")
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    expire(job)
    sweep()
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.finished_at is not None
    assert AuditEvent.objects.get(kind="job.cancelled").detail["job"] == job.pk


def test_the_sweep_gives_up_after_too_many_workers_died(job, settings):
    settings.JOBS_MAX_ATTEMPTS = 2
    for worker in ("w1", "w2"):
        assert leases.claim(job.pk, worker) is not None
        expire(job)
        sweep()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "Gave up after 2 attempts" in job.last_error


def test_a_released_job_is_queued_for_the_next_sweep_to_send(job):
    held = leases.claim(job.pk, "w1")
    assert leases.release(held)
    job.refresh_from_db()
    assert (job.state, job.nudged_at) == (Job.State.QUEUED, None)
    assert not leases.release(held)


def waiting_tasks(job: Job) -> int:
    """The "run job N" tasks for this job that wait for a worker."""
    from django_tasks_db.models import DBTaskResult

    return sum(1 for task in DBTaskResult.objects.filter(status="READY") if task.args_kwargs["args"] == [job.pk])


def test_the_sweep_keeps_at_most_one_task_waiting_per_job(job, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    def sweep_later() -> None:  # the job waited longer than JOBS_RENUDGE_SECONDS: every worker is busy
        Job.objects.filter(pk=job.pk).update(nudged_at=timezone.now() - dt.timedelta(hours=1))
        with django_capture_on_commit_callbacks(execute=True):
            sweep()

    for _ in range(3):
        sweep_later()
    assert waiting_tasks(job) == 1
    DBTaskResult.objects.update(status="SUCCESSFUL")  # that task ran, and the job was handed back since
    sweep_later()
    assert waiting_tasks(job) == 1
    DBTaskResult.objects.all().delete()  # a backend that lost it
    sweep_later()
    assert waiting_tasks(job) == 1
