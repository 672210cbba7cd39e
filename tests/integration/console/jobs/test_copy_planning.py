"""How a copy job finds out what is at its destinations before it copies (real SeaweedFS, run in this process)."""

from __future__ import annotations

import threading

import pytest

from console.jobs import services
from console.jobs.models import Job
from console.jobs.operations import copy as copy_operation
from storage.s3.gateway import S3Gateway
from tests.integration.console.jobs.support import files_under, put, put_all, run

pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection")


@pytest.fixture
def heads(monkeypatch):
    """The keys every HEAD asked about, from any thread."""
    asked: list[str] = []
    lock = threading.Lock()
    original = S3Gateway.get_object_meta

    def counting(self, oss_id, key, *args, **kwargs):
        with lock:
            asked.append(key)
        return original(self, oss_id, key, *args, **kwargs)

    monkeypatch.setattr(S3Gateway, "get_object_meta", counting)
    return asked


def copy_folder(users, key_prefix, conflict):
    return run(services.start_job(users["editor"], Job.Kind.COPY, "primary",
                                  items=[[key_prefix + "src/", key_prefix + "dst/"]], conflict=conflict))


def test_a_folder_copy_asks_about_its_destinations_with_one_listing_per_batch_not_a_head_each(
        users, key_prefix, settings, heads):
    settings.JOBS_BATCH_OBJECTS = 50
    put_all({f"{key_prefix}src/f{n:03}.txt": b"x" for n in range(120)})
    put(key_prefix + "dst/f007.txt", b"there before")
    job = copy_folder(users, key_prefix, "skip")
    assert (job.state, job.objects_done, job.objects_skipped) == (Job.State.DONE, 119, 1)
    assert files_under(key_prefix + "dst/")[key_prefix + "dst/f007.txt"] == b"there before"
    asked_at_dest = [key for key in heads if key.startswith(key_prefix + "dst/")]
    assert len(asked_at_dest) == 3  # the first destination of each of the 3 batches; a HEAD each was 120


def test_names_the_storage_lists_in_its_own_order_are_all_found(users, key_prefix):
    # SeaweedFS lists folder by folder ("photos/a.jpg" before "photos.zip"), S3 in byte order (after it): the
    # last destination it lists sorts before others by name.
    names = ["photos.zip", "photos/a.jpg", "photos-old/b.jpg", "photos/z/c.jpg"]
    put_all({f"{key_prefix}src/{name}": b"new" for name in names})
    put_all({f"{key_prefix}dst/{name}": b"old" for name in names})
    job = copy_folder(users, key_prefix, "keep_both")
    assert (job.state, job.objects_done) == (Job.State.DONE, 4)
    found = {key[len(key_prefix) + 4:]: body for key, body in files_under(key_prefix + "dst/").items()}
    assert {name: found[name] for name in names} == {name: b"old" for name in names}
    assert found["photos (2).zip"] == found["photos/a (2).jpg"] == found["photos/z/c (2).jpg"] == b"new"
    assert len(found) == 8


def test_a_destination_crowded_with_other_names_is_still_checked_exactly(users, key_prefix, settings, monkeypatch):
    settings.JOBS_BATCH_OBJECTS = 50
    monkeypatch.setattr(copy_operation, "HEADS_PER_PAGE", 1000)  # one listing page, then a HEAD for the rest
    put_all({f"{key_prefix}src/f{n:03}.txt": b"new" for n in range(5)})
    put_all({f"{key_prefix}dst/f000.txt-{n:04}": b"other" for n in range(1001)})  # between f000 and f001
    put_all({f"{key_prefix}dst/f000.txt": b"old", f"{key_prefix}dst/f004.txt": b"old"})
    job = copy_folder(users, key_prefix, "keep_both")
    assert (job.state, job.objects_done) == (Job.State.DONE, 5)
    dest = files_under(key_prefix + "dst/")
    assert dest[key_prefix + "dst/f004.txt"] == dest[key_prefix + "dst/f000.txt"] == b"old"
    assert dest[key_prefix + "dst/f004 (2).txt"] == dest[key_prefix + "dst/f000 (2).txt"] == b"new"
    assert dest[key_prefix + "dst/f001.txt"] == b"new"


def test_a_listed_name_that_would_land_outside_the_destination_fails_alone(users, key_prefix, monkeypatch):
    # SeaweedFS refuses such names, but another storage a job copies from may list one.
    from dataclasses import replace

    put_all({f"{key_prefix}src/a.txt": b"a", f"{key_prefix}src/b.txt": b"b"})
    original = S3Gateway.list_objects

    def listing_a_dot_dot_name(self, oss_id, prefix, *args, **kwargs):
        page = original(self, oss_id, prefix, *args, **kwargs)
        if prefix == key_prefix + "src/" and page.objects and not kwargs.get("start_after"):
            odd = replace(page.objects[0], key=key_prefix + "src/../../outside.txt")  # '.' sorts before 'a'
            return replace(page, objects=[odd, *page.objects])
        return page

    monkeypatch.setattr(S3Gateway, "list_objects", listing_a_dot_dot_name)
    job = copy_folder(users, key_prefix, "skip")
    assert (job.state, job.objects_done, job.objects_failed) == (Job.State.FAILED, 2, 1), job.last_error
    assert "cannot be written at the destination" in job.failures.get().cause
    assert set(files_under(key_prefix + "dst/")) == {key_prefix + "dst/a.txt", key_prefix + "dst/b.txt"}
