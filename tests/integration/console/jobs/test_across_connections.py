"""Issue #14 item 5: copy and move between connections, against real SeaweedFS.

"twin" is another bucket on the same SeaweedFS with the same credentials: the storage copies by itself.
"other" is a second SeaweedFS with its own credentials: the bytes pass through the worker.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os

import pytest

from console.jobs import services
from console.jobs.models import Job
from console.models import AuditEvent
from storage.factory import get_gateway
from storage.s3.gateway import S3Gateway
from tests.integration.console.jobs.support import files_under, names_under, put, run, uploads_under

pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection")
MiB = 1024 * 1024


@pytest.fixture
def bytes_read(monkeypatch):
    """Every open_object call: the bytes that went through this process, by connection and key."""
    calls: list[tuple[str, str]] = []
    real = S3Gateway.open_object

    def spy(self, oss_id, key, **kwargs):
        calls.append((oss_id, key))
        return real(self, oss_id, key, **kwargs)

    monkeypatch.setattr(S3Gateway, "open_object", spy)
    return calls


def put_with_meta(key: str, body: bytes, connection: str = "primary") -> None:
    get_gateway().put_object(connection, key, body, content_type="text/csv", metadata={"owner": "ada"})


def copy(users, items, to: str, *, kind=Job.Kind.COPY, conflict="keep_both") -> Job:
    return run(services.start_job(users["editor"], kind, "primary", items=items, conflict=conflict,
                                  dest_connection=to))


def test_a_folder_copied_to_a_bucket_on_the_same_storage_never_passes_through_the_worker(
        users, key_prefix, twin_connection, bytes_read):
    put_with_meta(key_prefix + "src/a.csv", b"a,b\n")
    put(key_prefix + "src/sub/b.txt", b"B")
    job = copy(users, [[key_prefix + "src/", key_prefix + "dst/"]], "twin")
    assert (job.state, job.objects_done, job.bytes_done) == (Job.State.DONE, 2, 5), job.last_error
    assert bytes_read == []  # CopyObject from bucket to bucket: no object's bytes came here
    assert files_under(key_prefix + "dst/", "twin") == {key_prefix + "dst/a.csv": b"a,b\n",
                                                        key_prefix + "dst/sub/b.txt": b"B"}
    meta = get_gateway().get_object_meta("twin", key_prefix + "dst/a.csv")
    assert (meta.content_type, meta.metadata) == ("text/csv", {"owner": "ada"})
    assert names_under(key_prefix) == ["src/a.csv", "src/sub/b.txt"]


def test_a_folder_copied_to_another_storage_streams_through_the_worker_keeping_type_and_metadata(
        users, key_prefix, other_connection, bytes_read):
    put_with_meta(key_prefix + "src/a.csv", b"a,b\n")
    put(key_prefix + "src/sub/b.txt", b"B")
    put(key_prefix + "src/empty/", b"")
    job = copy(users, [[key_prefix + "src/", key_prefix + "dst/"]], "other")
    assert (job.state, job.objects_done, job.bytes_done) == (Job.State.DONE, 3, 5), job.last_error  # 2 + a folder
    assert sorted(bytes_read) == [("primary", key_prefix + "src/a.csv"), ("primary", key_prefix + "src/sub/b.txt")]
    assert files_under(key_prefix + "dst/", "other") == {key_prefix + "dst/a.csv": b"a,b\n",
                                                         key_prefix + "dst/sub/b.txt": b"B"}
    meta = get_gateway().get_object_meta("other", key_prefix + "dst/a.csv")
    assert (meta.content_type, meta.metadata, meta.etag) == ("text/csv", {"owner": "ada"}, hashlib.md5(b"a,b\n").hexdigest())
    assert key_prefix + "dst/empty/" in get_gateway().list_objects("other", key_prefix + "dst/").folders
    assert len(files_under(key_prefix)) == 2
    assert job.dest_connection == "other" and "to the connection other" not in job.target
    started = AuditEvent.objects.get(kind="job.started", detail__job=job.pk)
    assert (started.connection, started.detail["dest_connection"]) == ("primary", "other")


@pytest.mark.parametrize("to", ["twin", "other"])
def test_a_folder_is_moved_to_another_connection_and_leaves_nothing_behind(users, key_prefix, to, request):
    request.getfixturevalue(f"{to}_connection")
    for name in ("a.txt", "sub/b.txt"):
        put(f"{key_prefix}old/{name}")
    put(key_prefix + "old/empty/", b"")
    job = copy(users, [[key_prefix + "old/", key_prefix + "new/"]], to, kind=Job.Kind.MOVE)
    assert (job.state, job.objects_done) == (Job.State.DONE, 3), job.last_error  # 2 files and a folder
    assert names_under(key_prefix + "new/", to) == ["a.txt", "sub/b.txt"]
    assert files_under(key_prefix) == {}
    assert get_gateway().list_objects("primary", key_prefix).folders == []


@pytest.mark.parametrize("conflict, expected", [
    ("skip", {"a.txt": b"old a", "b.txt": b"src b"}),
    ("overwrite", {"a.txt": b"src a", "b.txt": b"src b"}),
    ("keep_both", {"a.txt": b"old a", "a (2).txt": b"src a", "b.txt": b"src b"}),
])
def test_names_taken_on_the_other_connection_are_settled_as_chosen(users, key_prefix, other_connection, conflict,
                                                                    expected):
    put(key_prefix + "src/a.txt", b"src a")
    put(key_prefix + "src/b.txt", b"src b")
    put(key_prefix + "dst/a.txt", b"old a", connection="other")
    put(key_prefix + "dst/b.txt", b"taken on the source's connection: no obstacle on the other one")
    job = copy(users, [[key_prefix + "src/", key_prefix + "dst/"]], "other", conflict=conflict)
    assert job.state == Job.State.DONE, job.last_error
    assert files_under(key_prefix + "dst/", "other") == {key_prefix + "dst/" + k: v for k, v in expected.items()}
    assert (job.objects_done, job.objects_skipped) == ((1, 1) if conflict == "skip" else (2, 0))


def test_an_object_larger_than_a_part_is_streamed_in_parts_and_checked(users, key_prefix, other_connection,
                                                                       settings, bytes_read):
    settings.JOBS_STREAM_PART_MB, settings.JOBS_STREAM_PARTS_IN_FLIGHT = 5, 2
    body = os.urandom(12 * MiB)
    get_gateway().put_object("primary", key_prefix + "big.bin", body, content_type="video/mp4",
                             metadata={"take": "3"})
    job = copy(users, [[key_prefix + "big.bin", key_prefix + "copy/big.bin"]], "other", kind=Job.Kind.MOVE)
    assert (job.state, job.bytes_done) == (Job.State.DONE, len(body)), job.last_error
    meta = get_gateway().get_object_meta("other", key_prefix + "copy/big.bin")
    assert meta.etag.endswith("-3") and (meta.content_type, meta.metadata) == ("video/mp4", {"take": "3"})
    assert files_under(key_prefix, "other") == {key_prefix + "copy/big.bin": body}
    assert files_under(key_prefix) == {}  # moved
    assert len(bytes_read) == 3  # three ranged reads, one per part
    assert uploads_under(key_prefix, "other") == []


@pytest.fixture
def md5_bytes(monkeypatch):
    """The length of every piece of data MD5 hashed in this process from now on (any thread, any module)."""
    real, hashed = hashlib.md5, []

    class Counted:
        def __init__(self, data=b"", **kwargs):
            self._hash = real(data, **kwargs)
            hashed.append(len(data))

        def update(self, data):
            hashed.append(len(data))
            self._hash.update(data)

        def __getattr__(self, name):  # digest, hexdigest, ...
            return getattr(self._hash, name)

    monkeypatch.setattr(hashlib, "md5", Counted)
    return hashed


def test_each_byte_streamed_is_hashed_once_both_to_check_it_and_to_send_its_md5(users, key_prefix, other_connection,
                                                                                  settings, md5_bytes):
    settings.JOBS_STREAM_PART_MB, settings.JOBS_STREAM_PARTS_IN_FLIGHT = 5, 2
    gateway, big, small = get_gateway(), os.urandom(11 * MiB), os.urandom(1000)
    upload = gateway.create_multipart_upload("primary", key_prefix + "src/big.bin")  # in parts: no plain MD5 to check
    etags = [gateway.upload_part("primary", key_prefix + "src/big.bin", upload, n, body)
             for n, body in enumerate([big[:6 * MiB], big[6 * MiB:]], 1)]
    gateway.complete_multipart_upload("primary", key_prefix + "src/big.bin", upload, enumerate(etags, 1))
    put(key_prefix + "src/small.bin", small)
    md5_bytes.clear()
    job = copy(users, [[key_prefix + "src/", key_prefix + "dst/"]], "other")
    assert (job.state, job.bytes_done) == (Job.State.DONE, len(big) + len(small)), job.last_error
    assert gateway.get_object_meta("other", key_prefix + "dst/big.bin").etag.endswith("-3")
    data_hashed = sum(n for n in md5_bytes if n > 3 * 16)  # not the 3 parts' digests the expected ETag hashes
    assert data_hashed == len(big) + len(small)  # once, not twice: the check's digest went out as Content-MD5


def test_a_source_replaced_in_the_middle_of_its_copy_fails_that_object_and_mixes_nothing(
        users, key_prefix, other_connection, settings, monkeypatch):
    settings.JOBS_STREAM_PART_MB, settings.JOBS_STREAM_PARTS_IN_FLIGHT = 5, 1
    put(key_prefix + "big.bin", os.urandom(12 * MiB))
    put(key_prefix + "small.txt", b"fine")
    real, reads = S3Gateway.open_object, []

    def replace_after_the_first_part(self, oss_id, key, **kwargs):
        reads.append(kwargs.get("range"))
        if key.endswith("big.bin") and len(reads) == 2:
            put(key_prefix + "big.bin", os.urandom(12 * MiB))  # someone saves a new version meanwhile
        return real(self, oss_id, key, **kwargs)

    monkeypatch.setattr(S3Gateway, "open_object", replace_after_the_first_part)
    job = copy(users, [[key_prefix + "big.bin", key_prefix + "d/big.bin"], [key_prefix + "small.txt",
                                                                            key_prefix + "d/small.txt"]],
               "other", kind=Job.Kind.MOVE)
    assert (job.state, job.objects_done, job.objects_failed) == (Job.State.FAILED, 1, 1)
    assert "changed while it was being copied" in job.failures.get().cause
    assert names_under(key_prefix, "other") == ["d/small.txt"]  # no mix of the two versions, no part left
    assert uploads_under(key_prefix, "other") == []
    assert names_under(key_prefix) == ["big.bin"]  # the move kept it
    monkeypatch.undo()
    retry = run(services.retry_failed(users["editor"], job))  # to the same connection, the new version
    assert (retry.state, retry.dest_connection, retry.objects_done) == (Job.State.DONE, "other", 1), retry.last_error
    assert names_under(key_prefix, "other") == ["d/big.bin", "d/small.txt"] and names_under(key_prefix) == []


@pytest.mark.parametrize("injected", ["part etag", "object etag", "sha256"])
def test_bytes_that_fail_a_check_are_removed_and_the_move_keeps_its_source(
        users, key_prefix, other_connection, settings, monkeypatch, injected):
    settings.JOBS_STREAM_PART_MB = 5
    body = os.urandom(7 * MiB if injected == "part etag" else 1000)
    put(key_prefix + "a.bin", body)
    if injected == "part etag":
        real = S3Gateway.upload_part
        monkeypatch.setattr(S3Gateway, "upload_part", lambda self, *a, **k: "0" * 32 if real(self, *a, **k) else "")
    elif injected == "object etag":
        real = S3Gateway.put_object
        monkeypatch.setattr(S3Gateway, "put_object", lambda self, *a, **k: "0" * 32 if real(self, *a, **k) else "")
    else:
        real = S3Gateway.open_object

        def wrong_checksum(self, *args, **kwargs):
            stream = real(self, *args, **kwargs)
            stream.meta = dataclasses.replace(stream.meta, checksums={"sha256": "A" * 43 + "="})
            return stream

        monkeypatch.setattr(S3Gateway, "open_object", wrong_checksum)
    job = copy(users, [[key_prefix + "a.bin", key_prefix + "b.bin"]], "other", kind=Job.Kind.MOVE)
    assert (job.state, job.objects_failed) == (Job.State.FAILED, 1)
    cause = job.failures.get().cause
    assert {"part etag": "Part 1", "object etag": "arrived with ETag", "sha256": "sha256 checksum"}[injected] in cause
    assert files_under(key_prefix) == {key_prefix + "a.bin": body}
    assert files_under(key_prefix, "other") == {} and uploads_under(key_prefix, "other") == []


def test_a_checksum_the_storage_keeps_is_compared_with_the_bytes_streamed(users, key_prefix, other_connection,
                                                                          monkeypatch):
    from storage.digests import Checksums, sha256_b64

    gateway = get_gateway().gateway_for("primary")  # the S3 gateway itself, to put with a checksum
    spec = gateway.registry.get("primary")
    body = b"checked by SHA-256"
    gateway.clients.get(spec).put_object(Bucket=spec.bucket, Key=key_prefix + "a.txt", Body=body,
                                         ChecksumSHA256=sha256_b64(body))
    compared = []
    real = Checksums.mismatches
    monkeypatch.setattr(Checksums, "mismatches", lambda self: compared.append(dict(self.wanted)) or real(self))
    job = copy(users, [[key_prefix + "a.txt", key_prefix + "b.txt"]], "other")
    assert job.state == Job.State.DONE, job.last_error
    assert compared == [{"sha256": sha256_b64(body)}]


def test_cancel_is_honoured_between_the_parts_of_one_object(users, key_prefix, other_connection, settings,
                                                            monkeypatch):
    import time

    settings.JOBS_STREAM_PART_MB, settings.JOBS_STREAM_PARTS_IN_FLIGHT, settings.JOBS_LEASE_SECONDS = 5, 1, 2
    put(key_prefix + "big.bin", os.urandom(12 * MiB))
    job = services.start_job(users["editor"], Job.Kind.MOVE, "primary", dest_connection="other",
                             items=[[key_prefix + "big.bin", key_prefix + "d/big.bin"]])
    real, sent = S3Gateway.upload_part, []

    def cancel_after_the_first_part(self, *args, **kwargs):
        etag = real(self, *args, **kwargs)
        sent.append(args[3])
        if len(sent) == 1:
            services.cancel_job(users["editor"], job)
            time.sleep(2)  # the worker sees the request at its next look, within a lease's third
        return etag

    monkeypatch.setattr(S3Gateway, "upload_part", cancel_after_the_first_part)
    job = run(job)
    assert job.state == Job.State.CANCELLED and sent == [1]
    assert uploads_under(key_prefix, "other") == []  # the upload it abandoned was aborted
    assert files_under(key_prefix, "other") == {} and names_under(key_prefix) == ["big.bin"]


def test_a_resumed_job_sends_only_the_parts_its_upload_lacks(users, key_prefix, other_connection, settings,
                                                              monkeypatch):
    from storage.gateway import StorageUnreachable

    settings.JOBS_STREAM_PART_MB, settings.JOBS_STREAM_PARTS_IN_FLIGHT, settings.JOBS_STORAGE_RETRY_SECONDS = 5, 1, 0
    body = os.urandom(12 * MiB)
    put(key_prefix + "big.bin", body)
    real, sent = S3Gateway.upload_part, []

    def away_at_part_3(self, *args, **kwargs):
        if args[3] == 3 and "down" not in sent:
            sent.append("down")
            raise StorageUnreachable("Storage for 'other' is unreachable: connection refused.")
        sent.append(args[3])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(S3Gateway, "upload_part", away_at_part_3)
    job = copy(users, [[key_prefix + "big.bin", key_prefix + "d/big.bin"]], "other", kind=Job.Kind.MOVE)
    assert job.state == Job.State.FAILED and "unreachable" in job.last_error
    assert uploads_under(key_prefix, "other") == [key_prefix + "d/big.bin"]  # kept for the resume
    job = run(services.resume_job(users["editor"], job))
    assert (job.state, job.objects_done) == (Job.State.DONE, 1), job.last_error
    assert sent == [1, 2, "down", 3]  # parts 1 and 2 were not sent again
    assert files_under(key_prefix, "other") == {key_prefix + "d/big.bin": body}
    assert uploads_under(key_prefix, "other") == [] and files_under(key_prefix) == {}


def test_an_edition_that_cannot_stream_stops_the_job_with_the_cause(users, key_prefix, other_connection,
                                                                     monkeypatch):
    from storage.gateway import NotSupported

    def unsupported(self, *args, **kwargs):
        raise NotSupported("this edition cannot store an object with its metadata (put_object)")

    monkeypatch.setattr(S3Gateway, "put_object", unsupported)
    put(key_prefix + "a.txt")
    job = copy(users, [[key_prefix + "a.txt", key_prefix + "b.txt"]], "other", kind=Job.Kind.MOVE)
    assert job.state == Job.State.FAILED and "cannot store an object with its metadata (put_object)" in job.last_error
    assert names_under(key_prefix) == ["a.txt"]


def test_a_move_onto_the_same_bucket_under_another_host_name_never_deletes_its_only_copy(users, key_prefix,
                                                                                        seaweedfs):
    """"alias" is the session's bucket through http://localhost: not recognised as the same bucket (the bytes
    stream), so overwriting a.txt with itself must not end with the source, which is the copy, deleted."""
    from tests.conftest import add_connection, seaweed_spec

    add_connection(seaweed_spec(seaweedfs, name="alias", is_default=False,
                                endpoint=seaweedfs.endpoint.replace("127.0.0.1", "localhost")))
    put(key_prefix + "a.txt", b"the only copy")
    job = copy(users, [[key_prefix + "a.txt", key_prefix + "a.txt"]], "alias", kind=Job.Kind.MOVE,
               conflict="overwrite")
    assert (job.state, job.objects_failed) == (Job.State.FAILED, 1)
    assert "held this very version already" in job.failures.get().cause
    assert files_under(key_prefix) == {key_prefix + "a.txt": b"the only copy"}
