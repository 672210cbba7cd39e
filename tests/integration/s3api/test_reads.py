"""HeadObject and GetObject through the endpoint, over the real SeaweedFS, as boto3 sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.exceptions import ClientError

from console.s3api.keys import issue_key
from storage.factory import get_gateway
from storage.gateway import ObjectHeaders
from tests.integration.s3api.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)

DATA = bytes(range(256)) * 40  # 10 240 bytes


@pytest.fixture
def stored(s3_endpoint, key_prefix):
    """An object with a content type and user metadata; its key."""
    key = f"{key_prefix}data.bin"
    get_gateway().simple_upload("primary", key, DATA, content_type="application/x-test", metadata={"colour": "blue"})
    return key


def code_of(raised) -> str:
    return raised.value.response["Error"]["Code"]


def test_get_returns_the_bytes_and_headers(s3, stored):
    answer = s3.get_object(Bucket="primary", Key=stored)
    assert answer["Body"].read() == DATA
    assert answer["ContentLength"] == len(DATA) and answer["ContentType"] == "application/x-test"
    assert answer["Metadata"] == {"colour": "blue"} and answer["AcceptRanges"] == "bytes"
    assert answer["ETag"] == s3.head_object(Bucket="primary", Key=stored)["ETag"]
    assert "ContentLanguage" not in answer  # the object has none: not the console page's "en"
    assert abs(answer["LastModified"] - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_head_describes_without_a_body(s3, stored):
    answer = s3.head_object(Bucket="primary", Key=stored)
    assert answer["ContentLength"] == len(DATA) and answer["Metadata"] == {"colour": "blue"}
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=0-9", 0, 9), ("bytes=10-", 10, len(DATA) - 1), ("bytes=-5", len(DATA) - 5, len(DATA) - 1),
    ("bytes=100-999999", 100, len(DATA) - 1), ("bytes=-999999", 0, len(DATA) - 1),
])
def test_a_range_is_served_as_206(s3, stored, header, first, last):
    answer = s3.get_object(Bucket="primary", Key=stored, Range=header)
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert answer["Body"].read() == DATA[first:last + 1]
    assert answer["ContentRange"] == f"bytes {first}-{last}/{len(DATA)}"
    assert answer["ContentLength"] == last - first + 1
    head = s3.head_object(Bucket="primary", Key=stored, Range=header)
    assert head["ContentRange"] == answer["ContentRange"] and head["ContentLength"] == last - first + 1


def test_an_unsatisfiable_range_is_416_naming_the_size(s3, stored):
    for header in (f"bytes={len(DATA)}-", "bytes=-0"):
        with pytest.raises(ClientError) as raised:
            s3.get_object(Bucket="primary", Key=stored, Range=header)
        assert code_of(raised) == "InvalidRange"
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416
        assert raised.value.response["ResponseMetadata"]["HTTPHeaders"]["content-range"] == f"bytes */{len(DATA)}"


def test_a_range_that_is_not_one_serves_the_whole_object(s3, stored):
    answer = s3.get_object(Bucket="primary", Key=stored, Range="bytes=9-3")
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200 and answer["Body"].read() == DATA


def test_conditions(s3, stored):
    etag = s3.head_object(Bucket="primary", Key=stored)["ETag"]
    past, future = dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert s3.get_object(Bucket="primary", Key=stored, IfMatch=etag)["Body"].read() == DATA
    assert s3.get_object(Bucket="primary", Key=stored, IfNoneMatch='"other"')["Body"].read() == DATA
    assert s3.get_object(Bucket="primary", Key=stored, IfModifiedSince=past)["Body"].read() == DATA
    assert s3.get_object(Bucket="primary", Key=stored, IfUnmodifiedSince=future)["Body"].read() == DATA
    for refused, status in [({"IfNoneMatch": etag}, 304), ({"IfModifiedSince": future}, 304),
                            ({"IfMatch": '"other"'}, 412), ({"IfUnmodifiedSince": past}, 412),
                            ({"IfMatch": '"other"', "Range": "bytes=0-1"}, 412)]:
        for operation in (s3.get_object, s3.head_object):
            with pytest.raises(ClientError) as raised:
                operation(Bucket="primary", Key=stored, **refused)
            assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status, (refused, operation)
    # If-Match that holds wins over If-Unmodified-Since that does not, as S3 decides
    assert s3.get_object(Bucket="primary", Key=stored, IfMatch=etag, IfUnmodifiedSince=past)["ContentLength"] == \
        len(DATA)


def test_response_overrides(s3, stored):
    answer = s3.get_object(Bucket="primary", Key=stored, ResponseContentType="text/plain",
                           ResponseContentDisposition='attachment; filename="x.bin"', ResponseCacheControl="no-cache",
                           ResponseContentLanguage="fr", ResponseContentEncoding="identity",
                           ResponseExpires=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert answer["ContentType"] == "text/plain" and answer["CacheControl"] == "no-cache"
    assert answer["ContentDisposition"] == 'attachment; filename="x.bin"' and answer["ContentLanguage"] == "fr"
    assert answer["ContentEncoding"] == "identity" and answer["Expires"].year == 2030
    answer["Body"].read()


def test_stored_headers_are_answered(s3, stored):
    get_gateway().replace_object_headers("primary", stored, ObjectHeaders(
        content_type="text/csv", cache_control="max-age=60", content_disposition="inline",
        metadata={"colour": "red"}))
    for answer in (s3.head_object(Bucket="primary", Key=stored), s3.get_object(Bucket="primary", Key=stored)):
        assert answer["ContentType"] == "text/csv" and answer["CacheControl"] == "max-age=60"
        assert "ContentLanguage" not in answer
        assert answer["ContentDisposition"] == "inline" and answer["Metadata"] == {"colour": "red"}


def test_missing_keys_and_buckets(s3, key_prefix):
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="primary", Key=f"{key_prefix}absent")
    assert code_of(raised) == "NoSuchKey"
    with pytest.raises(ClientError) as raised:
        s3.head_object(Bucket="primary", Key=f"{key_prefix}absent")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="elsewhere", Key="a")
    assert code_of(raised) == "NoSuchBucket"


def test_a_version_id_is_not_implemented(s3, stored):
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="primary", Key=stored, VersionId="v1")
    assert code_of(raised) == "NotImplemented"


def test_an_empty_object(s3, key_prefix):
    get_gateway().simple_upload("primary", f"{key_prefix}empty", b"")
    answer = s3.get_object(Bucket="primary", Key=f"{key_prefix}empty")
    assert answer["ContentLength"] == 0 and answer["Body"].read() == b""
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="primary", Key=f"{key_prefix}empty", Range="bytes=0-")
    assert code_of(raised) == "InvalidRange"


def test_a_folder_key_reads_only_inside_its_folder(s3_endpoint, key_prefix):
    url, connection = s3_endpoint
    for name in ("team/in.txt", "out.txt"):
        get_gateway().simple_upload("primary", key_prefix + name, name.encode())
    client = client_for(url, issue_key("team", connections=[connection], prefix=f"{key_prefix}team/"))
    assert client.get_object(Bucket="primary", Key=f"{key_prefix}team/in.txt")["Body"].read() == b"team/in.txt"
    for operation in (client.get_object, client.head_object):
        with pytest.raises(ClientError) as raised:
            operation(Bucket="primary", Key=f"{key_prefix}out.txt")
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(ClientError) as raised:  # an absent key outside is as refused as a present one
        client.get_object(Bucket="primary", Key=f"{key_prefix}absent.txt")
    assert code_of(raised) == "AccessDenied"


def test_a_ranged_read_is_pinned_to_the_etag_it_answers_with(s3, stored, monkeypatch):
    """The object replaced between the metadata and the bytes: a refusal, never the new object's bytes under
    the old one's ETag."""
    gateway = get_gateway()
    original = type(gateway).get_object_meta

    def meta_then_replace(self, oss_id, key, **options):
        meta = original(self, oss_id, key, **options)
        self.simple_upload(oss_id, key, b"replaced" * 100)
        return meta

    monkeypatch.setattr(type(gateway), "get_object_meta", meta_then_replace)
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="primary", Key=stored, Range="bytes=0-9")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412


def test_part_number_one_is_the_whole_object(s3, stored):
    answer = s3.get_object(Bucket="primary", Key=stored, PartNumber=1)
    assert answer["Body"].read() == DATA and "PartsCount" not in answer
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="primary", Key=stored, PartNumber=2)
    assert code_of(raised) == "InvalidPartNumber"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416
