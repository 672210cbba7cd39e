"""The aws-chunked parser under hostile input: it ends or raises S3Error, never reads without bound, never hangs,
never hands on more than the decoded length."""

from __future__ import annotations

import hashlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.s3api.chunked import MAX_LINE, READ_SIZE, ChunkChain, Decoder
from console.s3api.errors import S3Error


class Counting:
    """A raw stream that counts the reads asked of it; endless streams repeat `filler` forever."""

    def __init__(self, data: bytes, filler: bytes = b""):
        self._stream = io.BytesIO(data)
        self._filler = filler
        self.reads = 0
        self.largest = 0

    def read(self, size: int) -> bytes:
        self.reads += 1
        self.largest = max(self.largest, size)
        data = self._stream.read(size)
        if not data and self._filler:
            data = (self._filler * (size // len(self._filler) + 1))[:size]
        return data


def encode(pieces: list[bytes], trailer: bytes = b"") -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces if p) + b"0\r\n" + trailer + b"\r\n"


def decode(raw, length: int, chain=None) -> bytes:
    out = []
    for piece in Decoder(raw, length=length, chain=chain):
        assert 0 < len(piece) <= READ_SIZE
        out.append(piece)
    return b"".join(out)


def run(raw, length: int, chain=None) -> bytes | None:
    try:
        data = decode(raw, length, chain)
    except S3Error as e:
        assert e.code in ("IncompleteBody", "InvalidRequest", "MalformedTrailerError", "SignatureDoesNotMatch")
        return None
    assert len(data) == length
    return data


pieces = st.lists(st.binary(max_size=300), max_size=6)


@given(pieces)
@settings(deadline=None)
def test_it_decodes_what_is_well_encoded(parts):
    data = b"".join(parts)
    assert run(Counting(encode(parts)), len(data)) == data


@given(pieces, st.data())
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_it_survives_any_corruption(parts, data):
    wire = bytearray(encode(parts, b"x-amz-checksum-crc32:AAAAAA==\r\n"))
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.integers(0, len(wire)))
        action = data.draw(st.sampled_from(["cut", "insert", "flip", "drop-crlf", "huge"]))
        if action == "cut":
            del wire[where:]
        elif action == "insert":
            wire[where:where] = data.draw(st.binary(min_size=1, max_size=20))
        elif action == "flip" and where < len(wire):
            wire[where] ^= data.draw(st.integers(1, 255))
        elif action == "drop-crlf" and (at := wire.find(b"\r\n", where)) >= 0:
            del wire[at:at + 2]
        elif action == "huge":
            wire[where:where] = b"ffffffffffffffff\r\n"
    length = data.draw(st.sampled_from([len(b"".join(parts)), 0, 10**18]))
    raw = Counting(bytes(wire))
    run(raw, length)
    assert raw.reads <= len(wire) + 8  # each read but the last gets at least one byte
    assert raw.largest <= max(READ_SIZE, MAX_LINE)


@pytest.mark.parametrize("filler", [b"f", b"\r\n", b"0;chunk-signature=x\r\n", b"a"])
@pytest.mark.parametrize("start", [b"", b"ffffffffffffffff\r\n", b"10\r\n", b"5\r\nabcde\r\n"])
def test_it_stops_on_an_endless_stream(filler, start):
    raw = Counting(start, filler)
    with pytest.raises(S3Error):
        decode(raw, 10**6)
    assert raw.reads < 1000


@given(pieces, st.binary(min_size=1, max_size=8))
@settings(deadline=None)
def test_it_refuses_signed_chunks_it_cannot_verify(parts, garbage):
    chain = ChunkChain(key=b"k" * 32, timestamp="20260101T000000Z", scope="20260101/x/s3/aws4_request",
                       previous=hashlib.sha256(b"seed").hexdigest())
    wire = b"".join(b"%x;chunk-signature=%s\r\n%s\r\n" % (len(p), b"0" * 64, p) for p in parts if p)
    wire += b"0;chunk-signature=" + b"0" * 64 + b"\r\n\r\n" + garbage
    assert run(Counting(wire), len(b"".join(parts)), chain) is None
