"""Issue #14 item 13: storage stopped mid-job. The job retries with backoff, then finishes, or fails
with a clear cause and exact counts, and a resume does the rest without a second copy of anything."""

from __future__ import annotations

import time

import pytest

from console.jobs import services
from console.jobs.models import Job
from storage.connections import ConnectionSpec, StaticRegistry
from storage.dev.bootstrap import ensure_bucket
from storage.dev.seaweedfs import SeaweedFS
from storage.models import Connection
from storage.s3.gateway import S3Gateway
from tests.conftest import seaweed_spec
from tests.integration.console.jobs.workers import job_state, wait_for

pytestmark = pytest.mark.usefixtures("transactional_db")
COUNT = 200


@pytest.fixture
def storage(tmp_path):
    """A SeaweedFS of this test's own, which it stops and starts; the connection "primary" points at it."""
    server = SeaweedFS(tmp_path / "weed", access_key="fault-key", secret_key="fault-secret-0123").start()
    server.bucket = "jobfaults"
    spec = seaweed_spec(server)
    ensure_bucket(spec)
    Connection.objects.create(name="primary", endpoint=spec.endpoint, region="us-east-1", bucket=spec.bucket,
                              access_key_id=spec.access_key_id, secret_access_key=spec.secret_access_key,
                              use_ssl=False, is_default=True)
    gateway = S3Gateway(StaticRegistry([ConnectionSpec(**{**spec.__dict__})]))
    for n in range(COUNT):
        gateway.simple_upload("primary", f"src/f{n:03}.txt", b"%03d" % n)
    server.gateway = gateway
    yield server
    server.stop()


def copied(server) -> list[str]:
    page = server.gateway.list_objects("primary", "dst/", delimiter="")
    return [o.key for o in page.objects if not o.key.endswith("/")]


def start_copy(users) -> Job:
    return services.start_job(users["editor"], Job.Kind.COPY, "primary", items=[["src/", "dst/"]],
                              conflict="keep_both")


def test_a_job_rides_out_storage_restarting(users, storage, workers):
    workers.env.update(JOBS_IN_FLIGHT="1", JOBS_BATCH_OBJECTS="10", JOBS_STORAGE_RETRY_SECONDS="60")
    job = start_copy(users)
    workers.start()
    wait_for(lambda: job_state(job.pk).objects_done >= 20, 30, "the copy to be under way", workers)
    storage.stop()
    time.sleep(2)
    storage.start()
    wait_for(lambda: job_state(job.pk).is_finished, 90, "the job to finish", workers)
    job.refresh_from_db()
    assert (job.state, job.objects_done, job.objects_total, job.attempts) == (Job.State.DONE, COUNT, COUNT, 1)
    assert sorted(copied(storage)) == [f"dst/f{n:03}.txt" for n in range(COUNT)]


def test_storage_that_stays_down_fails_the_job_with_exact_counts_and_a_resume_finishes(users, storage, workers):
    workers.env.update(JOBS_IN_FLIGHT="2", JOBS_BATCH_OBJECTS="10", JOBS_STORAGE_RETRY_SECONDS="3")
    job = start_copy(users)
    workers.start()
    wait_for(lambda: job_state(job.pk).objects_done >= 20, 30, "the copy to be under way", workers)
    storage.stop()
    wait_for(lambda: job_state(job.pk).is_finished, 60, "the job to give up", workers)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "unreachable" in job.last_error
    not_reached = COUNT - job.objects_done - job.objects_failed
    assert f"{job.objects_done} done" in job.last_error and f"{not_reached} not reached, of {COUNT}" in job.last_error
    storage.start()
    # Done means confirmed: at most the copies in flight when storage went away landed unconfirmed.
    assert job.objects_done <= len(copied(storage)) <= job.objects_done + 2
    services.resume_job(users["editor"], job)
    wait_for(lambda: job_state(job.pk).is_finished, 60, "the resumed job to finish", workers)
    job.refresh_from_db()
    assert (job.state, job.objects_done) == (Job.State.DONE, COUNT), job.last_error
    assert sorted(copied(storage)) == [f"dst/f{n:03}.txt" for n in range(COUNT)]  # no "(2)": the intent was kept
