"""A job whose starter loses the access it needs stops at its next batch, says why, and resumes once access is back.

Real SeaweedFS, the job run in this process the way a worker runs it; the access is taken away between two
batches (after the first batch's checkpoint), as a grant withdrawn while a long copy runs would be.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from console.access.models import Grant
from console.jobs import services, walk
from console.jobs.models import Job
from storage.models import Connection
from tests.integration.console.jobs.support import names_under, put_all, run

pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection")


def _lose_after_first_batch(monkeypatch, lose) -> None:
    real, batches = walk.do_batch, []

    def do_batch(ctx, op, items, cursor):
        real(ctx, op, items, cursor)
        batches.append(len(items))
        if len(batches) == 1:
            lose()

    monkeypatch.setattr(walk, "do_batch", do_batch)


@pytest.mark.parametrize("loss", ["grant withdrawn", "deactivated"])
def test_a_copy_stops_at_the_next_batch_when_its_starter_loses_access(key_prefix, settings, monkeypatch, loss):
    settings.JOBS_BATCH_OBJECTS = 10
    put_all({f"{key_prefix}src/f{n:02}.txt": b"x" for n in range(30)})
    pat = User.objects.create_user("pat")
    given = Grant.objects.create(connection=Connection.objects.get(name="primary"), user=pat, role="editor",
                                 prefix=key_prefix)

    def lose():
        if loss == "grant withdrawn":
            Grant.objects.filter(pk=given.pk).update(role="viewer")
        else:
            User.objects.filter(pk=pat.pk).update(is_active=False)

    _lose_after_first_batch(monkeypatch, lose)
    job = run(services.start_job(pat, Job.Kind.COPY, "primary", items=[[key_prefix + "src/", key_prefix + "dst/"]],
                                 conflict="skip"))
    assert job.state == Job.State.FAILED
    assert job.last_error.startswith("pat no longer has the access this job needs on primary.")
    assert "10 done, 0 skipped, 0 failed, 20 not reached, of 30" in job.last_error
    assert len(names_under(key_prefix + "dst/")) == 10  # nothing written after the check

    Grant.objects.filter(pk=given.pk).update(role="editor")
    User.objects.filter(pk=pat.pk).update(is_active=True)
    monkeypatch.undo()
    job = run(services.resume_job(User.objects.get(pk=pat.pk), job))
    assert (job.state, job.objects_done) == (Job.State.DONE, 30)
    assert names_under(key_prefix + "dst/") == [f"f{n:02}.txt" for n in range(30)]
