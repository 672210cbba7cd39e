"""What an access key reaches, seen by boto3 over HTTP: buckets by the owner's grants and the key's own scope."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from console.s3api.keys import issue_key, revoke
from tests.conftest import add_connection, seaweed_spec
from tests.integration.s3api.conftest import client_for
from tests.unit.access_world import grant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_buckets(s3_endpoint, seaweedfs):
    """primary and archive, two connections to the session's SeaweedFS."""
    archive = add_connection(seaweed_spec(seaweedfs, name="archive", is_default=False))
    return s3_endpoint[0], s3_endpoint[1], archive


def error_of(call) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def names(client) -> list[str]:
    return [b["Name"] for b in client.list_buckets()["Buckets"]]


def test_a_persons_key_lists_the_buckets_they_hold_a_role_on(two_buckets, users):
    url, primary, archive = two_buckets
    grant(users["outsider"], "viewer", "team/", connection="archive")
    assert names(client_for(url, issue_key("k", owner=users["editor"]))) == ["archive", "primary"]
    assert names(client_for(url, issue_key("k", owner=users["outsider"]))) == ["archive"]
    narrowed = issue_key("k", owner=users["editor"], connections=[primary])
    assert names(client_for(url, narrowed)) == ["primary"]


def test_a_hidden_bucket_answers_as_an_absent_one(two_buckets, users):
    url, primary, archive = two_buckets
    client = client_for(url, issue_key("k", owner=users["editor"], connections=[primary]))
    hidden = error_of(lambda: client.get_bucket_location(Bucket="archive"))
    absent = error_of(lambda: client.get_bucket_location(Bucket="nope"))
    assert hidden == absent == (404, "NoSuchBucket", "The specified bucket does not exist.")


def test_revoked_keys_and_deactivated_owners_are_denied(two_buckets, users):
    url = two_buckets[0]
    revoked = issue_key("r", owner=users["viewer"])
    revoke(revoked.record)
    assert error_of(lambda: client_for(url, revoked).list_buckets())[:2] == (403, "AccessDenied")
    owned = issue_key("o", owner=users["editor"])
    client = client_for(url, owned)
    assert names(client) == ["archive", "primary"]
    users["editor"].is_active = False
    users["editor"].save()
    assert error_of(client.list_buckets)[:2] == (403, "AccessDenied")


def test_a_service_key_sees_only_its_connections(two_buckets):
    url, primary, archive = two_buckets
    assert names(client_for(url, issue_key("svc", connections=[archive], prefix="in/"))) == ["archive"]
