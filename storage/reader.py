"""The seed's NewReader: a small handle on one object, its bytes read through `open_object`.

`open()` streams (file-like, seekable, memory flat in the object's size); `bytes()`, `text()` and
`json()` read the whole object once and keep it, for the small documents they are meant for.
"""

from __future__ import annotations

import json
from typing import IO, Any, Protocol


class Source(Protocol):
    """What a reader needs of a gateway; a protocol, so this module need not import storage.gateway (which imports it)."""

    def get_download_url(self, oss_id: str, key: str, expires: int = ..., *, internal: bool = ...) -> str: ...

    def open_object(self, oss_id: str, key: str, *, range: tuple[int, int | None] | None = ...) -> IO[bytes]: ...  # noqa: A002


class Reader:
    def __init__(self, gateway: Source, oss_id: str, key: str):
        self.gateway, self.oss_id, self.key = gateway, oss_id, key
        self._bytes: bytes | None = None
        self._url: str | None = None

    def url(self, expires: int = 900) -> str:
        if self._url is None:
            self._url = self.gateway.get_download_url(self.oss_id, self.key, expires, internal=True)
        return self._url

    def open(self, range: tuple[int, int | None] | None = None) -> IO[bytes]:  # noqa: A002
        """The object's bytes (or bytes `range`, inclusive) as a stream: `read(n)`, `seek`, iteration, `with`."""
        return self.gateway.open_object(self.oss_id, self.key, range=range)

    def bytes(self) -> bytes:
        if self._bytes is None:
            with self.open() as stream:
                self._bytes = stream.read()
        return self._bytes

    def text(self, encoding: str = "utf-8") -> str:
        return self.bytes().decode(encoding)

    def json(self) -> Any:
        return json.loads(self.bytes())
