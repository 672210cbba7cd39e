"""A request body given as a stream of a stated size, read once in 1 MiB pieces and never held whole.

Every gateway sends such a body the same way: `SizedBody` reads exactly `size` bytes, and the last piece is
only handed on once the stream is known to end there. A stream that stops short, runs long or raises
therefore never reaches the storage whole: the HTTP request is cut off (the storage drops a short body) or
the temporary file is removed, and no object or part is left behind. The stream's own exception (a client
that went away, a chunk signature that failed) is what the caller sees, not the transport's wrapping of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.utils.translation import gettext as _

from storage.gateway import STREAM_CHUNK, IncompleteBody


class SizedBody:
    """`size` bytes of `stream` as an iterable of chunks with a length (what HTTP clients send with a
    Content-Length). Iterated once; `failure` holds what the stream raised, for `reraise`."""

    def __init__(self, stream: IO[bytes], size: int | None, chunk: int = STREAM_CHUNK) -> None:
        if size is None or int(size) < 0:
            raise ValueError("A streamed body needs its size.")  # i18n: not shown (a programming error)
        self.stream, self.size, self.chunk = stream, int(size), chunk
        self.failure: BaseException | None = None
        self.started, self.sent = False, 0

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[bytes]:
        if self.started:
            raise RuntimeError("A streamed body can be sent only once.")  # i18n: not shown (a programming error)
        self.started = True
        try:
            yield from self._pieces()
        except BaseException as e:
            self.failure = e
            raise

    def _pieces(self) -> Iterator[bytes]:
        remaining = self.size
        while remaining:
            piece = self.stream.read(min(self.chunk, remaining))
            if not piece:
                raise IncompleteBody(_("The body ended after %(sent)s of its %(size)s bytes.") % {
                    "sent": self.size - remaining, "size": self.size})
            remaining -= len(piece)
            if remaining < 0:
                raise ValueError("A stream returned more bytes than were asked for.")  # i18n: not shown
            if not remaining and self.stream.read(1):
                raise IncompleteBody(_("The body is longer than its stated %(size)s bytes.") % {"size": self.size})
            self.sent += len(piece)
            yield piece

    def reraise(self) -> None:
        """Raise what the stream raised, if it did (call from the handler of the transport's error)."""
        if self.failure is not None:
            raise self.failure


def sized_body(body: bytes | bytearray | memoryview | IO[bytes], size: int | None) -> bytes | SizedBody:
    """Bytes as they are (`size`, when given, must be theirs); a stream as a SizedBody (of no bytes: b"").

    An empty body is checked here: once its headers are out, the request is complete, too late to stop."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        data = bytes(body)
        if size is not None and int(size) != len(data):
            raise IncompleteBody(_("The body has %(length)s bytes, not the %(size)s stated.") % {
                "length": len(data), "size": size})
        return data
    if size is not None and int(size) == 0:
        if body.read(1):
            raise IncompleteBody(_("The body is longer than its stated %(size)s bytes.") % {"size": 0})
        return b""
    return SizedBody(body, size)


@contextmanager
def stream_failure_first(body: bytes | SizedBody) -> Iterator[None]:
    """Inside, any error caused by the stream failing is raised as the stream's own (the transport wraps it)."""
    try:
        yield
    except BaseException:
        if isinstance(body, SizedBody):
            body.reraise()
        raise
