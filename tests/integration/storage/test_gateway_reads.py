"""Reading an object as a seekable stream, on every gateway: a seek re-asks the storage for a range pinned to
the ETag the stream first saw, so a replaced object is an error, never a mix of two versions' bytes."""

from __future__ import annotations

import io
import os
import tracemalloc

import pytest

from storage.gateway import IntegrityFailure

MiB = 1024 * 1024


def test_a_stream_seeks_back_and_forth_and_reads_the_bytes_there(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    data = os.urandom(3 * MiB + 5)
    g.simple_upload(oss, key_prefix + "a.bin", data)
    with g.open_object(oss, key_prefix + "a.bin") as stream:
        assert stream.seekable() and stream.read(10) == data[:10] and stream.tell() == 10
        stream.seek(2 * MiB)
        assert stream.read(100) == data[2 * MiB:2 * MiB + 100]
        stream.seek(-5, io.SEEK_END)
        assert stream.read() == data[-5:] and stream.tell() == len(data)
        stream.seek(0)
        assert b"".join(stream) == data


def test_a_range_seeks_within_itself(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    data = os.urandom(MiB)
    g.simple_upload(oss, key_prefix + "a.bin", data)
    with g.open_object(oss, key_prefix + "a.bin", range=(1000, 1999)) as stream:
        stream.seek(900)
        assert stream.read() == data[1900:2000]
        stream.seek(0)
        assert stream.read(10) == data[1000:1010]


def test_a_seek_after_the_object_was_replaced_raises_instead_of_mixing_versions(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "a.bin", b"A" * 100_000)
    with g.open_object(oss, key_prefix + "a.bin") as stream:
        assert stream.read(10) == b"A" * 10
        g.simple_upload(oss, key_prefix + "a.bin", b"B" * 100_000)
        stream.seek(50_000)
        with pytest.raises(IntegrityFailure):
            stream.read(10)


def test_new_reader_streams_and_reads_small_documents_whole(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "doc.json", b'{"rows": [1, 2, 3]}')
    reader = g.new_reader(oss, key_prefix + "doc.json")
    assert reader.json() == {"rows": [1, 2, 3]} and reader.text().startswith('{"rows"')
    with reader.open() as stream:
        stream.seek(9)
        assert stream.read() == b"[1, 2, 3]}"
    with reader.open(range=(2, 5)) as stream:
        assert stream.read() == b"rows"


def test_reading_128_mib_through_open_object_holds_a_few_mib_at_most(case, key_prefix, tmp_path):
    g, oss = case.gateway, case.oss_id
    size = 128 * MiB
    path = tmp_path / "big.bin"
    with open(path, "wb") as f:
        for _ in range(size // (8 * MiB)):
            f.write(os.urandom(8 * MiB))
    with open(path, "rb") as f:
        g.upload_file(oss, key_prefix + "big.bin", f, size)
    tracemalloc.start()
    try:
        received = 0
        with g.open_object(oss, key_prefix + "big.bin") as stream:
            for chunk in stream:
                received += len(chunk)
            stream.seek(size // 2)  # a seek opens a second body: memory stays flat through it too
            received += sum(len(chunk) for chunk in stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == size + size // 2
    assert peak < 8 * MiB, f"reading {size // MiB} MiB held {peak / MiB:.1f} MiB at its peak"
