"""The Jobs panel, /jobs/, a job's page, and Cancel, Resume, Retry: who sees and may do what."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.utils import timezone

from console.jobs import services
from console.jobs.models import Job, JobFailure

HTMX = {"HTTP_HX_REQUEST": "true"}


def start(user, connection="primary", **fields) -> Job:
    job = services.start_job(user, Job.Kind.DELETE, connection, items=["a/"])
    if fields:
        Job.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
    return job


def finished(**fields) -> dict:
    return {"finished_at": timezone.now(), "started_at": timezone.now(), **fields}


def panel(client, connection="primary", **params):
    return client.get(f"/jobs/panel/{connection}/", params, **HTMX)


def bars(html: str) -> list[dict]:
    """Each progress bar's ARIA attributes."""
    return [dict(re.findall(r'(aria-value\w+)="([^"]*)"', tag)) for tag in re.findall(r'<div [^>]*role="progressbar"[^>]*>', html)]


# --- the panel ---


def test_the_panel_holds_my_running_and_recent_jobs_on_this_connection_only(users, as_editor):
    from storage.models import Connection

    Connection.objects.create(name="other", endpoint="http://127.0.0.1:9", bucket="jobs")
    running = start(users["editor"], state=Job.State.RUNNING, objects_total=200, objects_done=50)
    recent = start(users["editor"], **finished(state=Job.State.DONE, objects_total=3, objects_done=3))
    start(users["editor"], **finished(state=Job.State.DONE, finished_at=timezone.now() - dt.timedelta(days=8)))
    start(users["editor"], connection="other", state=Job.State.RUNNING)
    start(users["admin"], state=Job.State.RUNNING)
    html = panel(as_editor).content.decode()
    assert re.findall(r'data-job="(\d+)"', html) == [str(running.pk), str(recent.pk)]
    assert bars(html) == [{"aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "25",
                           "aria-valuetext": "50 of 200 objects (25%)"}]
    assert 'hx-trigger="every 2s"' in html and "All your jobs" in html


def test_a_bar_without_a_known_total_is_indeterminate_and_says_what_it_knows(users, as_editor):
    start(users["editor"], state=Job.State.RUNNING, objects_done=1500, phase="working")
    assert bars(panel(as_editor).content.decode()) == [
        {"aria-valuemin": "0", "aria-valuemax": "100", "aria-valuetext": "1,500 objects so far"}]


def test_a_bar_whose_total_is_a_lower_bound_fills_and_says_at_least(users, as_editor):
    start(users["editor"], state=Job.State.RUNNING, objects_total=4000, objects_total_at_least=True,
          objects_done=1000, phase="working")
    html = panel(as_editor).content.decode()
    assert bars(html) == [{"aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "25",
                           "aria-valuetext": "1,000 of at least 4,000 objects"}]
    assert "indeterminate" not in html and 'style="width: 25%"' in html


def test_the_panel_stops_polling_when_nothing_runs_and_is_absent_without_jobs(users, as_editor):
    assert 'id="jobs-panel" hidden' in panel(as_editor).content.decode()
    start(users["editor"], **finished(state=Job.State.DONE))
    html = panel(as_editor).content.decode()
    assert 'data-state="done"' in html and "hx-trigger" not in html


def test_a_job_seen_running_that_ended_is_announced_and_refreshes_the_listing(users, as_editor):
    job = start(users["editor"], state=Job.State.RUNNING)
    quiet = panel(as_editor, running=str(job.pk))
    assert "HX-Trigger" not in quiet and "hx-swap-oob" not in quiet.content.decode()
    Job.objects.filter(pk=job.pk).update(**finished(state=Job.State.DONE, objects_done=4, objects_total=4))
    ended = panel(as_editor, running=f"{job.pk},99999")
    assert json.loads(ended["HX-Trigger"]) == {"files-changed": {}}
    assert re.search(r'<p id="jobs-announce" hx-swap-oob="innerHTML">Delete a/: done\. 4 of 4 objects\.</p>',
                     ended.content.decode())


def test_the_page_a_panel_sends_people_back_to_stays_on_this_site(users, as_editor):
    start(users["editor"], state=Job.State.RUNNING)
    assert 'name="back" value="/files/primary/?prefix=a/"' in panel(as_editor, back="/files/primary/?prefix=a/").content.decode()
    assert 'name="back" value="/files/primary/"' in panel(as_editor, back="https://evil.example/").content.decode()
    assert 'name="back" value="/files/primary/"' in panel(as_editor, back="//evil.example/").content.decode()


# --- cancel, resume, retry ---


def test_cancel_from_the_panel_answers_with_the_panel_and_says_so(users, as_editor):
    job = start(users["editor"], state=Job.State.RUNNING)
    answer = as_editor.post(f"/jobs/{job.pk}/cancel/", {"from": "panel", "back": "/files/primary/"}, **HTMX)
    html = answer.content.decode()
    assert answer.status_code == 200 and html.lstrip().startswith('<section id="jobs-panel"')
    assert "Cancelling: the job stops within a few seconds." in html and ">Cancelling</span>" in html
    assert f'id="job-{job.pk}-cancel-panel"' not in html  # no second Cancel
    assert Job.objects.get(pk=job.pk).cancel_requested


def test_without_javascript_an_action_goes_back_where_the_person_was(users, as_editor):
    job = start(users["editor"])
    answer = as_editor.post(f"/jobs/{job.pk}/cancel/", {"back": "/files/primary/?prefix=a/"})
    assert (answer.status_code, answer["Location"]) == (302, "/files/primary/?prefix=a/")
    assert Job.objects.get(pk=job.pk).state == Job.State.CANCELLED
    elsewhere = as_editor.post(f"/jobs/{job.pk}/resume/", {"back": "https://evil.example/"})
    assert elsewhere["Location"] == f"/jobs/{job.pk}/"


def test_a_stopped_job_resumes_and_failed_objects_are_retried_as_a_new_job(users, as_editor):
    stopped = start(users["editor"], **finished(state=Job.State.FAILED, objects_total=10, objects_done=4,
                                                last_error="Storage unreachable."))
    html = panel(as_editor).content.decode()
    assert "Resume" in html and "Retry the failed ones" not in html
    as_editor.post(f"/jobs/{stopped.pk}/resume/", {"from": "panel"}, **HTMX)
    assert Job.objects.get(pk=stopped.pk).state == Job.State.QUEUED

    failed = start(users["editor"], **finished(state=Job.State.FAILED, objects_total=2, objects_done=1,
                                               objects_failed=1))
    JobFailure.objects.create(job=failed, key="a/x.txt", cause="Access denied by the storage.")
    html = panel(as_editor).content.decode()
    assert "<code>a/x.txt</code>: Access denied by the storage." in html and "Retry the failed ones" in html
    answer = as_editor.post(f"/jobs/{failed.pk}/retry/")
    retry = Job.objects.get(retry_of=failed)
    assert answer["Location"] == f"/jobs/{retry.pk}/"
    assert (retry.params["items"], retry.objects_total, retry.state) == (["a/x.txt"], 1, Job.State.QUEUED)


def test_others_jobs_are_not_found_and_a_starter_who_lost_the_role_is_refused(users, as_editor, as_admin):
    theirs = start(users["admin"], state=Job.State.RUNNING)
    for action in ("cancel", "resume", "retry"):
        assert as_editor.post(f"/jobs/{theirs.pk}/{action}/").status_code == 404
    assert as_editor.get(f"/jobs/{theirs.pk}/").status_code == 404
    mine = start(users["editor"], state=Job.State.RUNNING)
    users["editor"].groups.set([Group.objects.get(name="viewer")])
    page = as_editor.get(f"/jobs/{mine.pk}/").content.decode()
    assert "Cancel<" not in page  # the page hides what the person cannot do
    assert as_editor.post(f"/jobs/{mine.pk}/cancel/").status_code == 403
    assert not Job.objects.get(pk=mine.pk).cancel_requested
    assert as_admin.post(f"/jobs/{mine.pk}/cancel/").status_code == 302  # an admin may
    assert Job.objects.get(pk=mine.pk).cancel_requested


# --- /jobs/ and a job's page ---


def test_the_list_shows_my_jobs_newest_first_and_admins_everyones(users, as_editor, as_admin):
    mine = [start(users["editor"]) for _ in range(2)]
    theirs = start(users["admin"])
    html = as_editor.get("/jobs/").content.decode()
    assert re.findall(r'<tr data-job="(\d+)"', html) == [str(mine[1].pk), str(mine[0].pk)]
    assert "Started by" not in html
    html = as_admin.get("/jobs/").content.decode()
    assert re.findall(r'<tr data-job="(\d+)"', html)[0] == str(theirs.pk) and "Started by" in html


def test_the_list_filters_by_state_and_pages_by_25(users, as_editor):
    for _ in range(26):
        start(users["editor"], **finished(state=Job.State.DONE))
    failed = start(users["editor"], **finished(state=Job.State.FAILED))
    running = start(users["editor"], state=Job.State.RUNNING)
    assert re.findall(r'<tr data-job="(\d+)"', as_editor.get("/jobs/?state=failed").content.decode()) == [str(failed.pk)]
    active = as_editor.get("/jobs/?state=active").content.decode()
    assert re.findall(r'<tr data-job="(\d+)"', active) == [str(running.pk)] and 'hx-trigger="every 2s"' in active
    first, second = as_editor.get("/jobs/").content.decode(), as_editor.get("/jobs/?page=2").content.decode()
    assert len(re.findall(r"<tr data-job=", first)) == 25 and len(re.findall(r"<tr data-job=", second)) == 3
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "hx-trigger" not in as_editor.get("/jobs/?state=done").content.decode()  # nothing runs there


def test_a_job_page_names_the_folder_it_was_started_in(users, as_editor):
    job = services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=[["a/b/x.txt", "c/x.txt"]])
    page = as_editor.get(f"/jobs/{job.pk}/").content.decode()
    assert '<a href="/files/primary/?prefix=a%2Fb%2F">primary / a/b/</a>' in page
    assert "When a name is taken: keep both" in page


def test_a_job_page_announces_the_end_of_the_job_it_showed_running(users, as_editor):
    job = start(users["editor"], **finished(state=Job.State.DONE, objects_total=4, objects_done=4))
    ended = as_editor.get(f"/jobs/{job.pk}/", {"seen": "running"}, **HTMX).content.decode()
    assert '<p id="job-announce" hx-swap-oob="innerHTML">Delete a/: done. 4 of 4 objects.</p>' in ended
    assert "hx-swap-oob" not in as_editor.get(f"/jobs/{job.pk}/", {"seen": "done"}, **HTMX).content.decode()


@pytest.mark.parametrize("person, shown", [("viewer", True), ("editor", True), ("outsider", False)])
def test_the_header_links_to_the_jobs_of_people_with_a_role(users, person, shown, client):
    client.force_login(users[person])
    assert ('href="/jobs/"' in client.get("/").content.decode()) == shown


def test_a_start_beyond_the_persons_limit_is_refused_in_the_dialog_and_the_panel(users, as_editor, settings):
    settings.JOBS_MAX_ACTIVE_PER_USER = 1
    stopped = start(users["editor"], **finished(state=Job.State.CANCELLED))
    start(users["editor"])
    answer = as_editor.post("/files/primary/delete-folder/", {"prefix": "b/"})
    html = answer.content.decode()
    assert answer.status_code == 429 and "Delete the folder b?" in html
    assert re.search(r'role="alert">You have 1 job queued or running, the most one person may have at once', html)
    copy = as_editor.post("/files/primary/copy-move/", {"key": "a.txt", "confirm": "yes", "op": "copy",
                                                        "folder": "b", "name": "a.txt", "conflict": "skip"})
    assert copy.status_code == 429 and b'role="alert">You have 1 job queued or running' in copy.content
    from console.access.models import Grant
    from storage.models import Connection

    Grant.objects.create(connection=Connection.objects.get(name="primary"), user=users["editor"], role="manager")
    aborts = as_editor.post("/files/primary/incomplete/abort-old/", {"prefix": "", "days": "7", "confirm": "yes"})
    assert aborts.status_code == 429 and b'role="alert">You have 1 job queued or running' in aborts.content
    folder = as_editor.post("/files/primary/folder-size/", {"prefix": "b/"})  # a button on the folder's page
    assert folder.status_code == 302 and unquote(folder["Location"]) == "/files/primary/?prefix=b/"
    assert [str(m) for m in get_messages(folder.wsgi_request)][0].startswith("You have 1 job queued or running")
    resumed = as_editor.post(f"/jobs/{stopped.pk}/resume/", {"from": "panel", "back": "/files/primary/"}, **HTMX)
    assert resumed.status_code == 200 and b"You have 1 job queued or running" in resumed.content
    assert Job.objects.count() == 2 and Job.objects.get(pk=stopped.pk).state == Job.State.CANCELLED


def test_a_viewer_here_who_edits_another_connection_copies_into_it_and_only_there(users, client):
    """Reading here is enough for a copy; the dialog offers where the person may write, and nothing else."""
    from django.contrib.auth.models import User

    from console.access.models import Grant
    from storage.models import Connection

    backup = Connection.objects.create(name="backup", endpoint="http://127.0.0.2:9", bucket="other")
    pat = User.objects.create_user("pat")
    Grant.objects.create(connection=Connection.objects.get(name="primary"), user=pat, role="viewer")
    client.force_login(pat)
    assert client.get("/files/primary/copy-move/?key=a.txt").status_code == 403  # writes nowhere: nothing to offer
    Grant.objects.create(connection=backup, user=pat, role="editor")
    form = client.get("/files/primary/copy-move/?key=a.txt").content.decode()
    assert 'name="to" value="backup"' in form and 'value="primary"' not in form  # the one place it may write
    copy = {"key": "a.txt", "confirm": "yes", "op": "copy", "to": "backup", "folder": "in", "name": "a.txt",
            "conflict": "skip"}
    assert client.post("/files/primary/copy-move/", copy).status_code in (200, 302)
    assert Job.objects.get().dest_connection == "backup"
    assert client.post("/files/primary/copy-move/", {**copy, "op": "move"}).status_code == 403  # a move edits here
    assert Job.objects.count() == 1
