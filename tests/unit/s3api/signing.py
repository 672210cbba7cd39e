"""Requests signed the way S3 clients sign them, as Django sees them.

botocore's own signers (S3SigV4Auth, S3SigV4QueryAuth) sign; `django_request` turns the signed request into a
RequestFactory request (the WSGI environ a server would build). `signed_chunks` is our own encoder of
STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) bodies, written from the spec (botocore does not send them).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urlsplit

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpchecksum import AwsChunkedWrapper
from django.test import RequestFactory

from console.s3api.auth import authenticate, request_body
from console.s3api.checksums import new as new_checksum
from console.s3api.models import AccessKey

HOST = "testserver"
ENDPOINT = f"http://{HOST}/s3"
KEY_ID = "AKIAS30SIGV4TEST0001"
SECRET = "s30-sigv4-secret/never+shown=anywhere"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def make_key(**fields) -> AccessKey:
    values = {"access_key_id": KEY_ID, "secret": SECRET, "name": "sigv4 tests", **fields}
    return AccessKey.objects.create(**values)


class FixedPayload(S3SigV4Auth):
    """S3SigV4Auth with the x-amz-content-sha256 value chosen by the test (UNSIGNED-PAYLOAD, STREAMING-...)."""

    def __init__(self, credentials, region, payload):
        super().__init__(credentials, "s3", region)
        self._payload = payload

    def payload(self, request):
        return self._payload


@contextmanager
def signing_at(moment: dt.datetime | None):
    if moment is None:
        yield
        return
    with mock.patch("botocore.auth.get_current_datetime", return_value=moment.replace(tzinfo=None)):
        yield


def sign(method: str, path: str, *, body: bytes = b"", headers: dict | None = None, params: dict | None = None,
         payload: str | None = None, region: str = "us-east-1", secret: str = SECRET, key_id: str = KEY_ID,
         at: dt.datetime | None = None) -> AWSRequest:
    """A request signed in its Authorization header, as boto3 signs it (payload: the hex SHA-256 by default)."""
    request = AWSRequest(method=method, url=ENDPOINT + path, data=body, headers=dict(headers or {}),
                         params=dict(params or {}))
    credentials = Credentials(key_id, secret)
    signer = FixedPayload(credentials, region, payload) if payload else S3SigV4Auth(credentials, "s3", region)
    with signing_at(at):
        signer.add_auth(request)
    return request


def presign(method: str, path: str, *, expires: int = 3600, params: dict | None = None, headers: dict | None = None,
            secret: str = SECRET, at: dt.datetime | None = None) -> AWSRequest:
    request = AWSRequest(method=method, url=ENDPOINT + path, headers=dict(headers or {}), params=dict(params or {}))
    with signing_at(at):
        S3SigV4QueryAuth(Credentials(KEY_ID, secret), "s3", "us-east-1", expires=expires).add_auth(request)
    return request


def django_request(request: AWSRequest, *, body: bytes | None = None, chunked: bool = False, raw_uri: bool = False,
                   **overrides):
    """The signed request as Django receives it. `chunked`: sent with Transfer-Encoding: chunked, so the body
    comes from wsgi.input with no Content-Length (as gunicorn hands it on); `raw_uri`: the server tells the
    path as sent (gunicorn's RAW_URI)."""
    prepared = request.prepare()
    url = urlsplit(prepared.url)
    data = prepared.body if body is None else body
    data = data.read() if hasattr(data, "read") else (data or b"")
    environ = {"HTTP_HOST": HOST}
    for name, value in prepared.headers.items():
        lower = name.lower()
        if lower == "content-type":
            environ["CONTENT_TYPE"] = value
        elif lower != "content-length":
            environ["HTTP_" + lower.upper().replace("-", "_")] = value if isinstance(value, str) else value.decode()
    if raw_uri:
        environ["RAW_URI"] = url.path + ("?" + url.query if url.query else "")
    if chunked:
        environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(data)})
        data = b""
    environ.update(overrides)
    path = url.path + ("?" + url.query if url.query else "")
    content_type = environ.pop("CONTENT_TYPE", "application/octet-stream")
    return RequestFactory().generic(request.method, path, data=data, content_type=content_type, **environ)


def accept(django_req, read_size: int = 7000) -> tuple[object, bytes]:
    """authenticate, then read the whole body a piece at a time: (signed, the decoded bytes)."""
    signed = authenticate(django_req)
    return signed, read_all(request_body(django_req, signed), read_size)


def read_all(body, read_size: int = 7000, into: list | None = None) -> bytes:
    pieces = [] if into is None else into
    while piece := body.read(read_size):
        pieces.append(piece)
    return b"".join(pieces)


class Checksum:
    """A checksum as botocore's AwsChunkedWrapper wants one (update, b64digest), for any of ours."""

    algorithm = "crc32"

    def __init__(self):
        self._hash = new_checksum(self.algorithm)

    def update(self, data):
        self._hash.update(data)

    def b64digest(self):
        return base64.b64encode(self._hash.digest()).decode()


def checksum_class(algorithm: str):
    return type(f"Checksum_{algorithm}", (Checksum,), {"algorithm": algorithm})


def b64_checksum(algorithm: str, data: bytes) -> str:
    hasher = new_checksum(algorithm)
    hasher.update(data)
    return base64.b64encode(hasher.digest()).decode()


def unsigned_trailer_body(data: bytes, algorithm: str | None = "crc32", chunk_size: int = 64 * 1024) -> bytes:
    """STREAMING-UNSIGNED-PAYLOAD-TRAILER as boto3 encodes it (botocore's AwsChunkedWrapper)."""
    wrapper = AwsChunkedWrapper(io.BytesIO(data), checksum_cls=checksum_class(algorithm) if algorithm else None,
                                checksum_name=f"x-amz-checksum-{algorithm}", chunk_size=chunk_size)
    return wrapper.read()


def unsigned_trailer_request(path: str, data: bytes, algorithm: str | None = "crc32", **sign_kwargs) -> AWSRequest:
    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(len(data))}
    if algorithm:
        headers.update({"X-Amz-Trailer": f"x-amz-checksum-{algorithm}",
                        "X-Amz-Sdk-Checksum-Algorithm": algorithm.upper()})
    return sign("PUT", path, headers=headers, payload="STREAMING-UNSIGNED-PAYLOAD-TRAILER", **sign_kwargs)


# Our own encoder of signed chunks, from https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html


def _signing_key(secret: str, date: str, region: str = "us-east-1") -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _hmac_hex(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def signed_chunks(request: AWSRequest, data: bytes, *, chunk_size: int = 64 * 1024, trailer: str | None = None,
                  secret: str = SECRET) -> list[bytes]:
    """The chunks (header, data, CRLF each) of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body for a request signed
    with that payload; with `trailer` ('crc32', ...) the -TRAILER variant, its trailer last in the list."""
    seed = request.headers["Authorization"].rpartition("Signature=")[2]
    timestamp = request.headers["X-Amz-Date"]
    scope = f"{timestamp[:8]}/us-east-1/s3/aws4_request"
    key = _signing_key(secret, timestamp[:8])
    previous, chunks = seed, []
    pieces = [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)] + [b""]
    for piece in pieces:
        text = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", timestamp, scope, previous, EMPTY_SHA256,
                          hashlib.sha256(piece).hexdigest()])
        previous = _hmac_hex(key, text)
        ending = b"\r\n" if piece or trailer is None else b""
        chunks.append(f"{len(piece):x};chunk-signature={previous}\r\n".encode() + piece + ending)
    if trailer:
        line = f"x-amz-checksum-{trailer}:{b64_checksum(trailer, data)}"
        text = "\n".join(["AWS4-HMAC-SHA256-TRAILER", timestamp, scope, previous,
                          hashlib.sha256((line + "\n").encode()).hexdigest()])
        chunks.append(f"{line}\r\nx-amz-trailer-signature:{_hmac_hex(key, text)}\r\n\r\n".encode())
    return chunks


def signed_chunks_request(path: str, data: bytes, *, trailer: str | None = None, **sign_kwargs) -> AWSRequest:
    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(len(data))}
    payload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    if trailer:
        headers["X-Amz-Trailer"] = f"x-amz-checksum-{trailer}"
        payload += "-TRAILER"
    return sign("PUT", path, headers=headers, payload=payload, **sign_kwargs)
