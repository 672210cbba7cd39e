"""What a job may touch (console/jobs/access.py): both ends of a copy or move, checked again while it runs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from console.access.models import Grant
from console.jobs import access, services
from console.jobs.models import Job
from storage.models import Connection


@pytest.fixture
def other(db):
    return Connection.objects.create(name="other", endpoint="http://127.0.0.1:9", bucket="other")


@pytest.fixture
def pat(primary, other):
    """A viewer of primary who edits other:inbox/ and primary:team/."""
    pat = User.objects.create_user("pat")
    Grant.objects.create(connection=primary, user=pat, role="viewer")
    Grant.objects.create(connection=primary, user=pat, role="editor", prefix="team/")
    Grant.objects.create(connection=other, user=pat, role="editor", prefix="inbox/")
    return User.objects.get(pk=pat.pk)


def test_a_copy_needs_viewer_on_the_source_and_editor_on_the_destination(pat):
    access.require_access(pat, Job.Kind.COPY, "primary", ["docs/a.txt"], ["team/a.txt"])
    access.require_access(pat, Job.Kind.COPY, "primary", ["docs/"], ["inbox/docs/"], dest_connection="other")
    with pytest.raises(PermissionDenied):  # docs/ is only viewed
        access.require_access(pat, Job.Kind.COPY, "primary", ["team/a.txt"], ["docs/a.txt"])
    with pytest.raises(Http404):  # nothing of other outside inbox/ is seen
        access.require_access(pat, Job.Kind.COPY, "primary", ["docs/a.txt"], ["elsewhere/a.txt"],
                              dest_connection="other")


def test_a_move_needs_editor_on_both_ends(pat):
    access.require_access(pat, Job.Kind.MOVE, "primary", ["team/a.txt"], ["inbox/a.txt"], dest_connection="other")
    with pytest.raises(PermissionDenied):  # a move deletes its source: viewing docs/ is not enough
        access.require_access(pat, Job.Kind.MOVE, "primary", ["docs/a.txt"], ["team/a.txt"])


def test_deleting_sizing_and_aborting_need_editor_viewer_and_manager(pat):
    access.require_access(pat, Job.Kind.DELETE, "primary", ["team/x/"])
    access.require_access(pat, Job.Kind.FOLDER_SIZE, "primary", ["docs/"])
    with pytest.raises(PermissionDenied):
        access.require_access(pat, Job.Kind.DELETE, "primary", ["docs/x"])
    with pytest.raises(PermissionDenied):
        access.require_access(pat, Job.Kind.ABORT_UPLOADS, "primary", ["team/"])


def test_the_worker_is_told_why_a_job_must_stop(pat):
    job = services.start_job(pat, Job.Kind.COPY, "primary", items=[["docs/", "team/docs/"]], conflict="skip")
    assert access.access_problem(job) is None
    Grant.objects.filter(user=pat, prefix="team/").update(role="viewer")
    assert access.access_problem(job) == "pat no longer has the access this job needs on primary."
    Grant.objects.filter(user=pat, prefix="team/").update(role="editor")
    User.objects.filter(pk=pat.pk).update(is_active=False)
    assert access.access_problem(job) is not None
    User.objects.filter(pk=pat.pk).update(is_active=True)
    assert access.access_problem(job) is None
    pat.delete()
    assert access.access_problem(Job.objects.get(pk=job.pk)) == "pat no longer has the access this job needs on primary."


def test_a_starter_who_lost_access_can_neither_resume_nor_retry(pat):
    job = services.start_job(pat, Job.Kind.DELETE, "primary", items=["team/old/"])
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED)
    job.refresh_from_db()
    Grant.objects.filter(user=pat, prefix="team/").delete()
    pat = User.objects.get(pk=pat.pk)
    with pytest.raises(PermissionDenied):
        services.resume_job(pat, job)
    assert Job.objects.get(pk=job.pk).state == Job.State.FAILED
