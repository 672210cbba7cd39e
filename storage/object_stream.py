"""A streaming read of one object, or of a byte range of it: what `OssGateway.open_object` returns.

The bytes arrive as they are read, never all at once: `read(n)`, `readinto`, iteration by chunks,
and `with`. The stream knows how many bytes it must deliver; a body that ends sooner raises
`IntegrityFailure` instead of passing a short read off as the end. It cannot seek (a caller that
wants other bytes opens another range).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from storage.gateway import IntegrityFailure, ObjectMeta

CHUNK = 1024 * 1024


class ObjectStream(io.RawIOBase):
    """`meta` describes the whole object (its size, not the range's); `length` is what this stream delivers."""

    def __init__(self, meta: ObjectMeta, length: int, read: Callable[[int], bytes], release: Callable[[], None],
                 *, where: str):
        super().__init__()
        self.meta, self.length, self.received = meta, length, 0
        self._read, self._release, self._where = read, release, where

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` bytes (at most a chunk at a time); b"" only at the end of what was announced."""
        if size is None or size < 0:
            return self.readall()
        left = self.length - self.received
        if left <= 0 or size == 0:
            return b""
        data = self._read(min(size, left, CHUNK))
        if not data:
            raise IntegrityFailure(f"The read of {self._where} broke off after {self.received} of {self.length} "
                                   "bytes.")
        if len(data) > left:
            raise IntegrityFailure(f"The storage sent more bytes of {self._where} than asked for.")
        self.received += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readall(self) -> bytes:
        """The rest of the stream (for a range, all of it), checked to be exactly as long as announced."""
        chunks = []
        while chunk := self.read(CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def __iter__(self) -> Iterator[bytes]:  # chunks, not lines: these are bytes
        while chunk := self.read(CHUNK):
            yield chunk

    def close(self) -> None:
        if not self.closed:
            try:
                self._release()
            finally:
                super().close()
