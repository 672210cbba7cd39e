"""Issue #14 item 13: storage stopped mid-job. The job retries with backoff, then finishes, or fails
with a clear cause and exact counts, and a resume does the rest without a second copy of anything.

Within a connection, the storage that stops is the job's own. Across connections that share no storage
(a move whose bytes stream through the worker), it is the destination's, while parts are being sent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from console.jobs import services
from console.jobs.models import Job
from storage.dev.bootstrap import ensure_bucket
from storage.dev.seaweedfs import SeaweedFS
from storage.factory import get_gateway
from tests.conftest import add_connection, seaweed_spec
from tests.integration.console.jobs.support import files_under, put_all, uploads_under
from tests.integration.console.jobs.workers import job_state, wait_for

pytestmark = pytest.mark.usefixtures("transactional_db")
COUNT = 200
MiB = 1024 * 1024


@dataclass
class Faulty:
    server: SeaweedFS  # the storage a test stops and starts
    to: str | None  # the job's destination connection (None: within "primary")
    src: str
    dst: str

    @property
    def dest_connection(self) -> str:
        return self.to or "primary"

    def copied(self) -> list[str]:
        page = get_gateway().list_objects(self.dest_connection, self.dst, delimiter="")
        return [o.key for o in page.objects if not o.key.endswith("/")]

    def start(self, users, kind=Job.Kind.COPY) -> Job:
        return services.start_job(users["editor"], kind, "primary", items=[[self.src, self.dst]],
                                  conflict="keep_both", dest_connection=self.to)


@pytest.fixture(params=["within", "across"])
def storage(request, tmp_path, key_prefix):
    """A SeaweedFS of this test's own, which it stops and starts: "primary" (within), or "other", the destination
    of a move from the session's SeaweedFS (across)."""
    server = SeaweedFS(tmp_path / "weed", access_key="fault-key", secret_key="fault-secret-0123").start()
    server.bucket = "jobfaults"
    across = request.param == "across"
    spec = seaweed_spec(server, name="other" if across else "primary", is_default=not across)
    ensure_bucket(spec)
    if across:  # the default first: the first connection saved becomes the default
        add_connection(seaweed_spec(request.getfixturevalue("seaweedfs")))
    add_connection(spec)
    faulty = Faulty(server, "other" if across else None, key_prefix + "src/", key_prefix + "dst/")
    put_all({f"{faulty.src}f{n:03}.txt": b"%03d" % n for n in range(COUNT)})
    yield faulty
    server.stop()


def expected(faulty: Faulty) -> list[str]:
    return [f"{faulty.dst}f{n:03}.txt" for n in range(COUNT)]


def test_a_job_rides_out_storage_restarting(users, storage, workers):
    workers.env.update(JOBS_IN_FLIGHT="1", JOBS_BATCH_OBJECTS="10", JOBS_STORAGE_RETRY_SECONDS="60")
    job = storage.start(users)
    workers.start()
    wait_for(lambda: job_state(job.pk).objects_done >= 20, 30, "the copy to be under way", workers)
    storage.server.stop()
    time.sleep(2)
    storage.server.start()
    wait_for(lambda: job_state(job.pk).is_finished, 90, "the job to finish", workers)
    job.refresh_from_db()
    assert (job.state, job.objects_done, job.objects_total, job.attempts) == (Job.State.DONE, COUNT, COUNT, 1)
    assert sorted(storage.copied()) == expected(storage)


def test_storage_that_stays_down_fails_the_job_with_exact_counts_and_a_resume_finishes(users, storage, workers):
    workers.env.update(JOBS_IN_FLIGHT="2", JOBS_BATCH_OBJECTS="10", JOBS_STORAGE_RETRY_SECONDS="3")
    job = storage.start(users)
    workers.start()
    wait_for(lambda: job_state(job.pk).objects_done >= 20, 30, "the copy to be under way", workers)
    storage.server.stop()
    wait_for(lambda: job_state(job.pk).is_finished, 60, "the job to give up", workers)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "unreachable" in job.last_error
    not_reached = COUNT - job.objects_done - job.objects_failed
    assert f"{job.objects_done} done" in job.last_error and f"{not_reached} not reached, of {COUNT}" in job.last_error
    storage.server.start()
    # Done means confirmed: at most the copies in flight when storage went away landed unconfirmed.
    assert job.objects_done <= len(storage.copied()) <= job.objects_done + 2
    services.resume_job(users["editor"], job)
    wait_for(lambda: job_state(job.pk).is_finished, 60, "the resumed job to finish", workers)
    job.refresh_from_db()
    assert (job.state, job.objects_done) == (Job.State.DONE, COUNT), job.last_error
    assert sorted(storage.copied()) == expected(storage)  # no "(2)": the intent was kept


@pytest.mark.parametrize("storage", ["across"], indirect=True)
def test_a_move_in_parts_rides_out_its_destination_restarting_mid_object(users, storage, workers):
    """Storage away in the middle of an object's parts: the part is retried, the object finishes whole, and the
    move deletes its source only then."""
    import os

    workers.env.update(JOBS_STORAGE_RETRY_SECONDS="60", JOBS_STREAM_PART_MB="5", JOBS_STREAM_PARTS_IN_FLIGHT="1")
    body = os.urandom(40 * MiB)
    put_all({storage.src + "big.bin": body})
    job = services.start_job(users["editor"], Job.Kind.MOVE, "primary", dest_connection="other",
                             items=[[storage.src + "big.bin", storage.dst + "big.bin"]])
    workers.start()
    wait_for(lambda: uploads_under(storage.dst, "other"), 30, "the upload in parts to start", workers)
    storage.server.stop()
    time.sleep(2)
    storage.server.start()
    wait_for(lambda: job_state(job.pk).is_finished, 90, "the job to finish", workers)
    job.refresh_from_db()
    assert (job.state, job.objects_done, job.attempts) == (Job.State.DONE, 1, 1), job.last_error
    assert files_under(storage.dst, "other") == {storage.dst + "big.bin": body}
    assert storage.src + "big.bin" not in files_under(storage.src) and uploads_under(storage.dst, "other") == []
