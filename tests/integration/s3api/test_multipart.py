"""Multipart uploads through the endpoint, with boto3, on the real SeaweedFS."""

from __future__ import annotations

import hashlib
import os

import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from console.models import AuditEvent
from console.s3api.keys import issue_key
from storage.factory import get_gateway
from tests.integration.s3api.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "primary"
MiB = 1024 * 1024


def error_code(raised) -> str:
    return raised.value.response["Error"]["Code"]


def start(s3, key: str, **options) -> str:
    return s3.create_multipart_upload(Bucket=BUCKET, Key=key, **options)["UploadId"]


def send(s3, key: str, upload: str, number: int, body: bytes) -> dict:
    answer = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=upload, PartNumber=number, Body=body)
    return {"PartNumber": number, "ETag": answer["ETag"]}


def test_the_transfer_manager_uploads_20_mib_in_parts(s3, key_prefix, tmp_path):
    data = os.urandom(20 * MiB)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    key = key_prefix + "big.bin"
    s3.upload_file(str(path), BUCKET, key,
                   Config=TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB, max_concurrency=4))
    meta = get_gateway().get_object_meta(BUCKET, key)
    assert meta.size == len(data) and meta.etag.endswith("-4")
    with get_gateway().open_object(BUCKET, key) as stream:
        digest = hashlib.sha256()
        for chunk in stream:
            digest.update(chunk)
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    completed = AuditEvent.objects.get(kind="upload.completed", target=key)
    assert completed.detail["size"] == len(data)


def test_it_completes_an_upload_with_its_headers(s3, key_prefix):
    key = key_prefix + "parts.txt"
    upload = start(s3, key, ContentType="text/plain", CacheControl="no-cache", Metadata={"owner": "ann"})
    parts = [send(s3, key, upload, 1, b"a" * (5 * MiB)), send(s3, key, upload, 2, b"tail")]
    listed = s3.list_parts(Bucket=BUCKET, Key=key, UploadId=upload)
    assert [(p["PartNumber"], p["Size"]) for p in listed["Parts"]] == [(1, 5 * MiB), (2, 4)]
    answer = s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
    assert answer["ETag"].strip('"').endswith("-2")
    headers = get_gateway().get_object_headers(BUCKET, key)
    assert (headers.content_type, headers.cache_control, headers.metadata) == ("text/plain", "no-cache",
                                                                               {"owner": "ann"})
    assert get_gateway().get_object_meta(BUCKET, key).size == 5 * MiB + 4


def test_list_parts_pages_by_part_number(s3, key_prefix):
    key = key_prefix + "paged.bin"
    upload = start(s3, key)
    for number in (1, 2, 3):
        send(s3, key, upload, number, b"x")
    first = s3.list_parts(Bucket=BUCKET, Key=key, UploadId=upload, MaxParts=2)
    assert [p["PartNumber"] for p in first["Parts"]] == [1, 2] and first["IsTruncated"]
    rest = s3.list_parts(Bucket=BUCKET, Key=key, UploadId=upload, MaxParts=2,
                         PartNumberMarker=first["NextPartNumberMarker"])
    assert [p["PartNumber"] for p in rest["Parts"]] == [3] and not rest["IsTruncated"]
    s3.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload)


def test_an_unknown_or_aborted_upload_is_no_such_upload(s3, key_prefix):
    key = key_prefix + "aborted.bin"
    upload = start(s3, key)
    assert s3.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload)[
        "ResponseMetadata"]["HTTPStatusCode"] == 204
    for attempt in (lambda: s3.list_parts(Bucket=BUCKET, Key=key, UploadId=upload),
                    lambda: send(s3, key, upload, 1, b"x"),
                    lambda: s3.list_parts(Bucket=BUCKET, Key=key, UploadId="no-such-upload")):
        with pytest.raises(ClientError) as raised:
            attempt()
        assert error_code(raised) == "NoSuchUpload"
    assert AuditEvent.objects.filter(kind="upload.aborted", target=key).exists()


def test_an_upload_id_works_only_for_its_key(s3, key_prefix):
    key, other = key_prefix + "mine.bin", key_prefix + "other.bin"
    s3.put_object(Bucket=BUCKET, Key=key + ".source", Body=b"source")
    upload = start(s3, key)
    for attempt in (lambda: send(s3, other, upload, 1, b"x"),
                    lambda: s3.list_parts(Bucket=BUCKET, Key=other, UploadId=upload),
                    lambda: s3.abort_multipart_upload(Bucket=BUCKET, Key=other, UploadId=upload),
                    lambda: s3.upload_part_copy(Bucket=BUCKET, Key=other, UploadId=upload, PartNumber=1,
                                                CopySource=f"{BUCKET}/{key}.source")):
        with pytest.raises(ClientError) as raised:
            attempt()
        assert error_code(raised) == "NoSuchUpload"
    s3.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload)


def test_completing_with_wrong_parts_is_refused_as_s3_does(s3, key_prefix):
    key = key_prefix + "wrong.bin"
    upload = start(s3, key)
    one, two = send(s3, key, upload, 1, b"a" * (5 * MiB)), send(s3, key, upload, 2, b"b")
    cases = [([{**one, "ETag": '"0123456789abcdef0123456789abcdef"'}], "InvalidPart"),
             ([{"PartNumber": 3, "ETag": one["ETag"]}], "InvalidPart"),
             ([two, one], "InvalidPartOrder")]
    for parts, code in cases:
        with pytest.raises(ClientError) as raised:
            s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
        assert error_code(raised) == code
    small = start(s3, key + ".small")
    tiny = [send(s3, key + ".small", small, 1, b"a"), send(s3, key + ".small", small, 2, b"b")]
    with pytest.raises(ClientError) as raised:
        s3.complete_multipart_upload(Bucket=BUCKET, Key=key + ".small", UploadId=small,
                                     MultipartUpload={"Parts": tiny})
    assert error_code(raised) == "EntityTooSmall"
    s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload, MultipartUpload={"Parts": [one, two]})
    s3.abort_multipart_upload(Bucket=BUCKET, Key=key + ".small", UploadId=small)


def test_a_bad_part_number_is_refused(s3, key_prefix):
    key = key_prefix + "numbers.bin"
    upload = start(s3, key)
    for number in (0, 10_001):
        with pytest.raises(ClientError) as raised:
            send(s3, key, upload, number, b"x")
        assert error_code(raised) == "InvalidArgument"
    s3.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload)


def test_a_capped_connection_refuses_a_larger_part_and_total(s3, s3_endpoint, key_prefix):
    connection = s3_endpoint[1]
    connection.max_upload_size = 5 * MiB + 1
    connection.save()
    key = key_prefix + "capped.bin"
    upload = start(s3, key)
    with pytest.raises(ClientError) as raised:
        send(s3, key, upload, 1, b"x" * (5 * MiB + 2))
    assert error_code(raised) == "EntityTooLarge"
    parts = [send(s3, key, upload, 1, b"x" * (5 * MiB)), send(s3, key, upload, 2, b"yz")]
    with pytest.raises(ClientError) as raised:
        s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
    assert error_code(raised) == "EntityTooLarge"
    s3.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload)


def test_it_copies_parts_from_an_object(s3, key_prefix):
    source, key = key_prefix + "source.bin", key_prefix + "copied.bin"
    data = os.urandom(5 * MiB + 10)
    s3.put_object(Bucket=BUCKET, Key=source, Body=data)
    upload = start(s3, key)
    first = s3.upload_part_copy(Bucket=BUCKET, Key=key, UploadId=upload, PartNumber=1,
                                CopySource={"Bucket": BUCKET, "Key": source}, CopySourceRange=f"bytes=0-{5 * MiB - 1}")
    second = s3.upload_part_copy(Bucket=BUCKET, Key=key, UploadId=upload, PartNumber=2,
                                 CopySource=f"{BUCKET}/{source}", CopySourceRange=f"bytes={5 * MiB}-{5 * MiB + 9}")
    parts = [{"PartNumber": 1, "ETag": first["CopyPartResult"]["ETag"]},
             {"PartNumber": 2, "ETag": second["CopyPartResult"]["ETag"]}]
    s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
    assert get_gateway().download_file(BUCKET, key) == data
    with pytest.raises(ClientError) as raised:
        s3.upload_part_copy(Bucket=BUCKET, Key=key, UploadId=start(s3, key), PartNumber=1,
                            CopySource=f"{BUCKET}/{source}", CopySourceRange=f"bytes=0-{len(data)}")
    assert error_code(raised) == "InvalidArgument"


def test_it_lists_uploads_in_progress_by_prefix_and_page(s3, key_prefix):
    keys = [key_prefix + "a.bin", key_prefix + "b.bin", key_prefix + "sub/c.bin"]
    uploads = {key: start(s3, key) for key in keys}
    listed = s3.list_multipart_uploads(Bucket=BUCKET, Prefix=key_prefix, Delimiter="/")
    assert [u["Key"] for u in listed["Uploads"]] == keys[:2]
    assert [p["Prefix"] for p in listed["CommonPrefixes"]] == [key_prefix + "sub/"]
    first = s3.list_multipart_uploads(Bucket=BUCKET, Prefix=key_prefix, MaxUploads=2)
    assert [u["Key"] for u in first["Uploads"]] == keys[:2] and first["IsTruncated"]
    rest = s3.list_multipart_uploads(Bucket=BUCKET, Prefix=key_prefix, MaxUploads=2,
                                     KeyMarker=first["NextKeyMarker"], UploadIdMarker=first["NextUploadIdMarker"])
    assert [u["Key"] for u in rest["Uploads"]] == keys[2:] and not rest["IsTruncated"]
    for key, upload in uploads.items():
        s3.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload)


def test_keys_without_the_right_cannot_upload(s3, s3_endpoint, key_prefix):
    reader = client_for(s3_endpoint[0], issue_key("reader", read_only=True))
    limited = client_for(s3_endpoint[0], issue_key("team", connections=[s3_endpoint[1]], prefix=key_prefix + "team/"))
    for client, key in ((reader, key_prefix + "r.bin"), (limited, key_prefix + "out.bin")):
        with pytest.raises(ClientError) as raised:
            start(client, key)
        assert error_code(raised) == "AccessDenied"
    upload = start(s3, key_prefix + "theirs.bin")
    with pytest.raises(ClientError) as raised:
        send(reader, key_prefix + "theirs.bin", upload, 1, b"x")
    assert error_code(raised) == "AccessDenied"
    inside = start(limited, key_prefix + "team/in.bin")
    listed = limited.list_multipart_uploads(Bucket=BUCKET)
    assert [u["Key"] for u in listed.get("Uploads", [])] == [key_prefix + "team/in.bin"]
    s3.abort_multipart_upload(Bucket=BUCKET, Key=key_prefix + "theirs.bin", UploadId=upload)
    limited.abort_multipart_upload(Bucket=BUCKET, Key=key_prefix + "team/in.bin", UploadId=inside)


def test_a_part_whose_bytes_do_not_match_their_content_md5_is_refused(s3, key_prefix):
    key = key_prefix + "digest.bin"
    upload = start(s3, key)
    with pytest.raises(ClientError) as raised:
        s3.upload_part(Bucket=BUCKET, Key=key, UploadId=upload, PartNumber=1, Body=b"x",
                       ContentMD5="AAAAAAAAAAAAAAAAAAAAAA==")
    assert error_code(raised) == "BadDigest"
    assert not s3.list_parts(Bucket=BUCKET, Key=key, UploadId=upload).get("Parts")
    s3.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload)


def test_it_copies_a_part_from_another_bucket_of_the_same_storage(s3, twin_connection, key_prefix):
    source, key = key_prefix + "source.bin", key_prefix + "copied.bin"
    s3.put_object(Bucket=BUCKET, Key=source, Body=b"across")
    upload = s3.create_multipart_upload(Bucket="twin", Key=key)["UploadId"]
    part = s3.upload_part_copy(Bucket="twin", Key=key, UploadId=upload, PartNumber=1, CopySource=f"{BUCKET}/{source}")
    s3.complete_multipart_upload(Bucket="twin", Key=key, UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]}]})
    assert get_gateway().download_file("twin", key) == b"across"
