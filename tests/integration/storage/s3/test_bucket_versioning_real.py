"""A bucket's versioning state, read through the gateway from a real SeaweedFS."""

from __future__ import annotations

import secrets

import boto3

from storage.dev.bootstrap import ensure_bucket
from storage.factory import get_gateway
from tests.conftest import add_connection, seaweed_spec


def test_a_new_bucket_reads_as_never_versioned_and_then_as_enabled(db, seaweedfs):
    spec = seaweed_spec(seaweedfs, name="versioned", bucket=f"ver-{secrets.token_hex(4)}")
    ensure_bucket(spec)
    add_connection(spec)
    assert get_gateway().get_bucket_versioning("versioned") == ""

    s3 = boto3.client("s3", endpoint_url=spec.endpoint, region_name=spec.region,
                      aws_access_key_id=spec.access_key_id, aws_secret_access_key=spec.secret_access_key)
    s3.put_bucket_versioning(Bucket=spec.bucket, VersioningConfiguration={"Status": "Enabled"})
    assert get_gateway().get_bucket_versioning("versioned") == "Enabled"
