"""A bucket of its own with versioning on, on the session's SeaweedFS (#17's tests share none with others)."""

from __future__ import annotations

import secrets

import boto3

from storage.connections import ConnectionSpec
from storage.dev.bootstrap import ensure_bucket
from tests.conftest import seaweed_spec


def versioned_bucket(server, *, name: str = "versioned", **overrides) -> ConnectionSpec:
    spec = seaweed_spec(server, name=name, bucket=f"ver-{secrets.token_hex(4)}", **overrides)
    ensure_bucket(spec)
    boto3.client("s3", endpoint_url=spec.endpoint, region_name=spec.region, aws_access_key_id=spec.access_key_id,
                 aws_secret_access_key=spec.secret_access_key).put_bucket_versioning(
        Bucket=spec.bucket, VersioningConfiguration={"Status": "Enabled"})
    return spec
