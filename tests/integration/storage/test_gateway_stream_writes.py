"""PutObject and UploadPart from a stream of a stated size, on every gateway: read once in chunks, memory flat in
the size, and nothing left behind when the stream fails, stops short or runs long (what the S3 endpoint relies on
when a client's request body passes through the console)."""

from __future__ import annotations

import hashlib
import os
import tracemalloc

import pytest
import requests

from storage.gateway import IncompleteBody, IntegrityFailure, ObjectHeaders, ObjectNotFound

MiB = 1024 * 1024
_BLOCK = os.urandom(MiB + 7)  # an odd length: pieces never line up with the chunks read


class Broken(Exception):
    """What a client's stream raises half-way (it went away, a chunk signature failed)."""


class Stream:
    """`length` bytes made up as they are read (none held), raising Broken after `fail_at` bytes if given."""

    def __init__(self, length: int, *, fail_at: int | None = None) -> None:
        self.length, self.fail_at, self.position = length, fail_at, 0
        self.md5 = hashlib.md5()

    def read(self, n: int = -1) -> bytes:
        if self.fail_at is not None and self.position >= self.fail_at:
            raise Broken("the client went away")
        n = self.length - self.position if n < 0 else min(n, self.length - self.position)
        n = min(n, len(_BLOCK))  # a read may answer with less than asked, as a socket's does
        start = self.position % len(_BLOCK)
        piece = _BLOCK[start:start + n]
        if len(piece) < n:
            piece += _BLOCK[:n - len(piece)]
        self.position += len(piece)
        self.md5.update(piece)
        return piece


def _stored_md5(case, key: str) -> str:
    digest = hashlib.md5()
    with case.gateway.open_object(case.oss_id, key) as stream:
        for chunk in stream:
            digest.update(chunk)
    return digest.hexdigest()


def _gone(case, key: str) -> bool:
    try:
        case.gateway.get_object_meta(case.oss_id, key)
    except ObjectNotFound:
        return True
    return False


def test_a_64_mib_stream_is_put_with_flat_memory(case, key_prefix):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "big.bin"
    stream = Stream(64 * MiB)
    g.put_object(oss, key, Stream(10), size=10)  # a first request: what it imports (an in-process manager) is not the put's
    tracemalloc.start()
    try:
        etag = g.put_object(oss, key, stream, size=64 * MiB, content_type="video/mp4")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB, f"a 64 MiB put held {peak / MiB:.1f} MiB at its peak"
    assert etag == stream.md5.hexdigest() == _stored_md5(case, key)
    meta = g.get_object_meta(oss, key)
    assert (meta.size, meta.content_type) == (64 * MiB, "video/mp4")


def test_a_part_is_streamed_with_flat_memory_and_completes(case, key_prefix):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "parts.bin"
    upload_id = g.create_multipart_upload(oss, key)
    first, second = Stream(24 * MiB), Stream(3 * MiB)
    g.put_object(oss, key, Stream(10), size=10)  # as above
    tracemalloc.start()
    try:
        etag1 = g.upload_part(oss, key, upload_id, 1, first, size=24 * MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB, f"a 24 MiB part held {peak / MiB:.1f} MiB at its peak"
    while second.read(MiB):
        pass
    md5 = second.md5.digest()
    etag2 = g.upload_part(oss, key, upload_id, 2, Stream(3 * MiB), size=3 * MiB, md5=md5)
    assert (etag1, etag2) == (first.md5.hexdigest(), md5.hex())
    g.complete_multipart_upload(oss, key, upload_id, [(1, etag1), (2, etag2)])
    assert g.get_object_meta(oss, key).size == 27 * MiB


def test_a_stream_that_fails_half_way_leaves_no_object_and_the_old_one_intact(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    stream = Stream(16 * MiB, fail_at=8 * MiB)
    with pytest.raises(Broken):
        g.put_object(oss, key_prefix + "new.bin", stream, size=16 * MiB)
    assert stream.position == 8 * MiB  # read as sent: the storage had most of those 8 MiB when the request was cut
    assert _gone(case, key_prefix + "new.bin")
    g.put_object(oss, key_prefix + "old.bin", b"the old bytes")
    with pytest.raises(Broken):
        g.put_object(oss, key_prefix + "old.bin", Stream(16 * MiB, fail_at=8 * MiB), size=16 * MiB)
    assert g.download_file(oss, key_prefix + "old.bin") == b"the old bytes"


def test_a_part_that_fails_half_way_is_not_kept(case, key_prefix):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "parts.bin"
    upload_id = g.create_multipart_upload(oss, key)
    with pytest.raises(Broken):
        g.upload_part(oss, key, upload_id, 1, Stream(8 * MiB, fail_at=5 * MiB), size=8 * MiB)
    assert [p.part_number for p in g.list_parts(oss, key, upload_id)] == []
    g.abort_multipart_upload(oss, key, upload_id)


@pytest.mark.parametrize("length, size", [(3 * MiB, 5 * MiB), (5 * MiB, 3 * MiB), (10, 0)])
def test_a_stream_of_another_size_than_stated_raises_and_stores_nothing(case, key_prefix, length, size):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "sized.bin"
    with pytest.raises(IncompleteBody):
        g.put_object(oss, key, Stream(length), size=size)
    assert _gone(case, key)
    upload_id = g.create_multipart_upload(oss, key)
    with pytest.raises(IncompleteBody):
        g.upload_part(oss, key, upload_id, 1, Stream(length), size=size)
    assert g.list_parts(oss, key, upload_id) == []
    g.abort_multipart_upload(oss, key, upload_id)


def test_headers_and_metadata_are_stored_with_a_streamed_object(case, key_prefix):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "report.txt"
    headers = ObjectHeaders(content_type="text/plain; charset=utf-8", cache_control="max-age=60",
                            content_disposition='attachment; filename="report.txt"', content_encoding="identity",
                            content_language="en", metadata={"owner": "ann"}, expires="Wed, 21 Oct 2026 07:28:00 GMT")
    g.put_object(oss, key, Stream(100_000), size=100_000, headers=headers)
    meta = g.get_object_meta(oss, key)
    assert (meta.size, meta.content_type, meta.metadata) == (100_000, "text/plain; charset=utf-8", {"owner": "ann"})
    assert g.get_object_headers(oss, key) == headers
    answer = requests.get(g.get_download_url(oss, key), timeout=30)  # a download link (it asks for Cache-Control)
    assert answer.status_code == 200 and len(answer.content) == 100_000
    assert {name: answer.headers.get(name) for name in ("Content-Language", "Expires")} == {
        "Content-Language": "en", "Expires": "Wed, 21 Oct 2026 07:28:00 GMT"}


def test_bytes_with_a_size_that_is_not_theirs_are_refused(case, key_prefix):
    with pytest.raises(IncompleteBody):
        case.gateway.put_object(case.oss_id, key_prefix + "a.bin", b"12345", size=4)
    assert _gone(case, key_prefix + "a.bin")


def test_a_stream_put_that_must_not_overwrite_keeps_the_object_there(case, key_prefix):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "kept.bin"
    g.put_object(oss, key, b"first")
    with pytest.raises(IntegrityFailure):
        g.put_object(oss, key, Stream(2 * MiB), size=2 * MiB, dest_absent=True)
    assert g.download_file(oss, key) == b"first"
    g.put_object(oss, key_prefix + "new.bin", Stream(2 * MiB), size=2 * MiB, dest_absent=True)
    assert g.get_object_meta(oss, key_prefix + "new.bin").size == 2 * MiB
