"""A move deletes only what it copied, and a copy writes only where the job found room (review of the jobs engine)."""

from __future__ import annotations

import pytest

from console.jobs import services
from console.jobs.models import Job
from storage.s3.gateway import S3Gateway
from tests.integration.console.jobs.support import files_under, put, run

pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection")


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



def _fail_copies_from(number: int, monkeypatch):
    """Storage goes away from the `number`th copy on (what a real outage does to the job, sooner)."""
    from storage.gateway import StorageUnreachable

    real, calls = S3Gateway.server_copy, {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] >= number:
            raise StorageUnreachable("Storage for 'primary' is unreachable: connection refused.")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(S3Gateway, "server_copy", flaky)
    return lambda: monkeypatch.setattr(S3Gateway, "server_copy", real)


@pytest.mark.parametrize("conflict", ["skip", "keep_both"])
def test_a_resumed_move_never_overwrites_what_was_saved_at_a_destination_meanwhile(
        users, key_prefix, settings, monkeypatch, conflict):
    settings.JOBS_STORAGE_RETRY_SECONDS, settings.JOBS_IN_FLIGHT = 0, 1
    for n in range(5):
        put(f"{key_prefix}src/f{n}.txt", b"src %d" % n)
    storage_back = _fail_copies_from(3, monkeypatch)
    job = run(services.start_job(users["editor"], Job.Kind.MOVE, "primary",
                                 items=[[key_prefix + "src/", key_prefix + "dst/"]], conflict=conflict))
    assert (job.state, job.objects_done) == (Job.State.FAILED, 2), job.last_error
    storage_back()
    put(key_prefix + "dst/f4.txt", b"a new file someone saved while the job was stopped")
    job = run(services.resume_job(users["editor"], job))
    files = files_under(key_prefix)
    assert files[key_prefix + "dst/f4.txt"] == b"a new file someone saved while the job was stopped"
    assert files[key_prefix + "src/f4.txt"] == b"src 4"  # not moved, so kept
    # The random prefix itself may contain "f4", so match the file name only.
    assert {k: v for k, v in files.items() if not k.endswith("/f4.txt")} == {
        f"{key_prefix}dst/f{n}.txt": b"src %d" % n for n in range(4)}
    if conflict == "skip":
        assert (job.state, job.objects_done, job.objects_skipped) == (Job.State.DONE, 4, 1)
    else:
        assert (job.state, job.objects_done, job.objects_failed) == (Job.State.FAILED, 4, 1)
        assert "after the job chose that name" in job.failures.get().cause


def test_a_replayed_copy_recognises_its_own_earlier_copy(users, key_prefix, settings, monkeypatch):
    """A worker copied, then died before its checkpoint: the replay finds its own copy there and goes on."""
    from console.jobs.operations.copy import Copy

    settings.JOBS_IN_FLIGHT = 1
    put(key_prefix + "src/a.txt", b"A")
    put(key_prefix + "dst/a.txt", b"taken")
    real_one, died = Copy._one, {"once": False}

    def copy_then_die(self, item):
        outcome = real_one(self, item)
        if not died["once"]:
            died["once"] = True
            from storage.gateway import StorageUnreachable

            raise StorageUnreachable("the worker's network went away after the copy")
        return outcome

    settings.JOBS_STORAGE_RETRY_SECONDS = 0
    monkeypatch.setattr(Copy, "_one", copy_then_die)
    job = run(services.start_job(users["editor"], Job.Kind.MOVE, "primary",
                                 items=[[key_prefix + "src/", key_prefix + "dst/"]], conflict="keep_both"))
    monkeypatch.setattr(Copy, "_one", real_one)
    assert files_under(key_prefix + "dst/") == {key_prefix + "dst/a.txt": b"taken", key_prefix + "dst/a (2).txt": b"A"}
    job = run(services.resume_job(users["editor"], job))
    assert (job.state, job.objects_done) == (Job.State.DONE, 1), job.last_error
    assert files_under(key_prefix) == {key_prefix + "dst/a.txt": b"taken", key_prefix + "dst/a (2).txt": b"A"}


def test_a_move_whose_source_was_deleted_by_someone_else_after_the_copy_is_done(users, key_prefix, monkeypatch):
    """The conditional delete of a source that is gone: SeaweedFS answers 412, AWS 404; either way, moved."""
    put(key_prefix + "a.txt", b"A")
    real_head = S3Gateway.get_object_meta

    def head_then_delete(self, connection, key, *args, **kwargs):
        meta = real_head(self, connection, key, *args, **kwargs)
        if key == key_prefix + "b.txt":
            S3Gateway.delete_file(self, connection, key_prefix + "a.txt")
        return meta

    monkeypatch.setattr(S3Gateway, "get_object_meta", head_then_delete)
    job = run(services.start_job(users["editor"], Job.Kind.MOVE, "primary",
                                 items=[[key_prefix + "a.txt", key_prefix + "b.txt"]]))
    assert (job.state, job.objects_done) == (Job.State.DONE, 1), list(job.failures.values_list("cause"))
    assert files_under(key_prefix) == {key_prefix + "b.txt": b"A"}
