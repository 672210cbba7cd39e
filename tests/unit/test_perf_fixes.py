"""Fixes found by profiling the benchmarks (issue #7): same answers, less work."""

from __future__ import annotations

import io

from botocore.utils import parse_timestamp
from django.test import RequestFactory

from console.files.views import browse
from storage.s3.client import fast_timestamp
from storage.s3.gateway import _whole_disk_file


def test_fast_timestamp_gives_the_instant_botocore_gives():
    for text in ("2026-11-21T06:23:54.279Z", "2026-11-21T06:23:54Z", "2026-11-21T06:23:54.000+02:00"):
        assert fast_timestamp(text) == parse_timestamp(text)
        assert fast_timestamp(text).tzinfo is not None
    for other in ("Sat, 21 Nov 2026 06:23:54 GMT", "1700000000", 1700000000, "2026-11-21T06:23:54"):
        assert fast_timestamp(other) == parse_timestamp(other)


def test_whole_disk_file_only_for_a_regular_file_read_from_its_start(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"0123456789")
    with open(path, "rb") as f:
        assert _whole_disk_file(f) == str(path)
        f.read(3)
        assert _whole_disk_file(f) is None  # the upload starts where the caller left the file
    with open(path) as f:
        assert _whole_disk_file(f) is None  # text mode
    assert _whole_disk_file(io.BytesIO(b"x")) is None
    with open(path, "rb") as f:
        path.unlink()
        path.write_bytes(b"another file under the same name")
        assert _whole_disk_file(f) is None


def test_browse_limit_is_bounded():
    factory = RequestFactory()
    assert browse._limit_from(factory.get("/")) == browse.PAGE_SIZE
    assert browse._limit_from(factory.get("/", {"limit": "1000"})) == 1000
    assert browse._limit_from(factory.get("/", {"limit": "5000"})) == browse.MAX_PAGE_SIZE
    assert browse._limit_from(factory.get("/", {"limit": "0"})) == 1
    assert browse._limit_from(factory.get("/", {"limit": "many"})) == browse.PAGE_SIZE
