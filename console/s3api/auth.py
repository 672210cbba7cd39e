"""AWS Signature V4, checked exactly: the Authorization header and presigned query strings.

Owned by the sigv4 work (helper s30-sigv4). The contract the dispatcher and handlers rely on:

    signed = authenticate(request)       # S3Error: InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied
                                         # (revoked, expired), RequestTimeTooSkewed, AuthorizationHeaderMalformed,
                                         # AuthorizationQueryParametersError, ExpiredToken ...
    body = request_body(request, signed) # a file-like: read(n) -> bytes, `length` (the decoded length, None
                                         # when unknown); verifies as it reads and raises S3Error
                                         # (XAmzContentSHA256Mismatch, SignatureDoesNotMatch, BadDigest,
                                         # IncompleteBody, InvalidDigest) before handing on the last bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.http import HttpRequest

from console.s3api.models import AccessKey


@dataclass(frozen=True)
class Signed:
    key: AccessKey  # the access key the request is signed with (active: not revoked, not expired)
    payload: str  # x-amz-content-sha256 as sent: a hex SHA-256, UNSIGNED-PAYLOAD, or a STREAMING-* format
    presigned: bool = False


def authenticate(request: HttpRequest) -> Signed:
    raise NotImplementedError("console.s3api.auth.authenticate: helper s30-sigv4")


def request_body(request: HttpRequest, signed: Signed) -> IO[bytes]:
    raise NotImplementedError("console.s3api.auth.request_body: helper s30-sigv4")
