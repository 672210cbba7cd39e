import pytest
from botocore.exceptions import ClientError

from tests.integration.s3api.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_signed_request_lists_the_connections_as_buckets(s3):
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["primary"]


def test_a_wrong_secret_is_refused(s3_endpoint, service_key):
    class Wrong:
        access_key_id, secret = service_key.access_key_id, "not-the-secret"

    with pytest.raises(ClientError) as raised:
        client_for(s3_endpoint[0], Wrong).list_buckets()
    assert raised.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_a_handler_that_fails_answers_s3_xml_not_a_page(s3, monkeypatch):
    from console.s3api import service

    def broken(call):
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "list_buckets", broken)
    with pytest.raises(ClientError) as raised:
        s3.list_buckets()
    assert raised.value.response["Error"]["Code"] == "InternalError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
