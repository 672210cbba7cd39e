"""Each operation against the real SeaweedFS, run in this process the way a worker runs it."""

from __future__ import annotations

import datetime as dt

import pytest

from console.jobs import services
from console.jobs.models import FolderSize, Job
from console.models import AuditEvent
from storage.factory import get_gateway
from tests.integration.console.jobs.support import days_later, files_under, names_under, put, put_all, run

# transactional: the job's threads read the connection record through their own database connections.
pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection")


def test_a_folder_is_deleted_in_batches_with_its_markers_and_counted_exactly(users, key_prefix, settings):
    settings.JOBS_DELETE_BATCHES_IN_FLIGHT = 2
    put_all({f"{key_prefix}box/{n % 3}/f{n:05}.txt": b"x" * (n % 7) for n in range(2500)})
    put(key_prefix + "box/empty/", b"")
    put(key_prefix + "keep.txt")
    job = run(services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=[key_prefix + "box/"]))
    assert (job.state, job.objects_done, job.objects_failed) == (Job.State.DONE, 2500, 0)
    assert job.bytes_done == sum(n % 7 for n in range(2500))
    assert names_under(key_prefix) == ["keep.txt"]
    assert get_gateway().list_objects("primary", key_prefix).folders == []
    finished = AuditEvent.objects.get(kind="job.finished")
    assert (finished.detail["objects"], finished.detail["state"], finished.actor) == (2500, "done", users["editor"])


def test_a_cancel_during_a_folders_clean_up_stops_it_says_what_is_left_and_a_resume_finishes(
        users, key_prefix, monkeypatch):
    """Deleting the folders of a deep tree, deepest first, takes many requests: a cancel stops it between two."""
    from storage import folders
    from storage.s3.gateway import S3Gateway

    monkeypatch.setattr(folders, "BATCH", 10)  # 31 folder keys: four deletes
    box = key_prefix + "box/"
    put(box + "f.txt")
    put_all({f"{box}d{n:02}/": b"" for n in range(30)})
    job = services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=[box])
    real_delete = S3Gateway.delete_objects

    def delete(self, connection, keys):
        if any(key.endswith("/") for key in keys):  # the clean-up's first delete: the person presses Cancel
            services.cancel_job(users["editor"], Job.objects.get(pk=job.pk))
        return real_delete(self, connection, keys)

    monkeypatch.setattr(S3Gateway, "delete_objects", delete)
    job = run(job)
    left = get_gateway().list_objects("primary", box).folders
    assert job.state == Job.State.CANCELLED and len(left) == 20, (job.state, left)
    assert job.last_error == (f"Stopped while removing the folders of {box}: 20 folders in it are still to "
                              f"delete (the first: {box}d10/). Resume finishes it.")
    assert AuditEvent.objects.get(kind="job.cancelled").detail["error"] == job.last_error
    monkeypatch.setattr(S3Gateway, "delete_objects", real_delete)
    job = run(services.resume_job(users["editor"], job))
    assert (job.state, job.objects_done, job.last_error) == (Job.State.DONE, 1, "")
    assert get_gateway().list_objects("primary", key_prefix).folders == []


def test_a_selection_of_files_and_folders_is_deleted(users, key_prefix):
    for name in ("a.txt", "b.txt", "c.txt", "sub/d.txt", "sub/deep/e.txt"):
        put(key_prefix + name)
    items = [key_prefix + "a.txt", key_prefix + "c.txt", key_prefix + "sub/"]
    job = run(services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=items))
    assert (job.state, job.objects_done) == (Job.State.DONE, 4)
    assert names_under(key_prefix) == ["b.txt"]


@pytest.mark.parametrize("conflict, expected", [
    ("skip", {"a.txt": b"old a", "b.txt": b"src b", "sub/c.txt": b"src c"}),
    ("overwrite", {"a.txt": b"src a", "b.txt": b"src b", "sub/c.txt": b"src c"}),
    ("keep_both", {"a.txt": b"old a", "a (2).txt": b"src a", "a (3).txt": b"old a3", "b.txt": b"src b",
                   "sub/c.txt": b"src c"}),
])
def test_copying_a_folder_settles_conflicts_as_chosen(users, key_prefix, conflict, expected):
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        put(f"{key_prefix}src/{name}", f"src {name[-5]}".encode())
    put(key_prefix + "dst/a.txt", b"old a")
    if conflict == "keep_both":
        put(key_prefix + "dst/a (2).txt", b"old a2")
        get_gateway().delete_file("primary", key_prefix + "dst/a (2).txt")
        put(key_prefix + "dst/a (3).txt", b"old a3")
    job = run(services.start_job(users["editor"], Job.Kind.COPY, "primary",
                                 items=[[key_prefix + "src/", key_prefix + "dst/"]], conflict=conflict))
    assert job.state == Job.State.DONE and job.objects_total == 3
    assert files_under(key_prefix + "dst/") == {key_prefix + "dst/" + k: v for k, v in expected.items()}
    assert len(files_under(key_prefix + "src/")) == 3
    assert (job.objects_done, job.objects_skipped) == ((2, 1) if conflict == "skip" else (3, 0))


def test_a_copy_keeps_content_type_and_metadata(users, key_prefix):
    put(key_prefix + "src/page.html", b"<p>", content_type="text/html")
    run(services.start_job(users["editor"], Job.Kind.COPY, "primary",
                           items=[[key_prefix + "src/", key_prefix + "dst/"]]))
    assert get_gateway().get_object_meta("primary", key_prefix + "dst/page.html").content_type == "text/html"


def test_a_large_object_is_copied_part_by_part(users, key_prefix, monkeypatch):
    import os

    from console.jobs.operations import copy

    monkeypatch.setattr(copy, "MULTIPART_COPY_ABOVE", 6 * 1024 * 1024)
    monkeypatch.setattr(copy, "COPY_PART_SIZE", 5 * 1024 * 1024)
    body = os.urandom(11 * 1024 * 1024)
    put(key_prefix + "src/big.bin", body, content_type="video/mp4")
    job = run(services.start_job(users["editor"], Job.Kind.MOVE, "primary",
                                 items=[[key_prefix + "src/big.bin", key_prefix + "dst/big.bin"]]))
    assert (job.state, job.bytes_done) == (Job.State.DONE, len(body))
    meta = get_gateway().get_object_meta("primary", key_prefix + "dst/big.bin")
    assert meta.etag.endswith("-3") and meta.content_type == "video/mp4"
    assert files_under(key_prefix) == {key_prefix + "dst/big.bin": body}


def test_a_folder_is_moved_and_its_empty_folders_go_too(users, key_prefix):
    for name in ("a.txt", "sub/b.txt"):
        put(f"{key_prefix}old/{name}")
    put(key_prefix + "old/empty/", b"")
    job = run(services.start_job(users["editor"], Job.Kind.MOVE, "primary",
                                 items=[[key_prefix + "old/", key_prefix + "new/"]]))
    assert job.state == Job.State.DONE, job.last_error
    assert names_under(key_prefix) == ["new/a.txt", "new/sub/b.txt"]
    assert get_gateway().list_objects("primary", key_prefix).folders == [key_prefix + "new/"]
    assert key_prefix + "new/empty/" in get_gateway().list_objects("primary", key_prefix + "new/").folders


def test_a_file_is_renamed(users, key_prefix):
    put(key_prefix + "a.txt", b"A")
    job = run(services.start_job(users["editor"], Job.Kind.MOVE, "primary",
                                 items=[[key_prefix + "a.txt", key_prefix + "b.txt"]]))
    assert job.state == Job.State.DONE
    assert files_under(key_prefix) == {key_prefix + "b.txt": b"A"}


def test_a_missing_source_fails_that_object_and_says_why(users, key_prefix):
    put(key_prefix + "a.txt")
    job = run(services.start_job(users["editor"], Job.Kind.COPY, "primary",
                                 items=[[key_prefix + "a.txt", key_prefix + "x/a.txt"],
                                        [key_prefix + "gone.txt", key_prefix + "x/gone.txt"]]))
    assert (job.state, job.objects_done, job.objects_failed) == (Job.State.FAILED, 1, 1)
    assert [(f.key, f.cause) for f in job.failures.all()] == [(key_prefix + "gone.txt", "There is no such object.")]
    assert job.last_error == "1 object failed; it is listed with its cause."
    put(key_prefix + "gone.txt")
    retry = services.retry_failed(users["editor"], job)
    retry = run(retry)
    assert (retry.state, retry.objects_done, retry.retry_of) == (Job.State.DONE, 1, job)
    assert names_under(key_prefix + "x/") == ["a.txt", "gone.txt"]


def test_a_folder_size_is_counted_and_kept_with_when(users, key_prefix):
    put_all({f"{key_prefix}big/{n % 4}/f{n}": b"y" * 3 for n in range(1203)})
    job = run(services.start_job(users["viewer"], Job.Kind.FOLDER_SIZE, "primary", prefix=key_prefix + "big/"))
    assert job.state == Job.State.DONE and job.result == {"objects": 1203, "bytes": 3609}
    size = services.folder_size("primary", key_prefix + "big/")
    assert (size.object_count, size.byte_count, size.job) == (1203, 3609, job)
    assert FolderSize.objects.count() == 1


def test_old_incomplete_uploads_are_aborted_and_new_ones_kept(users, key_prefix, monkeypatch):
    gateway = get_gateway()
    for name in ("a.bin", "b.bin", "sub/c.bin"):
        gateway.create_multipart_upload("primary", key_prefix + name)
    elsewhere = "elsewhere/" + key_prefix
    gateway.create_multipart_upload("primary", elsewhere + "d.bin")
    with monkeypatch.context() as later:
        days_later(later, 2, services)  # started two days ago, seen from the job's start
        job = services.start_job(users["admin"], Job.Kind.ABORT_UPLOADS, "primary", prefix=key_prefix,
                                 older_than_days=1)
    job = run(job)
    assert (job.state, job.objects_total, job.objects_done) == (Job.State.DONE, 3, 3)
    assert [u.key for u in gateway.list_multipart_uploads("primary", key_prefix)] == []
    assert len(gateway.list_multipart_uploads("primary", elsewhere)) == 1
    later = services.start_job(users["admin"], Job.Kind.ABORT_UPLOADS, "primary", prefix=elsewhere,
                               older_than_days=1)
    assert run(later).objects_total == 0
    assert dt.datetime.fromisoformat(later.params["before"]) < dt.datetime.now(dt.UTC) - dt.timedelta(hours=23)


def test_a_move_keeps_a_source_whose_copy_cannot_be_confirmed(users, key_prefix, monkeypatch):
    """The storage says the copy worked, but a HEAD of it shows another ETag: the source stays."""
    from storage.s3.gateway import S3Gateway

    real_copy = S3Gateway.server_copy

    def unconfirmed(self, *args, **kwargs):
        real_copy(self, *args, **kwargs)
        return "0" * 32

    monkeypatch.setattr(S3Gateway, "server_copy", unconfirmed)
    put(key_prefix + "a.txt", b"A")
    job = run(services.start_job(users["editor"], Job.Kind.MOVE, "primary",
                                 items=[[key_prefix + "a.txt", key_prefix + "b.txt"]]))
    assert (job.state, job.objects_done, job.objects_failed) == (Job.State.FAILED, 0, 1)
    assert "could not be confirmed" in job.failures.get().cause
    assert files_under(key_prefix)[key_prefix + "a.txt"] == b"A"
