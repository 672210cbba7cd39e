"""What a bucket supports is asked of the storage once per connection version, and only a sure answer is kept."""

from __future__ import annotations

import pytest
from botocore import exceptions as boto_errors

from storage.connections import ConnectionSpec, StaticRegistry
from storage.gateway import BucketNotFound
from storage.ossgateway.client import OssGatewayClient
from storage.s3 import bucket_settings
from storage.s3.gateway import S3Gateway
from tests.unit.admin_support import BUCKET, moto_s3  # noqa: F401

SPEC = ConnectionSpec(name="main", bucket=BUCKET, access_key_id="k", secret_access_key="s", is_default=True)


class Registry(StaticRegistry):
    """A registry whose connection can be edited, as a saved record would be."""

    def edit(self, **values):
        from dataclasses import replace

        self._specs = {name: replace(spec, **values) for name, spec in self._specs.items()}


@pytest.fixture
def asks(monkeypatch):
    """How many times the storage was asked."""
    calls = []
    real = bucket_settings.probe
    monkeypatch.setattr(bucket_settings, "probe", lambda client, spec: calls.append(spec.name) or real(client, spec))
    return calls


def test_it_asks_once_per_connection_version(moto_s3, asks):  # noqa: F811
    registry = Registry([SPEC])
    gateway = S3Gateway(registry)
    first = gateway.bucket_support("main")
    assert gateway.bucket_support("main") == first and len(asks) == 1
    assert first.supports("versioning") and first.supports("lifecycle") and first.supports("policy")

    registry.edit(region="eu-west-1")
    gateway.bucket_support("main")
    assert len(asks) == 2


def failing(code: str, status: int):
    def ask(**_):
        raise boto_errors.ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "Get")
    return ask


class Client:
    """Answers every read as a storage that knows versioning and nothing else would."""

    def __init__(self, others):
        self.get_bucket_versioning = lambda **_: {"Status": "Enabled"}
        for name in ("get_bucket_tagging", "get_bucket_lifecycle_configuration", "get_bucket_policy",
                     "get_object_lock_configuration"):
            setattr(self, name, others)


def test_a_storage_that_does_not_implement_a_setting_says_so_and_that_is_kept():
    support, sure = bucket_settings.probe(Client(failing("NotImplemented", 501)), SPEC)
    assert sure and support.supports("versioning")
    assert support.why_not("lifecycle") == "the storage does not implement it (NotImplemented)"


def test_a_refusal_is_said_but_not_kept_and_a_missing_bucket_is_an_error():
    support, sure = bucket_settings.probe(Client(failing("AccessDenied", 403)), SPEC)
    assert not sure and support.why_not("policy").startswith("could not be checked: Access denied")
    with pytest.raises(BucketNotFound):
        bucket_settings.probe(Client(failing("NoSuchBucket", 404)), SPEC)


def test_the_commercial_edition_says_why_it_offers_no_bucket_settings():
    support = OssGatewayClient("http://127.0.0.1:9").bucket_support("any")
    assert not any(support.supports(f) for f in ("versioning", "tagging", "lifecycle", "policy", "object_lock"))
    assert "OSS Gateway Manager protocol" in support.why_not("lifecycle")
