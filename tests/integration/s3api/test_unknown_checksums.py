"""A checksum header the endpoint cannot compute is refused, never ignored: a tool that sent one believes the
bytes were checked against it (S3 has since added SHA512, MD5 and XXHASH checksums)."""

from __future__ import annotations

import base64

import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from storage.factory import get_gateway
from storage.gateway import ObjectNotFound

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "primary"


def put(url, issued, key, body: bytes, headers: dict) -> requests.Response:
    request = AWSRequest(method="PUT", url=f"{url}/s3/{BUCKET}/{key}", headers=headers, data=body)
    S3SigV4Auth(Credentials(issued.access_key_id, issued.secret), "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    return requests.put(prepared.url, headers=dict(prepared.headers), data=body, timeout=10)


def code(answer) -> str:
    return answer.text[answer.text.find("<Code>") + 6:answer.text.find("</Code>")]


def absent(key: str) -> bool:
    try:
        get_gateway().get_object_meta(BUCKET, key)
    except ObjectNotFound:
        return True
    return False


@pytest.mark.parametrize("name,size", [("sha512", 64), ("md5", 16), ("xxhash3", 8), ("xxhash64", 8),
                                       ("xxhash128", 16), ("crc16", 2)])
def test_a_checksum_it_cannot_check_is_refused_and_nothing_is_stored(s3_endpoint, service_key, key_prefix, name,
                                                                      size):
    key = key_prefix + name
    wrong = base64.b64encode(b"\1" * size).decode()
    answer = put(s3_endpoint[0], service_key, key, b"hello", {f"x-amz-checksum-{name}": wrong})
    assert (answer.status_code, code(answer)) == (400, "InvalidRequest")
    assert absent(key)


def test_the_checksums_it_knows_are_still_checked(s3_endpoint, service_key, key_prefix):
    wrong = base64.b64encode(b"\1" * 4).decode()
    answer = put(s3_endpoint[0], service_key, key_prefix + "crc", b"hello", {"x-amz-checksum-crc32c": wrong})
    assert (answer.status_code, code(answer)) == (400, "BadDigest")
    answer = put(s3_endpoint[0], service_key, key_prefix + "ok", b"hello",
                 {"x-amz-checksum-crc32": "NhCmhg==", "x-amz-checksum-type": "FULL_OBJECT"})
    assert answer.status_code == 200, answer.text
