"""aws-chunked bodies: `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` ... `0...\r\n`, then trailers.

https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html. The decoder reads with bounded buffers
(a line is at most MAX_LINE bytes, data moves READ_SIZE at a time), checks each chunk's signature against the
chain that starts at the request's seed signature, and collects the trailers for the caller to check.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from console.s3api import sigv4
from console.s3api.errors import S3Error

READ_SIZE = 64 * 1024
MAX_LINE = 4096  # a chunk header is ~90 bytes; a trailer line ~60
MAX_TRAILERS = 16
TRAILER_SIGNATURE = "x-amz-trailer-signature"
_HEX_SIZE = re.compile(rb"[0-9a-fA-F]{1,16}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")


def incomplete() -> S3Error:
    return S3Error("IncompleteBody", "The request body terminated unexpectedly.")


def malformed(why: str) -> S3Error:
    return S3Error("InvalidRequest", f"The aws-chunked request body is malformed: {why}.")


class Wire:
    """A raw request stream read through a small buffer: lines up to a limit, data up to a size."""

    def __init__(self, raw) -> None:
        self._raw = raw
        self._buffer = b""

    def _more(self, size: int) -> bool:
        data = self._raw.read(size)
        self._buffer += data
        return bool(data)

    def readline(self) -> bytes | None:
        """The next CRLF-terminated line without its CRLF; None at the end of the stream."""
        while (end := self._buffer.find(b"\r\n", 0, MAX_LINE + 2)) < 0:
            if len(self._buffer) > MAX_LINE:
                raise malformed("a line is too long or does not end in CRLF")
            if not self._more(MAX_LINE):
                if self._buffer:
                    raise incomplete()
                return None
        line, self._buffer = self._buffer[:end], self._buffer[end + 2:]
        return line

    def read(self, size: int) -> bytes:
        if not self._buffer:
            return self._raw.read(size)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def expect_crlf(self) -> None:
        while len(self._buffer) < 2 and self._more(2 - len(self._buffer)):
            pass
        if len(self._buffer) < 2:
            raise incomplete()
        if self._buffer[:2] != b"\r\n":
            raise malformed("chunk data is not followed by CRLF")
        self._buffer = self._buffer[2:]

    def expect_end(self) -> None:
        if self._buffer or self._more(1):
            raise malformed("data follows the final chunk")


@dataclass
class ChunkChain:
    """The chunk signatures of STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER), each signing the one before."""

    key: bytes = field(repr=False)
    timestamp: str
    scope: str
    previous: str  # the seed signature (the request's), then each chunk's

    def check_chunk(self, chunk_sha256: str, given: str) -> None:
        text = sigv4.chunk_string_to_sign(self.timestamp, self.scope, self.previous, chunk_sha256)
        self.previous = self._check(text, given, "chunk")

    def check_trailer(self, trailer: bytes, given: str) -> None:
        self._check(sigv4.trailer_string_to_sign(self.timestamp, self.scope, self.previous, trailer), given,
                    "trailer")

    def _check(self, text: str, given: str, what: str) -> str:
        expected = sigv4.signature(self.key, text)
        if not sigv4.same(expected, given):
            raise S3Error("SignatureDoesNotMatch", f"The {what} signature we calculated does not match the "
                          "signature you provided. Check your key and signing method.", StringToSign=text)
        return expected


class Decoder:
    """Iterating yields the decoded bytes (at most READ_SIZE at a time); `trailers` holds the trailers after."""

    def __init__(self, raw, *, length: int, chain: ChunkChain | None = None, signed_trailer: bool = False):
        self._wire = Wire(raw)
        self._length = length  # X-Amz-Decoded-Content-Length
        self._chain = chain
        self._signed_trailer = signed_trailer
        self.trailers: dict[str, str] = {}

    def __iter__(self) -> Iterator[bytes]:
        total = 0
        while (header := self._chunk_header())[0]:
            size, signature = header
            total += size
            if total > self._length:
                raise S3Error("IncompleteBody", "The decoded body is longer than X-Amz-Decoded-Content-Length.")
            yield from self._chunk_data(size, signature)
        if total != self._length:
            raise S3Error("IncompleteBody", "The decoded body is shorter than X-Amz-Decoded-Content-Length.")
        if self._chain:
            self._chain.check_chunk(sigv4.EMPTY_SHA256, header[1])
        self._read_trailers()
        self._wire.expect_end()

    def _chunk_header(self) -> tuple[int, str]:
        line = self._wire.readline()
        if line is None:
            raise incomplete()
        size_text, _semicolon, extension = line.partition(b";")
        if not _HEX_SIZE.fullmatch(size_text.strip()):
            raise malformed("a chunk size is not a hexadecimal number")
        signature = ""
        if self._chain:
            name, _eq, signature = extension.decode("ascii", "replace").partition("=")
            if name.strip() != "chunk-signature" or not _SIGNATURE.fullmatch(signature.strip()):
                raise malformed("a chunk has no chunk-signature")
        return int(size_text, 16), signature.strip()

    def _chunk_data(self, size: int, signature: str) -> Iterator[bytes]:
        digest = hashlib.sha256() if self._chain else None
        remaining = size
        while remaining:
            piece = self._wire.read(min(remaining, READ_SIZE))
            if not piece:
                raise incomplete()
            remaining -= len(piece)
            if digest:
                digest.update(piece)
            yield piece
        self._wire.expect_crlf()
        if self._chain and digest:
            self._chain.check_chunk(digest.hexdigest(), signature)

    def _read_trailers(self) -> None:
        """`name:value` lines up to an empty line (or the end of the stream, which some clients send instead)."""
        canonical = b""
        signature = None
        while line := self._wire.readline():
            name, colon, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if not colon or not name or len(self.trailers) >= MAX_TRAILERS:
                raise S3Error("MalformedTrailerError", "The request contained trailing data that was not "
                              "well-formed or did not conform to our published schema.")
            if name == TRAILER_SIGNATURE:
                signature = value
            else:
                self.trailers[name] = value
                canonical += f"{name}:{value}\n".encode("latin-1")
        if self._signed_trailer and self._chain:
            if signature is None:
                raise malformed("the trailer has no x-amz-trailer-signature")
            self._chain.check_trailer(canonical, signature)
