"""The incomplete-uploads page: what is in progress, abort one, abort the old ones."""

from __future__ import annotations

import os

import pytest

from console.jobs.models import Job
from console.jobs.worker import run_pending_jobs
from console.models import AuditEvent
from storage.factory import get_gateway
from tests.integration.console.jobs.support import days_later
from tests.integration.files_support import put_part, start_multipart, url

pytestmark = pytest.mark.usefixtures("seaweed_connection")
MiB = 1024 * 1024


@pytest.fixture(autouse=True)
def no_leftovers(seaweed_connection):
    """The bucket is shared: start and end without uploads in progress."""
    gateway = get_gateway()

    def clean():
        for upload in gateway.list_multipart_uploads("primary"):
            gateway.abort_multipart_upload("primary", upload.key, upload.upload_id)

    clean()
    yield
    clean()


def test_it_lists_uploads_in_progress_with_their_parts(as_viewer, as_editor, key_prefix):
    upload_id, key = start_multipart(as_editor, key_prefix, "slow.bin", 20 * MiB)
    put_part(as_editor, upload_id, key, 1, os.urandom(5 * MiB))
    put_part(as_editor, upload_id, key, 2, os.urandom(5 * MiB))
    html = as_viewer.get(url("incomplete/")).content.decode()
    assert key in html and "2 (10.0\xa0MB)" in html
    assert "Abort" not in html  # viewers look, editors act


def test_an_editor_aborts_one_upload(as_editor, key_prefix):
    upload_id, key = start_multipart(as_editor, key_prefix, "one.bin", 20 * MiB)
    keep_id, keep = start_multipart(as_editor, key_prefix, "two.bin", 20 * MiB)
    answer = as_editor.post(url("incomplete/abort/"), {"key": key, "upload_id": upload_id})
    assert answer.status_code == 302
    assert [u.upload_id for u in get_gateway().list_multipart_uploads("primary", key_prefix)] == [keep_id]
    assert AuditEvent.objects.filter(kind="upload.aborted", target=key).exists()


def test_abort_old_asks_with_the_count_then_a_job_keeps_recent_uploads(transactional_db, as_editor, key_prefix,
                                                                       monkeypatch):
    from console.files.views import incomplete
    from console.jobs import services

    start_multipart(as_editor, key_prefix + "a/", "recent.bin", 20 * MiB)
    start_multipart(as_editor, key_prefix + "b/", "other.bin", 20 * MiB)
    ask = as_editor.post(url("incomplete/abort-old/"), {"prefix": key_prefix + "a", "days": "1"}).content.decode()
    assert "Abort 0 uploads?" in ask and "disabled" in ask
    days_later(monkeypatch, 2, incomplete, services)  # the uploads were started two days ago
    ask = as_editor.post(url("incomplete/abort-old/"), {"prefix": key_prefix + "a", "days": "1"}).content.decode()
    assert "Abort 1 upload?" in ask and not Job.objects.exists()
    assert f'name="prefix" value="{key_prefix}a/"' in ask  # "a" is the folder a/
    answer = as_editor.post(url("incomplete/abort-old/"), {"prefix": key_prefix + "a/", "days": "1", "confirm": "yes"})
    assert answer.status_code == 302 and answer["Location"] == url("incomplete/")
    run_pending_jobs()
    assert [u.key for u in get_gateway().list_multipart_uploads("primary", key_prefix)] == [key_prefix + "b/other.bin"]
    job = Job.objects.get()
    assert (job.kind, job.state, job.objects_done, job.params["prefix"]) == ("abort_uploads", "done", 1, key_prefix + "a/")
    assert "Abort uploads older than 1 day in" in as_editor.get(url("incomplete/")).content.decode()


@pytest.mark.parametrize("fields, message", [
    ({"days": "-3"}, "The age is a whole number of days, from 1 to 3,650 (ten years)."),
    ({"days": "0"}, "The age is a whole number of days, from 1 to 3,650 (ten years)."),  # uploads in progress now
    ({"days": "3651"}, "The age is a whole number of days, from 1 to 3,650 (ten years)."),
    ({"days": "1.5"}, "The age is a whole number of days, from 1 to 3,650 (ten years)."),
    ({"days": ""}, "The age is a whole number of days, from 1 to 3,650 (ten years)."),
    ({"days": "7", "prefix": "a//b"}, "The folder path has an empty folder name ('//')."),
    ({"days": "7", "prefix": "../up"}, "'.' and '..' are not folder names here"),
])
def test_abort_old_explains_a_bad_age_or_folder_and_starts_nothing(as_editor, fields, message):
    answer = as_editor.post(url("incomplete/abort-old/"), {**fields, "confirm": "yes"})
    html = answer.content.decode().replace("&#x27;", "'")
    assert answer.status_code == 200 and message in html and "Abort old uploads</h1>" in html
    assert not Job.objects.exists()


def test_viewers_cannot_abort(as_viewer):
    assert as_viewer.post(url("incomplete/abort-old/"), {"days": "0"}).status_code == 403
