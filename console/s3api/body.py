"""The request body as a handler reads it: decoded, checked as it streams, its tail held until the checks pass.

A chunked request (Transfer-Encoding: chunked, as boto3 and the aws CLI send aws-chunked bodies) is read from
the WSGI input itself: Django's own stream, bounded by a Content-Length there is none of, would read nothing.
(Under ASGI there is no WSGI input and Django's stream is not bounded that way: it is read instead.)
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator

from django.http import HttpRequest

from console.s3api import checksums, sigv4
from console.s3api.chunked import READ_SIZE, ChunkChain, Decoder
from console.s3api.errors import S3Error

# x-amz-checksum-* headers that name no checksum value.
NOT_CHECKSUMS = frozenset({"x-amz-checksum-mode", "x-amz-checksum-type", "x-amz-checksum-algorithm"})


class Body(io.RawIOBase):
    """A read-only stream of the decoded body; `length` is its size when the request says it (else None)."""

    def __init__(self, pieces: Iterable[bytes], length: int | None) -> None:
        super().__init__()
        self.length = length
        self._pieces = iter(pieces)
        self._current = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        target = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(target):
            if not self._current:
                piece = next(self._pieces, None)
                if piece is None:
                    break
                self._current = memoryview(piece)
                continue
            size = min(len(target) - filled, len(self._current))
            target[filled:filled + size] = self._current[:size]
            self._current = self._current[size:]
            filled += size
        return filled

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        buffer = bytearray(size)
        return bytes(buffer[:self.readinto(buffer)])


def request_body(request: HttpRequest, signed) -> Body:
    environ = request.META
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    raw = environ["wsgi.input"] if chunked and "wsgi.input" in environ else request  # ASGI: Django's stream
    digests = _header_digests(environ)
    if signed.payload.startswith("STREAMING-"):
        pieces, length, finish = _aws_chunked(raw, environ, signed, digests)
    else:
        length = None if chunked else _content_length(environ)
        pieces, finish = _plain(raw, length), _payload_check(signed.payload, digests)
    return Body(_held_back(_through(pieces, digests), finish), length)


def _aws_chunked(raw, environ, signed, digests: checksums.Digests) -> tuple[Iterable[bytes], int, Callable]:
    """The decoder of an aws-chunked body, its decoded length, and the check of its trailers and checksums."""
    length = _decoded_length(environ)
    late = {name: digests.track(checksums.algorithm_of(name)) for name in _declared_trailers(environ)}
    chain = (ChunkChain(signed.signing_key, signed.timestamp, signed.scope, signed.signature)
             if signed.payload in (sigv4.STREAMING_SIGNED, sigv4.STREAMING_SIGNED_TRAILER) else None)
    decoder = Decoder(raw, length=length, chain=chain,
                      signed_trailer=signed.payload == sigv4.STREAMING_SIGNED_TRAILER)

    def finish() -> None:
        _check_trailers(decoder.trailers, late)
        digests.verify()

    return decoder, length, finish


def _payload_check(payload: str, digests: checksums.Digests) -> Callable[[], None]:
    """The check of a plain body: its x-amz-content-sha256 when that is a hash, and its checksums."""
    content_sha256 = digests.add(hashlib.sha256()) if sigv4.is_sha256(payload) else None

    def finish() -> None:
        if content_sha256 and content_sha256.hexdigest() != payload.lower():
            raise S3Error("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match "
                          "what was computed.", ClientComputedContentSHA256=payload,
                          S3ComputedContentSHA256=content_sha256.hexdigest())
        digests.verify()

    return finish


def _content_length(environ) -> int:
    try:
        return max(0, int(environ.get("CONTENT_LENGTH") or 0))
    except ValueError:  # as Django reads it: no body
        return 0


def _header_digests(environ) -> checksums.Digests:
    """Every x-amz-checksum-<algorithm> sent: one this endpoint cannot compute (sha512, xxhash3, ...) is
    InvalidRequest, never ignored, for the tool would believe the bytes checked."""
    digests = checksums.Digests()
    for name in sorted(sigv4.sent_amz_headers(environ)):
        if name.startswith(checksums.HEADER_PREFIX) and name not in NOT_CHECKSUMS:
            digests.expect_checksum(name, environ["HTTP_" + name.upper().replace("-", "_")])
    if "HTTP_CONTENT_MD5" in environ:
        digests.expect_md5(environ["HTTP_CONTENT_MD5"])
    return digests


def _decoded_length(environ) -> int:
    text = environ.get("HTTP_X_AMZ_DECODED_CONTENT_LENGTH", "").strip()
    if not text:
        raise S3Error("MissingContentLength", "You must provide the X-Amz-Decoded-Content-Length HTTP header.")
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        raise S3Error("InvalidArgument", "X-Amz-Decoded-Content-Length is not a valid length.")
    return int(text)


def _declared_trailers(environ) -> list[str]:
    names = [name.strip().lower() for name in environ.get("HTTP_X_AMZ_TRAILER", "").split(",")]
    return [name for name in names if name]


def _check_trailers(trailers: dict[str, str], late: dict[str, object]) -> None:
    if set(trailers) != set(late):
        raise S3Error("MalformedTrailerError", "The request contained trailing data that was not well-formed or "
                      "did not conform to our published schema.")
    for name, hasher in late.items():
        checksums.check_late(name, trailers[name], hasher)


def _plain(raw, length: int | None) -> Iterator[bytes]:
    """Up to `length` bytes of the raw stream (all of it when None); IncompleteBody if it ends short."""
    remaining = length
    while remaining is None or remaining > 0:
        piece = raw.read(READ_SIZE if remaining is None else min(READ_SIZE, remaining))
        if not piece:
            break
        if remaining is not None:
            remaining -= len(piece)
        yield piece
    if remaining:
        raise S3Error("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length "
                      "HTTP header.")


def _through(pieces: Iterable[bytes], digests: checksums.Digests) -> Iterator[bytes]:
    for piece in pieces:
        digests.update(piece)
        yield piece


def _held_back(pieces: Iterable[bytes], finish: Callable[[], None]) -> Iterator[bytes]:
    """The pieces, the last one held until `finish` has checked the whole body (it raises on a mismatch)."""
    held = b""
    for piece in pieces:
        if piece:
            if held:
                yield held
            held = piece
    finish()
    if held:
        yield held
