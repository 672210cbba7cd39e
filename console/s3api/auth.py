"""AWS Signature V4, checked exactly: the Authorization header and presigned query strings.

MINIMAL (header auth, signed or unsigned payload, no chunked bodies): helper s30-sigv4 replaces it. The
contract the dispatcher and handlers rely on:

    signed = authenticate(request)       # S3Error: InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied
                                         # (revoked, expired), RequestTimeTooSkewed, AuthorizationHeaderMalformed,
                                         # AuthorizationQueryParametersError, ExpiredToken ...
    body = request_body(request, signed) # a file-like: read(n) -> bytes, `length` (the decoded length, None
                                         # when unknown); verifies as it reads and raises S3Error
                                         # (XAmzContentSHA256Mismatch, SignatureDoesNotMatch, BadDigest,
                                         # IncompleteBody, InvalidDigest) before handing on the last bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from dataclasses import dataclass
from typing import IO
from urllib.parse import parse_qsl, quote

from django.http import HttpRequest

from console.s3api.errors import S3Error
from console.s3api.keys import find_key
from console.s3api.models import AccessKey


@dataclass(frozen=True)
class Signed:
    key: AccessKey  # the access key the request is signed with (active: not revoked, not expired)
    payload: str  # x-amz-content-sha256 as sent: a hex SHA-256, UNSIGNED-PAYLOAD, or a STREAMING-* format
    presigned: bool = False


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def authenticate(request: HttpRequest) -> Signed:
    header = request.headers.get("Authorization", "")
    if not header.startswith("AWS4-HMAC-SHA256 "):
        raise S3Error("AccessDenied", "Access Denied")
    fields = dict(part.strip().split("=", 1) for part in header[len("AWS4-HMAC-SHA256 "):].split(","))
    access_key_id, date, region, service, _end = fields["Credential"].split("/")
    key = find_key(access_key_id)
    if key is None:
        raise S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    signed_headers = fields["SignedHeaders"].split(";")
    payload = request.headers.get("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
    query = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~"))
                   for k, v in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
    canonical = "\n".join([
        request.method, quote(request.path, safe="/~"), "&".join(f"{k}={v}" for k, v in query),
        "".join(f"{h}:{' '.join(request.headers.get(h, '').split())}\n" for h in signed_headers),
        fields["SignedHeaders"], payload])
    amz_date = request.headers.get("x-amz-date", "")
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signing = _hmac(_hmac(_hmac(_hmac(("AWS4" + key.secret).encode(), date), region), service), "aws4_request")
    if not hmac.compare_digest(hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest(), fields["Signature"]):
        raise S3Error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature "
                                               "you provided. Check your key and signing method.")
    return Signed(key, payload)


class _Body(io.RawIOBase):
    def __init__(self, stream, length: int):
        self._stream, self.length, self._left = stream, length, length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(min(len(buffer), self._left))
        self._left -= len(data)
        buffer[:len(data)] = data
        return len(data)


def request_body(request: HttpRequest, signed: Signed) -> IO[bytes]:
    if signed.payload.startswith("STREAMING-"):
        raise S3Error("NotImplemented", "aws-chunked bodies are not handled yet")
    return _Body(request, int(request.headers.get("Content-Length") or 0))
