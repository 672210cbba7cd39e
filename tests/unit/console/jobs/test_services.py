"""Who may start and control jobs, and what a start refuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from console.jobs import services
from console.jobs.models import Job
from console.models import AuditEvent
from storage.gateway import InvalidKey


def test_starting_needs_the_role_the_manual_operation_needs(users):
    with pytest.raises(PermissionDenied):
        services.start_job(users["viewer"], Job.Kind.DELETE, "primary", items=["a/"])
    with pytest.raises(PermissionDenied):
        services.start_job(users["outsider"], Job.Kind.FOLDER_SIZE, "primary", prefix="a/")
    assert services.start_job(users["viewer"], Job.Kind.FOLDER_SIZE, "primary", prefix="a/").state == "queued"
    job = services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=[["a/", "b/"]], conflict="skip")
    assert AuditEvent.objects.get(kind="job.started", detail__job=job.pk).actor == users["editor"]


@pytest.mark.parametrize("items", [
    [["a/", "a/b/"]],  # into itself
    [["a/b/", "a/"]],  # around itself
    [["a/", "b.txt"]],  # a folder onto a file name
    [["a.txt", "b/"]],
    [["a.txt", "a.txt"]],
    [["../x", "y"]],
])
def test_a_copy_or_move_that_cannot_work_is_refused(users, items):
    with pytest.raises(InvalidKey):
        services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=items)
    assert not Job.objects.exists()


def test_a_file_can_be_duplicated_beside_itself_by_keeping_both(users):
    job = services.start_job(users["editor"], Job.Kind.COPY, "primary", items=[["a.txt", "a.txt"]],
                             conflict="keep_both")
    assert job.params == {"items": [["a.txt", "a.txt"]], "conflict": "keep_both"}


def test_people_see_and_control_their_own_jobs_and_admins_everyones(users):
    job = services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=["a/"])
    assert list(services.visible_jobs(users["editor"])) == [job]
    assert list(services.visible_jobs(users["viewer"])) == []
    assert list(services.visible_jobs(users["admin"])) == [job]
    with pytest.raises(PermissionDenied):
        services.cancel_job(users["viewer"], job)
    services.cancel_job(users["admin"], job)
    assert job.state == Job.State.CANCELLED
    assert AuditEvent.objects.get(kind="job.cancelled").detail["objects"] == 0


def test_a_running_job_is_asked_to_stop_and_a_stopped_one_can_resume(users):
    from console.jobs import lease

    job = services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=["a/"])
    lease.claim(job.pk, "w1")
    services.cancel_job(users["editor"], job)
    assert (job.state, job.cancel_requested) == (Job.State.RUNNING, True)
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, owner="")
    services.resume_job(users["editor"], job)
    assert (job.state, job.cancel_requested, job.attempts) == (Job.State.QUEUED, False, 0)


def test_the_job_page_shows_state_and_counts_to_those_who_may_see_it(users, as_editor, as_viewer):
    job = services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=["a/"], objects_total=40)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, objects_done=10, phase="working")
    page = as_editor.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and b"10 of 40 objects" in page.content and b'hx-trigger="every 2s"' in page.content
    assert as_viewer.get(f"/jobs/{job.pk}/").status_code == 404
    partial = as_editor.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert partial.content.lstrip().startswith(b'<section id="job-status"')
    assert as_editor.post(f"/jobs/{job.pk}/cancel/").status_code == 302
    assert Job.objects.get(pk=job.pk).cancel_requested
