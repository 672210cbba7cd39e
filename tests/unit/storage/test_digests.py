"""Digests as S3 writes them (storage/digests.py)."""

from __future__ import annotations

import base64
import hashlib
import zlib

import pytest

from storage.digests import Checksums, content_md5, is_plain_md5, multipart_etag, sha256_b64


def test_content_md5_sends_a_digest_given_as_is_and_refuses_one_that_is_not_a_digest():
    given = hashlib.md5(b"other").digest()
    assert content_md5(b"body") == base64.b64encode(hashlib.md5(b"body").digest()).decode()
    assert content_md5(b"body", given) == base64.b64encode(given).decode()  # the storage will refuse the body
    with pytest.raises(ValueError, match="16 bytes"):
        content_md5(b"body", hashlib.md5(b"body").hexdigest().encode())  # hex, not the digest


def test_an_etag_is_a_plain_md5_only_without_a_part_count():
    assert is_plain_md5(hashlib.md5(b"x").hexdigest()) and is_plain_md5('"' + hashlib.md5(b"x").hexdigest() + '"')
    assert not is_plain_md5(hashlib.md5(b"x").hexdigest() + "-2") and not is_plain_md5("") and not is_plain_md5("g" * 32)


def test_a_multipart_etag_is_the_md5_of_the_parts_digests_and_their_count():
    parts = [b"a" * 10, b"b" * 3]
    md5s = [hashlib.md5(p).hexdigest() for p in parts]
    assert multipart_etag(md5s) == hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest() + "-2"


def test_checksums_name_what_differs_from_what_the_storage_keeps():
    crc = base64.b64encode(zlib.crc32(b"hello world").to_bytes(4, "big")).decode()
    sums = Checksums({"sha256": sha256_b64(b"hello world"), "crc32": crc, "crc64nvme": "whatever"})
    sums.update(b"hello ")
    sums.update(b"world")
    assert sums.mismatches() == []  # what cannot be computed here (crc64nvme) is not compared
    wrong = Checksums({"sha256": sha256_b64(b"hello"), "crc32": crc})
    wrong.update(b"hello world")
    assert wrong.mismatches() == ["sha256"]
