"""A streamed read delivers exactly what it announced (storage.gateway.ObjectStream)."""

from __future__ import annotations

import io

import pytest

from storage.gateway import IntegrityFailure, ObjectMeta, ObjectStream

META = ObjectMeta(key="k", size=10, etag="e", content_type="text/plain", last_modified=None)


def stream_of(body: bytes, length: int) -> tuple[ObjectStream, list[str]]:
    source, closed = io.BytesIO(body), []
    return ObjectStream(META, length, source.read, lambda: closed.append("closed"), where="'k' on 'c'"), closed


def test_it_reads_in_pieces_and_closes_its_body_once():
    stream, closed = stream_of(b"0123456789", 10)
    with stream:
        assert stream.read(4) == b"0123" and stream.read() == b"456789" and stream.read() == b""
    stream.close()
    assert closed == ["closed"]


def test_a_body_cut_short_is_an_integrity_failure_not_the_end():
    stream, _ = stream_of(b"01234", 10)
    with pytest.raises(IntegrityFailure, match="broke off after 5 of 10 bytes"):
        stream.read()


def test_a_body_longer_than_announced_stops_at_the_announced_length():
    stream, _ = stream_of(b"0123456789extra", 10)
    assert b"".join(stream) == b"0123456789"
