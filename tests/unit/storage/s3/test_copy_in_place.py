"""Editing a file's metadata, or restoring a version, copies it onto itself: the copy keeps how the file was kept
(its storage class, its encryption key, its retention), where S3 would otherwise apply the bucket's defaults.
moto, because SeaweedFS has no storage classes nor KMS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from botocore import exceptions as boto_errors

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
    """S3 answers a HEAD of an SSE-C object sent without its key with a bare 400."""
    gateway = S3Gateway(StaticRegistry([SPEC]))
    moto_s3.put_object(Bucket=BUCKET, Key="sse-c.txt", Body=b"x")
    client = gateway._client(gateway._spec("main"))

    def head_without_the_key(self, **kwargs):
        raise boto_errors.ClientError({"Error": {"Code": "400", "Message": "Bad Request"},
                                       "ResponseMetadata": {"HTTPStatusCode": 400}}, "HeadObject")

    monkeypatch.setattr(type(client), "head_object", head_without_the_key)
    with pytest.raises(InvalidRequest, match="SSE-C"):
        gateway.replace_object_headers("main", "sse-c.txt", ObjectHeaders(content_type="text/plain"))


def test_a_retention_that_has_ended_is_not_sent_again(moto_s3, monkeypatch):  # noqa: F811
    """S3 refuses a copy whose retention date has passed; a running one and a legal hold on are kept."""
    gateway = S3Gateway(StaticRegistry([SPEC]))
    moto_s3.put_object(Bucket=BUCKET, Key="was-locked.txt", Body=b"x")
    client = gateway._client(gateway._spec("main"))
    real_head, sent = type(client).head_object, []
    real_copy = type(client).copy_object
    past, future = datetime.now(UTC) - timedelta(days=1), datetime.now(UTC) + timedelta(days=1)
    for until, hold in ((past, "OFF"), (future, "ON")):
        monkeypatch.setattr(type(client), "head_object", lambda self, _u=until, _h=hold, **kw: {
            **real_head(self, **kw), "ObjectLockMode": "GOVERNANCE", "ObjectLockRetainUntilDate": _u,
            "ObjectLockLegalHoldStatus": _h})
        monkeypatch.setattr(type(client), "copy_object",
                            lambda self, **kw: sent.append(kw) or real_copy(self, **{
                                k: v for k, v in kw.items() if not k.startswith("ObjectLock")}))
        gateway.replace_object_headers("main", "was-locked.txt", ObjectHeaders(content_type="text/plain"))
    assert [sorted(k for k in kw if k.startswith("ObjectLock")) for kw in sent] == [
        [], ["ObjectLockLegalHoldStatus", "ObjectLockMode", "ObjectLockRetainUntilDate"]]
