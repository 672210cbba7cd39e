"""A local-folder connection is a bucket too: listed, read in ranges, its keys under its own listing rules."""

from __future__ import annotations

import pytest

from storage.factory import get_gateway
from storage.models import Connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def disk(s3_endpoint, settings, tmp_path):
    settings.ALLOW_LOCAL_FOLDERS = True
    folder = tmp_path / "disk"
    folder.mkdir()
    Connection.objects.create(name="disk", kind="local", local_root=str(folder))
    for key in ("a.txt", "d/b.txt", "d/c.txt", "e.txt"):
        get_gateway().simple_upload("disk", key, key.encode() * 100, content_type="text/plain")
    return "disk"


def test_a_local_folder_lists_and_reads(s3, disk):
    assert sorted(b["Name"] for b in s3.list_buckets()["Buckets"]) == ["disk", "primary"]
    folded = s3.list_objects_v2(Bucket=disk, Delimiter="/")
    assert [o["Key"] for o in folded["Contents"]] == ["a.txt", "e.txt"]
    assert [p["Prefix"] for p in folded["CommonPrefixes"]] == ["d/"]
    paged = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=disk, PaginationConfig={"PageSize": 1}) for o in page.get("Contents", [])]
    assert paged == ["a.txt", "d/b.txt", "d/c.txt", "e.txt"]
    v1 = [o["Key"] for page in s3.get_paginator("list_objects").paginate(
        Bucket=disk, PaginationConfig={"PageSize": 3}) for o in page.get("Contents", [])]
    assert v1 == paged
    assert s3.get_object(Bucket=disk, Key="d/b.txt")["Body"].read() == b"d/b.txt" * 100
    ranged = s3.get_object(Bucket=disk, Key="d/b.txt", Range="bytes=7-13")
    assert ranged["Body"].read() == b"d/b.txt" and ranged["ContentRange"] == "bytes 7-13/700"
    head = s3.head_object(Bucket=disk, Key="a.txt")
    assert head["ContentLength"] == 500 and head["ContentType"] == "text/plain"


def test_a_local_folders_part_replaced_after_its_etag_was_noted_is_not_joined(s3, disk, tmp_path):
    """Two uploads of one part number race: each writes the part's bytes, then its note (ETag, size). When the
    first one's note lands last, the note names bytes the folder no longer holds; completing with that ETag must
    fail, not store the other upload's bytes under it. (The race is staged: the bytes are replaced on disk.)"""
    upload = s3.create_multipart_upload(Bucket=disk, Key="raced.bin")["UploadId"]
    etag = s3.upload_part(Bucket=disk, Key="raced.bin", UploadId=upload, PartNumber=1, Body=b"A" * 1000)["ETag"]
    part_file = tmp_path / "disk" / "uploads" / upload / "00001"
    part_file.write_bytes(b"B" * 1000)  # the other upload's bytes, placed before the first one's note
    with pytest.raises(s3.exceptions.ClientError) as refused:
        s3.complete_multipart_upload(Bucket=disk, Key="raced.bin", UploadId=upload,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert refused.value.response["Error"]["Code"] == "InvalidPart"
    with pytest.raises(s3.exceptions.ClientError):
        s3.head_object(Bucket=disk, Key="raced.bin")
