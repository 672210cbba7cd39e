"""How a job reads on a page (console/jobs/presenting.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from console.jobs import presenting
from console.jobs.models import Job


def job(**fields) -> Job:
    values = dict(kind=Job.Kind.COPY, connection="primary", state=Job.State.RUNNING,
                  params={"items": [["a/x.txt", "b/x.txt"]], "conflict": "keep_both"})
    return Job(**{**values, **fields})


@pytest.mark.parametrize("fields, title", [
    ({}, "Copy a/x.txt to b/x.txt"),
    ({"kind": Job.Kind.MOVE, "params": {"items": [["a/x", "c/x"], ["a/y/", "c/y/"]]}}, "Move 2 items to c/"),
    ({"kind": Job.Kind.DELETE, "params": {"items": ["a/b/"]}}, "Delete a/b/"),
    ({"kind": Job.Kind.DELETE, "params": {"items": ["x.txt", "y/"]}}, "Delete 2 items in the top folder"),
    ({"kind": Job.Kind.FOLDER_SIZE, "params": {"items": [""]}}, "Size of the whole bucket"),
    ({"kind": Job.Kind.ABORT_UPLOADS, "params": {"prefix": "v/", "older_than_days": 1}},
     "Abort uploads older than 1 day in v/"),
    ({"dest_connection": "backup", "params": {"items": [["photos/", "archive/photos/"]]}},
     "Copy from primary:photos/ to backup:archive/photos/"),
    ({"kind": Job.Kind.MOVE, "dest_connection": "backup", "params": {"items": [["a/x", "c/x"], ["a/y/", "c/y/"]]}},
     "Move 2 items from primary:a/ to backup:c/"),
])
def test_a_job_has_a_title_in_words(fields, title):
    assert presenting.title(job(**fields)) == title


def test_progress_is_a_percentage_only_once_the_total_is_known():
    counting = job(phase="counting")
    assert (presenting.percent(counting), presenting.bar_text(counting)) == (None, "Counting the objects")
    running = job(objects_total=3000, objects_done=1234, objects_failed=6, phase="working")
    assert presenting.percent(running) == 41
    assert presenting.bar_text(running) == "1,240 of 3,000 objects (41%)"
    assert presenting.percent(job(objects_total=10, objects_done=10)) == 99  # 100 is for done only
    assert presenting.percent(job(state=Job.State.DONE, objects_total=10, objects_done=10)) == 100
    assert presenting.bar_text(job(objects_done=5, phase="working")) == "5 objects so far"
    assert presenting.bar_text(job(state=Job.State.QUEUED)) == "Waiting for a worker"


def test_counts_rate_and_time_left_read_as_a_person_would_say_them():
    running = job(objects_total=3000, objects_done=1000, bytes_total=3 * 1024 ** 2, bytes_done=1024 ** 2,
                  objects_skipped=2, rate_objects=250.4, rate_bytes=2048)
    assert presenting.counts(running) == "1,000 of 3,000 objects · 1.0\xa0MB of 3.0\xa0MB · 2 skipped"
    assert presenting.speed(running) == "250 objects/s, 2.0\xa0KB/s · about 8 s left"
    assert presenting.speed(job(state=Job.State.DONE, rate_objects=9)) == ""
    assert [presenting.duration(s) for s in (8, 200, 3700, 7200)] == ["8 s", "3 min", "1 h 2 min", "2 h"]
    aborts = job(kind=Job.Kind.ABORT_UPLOADS, params={"prefix": ""}, objects_total=1, objects_done=1)
    assert presenting.counts(aborts) == "1 of 1 upload"


def test_only_a_job_stopped_before_its_end_can_be_resumed():
    assert presenting.stopped_early(job(state=Job.State.CANCELLED, objects_total=5, objects_done=5))
    assert presenting.stopped_early(job(state=Job.State.FAILED, objects_total=5, objects_done=2))
    assert presenting.stopped_early(job(state=Job.State.FAILED))  # stopped before knowing its total
    assert not presenting.stopped_early(job(state=Job.State.FAILED, objects_total=5, objects_done=3, objects_failed=2))
    assert not presenting.stopped_early(job(state=Job.State.DONE, objects_total=5, objects_done=5))


def test_the_actions_follow_who_may_control_the_job(users):
    mine = Job.objects.create(kind=Job.Kind.COPY, connection="primary", created_by=users["editor"],
                              state=Job.State.FAILED, objects_total=3, objects_done=1, objects_failed=2,
                              params={"items": [["a", "b"]], "conflict": "skip"},
                              finished_at=dt.datetime.now(dt.UTC))
    owner, admin, other = (presenting.card(mine, users[name]) for name in ("editor", "admin", "viewer"))
    assert (owner.can_retry, owner.can_resume, owner.can_cancel) == (True, False, False)
    assert (admin.can_retry, other.can_retry) == (True, False)
    users["editor"].groups.set([Group.objects.get(name="viewer")])  # demoted: a viewer may not copy
    del users["editor"]._role_names
    assert not presenting.card(mine, users["editor"]).can_retry


def test_the_panels_running_ids_skip_what_only_looks_like_a_number():
    from console.jobs.panel import ids_param

    assert ids_param("1,²,৩,3") == {1, 3}  # "²".isdigit() is True, int("²") raises: was a 500


def test_a_total_that_is_a_lower_bound_says_at_least_and_promises_no_time_left():
    running = job(kind=Job.Kind.DELETE, params={"items": ["a/"]}, objects_total=4000, objects_total_at_least=True,
                  objects_done=1000, phase="working", rate_objects=500)
    assert (presenting.percent(running), presenting.bar_text(running)) == (25, "1,000 of at least 4,000 objects")
    assert presenting.counts(running) == "1,000 of at least 4,000 objects"
    assert presenting.speed(running) == "500 objects/s"  # no "about 6 s left": it may be more
    cancelled = job(kind=Job.Kind.DELETE, state=Job.State.CANCELLED, objects_total=4000, objects_total_at_least=True,
                    objects_done=1000)
    assert presenting.bar_text(cancelled) == "Cancelled: 1,000 of at least 4,000 objects"


def test_a_stopped_job_counts_what_it_did_not_reach_at_least():
    from console.jobs.runner import _stopped_because

    stopped = job(objects_total=4000, objects_total_at_least=True, objects_done=1000, objects_failed=1)
    assert _stopped_because(stopped, "Storage went away.") == (
        "Storage went away. Stopped: 1000 done, 0 skipped, 1 failed, at least 2999 not reached, of at least 4000.")
