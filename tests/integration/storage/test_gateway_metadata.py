"""User metadata on every upload path and every gateway: what is written is what a HEAD (and a read) gives back,
names in lower case; what S3 would refuse or mangle is refused before anything reaches the storage."""

from __future__ import annotations

import io
import os

import pytest
import requests

from storage.gateway import InvalidRequest, ObjectNotFound

MiB = 1024 * 1024
GIVEN = {"Owner": "ann", "x-amz-meta-Project": "apollo 11"}
STORED = {"owner": "ann", "project": "apollo 11"}


def upload_by_each_path(g, oss, key_prefix, tmp_path):
    """Each upload path, writing GIVEN; yields the key written."""
    g.simple_upload(oss, key_prefix + "simple", b"x", metadata=GIVEN)
    yield key_prefix + "simple"
    g.upload_file(oss, key_prefix + "small", io.BytesIO(b"small"), 5, metadata=GIVEN)
    yield key_prefix + "small"
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(17 * MiB))  # above the multipart threshold
    with open(path, "rb") as f:
        g.upload_file(oss, key_prefix + "multipart", f, 17 * MiB, metadata=GIVEN)
    yield key_prefix + "multipart"
    g.put_object(oss, key_prefix + "put", b"put", metadata=GIVEN)
    yield key_prefix + "put"
    upload_id = g.create_multipart_upload(oss, key_prefix + "parts", metadata=GIVEN)
    etag = g.upload_part(oss, key_prefix + "parts", upload_id, 1, b"one part")
    g.complete_multipart_upload(oss, key_prefix + "parts", upload_id, [(1, etag)])
    yield key_prefix + "parts"
    signed = g.get_upload_request(oss, key_prefix + "signed", 60, metadata=GIVEN)
    answer = requests.request(signed.method, signed.url, data=b"signed", headers=signed.headers, timeout=10)
    assert answer.status_code == 200, answer.text
    yield key_prefix + "signed"


def test_every_upload_path_stores_the_metadata_a_head_and_a_read_give_back(case, key_prefix, tmp_path):
    g, oss = case.gateway, case.oss_id
    for key in upload_by_each_path(g, oss, key_prefix, tmp_path):
        assert g.get_object_meta(oss, key).metadata == STORED, key
        with g.open_object(oss, key) as stream:
            assert stream.meta.metadata == STORED, key


def test_a_signed_put_needs_its_metadata_headers_as_signed(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    signed = g.get_upload_request(oss, key_prefix + "a", 60, metadata={"owner": "ann"})
    assert signed.headers["x-amz-meta-owner"] == "ann"
    others = {**signed.headers, "x-amz-meta-owner": "eve"}
    answer = requests.request(signed.method, signed.url, data=b"a", headers=others, timeout=10)
    assert answer.status_code == 403, "a value other than the one signed is refused"


# Every rule is in tests/unit/storage/test_object_headers.py; here, that every path applies them.
@pytest.mark.parametrize("metadata, words", [
    ({"owner": "café"}, "printable ASCII"),
    ({"Owner": "a", "owner": "b"}, "given twice"),
    ({"a": "x" * 1024, "b": "x" * 1024}, "at most 2048 bytes"),
])
def test_metadata_s3_would_refuse_or_mangle_is_refused_before_anything_is_sent(case, key_prefix, metadata, words):
    g, oss = case.gateway, case.oss_id
    for upload in (lambda: g.simple_upload(oss, key_prefix + "a", b"x", metadata=metadata),
                   lambda: g.upload_file(oss, key_prefix + "a", io.BytesIO(b"x"), 1, metadata=metadata),
                   lambda: g.put_object(oss, key_prefix + "a", b"x", metadata=metadata),
                   lambda: g.create_multipart_upload(oss, key_prefix + "a", metadata=metadata),
                   lambda: g.get_upload_request(oss, key_prefix + "a", 60, metadata=metadata)):
        with pytest.raises(InvalidRequest, match=words):
            upload()
    with pytest.raises(ObjectNotFound):
        g.get_object_meta(oss, key_prefix + "a")
    assert g.list_multipart_uploads(oss, key_prefix) == []


def test_metadata_of_exactly_2_kb_is_stored(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    metadata = {"a": "x" * 1000, "b": "y" * 1000, "c": "z" * 45}  # 3 + 2045 = 2048 bytes, as S3 counts them
    g.simple_upload(oss, key_prefix + "full", b"x", metadata=metadata)
    assert g.get_object_meta(oss, key_prefix + "full").metadata == metadata


# --- found by the s29 attack pass ---

def test_an_empty_value_is_refused_not_dropped_on_the_way(case, key_prefix):
    """SeaweedFS drops an empty x-amz-meta-* header, so a HEAD would give back less than was written: it is
    refused in words instead (the promise: what is written is what a HEAD gives back, or a refusal)."""
    g, oss = case.gateway, case.oss_id
    with pytest.raises(InvalidRequest, match="has no value"):
        g.simple_upload(oss, key_prefix + "empty", b"x", metadata={"reviewed": "", "owner": "ann"})
    with pytest.raises(ObjectNotFound):
        g.get_object_meta(oss, key_prefix + "empty")


def test_one_value_within_the_2_kb_s3_allows_is_stored(case, key_prefix):
    """S3's rule is 2 KB of names and values together; the checker also caps each value at 1,024 characters
    (its Cache-Control limit), refusing metadata S3 accepts and the docstring says is allowed."""
    g, oss = case.gateway, case.oss_id
    metadata = {"summary": "s" * 2000}  # 7 + 2000 = 2007 bytes
    g.simple_upload(oss, key_prefix + "long", b"x", metadata=metadata)
    assert g.get_object_meta(oss, key_prefix + "long").metadata == metadata
