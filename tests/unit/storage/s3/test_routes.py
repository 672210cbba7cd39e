"""Which copies between two connections the storage can make itself (storage/s3/routes.py)."""

from __future__ import annotations

import pytest

from storage.connections import ConnectionSpec
from storage.gateway import SAME_BUCKET, SERVER_SIDE, STREAMED
from storage.s3.routes import copy_route

A = ConnectionSpec(name="a", bucket="photos", endpoint="http://s3.example.com:9000", access_key_id="AK",
                   secret_access_key="secret", use_ssl=False)


def b(**changes) -> ConnectionSpec:
    return ConnectionSpec(**{**A.__dict__, "name": "b", "bucket": "archive", **changes})


@pytest.mark.parametrize("other, route", [
    (b(), SERVER_SIDE),
    (b(endpoint="HTTP://S3.Example.com:9000/"), SERVER_SIDE),  # the same endpoint, written otherwise
    (b(endpoint="s3.example.com:9000"), SERVER_SIDE),  # host:port, use_ssl off: http
    (b(secret_access_key="other secret"), STREAMED),  # same key id, another secret
    (b(access_key_id="AK2"), STREAMED),
    (b(endpoint="http://s3.example.com:9001"), STREAMED),
    (b(region="eu-west-1"), STREAMED),
    (b(addressing_style="virtual"), STREAMED),
    (b(bucket="photos"), SAME_BUCKET),  # another name for the same bucket: the same keys
    (b(bucket="photos", endpoint="https://s3.example.com:9000", use_ssl=True, access_key_id="RO"), SAME_BUCKET),
    (b(bucket="photos", endpoint="http://other.example.com:9000"), STREAMED),
])
def test_a_route_follows_what_the_connections_share(other, route):
    assert copy_route(A, other) == route


def test_aws_buckets_are_one_namespace():
    aws = ConnectionSpec(name="x", bucket="photos", region="us-east-1")
    assert copy_route(aws, ConnectionSpec(name="y", bucket="photos", region="eu-west-1")) == SAME_BUCKET
    assert copy_route(aws, ConnectionSpec(name="y", bucket="other")) == SERVER_SIDE  # both without credentials
