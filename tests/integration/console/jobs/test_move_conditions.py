"""A move deletes only what it copied, and a copy writes only where the job found room (review of the jobs engine)."""

from __future__ import annotations

import pytest

from console.jobs import services
from console.jobs.models import Job
from console.jobs.worker import run_pending_jobs
from storage.s3.gateway import S3Gateway
from tests.integration.console.jobs.support import files_under, put

pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection")


def run(job: Job) -> Job:
    run_pending_jobs()
    job.refresh_from_db()
    return job


def test_a_move_keeps_a_source_replaced_after_its_copy_was_confirmed(users, key_prefix, monkeypatch):
    """Someone saves a new a.txt between the HEAD that confirms the copy and the source's delete."""
    put(key_prefix + "a.txt", b"old!")
    real_head = S3Gateway.get_object_meta

    def head_then_replace(self, connection, key, *args, **kwargs):
        meta = real_head(self, connection, key, *args, **kwargs)
        if key == key_prefix + "b.txt":
            put(key_prefix + "a.txt", b"NEW!")
        return meta

    monkeypatch.setattr(S3Gateway, "get_object_meta", head_then_replace)
    job = run(services.start_job(users["editor"], Job.Kind.MOVE, "primary",
                                 items=[[key_prefix + "a.txt", key_prefix + "b.txt"]]))
    assert files_under(key_prefix) == {key_prefix + "a.txt": b"NEW!", key_prefix + "b.txt": b"old!"}
    assert (job.state, job.objects_done, job.objects_failed) == (Job.State.FAILED, 0, 1)
    assert "changed after it was copied" in job.failures.get().cause

