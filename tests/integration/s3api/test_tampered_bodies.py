"""A body that fails its checks never lands in the storage, now that bodies stream through to it.

Each body is a few MiB, so most of it has gone on to SeaweedFS before the check that fails (a chunk's
signature, the trailer's, a checksum, the payload hash, the decoded length): the object already there must
be untouched, and a part already uploaded must stay the one that was. Checked on SeaweedFS itself.
"""

from __future__ import annotations

import base64
import hashlib

import pytest
import requests
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from storage.factory import get_gateway
from tests.unit.s3api.signing import FixedPayload, signed_chunks, unsigned_trailer_body

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "primary"
MIB = 1024 * 1024
DATA = bytes(range(256)) * (3 * MIB // 256)
ORIGINAL = b"the object as it was"


def signed(url, issued, method, path, *, headers, payload, params=None):
    request = AWSRequest(method=method, url=f"{url}/s3/{path}", headers=headers, params=params or {})
    FixedPayload(Credentials(issued.access_key_id, issued.secret), "us-east-1", payload).add_auth(request)
    return request


def send(request, body: bytes) -> requests.Response:
    prepared = request.prepare()
    return requests.request(prepared.method, prepared.url, headers=dict(prepared.headers), data=body, timeout=60)


def code(answer) -> str:
    return answer.text[answer.text.find("<Code>") + 6:answer.text.find("</Code>")]


def chunked_headers(data: bytes, trailer: str | None = None) -> dict[str, str]:
    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(len(data))}
    if trailer:
        headers["X-Amz-Trailer"] = f"x-amz-checksum-{trailer}"
    return headers


def flip(chunk: bytes, at: int) -> bytes:
    """One byte of a chunk's data changed (`at` counts from the end of the chunk, before its CRLF)."""
    position = len(chunk) - 2 - at
    return chunk[:position] + bytes([chunk[position] ^ 1]) + chunk[position + 1:]


@pytest.fixture
def existing(s3, key_prefix):
    key = key_prefix + "kept.bin"
    s3.put_object(Bucket=BUCKET, Key=key, Body=ORIGINAL)
    return key


def assert_untouched(key: str) -> None:
    assert get_gateway().download_file(BUCKET, key) == ORIGINAL


@pytest.mark.parametrize("which", [0, 20, -2])  # the first chunk, one in the middle, the last with data
def test_a_tampered_chunk_leaves_the_object_as_it_was(s3_endpoint, service_key, existing, which):
    request = signed(s3_endpoint[0], service_key, "PUT", f"{BUCKET}/{existing}", headers=chunked_headers(DATA),
                     payload="STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
    chunks = signed_chunks(request, DATA, secret=service_key.secret)
    chunks[which] = flip(chunks[which], 1)
    answer = send(request, b"".join(chunks))
    assert (answer.status_code, code(answer)) == (403, "SignatureDoesNotMatch")
    assert_untouched(existing)


def test_a_forged_trailer_leaves_the_object_as_it_was(s3_endpoint, service_key, existing):
    request = signed(s3_endpoint[0], service_key, "PUT", f"{BUCKET}/{existing}",
                     headers=chunked_headers(DATA, "crc32"), payload="STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
    chunks = signed_chunks(request, DATA, trailer="crc32", secret=service_key.secret)
    _line, _crlf, rest = chunks[-1].partition(b"\r\n")
    chunks[-1] = b"x-amz-checksum-crc32:AAAAAA==\r\n" + rest  # the signature no longer covers it
    answer = send(request, b"".join(chunks))
    assert (answer.status_code, code(answer)) == (403, "SignatureDoesNotMatch")
    assert_untouched(existing)


def test_an_unsigned_trailer_that_does_not_match_leaves_the_object_as_it_was(s3_endpoint, service_key, existing):
    request = signed(s3_endpoint[0], service_key, "PUT", f"{BUCKET}/{existing}",
                     headers=chunked_headers(DATA, "crc32"), payload="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    body = unsigned_trailer_body(DATA, "crc32", chunk_size=MIB)
    other = base64.b64encode(b"\0\0\0\0").decode()  # not the body's CRC32
    body = body[:body.rindex(b"x-amz-checksum-crc32:")] + f"x-amz-checksum-crc32:{other}\r\n\r\n".encode()
    answer = send(request, body)
    assert (answer.status_code, code(answer)) == (400, "BadDigest")
    assert_untouched(existing)


def test_a_decoded_length_that_lies_leaves_the_object_as_it_was(s3_endpoint, service_key, existing):
    headers = chunked_headers(DATA) | {"X-Amz-Decoded-Content-Length": str(len(DATA) + 1)}
    request = signed(s3_endpoint[0], service_key, "PUT", f"{BUCKET}/{existing}", headers=headers,
                     payload="STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
    answer = send(request, b"".join(signed_chunks(request, DATA, secret=service_key.secret)))
    assert (answer.status_code, code(answer)) == (400, "IncompleteBody")
    assert_untouched(existing)


@pytest.mark.parametrize("headers,expected", [
    ({"Content-MD5": base64.b64encode(b"\0" * 16).decode()}, "BadDigest"),
    ({"x-amz-checksum-sha256": base64.b64encode(b"\0" * 32).decode()}, "BadDigest"),
])
def test_a_plain_body_whose_checksum_does_not_match_leaves_the_object_as_it_was(s3_endpoint, service_key, existing,
                                                                                   headers, expected):
    request = signed(s3_endpoint[0], service_key, "PUT", f"{BUCKET}/{existing}", headers=headers,
                     payload="UNSIGNED-PAYLOAD")
    answer = send(request, DATA)
    assert (answer.status_code, code(answer)) == (400, expected)
    assert_untouched(existing)


def test_a_plain_body_that_is_not_the_one_signed_leaves_the_object_as_it_was(s3_endpoint, service_key, existing):
    request = signed(s3_endpoint[0], service_key, "PUT", f"{BUCKET}/{existing}", headers={},
                     payload=hashlib.sha256(DATA).hexdigest())
    answer = send(request, DATA[:-1] + b"!")
    assert (answer.status_code, code(answer)) == (400, "XAmzContentSHA256Mismatch")
    assert_untouched(existing)


def test_a_tampered_part_keeps_the_part_already_uploaded(s3, s3_endpoint, service_key, key_prefix):
    key = key_prefix + "parts.bin"
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
    first = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=upload, PartNumber=1, Body=ORIGINAL)["ETag"]
    request = signed(s3_endpoint[0], service_key, "PUT", f"{BUCKET}/{key}", headers=chunked_headers(DATA),
                     payload="STREAMING-AWS4-HMAC-SHA256-PAYLOAD", params={"partNumber": "1", "uploadId": upload})
    chunks = signed_chunks(request, DATA, secret=service_key.secret)
    chunks[-2] = flip(chunks[-2], 1)
    answer = send(request, b"".join(chunks))
    assert (answer.status_code, code(answer)) == (403, "SignatureDoesNotMatch")
    parts = s3.list_parts(Bucket=BUCKET, Key=key, UploadId=upload)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in parts] == [(1, first, len(ORIGINAL))]
