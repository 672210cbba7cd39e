"""The S3 endpoint of a console in the commercial edition: storage reached only through the OSS Gateway Manager.

The live server plays both the manager (its /api/ossgateway/v1/ over its own connection to SeaweedFS) and the
console under test (EDITION=commercial). A key's folder and read-only flag hold there too, bodies stream
through, and a body that fails its checks leaves the object already there as it was (checked on SeaweedFS).
"""

from __future__ import annotations

import base64
import hashlib
import socket
import time
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from console.s3api.keys import issue_key
from storage.factory import get_gateway
from storage.models import Connection
from storage.ossgateway.client import OssGatewayClient
from tests.conftest import seaweed_spec
from tests.integration.ossgateway_support import start_api_server
from tests.integration.s3api.conftest import client_for
from tests.unit.s3api.signing import FixedPayload

pytestmark = pytest.mark.django_db(transaction=True)
MIB = 1024 * 1024


@pytest.fixture
def manager_url(request, seaweedfs, settings):
    manager = start_api_server(request, seaweedfs)
    settings.EDITION = "commercial"
    settings.OSSGATEWAY_URL = manager.url
    settings.OSSGATEWAY_TOKEN = manager.token
    assert isinstance(get_gateway(), OssGatewayClient)
    return manager.url


def _on_seaweedfs(seaweedfs):
    spec = seaweed_spec(seaweedfs)
    return boto3.client("s3", endpoint_url=spec.endpoint, aws_access_key_id=spec.access_key_id,
                        aws_secret_access_key=spec.secret_access_key, region_name="us-east-1"), spec.bucket


def test_a_folder_key_stays_in_its_folder_and_bodies_stream(manager_url, seaweedfs, key_prefix):
    issued = issue_key("folder", connections=[Connection.objects.get(name="primary")], prefix=key_prefix + "team/")
    s3 = client_for(manager_url, issued)
    data = bytes(range(256)) * (12 * MIB // 256)
    s3.put_object(Bucket="primary", Key=key_prefix + "team/a.bin", Body=data)
    with pytest.raises(ClientError) as outside:
        s3.put_object(Bucket="primary", Key=key_prefix + "other/a.bin", Body=b"x")
    assert outside.value.response["Error"]["Code"] == "AccessDenied"
    upload = s3.create_multipart_upload(Bucket="primary", Key=key_prefix + "team/big.bin")["UploadId"]
    parts = [{"PartNumber": n, "ETag": s3.upload_part(Bucket="primary", Key=key_prefix + "team/big.bin",
                                                      UploadId=upload, PartNumber=n,
                                                      Body=data[(n - 1) * 6 * MIB:n * 6 * MIB])["ETag"]}
             for n in (1, 2)]
    s3.complete_multipart_upload(Bucket="primary", Key=key_prefix + "team/big.bin", UploadId=upload,
                                 MultipartUpload={"Parts": parts})
    raw, bucket = _on_seaweedfs(seaweedfs)
    for key in ("team/a.bin", "team/big.bin"):
        assert hashlib.sha256(raw.get_object(Bucket=bucket, Key=key_prefix + key)["Body"].read()).digest() == \
            hashlib.sha256(data).digest()
    listed = s3.list_objects_v2(Bucket="primary", Prefix=key_prefix)
    assert {o["Key"] for o in listed.get("Contents", [])} <= {key_prefix + "team/a.bin", key_prefix + "team/big.bin"}


def test_a_body_that_fails_its_check_leaves_the_object_as_it_was(manager_url, seaweedfs, key_prefix):
    s3 = client_for(manager_url, issue_key("writer"))
    key = key_prefix + "kept.bin"
    s3.put_object(Bucket="primary", Key=key, Body=b"the object as it was")
    data = b"z" * (6 * MIB)
    wrong_md5 = base64.b64encode(hashlib.md5(b"not these bytes").digest()).decode()
    with pytest.raises(ClientError) as refused:
        s3.put_object(Bucket="primary", Key=key, Body=data, ContentMD5=wrong_md5)
    assert refused.value.response["Error"]["Code"] == "BadDigest"
    raw, bucket = _on_seaweedfs(seaweedfs)
    assert raw.get_object(Bucket=bucket, Key=key)["Body"].read() == b"the object as it was"


def test_a_read_only_key_writes_nothing(manager_url, seaweedfs, key_prefix):
    s3 = client_for(manager_url, issue_key("reader", read_only=True))
    with pytest.raises(ClientError) as refused:
        s3.put_object(Bucket="primary", Key=key_prefix + "no.bin", Body=b"x")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(ClientError) as refused:
        s3.create_multipart_upload(Bucket="primary", Key=key_prefix + "no.bin")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_an_upload_cut_off_midway_leaves_nothing(manager_url, seaweedfs, key_prefix):
    issued = issue_key("cut")
    key = key_prefix + "cut.bin"
    host, port = urlsplit(manager_url).hostname, urlsplit(manager_url).port
    request = AWSRequest(method="PUT", url=f"{manager_url}/s3/primary/{key}",
                         headers={"Content-Length": str(8 * MIB), "x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
    FixedPayload(Credentials(issued.access_key_id, issued.secret), "us-east-1", "UNSIGNED-PAYLOAD").add_auth(request)
    lines = [f"PUT /s3/primary/{key} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{k}: {v}" for k, v in request.headers.items() if k.lower() != "host"]
    with socket.create_connection((host, port)) as client:
        client.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + b"c" * (3 * MIB))
        time.sleep(1)
    time.sleep(2)
    raw, bucket = _on_seaweedfs(seaweedfs)
    assert raw.list_objects_v2(Bucket=bucket, Prefix=key_prefix).get("KeyCount") == 0
