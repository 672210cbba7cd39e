"""Bucket creation for development set-ups (make run, tests, benchmarks)."""

from __future__ import annotations

from botocore import exceptions as boto_errors

from storage.connections import ConnectionSpec
from storage.s3 import errors as s3_errors
from storage.s3.client import build_client


def ensure_bucket(spec: ConnectionSpec) -> bool:
    """Create the connection's bucket when missing; True if it was created."""
    client = build_client(spec)
    try:
        client.head_bucket(Bucket=spec.bucket)
        return False
    except boto_errors.ClientError as e:
        if e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 404:
            raise s3_errors.translate(e, connection=spec.name, action="check the bucket of") from e
    try:
        client.create_bucket(Bucket=spec.bucket)
    except Exception as e:
        raise s3_errors.translate(e, connection=spec.name, action="create the bucket of") from e
    return True
