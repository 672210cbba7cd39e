"""What only a real S3 proves: signatures, expiry and signed headers are enforced."""

from __future__ import annotations

import time

import pytest
import requests

from storage.connections import StaticRegistry
from storage.gateway import ObjectHeaders
from storage.s3.gateway import S3Gateway
from tests.conftest import seaweed_spec


@pytest.fixture
def gateway(seaweedfs):
    return S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)]))


def put(upload, data, **headers):
    return requests.put(upload.url, data=data, headers={**upload.headers, **headers}, timeout=10)


def test_an_expired_url_is_refused(gateway, key_prefix):
    key = key_prefix + "short.txt"
    gateway.simple_upload("primary", key, b"x")
    url = gateway.get_download_url("primary", key, 1)
    assert requests.get(url, timeout=10).status_code == 200
    time.sleep(2.2)
    assert requests.get(url, timeout=10).status_code == 403


def test_a_tampered_signature_is_refused(gateway, key_prefix):
    key = key_prefix + "tamper.txt"
    gateway.simple_upload("primary", key, b"x")
    url = gateway.get_download_url("primary", key, 60)
    at = url.index("X-Amz-Signature=") + len("X-Amz-Signature=")
    tampered = url[:at] + ("0" if url[at] != "0" else "1") + url[at + 1:]
    assert requests.get(url, timeout=10).status_code == 200
    assert requests.get(tampered, timeout=10).status_code == 403


def test_a_put_signed_for_png_is_refused_as_text(gateway, key_prefix):
    upload = gateway.get_upload_request("primary", key_prefix + "img.png", 60, content_type="image/png")
    assert put(upload, b"png", **{"Content-Type": "text/plain"}).status_code == 403
    assert put(upload, b"png").status_code == 200


def test_a_put_signed_for_n_bytes_is_refused_with_n_plus_one(gateway, key_prefix):
    upload = gateway.get_upload_request("primary", key_prefix + "sized.bin", 60, size=10)
    assert put(upload, b"x" * 11).status_code == 403
    assert put(upload, b"x" * 10).status_code == 200


def test_a_part_url_cannot_be_used_for_another_part(gateway, key_prefix):
    key = key_prefix + "p.bin"
    upload_id = gateway.create_multipart_upload("primary", key)
    signed = gateway.sign_upload_part("primary", key, upload_id, 1, 60)
    other_part = signed.url.replace("partNumber=1", "partNumber=2")
    assert requests.put(other_part, data=b"x", timeout=10).status_code == 403
    gateway.abort_multipart_upload("primary", key, upload_id)


def test_storage_refuses_a_part_number_out_of_range(seaweedfs, gateway, key_prefix):
    """Our gateway never signs part 10001; S3 would refuse it anyway (signed here with botocore directly)."""
    from storage.s3.client import build_client

    key = key_prefix + "range.bin"
    upload_id = gateway.create_multipart_upload("primary", key)
    client = build_client(seaweed_spec(seaweedfs))
    url = client.generate_presigned_url("upload_part", Params={
        "Bucket": seaweedfs.bucket, "Key": key, "UploadId": upload_id, "PartNumber": 10001}, ExpiresIn=60)
    assert requests.put(url, data=b"x", timeout=10).status_code == 400
    gateway.abort_multipart_upload("primary", key, upload_id)


def test_storage_refuses_to_complete_with_a_wrong_etag(gateway, key_prefix):
    from storage.gateway import IntegrityFailure

    key = key_prefix + "etag.bin"
    upload_id = gateway.create_multipart_upload("primary", key)
    signed = gateway.sign_upload_part("primary", key, upload_id, 1, 60)
    assert requests.put(signed.url, data=b"part one", timeout=10).status_code == 200
    with pytest.raises(IntegrityFailure):
        gateway.complete_multipart_upload("primary", key, upload_id, [(1, "0" * 32)])
    assert [p.part_number for p in gateway.list_parts("primary", key, upload_id)] == [1]  # nothing was lost
    gateway.abort_multipart_upload("primary", key, upload_id)


def test_a_signed_download_answers_private_whatever_cache_control_the_file_was_stored_with(gateway, key_prefix):
    key = key_prefix + "kept-a-year.pdf"
    gateway.simple_upload("primary", key, b"%PDF-1.4")
    gateway.replace_object_headers("primary", key, ObjectHeaders(content_type="application/pdf",
                                                                  cache_control="public, max-age=31536000"))
    assert gateway.get_object_headers("primary", key).cache_control == "public, max-age=31536000"
    for inline in (False, True):
        answer = requests.get(gateway.get_download_url("primary", key, 60, inline=inline), timeout=10)
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private", inline


def test_a_put_signed_with_metadata_stores_it_and_refuses_other_values(gateway, key_prefix):
    key = key_prefix + "hashed.bin"
    upload = gateway.get_upload_request("primary", key, 60, metadata={"sha256": "ab" * 32})
    assert upload.headers["x-amz-meta-sha256"] == "ab" * 32
    assert put(upload, b"x", **{"x-amz-meta-sha256": "cd" * 32}).status_code == 403
    assert put(upload, b"x").status_code == 200
    assert gateway.get_object_meta("primary", key).metadata == {"sha256": "ab" * 32}
