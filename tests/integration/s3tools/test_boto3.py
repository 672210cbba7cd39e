"""boto3 against /s3/ at its defaults (transfer manager, checksums "when supported"), in both editions."""

from __future__ import annotations

import hashlib
import os

import pytest
import requests
from botocore.exceptions import ClientError

from tests.integration.s3tools.support import MiB, digests, random_file

pytestmark = pytest.mark.integration


def error_code(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return raised.value.response["Error"]["Code"]


@pytest.mark.big
def test_transfer_manager_upload_and_download_of_100_mib(endpoint, key_prefix, tmp_path):
    client = endpoint.boto3()
    local = random_file(tmp_path / "big.bin", 100 * MiB)
    client.upload_file(str(local), endpoint.bucket, key_prefix + "big.bin")
    head = client.head_object(Bucket=endpoint.bucket, Key=key_prefix + "big.bin")
    assert head["ContentLength"] == 100 * MiB and head["ETag"].strip('"').endswith("-13")  # 8 MiB parts
    client.download_file(endpoint.bucket, key_prefix + "big.bin", str(tmp_path / "back.bin"))
    assert digests(tmp_path / "back.bin") == digests(local)


def test_put_get_head_copy_delete_and_missing_keys(endpoint, key_prefix):
    client, bucket = endpoint.boto3(), endpoint.bucket
    body = os.urandom(70_000)
    put = client.put_object(Bucket=bucket, Key=key_prefix + "a.bin", Body=body, ContentType="application/x-test")
    assert put["ETag"].strip('"') == hashlib.md5(body, usedforsecurity=False).hexdigest()

    got = client.get_object(Bucket=bucket, Key=key_prefix + "a.bin")
    assert got["Body"].read() == body and got["ContentType"] == "application/x-test"
    assert got["ETag"] == put["ETag"]
    head = client.head_object(Bucket=bucket, Key=key_prefix + "a.bin")
    assert head["ContentLength"] == len(body) and head["ETag"] == put["ETag"]

    ranged = client.get_object(Bucket=bucket, Key=key_prefix + "a.bin", Range="bytes=100-199")
    assert ranged["Body"].read() == body[100:200] and ranged["ContentRange"] == f"bytes 100-199/{len(body)}"
    suffix = client.get_object(Bucket=bucket, Key=key_prefix + "a.bin", Range="bytes=-10")
    assert suffix["Body"].read() == body[-10:]
    assert error_code(client.get_object, Bucket=bucket, Key=key_prefix + "a.bin",
                      Range=f"bytes={len(body)}-") == "InvalidRange"

    client.copy_object(Bucket=bucket, Key=key_prefix + "b.bin", CopySource={"Bucket": bucket, "Key": key_prefix + "a.bin"})
    assert client.get_object(Bucket=bucket, Key=key_prefix + "b.bin")["Body"].read() == body

    client.delete_object(Bucket=bucket, Key=key_prefix + "a.bin")
    assert error_code(client.get_object, Bucket=bucket, Key=key_prefix + "a.bin") == "NoSuchKey"
    assert error_code(client.head_object, Bucket=bucket, Key=key_prefix + "a.bin") == "404"
    assert error_code(client.list_objects_v2, Bucket="no-such-connection") == "NoSuchBucket"


def test_list_objects_v2_paginator_delimiter_and_delete_objects(endpoint, key_prefix):
    client, bucket = endpoint.boto3(), endpoint.bucket
    keys = [f"{key_prefix}f{i}.txt" for i in range(5)] + [f"{key_prefix}sub/g{i}.txt" for i in range(3)]
    for key in keys:
        client.put_object(Bucket=bucket, Key=key, Body=key.encode())

    pages = list(client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key_prefix,
                                                                  PaginationConfig={"PageSize": 3}))
    assert len(pages) == 3
    assert [o["Key"] for page in pages for o in page.get("Contents", [])] == sorted(keys)

    folders = client.list_objects_v2(Bucket=bucket, Prefix=key_prefix, Delimiter="/")
    assert [o["Key"] for o in folders["Contents"]] == sorted(keys[:5])
    assert [p["Prefix"] for p in folders["CommonPrefixes"]] == [key_prefix + "sub/"]
    assert client.list_buckets()["Buckets"][0]["Name"] == bucket

    deleted = client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys[:6]]})
    assert sorted(d["Key"] for d in deleted["Deleted"]) == sorted(keys[:6]) and not deleted.get("Errors")
    left = client.list_objects_v2(Bucket=bucket, Prefix=key_prefix)
    assert [o["Key"] for o in left["Contents"]] == sorted(keys[6:])


def test_presigned_urls_fetched_with_requests(endpoint, key_prefix):
    """Presigned with SigV4 (boto3 presigns S3 URLs with the older SigV2 unless told; README says so)."""
    client, bucket = endpoint.boto3(signature_version="s3v4"), endpoint.bucket
    body = os.urandom(5000)
    put_url = client.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": key_prefix + "p.bin"},
                                            ExpiresIn=300)
    assert requests.put(put_url, data=body, verify=str(endpoint.ca), timeout=30).status_code == 200
    get_url = client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key_prefix + "p.bin"},
                                            ExpiresIn=300)
    fetched = requests.get(get_url, verify=str(endpoint.ca), timeout=30)
    assert fetched.status_code == 200 and fetched.content == body
    tampered = requests.get(get_url.replace("p.bin", "q.bin"), verify=str(endpoint.ca), timeout=30)
    assert tampered.status_code == 403 and b"SignatureDoesNotMatch" in tampered.content


def test_over_plain_http_signed_payloads(endpoint, key_prefix, tmp_path):
    client, bucket = endpoint.boto3(scheme="http"), endpoint.bucket
    body = os.urandom(10_000)
    client.put_object(Bucket=bucket, Key=key_prefix + "s.bin", Body=body)
    assert client.get_object(Bucket=bucket, Key=key_prefix + "s.bin")["Body"].read() == body
    local = random_file(tmp_path / "m.bin", 12 * MiB)  # above the 8 MiB threshold: two signed parts
    client.upload_file(str(local), bucket, key_prefix + "m.bin")
    client.download_file(bucket, key_prefix + "m.bin", str(tmp_path / "back.bin"))
    assert digests(tmp_path / "back.bin") == digests(local)


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_the_body_formats_the_tools_send_by_default(endpoint, key_prefix, scheme):
    """What the other tests rest on: over HTTPS boto3 streams an unsigned aws-chunked body with a CRC32
    trailer; over HTTP it signs the payload's SHA-256 (and sends the CRC32 as a header)."""
    client, sent = endpoint.boto3(scheme=scheme), []
    client.meta.events.register("before-send.s3.PutObject", lambda request, **_: sent.append(dict(request.headers)))
    body = os.urandom(3000)
    client.put_object(Bucket=endpoint.bucket, Key=key_prefix + "f.bin", Body=body)
    headers = {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in sent[0].items()}
    if scheme == "https":
        assert headers["x-amz-content-sha256"] == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
        assert headers["x-amz-trailer"] == "x-amz-checksum-crc32" and "aws-chunked" in headers["content-encoding"]
    else:
        assert headers["x-amz-content-sha256"] == hashlib.sha256(body).hexdigest()
        assert "x-amz-checksum-crc32" in headers
    assert client.get_object(Bucket=endpoint.bucket, Key=key_prefix + "f.bin")["Body"].read() == body
