"""A storage error that ends a job mid-round: the rest of the round stops first, and what it did is counted."""

from __future__ import annotations

import threading

import pytest

from console.jobs import services
from console.jobs.models import Job
from console.jobs.worker import run_pending_jobs
from storage.gateway import AccessDenied
from storage.s3.gateway import S3Gateway
from tests.integration.console.jobs.support import files_under, put

pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection")


def test_a_job_that_fails_mid_round_counts_what_the_round_did(users, key_prefix, settings, monkeypatch):
    settings.JOBS_IN_FLIGHT = 6
    for n in range(6):
        put(f"{key_prefix}src/f{n}.txt", b"%d" % n)
    real_delete = S3Gateway.delete_file

    deleting = threading.Barrier(6, timeout=60)  # however loaded the machine, all six are deleting at once
    refused = threading.Event()

    def delete(self, connection, key, **kwargs):
        deleting.wait()
        if key.endswith("f0.txt"):
            refused.set()
            raise AccessDenied(f"Access denied for '{key}' on '{connection}': AccessDenied.")
        # The others delete their sources only once f0's refusal is raised: work in flight at a refusal is
        # finished and counted (an AssertionError here is a failed delete: the counts below then differ).
        assert refused.wait(timeout=60), "f0 was never refused"
        return real_delete(self, connection, key, **kwargs)

    monkeypatch.setattr(S3Gateway, "delete_file", delete)
    job = services.start_job(users["editor"], Job.Kind.MOVE, "primary",
                             items=[[key_prefix + "src/", key_prefix + "dst/"]])
    run_pending_jobs()
    job.refresh_from_db()
    moved = [n for n in range(6) if f"{key_prefix}src/f{n}.txt" not in files_under(key_prefix + "src/")]
    assert job.state == Job.State.FAILED and "Access denied" in job.last_error
    assert job.objects_done == len(moved) == 5, (job.objects_done, moved)
    assert f"{job.objects_done} done" in job.last_error
