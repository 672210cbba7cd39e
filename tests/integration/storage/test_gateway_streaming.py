"""The primitives a copy between storages is made of, on every gateway: a streamed read (open_object, pinned with
If-Match), a PutObject and an UploadPart that send the bytes' MD5 and answer with the ETag."""

from __future__ import annotations

import hashlib
import os

import pytest

from storage.digests import multipart_etag
from storage.gateway import IntegrityFailure

MiB = 1024 * 1024


def test_an_object_is_read_as_a_stream_whole_or_by_range(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    data = os.urandom(3 * MiB + 17)
    g.simple_upload(oss, key_prefix + "a.bin", data, content_type="video/mp4")
    etag = hashlib.md5(data).hexdigest()
    with g.open_object(oss, key_prefix + "a.bin") as stream:
        chunks = list(stream)
    assert b"".join(chunks) == data and max(len(c) for c in chunks) <= MiB  # it arrives piece by piece
    with g.open_object(oss, key_prefix + "a.bin", range=(MiB, 2 * MiB - 1), if_match=etag) as stream:
        assert (stream.meta.size, stream.meta.etag, stream.meta.content_type) == (len(data), etag, "video/mp4")
        assert stream.read() == data[MiB:2 * MiB]
    with g.open_object(oss, key_prefix + "a.bin", range=(3 * MiB, None)) as stream:
        assert stream.read() == data[3 * MiB:]


def test_a_read_pinned_to_an_etag_refuses_another_version(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "a.txt", b"first")
    g.simple_upload(oss, key_prefix + "a.txt", b"second")
    with pytest.raises(IntegrityFailure):
        g.open_object(oss, key_prefix + "a.txt", range=(0, 2), if_match=hashlib.md5(b"first").hexdigest())


def test_put_object_answers_the_md5_and_never_overwrites_when_told_not_to(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    etag = g.put_object(oss, key_prefix + "a.txt", b"hello", content_type="text/plain")
    assert etag == hashlib.md5(b"hello").hexdigest()
    with pytest.raises(IntegrityFailure):
        g.put_object(oss, key_prefix + "a.txt", b"other", dest_absent=True)
    assert g.download_file(oss, key_prefix + "a.txt") == b"hello"
    assert g.get_object_meta(oss, key_prefix + "a.txt").content_type == "text/plain"


def test_parts_sent_with_their_bytes_complete_into_the_object(case, key_prefix):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "big.bin"
    parts = [os.urandom(5 * MiB), os.urandom(1234)]
    upload = g.create_multipart_upload(oss, key, content_type="application/zip")
    etags = [g.upload_part(oss, key, upload, n, body) for n, body in enumerate(parts, 1)]
    assert etags == [hashlib.md5(body).hexdigest() for body in parts]
    assert g.complete_multipart_upload(oss, key, upload, enumerate(etags, 1)) == multipart_etag(etags)
    assert g.download_file(oss, key) == b"".join(parts)


def test_a_completion_on_condition_keeps_what_is_there(case, key_prefix):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "taken.bin"
    g.simple_upload(oss, key, b"there first")
    upload = g.create_multipart_upload(oss, key)
    etag = g.upload_part(oss, key, upload, 1, b"late")
    with pytest.raises(IntegrityFailure):
        g.complete_multipart_upload(oss, key, upload, [(1, etag)], dest_absent=True)
    assert g.download_file(oss, key) == b"there first"
    g.abort_multipart_upload(oss, key, upload)


def test_an_md5_given_by_the_caller_is_what_the_storage_checks_the_bytes_against(case, key_prefix):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "given.bin"
    body, other = os.urandom(5 * MiB), b"other bytes"
    assert g.put_object(oss, key_prefix + "a.txt", b"hello", md5=hashlib.md5(b"hello").digest()) == \
        hashlib.md5(b"hello").hexdigest()
    with pytest.raises(IntegrityFailure):
        g.put_object(oss, key_prefix + "b.txt", b"hello", md5=hashlib.md5(other).digest())
    assert g.get_object_meta(oss, key_prefix + "a.txt").size == 5
    assert g.list_objects(oss, key_prefix + "b", delimiter="").objects == []  # refused: nothing was stored
    upload = g.create_multipart_upload(oss, key)
    with pytest.raises(IntegrityFailure):
        g.upload_part(oss, key, upload, 1, body, md5=hashlib.md5(other).digest())
    etag = g.upload_part(oss, key, upload, 1, body, md5=hashlib.md5(body).digest())
    assert etag == hashlib.md5(body).hexdigest()
    assert g.complete_multipart_upload(oss, key, upload, [(1, etag)]) == multipart_etag([etag])
    assert g.download_file(oss, key) == body
