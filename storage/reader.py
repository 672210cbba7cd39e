"""The seed's NewReader: a small cached handle on one object."""

from __future__ import annotations

import json
from typing import Any, Protocol


class Source(Protocol):
    """What a reader needs of a gateway; a protocol, so this module need not import storage.gateway (which imports it)."""

    def get_download_url(self, oss_id: str, key: str, expires: int = ..., *, internal: bool = ...) -> str: ...

    def download_file(self, oss_id: str, key: str) -> bytes: ...


class Reader:
    def __init__(self, gateway: Source, oss_id: str, key: str):
        self.gateway, self.oss_id, self.key = gateway, oss_id, key
        self._bytes: bytes | None = None
        self._url: str | None = None

    def url(self, expires: int = 900) -> str:
        if self._url is None:
            self._url = self.gateway.get_download_url(self.oss_id, self.key, expires, internal=True)
        return self._url

    def bytes(self) -> bytes:
        if self._bytes is None:
            self._bytes = self.gateway.download_file(self.oss_id, self.key)
        return self._bytes

    def text(self, encoding: str = "utf-8") -> str:
        return self.bytes().decode(encoding)

    def json(self) -> Any:
        return json.loads(self.bytes())
