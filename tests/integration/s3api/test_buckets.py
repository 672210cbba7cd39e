"""The service and bucket operations through the endpoint: ListBuckets, HeadBucket, GetBucketLocation,
CreateBucket (buckets are connections made in the console)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from console.s3api.keys import issue_key
from storage.models import Connection
from tests.integration.s3api.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_list_buckets_names_the_connections_with_their_creation_and_an_owner(s3, s3_endpoint):
    _url, connection = s3_endpoint
    answer = s3.list_buckets()
    assert [(b["Name"], b["CreationDate"]) for b in answer["Buckets"]] == [
        ("primary", connection.created_at.replace(microsecond=connection.created_at.microsecond // 1000 * 1000))]
    assert answer["Owner"]["DisplayName"] == "tests" and len(answer["Owner"]["ID"]) == 64


def test_a_key_lists_only_its_connections(s3_endpoint):
    url, connection = s3_endpoint
    Connection.objects.create(name="other", endpoint=connection.endpoint, bucket="other", use_ssl=False)
    only_primary = client_for(url, issue_key("one", connections=[connection]))
    assert [b["Name"] for b in only_primary.list_buckets()["Buckets"]] == ["primary"]
    with pytest.raises(ClientError) as raised:
        only_primary.head_bucket(Bucket="other")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_head_bucket_and_its_region(s3):
    answer = s3.head_bucket(Bucket="primary")
    assert answer["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "us-east-1"
    with pytest.raises(ClientError) as raised:
        s3.head_bucket(Bucket="absent")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_location_is_null_for_us_east_1_and_named_otherwise(s3, s3_endpoint):
    _url, connection = s3_endpoint
    assert s3.get_bucket_location(Bucket="primary")["LocationConstraint"] is None
    Connection.objects.filter(pk=connection.pk).update(region="eu-west-3")
    assert s3.get_bucket_location(Bucket="primary")["LocationConstraint"] == "eu-west-3"


def test_create_bucket_answers_as_s3_does(s3):
    with pytest.raises(ClientError) as raised:
        s3.create_bucket(Bucket="primary")
    assert raised.value.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"
    with pytest.raises(ClientError) as raised:
        s3.create_bucket(Bucket="brand-new")
    assert raised.value.response["Error"]["Code"] == "AccessDenied"


def test_list_buckets_by_prefix(s3, s3_endpoint):
    _url, connection = s3_endpoint
    Connection.objects.create(name="archive", endpoint=connection.endpoint, bucket="archive", use_ssl=False)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["archive", "primary"]
    assert [b["Name"] for b in s3.list_buckets(Prefix="pri")["Buckets"]] == ["primary"]
