"""A write asking for a guarantee this endpoint does not give is refused, never stored without it: with SSE-C
a tool believes nobody reads the object without its key, with an object lock that nobody deletes it."""

from __future__ import annotations

import os

import pytest
from botocore.exceptions import ClientError

from storage.factory import get_gateway
from storage.gateway import ObjectNotFound

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "primary"
CUSTOMER_KEY = os.urandom(32)
SSE_C = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": CUSTOMER_KEY}


def refused(call) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"]


def absent(key: str) -> bool:
    try:
        get_gateway().get_object_meta(BUCKET, key)
    except ObjectNotFound:
        return True
    return False


@pytest.mark.parametrize("options", [
    SSE_C,
    {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "my-key"},
    {"ObjectLockMode": "COMPLIANCE", "ObjectLockRetainUntilDate": "2099-01-01T00:00:00Z"},
    {"ObjectLockLegalHoldStatus": "ON"},
    {"Tagging": "expire=soon"},
    {"WebsiteRedirectLocation": "/elsewhere"},
], ids=["sse-c", "sse-kms", "retention", "legal-hold", "tags", "redirect"])
def test_a_put_asking_for_what_is_not_served_stores_nothing(s3, key_prefix, options):
    key = key_prefix + "guarded.bin"
    assert refused(lambda: s3.put_object(Bucket=BUCKET, Key=key, Body=b"secret", **options)) == "NotImplemented"
    assert absent(key)


def test_multipart_uploads_and_copies_with_sse_c_are_refused(s3, key_prefix):
    s3.put_object(Bucket=BUCKET, Key=key_prefix + "plain.txt", Body=b"plain")
    assert refused(lambda: s3.create_multipart_upload(Bucket=BUCKET, Key=key_prefix + "mp", **SSE_C)) == \
        "NotImplemented"
    assert refused(lambda: s3.copy_object(Bucket=BUCKET, Key=key_prefix + "copy", **SSE_C,
                                          CopySource={"Bucket": BUCKET, "Key": key_prefix + "plain.txt"})) == \
        "NotImplemented"
    assert absent(key_prefix + "copy")


def test_a_plain_put_and_sse_s3_still_work(s3, key_prefix):
    s3.put_object(Bucket=BUCKET, Key=key_prefix + "a", Body=b"a")
    s3.put_object(Bucket=BUCKET, Key=key_prefix + "b", Body=b"b", ServerSideEncryption="AES256")
    assert get_gateway().download_file(BUCKET, key_prefix + "b") == b"b"
