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


def seekable_stream(body: bytes, *, first_byte: int = 0, etag_later: str = "e"):
    """A stream of `body` (the bytes from `first_byte` of an object) whose seeks are recorded."""
    asked: list[tuple[int, int, str]] = []

    def reopen(first: int, last: int, etag: str) -> ObjectStream:
        asked.append((first, last, etag))
        meta = ObjectMeta(key="k", size=10, etag=etag_later, content_type="text/plain", last_modified=None)
        rest = io.BytesIO(body[first - first_byte:last - first_byte + 1])
        return ObjectStream(meta, last - first + 1, rest.read, lambda: None, where="'k' on 'c'", first_byte=first)

    source = io.BytesIO(body)
    stream = ObjectStream(META, len(body), source.read, lambda: None, where="'k' on 'c'", first_byte=first_byte,
                          reopen=reopen)
    return stream, asked


def test_a_seek_asks_for_the_bytes_from_there_pinned_to_the_etag_first_seen():
    stream, asked = seekable_stream(b"0123456789")
    assert stream.seekable() and stream.read(6) == b"012345" and stream.tell() == 6
    assert stream.seek(2) == 2 and asked == [], "nothing is asked before a read"
    assert stream.read(3) == b"234" and stream.tell() == 5
    assert asked == [(2, 9, "e")]
    assert stream.seek(-2, io.SEEK_END) == 8 and stream.read() == b"89" and stream.read() == b""


def test_positions_in_a_range_count_from_its_first_byte():
    stream, asked = seekable_stream(b"3456", first_byte=3)  # bytes 3-6 of the object
    stream.seek(1)
    assert stream.read() == b"456" and asked == [(4, 6, "e")]


def test_a_seek_back_to_where_the_body_is_costs_no_request():
    stream, asked = seekable_stream(b"0123456789")
    stream.read(4)
    stream.seek(0)
    stream.seek(4)
    assert stream.read(2) == b"45" and asked == []


def test_a_seek_that_finds_another_version_raises_rather_than_mixing_bytes():
    stream, _ = seekable_stream(b"0123456789", etag_later="other")
    stream.read(5)
    stream.seek(0)
    with pytest.raises(IntegrityFailure, match="changed while it was read"):
        stream.read(5)


def test_a_stream_without_a_way_to_reopen_cannot_seek():
    stream, _ = stream_of(b"0123456789", 10)
    assert not stream.seekable()
    with pytest.raises(io.UnsupportedOperation):
        stream.seek(0)


# --- found by the s29 attack pass ---

def test_a_storage_that_ignores_the_range_after_a_seek_is_not_read_as_the_bytes_asked_for():
    """After a seek the stream asks for bytes 5-9; a storage (or proxy) that ignores Range answers 200 with the
    whole object from byte 0. The ETag matches, so only the answer's first byte tells: reading on hands back
    bytes 0-2 as if they were 5-7 (a silent mix-up), where IntegrityFailure is what the contract promises."""
    body = b"0123456789"

    def reopen(first: int, last: int, etag: str) -> ObjectStream:
        whole = io.BytesIO(body)  # Range ignored: 200, the whole object, from byte 0
        return ObjectStream(META, len(body), whole.read, lambda: None, where="'k' on 'c'", first_byte=0)

    stream = ObjectStream(META, len(body), io.BytesIO(body).read, lambda: None, where="'k' on 'c'", reopen=reopen)
    stream.seek(5)
    with pytest.raises(IntegrityFailure, match="another byte"):
        stream.read(3)
