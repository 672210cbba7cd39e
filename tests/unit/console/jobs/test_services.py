"""Who may start and control jobs, and what a start refuses."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from console.jobs import services
from console.jobs.models import Job
from console.models import AuditEvent
from storage.gateway import InvalidKey


def test_starting_needs_the_role_the_manual_operation_needs(users):
    with pytest.raises(PermissionDenied):
        services.start_job(users["viewer"], Job.Kind.DELETE, "primary", items=["a/"])
    with pytest.raises(Http404):  # who holds no role on the connection is told nothing about it
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


@pytest.mark.parametrize("kind, items", [
    (Job.Kind.DELETE, "ab"),  # a string: its letters would be deleted as keys "a" and "b"
    (Job.Kind.DELETE, {"a.txt": 1}),
    (Job.Kind.DELETE, [["a.txt"]]),
    (Job.Kind.DELETE, [5]),
    (Job.Kind.DELETE, None),
    (Job.Kind.COPY, ["ab", "cd"]),  # strings of two letters: taken as pairs "a" -> "b"
    (Job.Kind.COPY, [["a.txt", 5]]),
    (Job.Kind.COPY, [["a.txt", "b.txt", "c.txt"]]),
    (Job.Kind.MOVE, "a.txt"),
])
def test_items_of_the_wrong_shape_are_refused(users, kind, items):
    with pytest.raises(InvalidKey):
        services.start_job(users["editor"], kind, "primary", items=items)
    assert not Job.objects.exists()


def test_a_job_takes_a_bounded_number_of_items(users):
    with pytest.raises(InvalidKey, match="at most"):
        services.start_job(users["editor"], Job.Kind.DELETE, "primary",
                           items=[f"k{n}" for n in range(services.MAX_ITEMS + 1)])
    with pytest.raises(InvalidKey):  # aborting uploads is a manager's (or an admin's)
        services.start_job(users["admin"], Job.Kind.ABORT_UPLOADS, "primary", prefix="", older_than_days="x")


@pytest.mark.parametrize("kind", [Job.Kind.MOVE, Job.Kind.COPY])
@pytest.mark.parametrize("items", [
    [["a.txt", "c.txt"], ["b.txt", "c.txt"]],  # two sources onto one name: the second overwrites the first
    [["a.txt", "b.txt"], ["b.txt", "c.txt"]],  # onto another item's source
    [["b.txt", "c.txt"], ["a.txt", "b.txt"]],
    [["a.txt", "x/b.txt"], ["x/", "y/"]],  # into a folder another item moves away
    [["x/", "y/"], ["a.txt", "y/z/a.txt"]],  # into a folder another item writes
    [["x/", "y/"], ["z/", "y/sub/"]],
    [["x/", "y/sub/"], ["z/", "y/"]],
    [["y/a.txt", "b.txt"], ["x/", "y/"]],  # a source inside another item's destination
])
def test_items_that_step_on_each_other_are_refused(users, kind, items):
    with pytest.raises(InvalidKey, match="overlap"):
        services.start_job(users["editor"], kind, "primary", items=items, conflict="overwrite")
    assert not Job.objects.exists()


def test_a_move_of_a_folder_and_of_something_inside_it_is_refused(users):
    with pytest.raises(InvalidKey, match="overlap"):
        services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=[["x/", "y/"], ["x/a.txt", "b.txt"]])
    with pytest.raises(InvalidKey, match="overlap"):
        services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=[["a.txt", "b.txt"], ["a.txt", "c.txt"]])


def test_items_that_do_not_overlap_are_accepted(users):
    items = [["x/", "y/"], ["xy/", "y2/"], ["a.txt", "y3/a.txt"], ["b.txt", "b2.txt"], ["y4/", "z/"]]
    assert services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=items).params["items"] == items
    copies = [["a.txt", "b.txt"], ["a.txt", "c.txt"], ["x/", "y/"], ["x/sub/", "z/"]]  # one source, two copies
    assert services.start_job(users["editor"], Job.Kind.COPY, "primary", items=copies).params["items"] == copies


def test_a_job_needs_a_connection_that_exists_and_is_enabled(users, as_editor):
    from storage.gateway import ConnectionNotFound
    from storage.models import Connection

    Connection.objects.create(name="off", bucket="b", enabled=False)
    for name in ("off", "ghost", "g" * 100):
        with pytest.raises(ConnectionNotFound):
            services.start_job(users["editor"], Job.Kind.DELETE, name, items=["a/"])
        answer = as_editor.post(f"/files/{name}/delete-folder/", {"prefix": "a/"})
        assert answer.status_code == 404 and b"no enabled connection" in answer.content
    assert not Job.objects.exists() and not AuditEvent.objects.filter(kind="job.started").exists()


def test_the_audit_names_who_cancelled_a_job(users):
    from console.jobs import lease

    queued = services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=["a/"])
    services.cancel_job(users["admin"], queued)
    running = services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=["b/"])
    lease.claim(running.pk, "w1")
    services.cancel_job(users["admin"], running)
    services.cancel_job(users["admin"], running)  # asked twice: one entry
    asked = AuditEvent.objects.filter(kind="job.cancel_requested").order_by("pk")
    assert [(e.detail["job"], e.actor) for e in asked] == [(queued.pk, users["admin"]), (running.pk, users["admin"])]


def test_a_person_may_have_a_bounded_number_of_jobs_queued_or_running_admins_too(users, settings):
    from console.jobs.limits import TooManyJobs

    settings.JOBS_MAX_ACTIVE_PER_USER = 2
    for name in ("editor", "admin"):
        jobs = [services.start_job(users[name], Job.Kind.DELETE, "primary", items=[f"{n}/"]) for n in range(2)]
        with pytest.raises(TooManyJobs, match="You have 2 jobs queued or running"):
            services.start_job(users[name], Job.Kind.FOLDER_SIZE, "primary", prefix="a/")
        Job.objects.filter(pk=jobs[0].pk).update(state=Job.State.RUNNING)
        with pytest.raises(TooManyJobs):
            services.start_job(users[name], Job.Kind.FOLDER_SIZE, "primary", prefix="a/")
        services.cancel_job(users[name], jobs[1])  # a finished job frees its place
        assert services.start_job(users[name], Job.Kind.FOLDER_SIZE, "primary", prefix="a/").state == "queued"
    assert services.start_job(users["viewer"], Job.Kind.FOLDER_SIZE, "primary", prefix="a/")  # others are not held
    assert Job.objects.filter(created_by=users["editor"]).count() == 3
    assert AuditEvent.objects.filter(kind="job.started").count() == 7  # a refused start is not recorded


def test_resuming_counts_against_the_limit_of_the_person_who_started_the_job(users, settings):
    from console.jobs.limits import TooManyJobs

    settings.JOBS_MAX_ACTIVE_PER_USER = 1
    stopped = services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=["a/"])
    services.cancel_job(users["editor"], stopped)
    services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=["b/"])
    with pytest.raises(TooManyJobs, match="You have 1 job queued"):
        services.resume_job(users["editor"], stopped)
    with pytest.raises(TooManyJobs, match="editor has 1 job queued"):
        services.resume_job(users["admin"], stopped)
    assert Job.objects.get(pk=stopped.pk).state == Job.State.CANCELLED
    settings.JOBS_MAX_ACTIVE_PER_USER = 0  # no limit
    assert services.resume_job(users["editor"], stopped).state == Job.State.QUEUED


@pytest.mark.parametrize("prefix, days, message", [
    ("", 0, "from 1 to 3,650"),  # uploads in progress right now
    ("", -1, "from 1 to 3,650"),
    ("", 3651, "from 1 to 3,650"),
    ("", 36_500, "from 1 to 3,650"),
    ("", 1.5, "from 1 to 3,650"),
    ("", True, "from 1 to 3,650"),
    ("", None, "from 1 to 3,650"),
    ("", "7 days", "from 1 to 3,650"),
    ("uploads", 7, "in a folder: give one ending in '/'"),  # the start of a key: uploads2024/ too
    (["a/"], 7, "in a folder"),
    ("../x/", 7, "'..' path segment"),
])
def test_old_uploads_are_aborted_in_a_folder_and_from_1_to_3650_days_old(users, prefix, days, message):
    with pytest.raises(InvalidKey, match=re.escape(message)):
        services.start_job(users["admin"], Job.Kind.ABORT_UPLOADS, "primary", prefix=prefix, older_than_days=days)
    assert not Job.objects.exists()


def test_an_age_of_old_uploads_may_come_as_digits(users):
    for prefix, days in (("", "3650"), ("uploads/2024/", 1)):
        job = services.start_job(users["admin"], Job.Kind.ABORT_UPLOADS, "primary", prefix=prefix, older_than_days=days)
        assert (job.params["prefix"], job.params["older_than_days"]) == (prefix, int(days))


# --- copy and move to another connection ---


@pytest.fixture
def backup(db):
    from storage.models import Connection

    return Connection.objects.create(name="backup", endpoint="http://127.0.0.2:9", bucket="other")


def test_a_copy_to_another_connection_records_it_and_says_so_in_the_audit(users, backup):
    job = services.start_job(users["editor"], Job.Kind.COPY, "primary", items=[["a/", "a/"]], conflict="skip",
                             dest_connection="backup")
    assert (job.connection, job.dest_connection, job.writes_to) == ("primary", "backup", "backup")
    started = AuditEvent.objects.get(kind="job.started")
    assert (started.connection, started.detail["dest_connection"]) == ("primary", "backup")
    from console.adminpages.audit_text import job_sentence

    assert job_sentence(started.kind, started.detail) == f"Copy job {job.pk} to the connection backup started."


def test_the_same_connection_named_as_the_destination_is_a_copy_within_it(users, backup):
    job = services.start_job(users["editor"], Job.Kind.COPY, "primary", items=[["a/", "b/"]],
                             dest_connection="primary")
    assert job.dest_connection == ""
    with pytest.raises(InvalidKey):  # within one connection, a folder still cannot go into itself
        services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=[["a/", "a/"]], dest_connection="primary")


@pytest.mark.parametrize("name", ["ghost", "off", None])
def test_a_destination_that_is_missing_or_disabled_is_refused_before_anything_is_queued(users, backup, name):
    from storage.gateway import ConnectionNotFound
    from storage.models import Connection

    Connection.objects.create(name="off", bucket="b", enabled=False)
    if name is None:  # the names are fine; the kind goes nowhere else
        with pytest.raises(InvalidKey):
            services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=["a/"], dest_connection="backup")
    else:
        with pytest.raises(ConnectionNotFound, match=f"no enabled connection named '{name}'"):
            services.start_job(users["editor"], Job.Kind.COPY, "primary", items=[["a/", "a/"]], dest_connection=name)
    assert not Job.objects.exists() and not AuditEvent.objects.exists()


def test_both_ends_of_a_copy_or_move_are_checked_in_one_place(users, backup):
    with pytest.raises(PermissionDenied):  # a viewer everywhere reads the source, and writes nowhere
        services.start_job(users["viewer"], Job.Kind.COPY, "primary", items=[["a/", "a/"]], dest_connection="backup")
    assert not Job.objects.exists()  # grants at each end: tests/unit/console/jobs/test_access.py


@pytest.mark.parametrize("items, refused", [
    ([["a/", "a/"]], False),  # the same keys, in another bucket
    ([["a/", "b/"], ["b/", "c/"]], False),  # a destination here is not a source there
    ([["a/", "x/"], ["b/", "x/y/"]], True),  # two items writing into each other, there
    ([["a/", "x/"], ["a/b.txt", "y.txt"]], True),  # a move of a folder and of something in it
])
def test_overlaps_between_connections_are_those_at_one_end(users, backup, items, refused):
    start = lambda: services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=items,  # noqa: E731
                                       dest_connection="backup")
    if refused:
        with pytest.raises(InvalidKey, match="overlaps"):
            start()
    else:
        assert start().params["items"] == items


def test_two_connections_on_one_bucket_are_one_place_for_overlaps(users, primary):
    from storage.models import Connection

    Connection.objects.create(name="alias", endpoint=primary.endpoint, bucket=primary.bucket)
    with pytest.raises(InvalidKey):  # a move onto itself through another name would delete what it copied
        services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=[["a/", "a/"]], dest_connection="alias")
