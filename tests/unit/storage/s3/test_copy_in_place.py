"""Editing a file's metadata, or restoring a version, copies it onto itself: the copy keeps how the file was kept
(its storage class, its encryption key, its retention), where S3 would otherwise apply the bucket's defaults.
moto, because SeaweedFS has no storage classes nor KMS."""

from __future__ import annotations

import pytest

from storage.connections import ConnectionSpec, StaticRegistry
from storage.gateway import InvalidRequest, ObjectHeaders
from storage.s3.gateway import S3Gateway
from tests.unit.admin_support import BUCKET, moto_s3  # noqa: F401

SPEC = ConnectionSpec(name="main", bucket=BUCKET, access_key_id="k", secret_access_key="s", is_default=True)
KEY_ID = "arn:aws:kms:us-east-1:123456789012:key/its-own"


def test_a_metadata_edit_and_a_restore_keep_the_storage_class_and_the_encryption_key(moto_s3):  # noqa: F811
    gateway = S3Gateway(StaticRegistry([SPEC]))
    moto_s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    first = moto_s3.put_object(Bucket=BUCKET, Key="vault/a.txt", Body=b"one", StorageClass="STANDARD_IA",
                               ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ID)["VersionId"]

    gateway.replace_object_headers("main", "vault/a.txt", ObjectHeaders(content_type="text/plain",
                                                                         cache_control="no-store"))
    gateway.restore_version("main", "vault/a.txt", first)

    for version in moto_s3.list_object_versions(Bucket=BUCKET, Prefix="vault/a.txt")["Versions"]:
        head = moto_s3.head_object(Bucket=BUCKET, Key="vault/a.txt", VersionId=version["VersionId"])
        assert (head.get("StorageClass"), head.get("ServerSideEncryption"), head.get("SSEKMSKeyId")) == (
            "STANDARD_IA", "aws:kms", KEY_ID), version["VersionId"]


def test_a_file_encrypted_with_its_owners_key_is_not_copied(moto_s3, monkeypatch):  # noqa: F811
    gateway = S3Gateway(StaticRegistry([SPEC]))
    moto_s3.put_object(Bucket=BUCKET, Key="sse-c.txt", Body=b"x")
    client = gateway._client(gateway._spec("main"))
    real_head = type(client).head_object
    monkeypatch.setattr(type(client), "head_object",
                        lambda self, **kw: {**real_head(self, **kw), "SSECustomerAlgorithm": "AES256"})
    with pytest.raises(InvalidRequest, match="SSE-C"):
        gateway.replace_object_headers("main", "sse-c.txt", ObjectHeaders(content_type="text/plain"))
