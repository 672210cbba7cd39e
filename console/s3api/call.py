"""One S3 request as a handler sees it: who signed it, which bucket and key, its query, its body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from django.http import HttpRequest

from console.s3api.auth import Signed
from console.s3api.scope import Principal


@dataclass
class Call:
    request: HttpRequest
    signed: Signed  # the checked signature: the access key, how the payload is signed
    principal: Principal  # what the key may reach (buckets, keys, reads or writes)
    bucket: str  # "" for the service (ListBuckets); a connection name
    key: str  # "" for a bucket operation; else the object key, percent-decoded
    query: dict[str, str]  # the query string, decoded; a flag such as ?uploads has ""
    request_id: str
    _body: IO[bytes] | None = field(default=None, repr=False)

    def body(self) -> IO[bytes]:
        """The request's bytes, streamed and checked as they arrive (console.s3api.auth.request_body):
        the payload hash, chunk signatures and trailer checksums; a mismatch raises S3Error before the last
        bytes are handed on, so a storage write of a tampered body never completes."""
        if self._body is None:
            from console.s3api.auth import request_body

            self._body = request_body(self.request, self.signed)
        return self._body

    def header(self, name: str, default: str = "") -> str:
        return self.request.headers.get(name, default)
