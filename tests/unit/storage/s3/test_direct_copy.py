"""The direct copier's answers, retries and refusals, from a storage simulated at the HTTP level."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from storage.connections import ConnectionSpec
from storage.s3 import direct_copy
from storage.s3.direct_copy import DirectCopier, direct_copier

SPEC = ConnectionSpec(name="primary", bucket="b", endpoint="storage.example:8333", access_key_id="k",
                      secret_access_key="s", use_ssl=False)
OK = b'<CopyObjectResult><LastModified>2026-11-26T00:00:00Z</LastModified><ETag>"abc"</ETag></CopyObjectResult>'
PARAMS = {"Bucket": "b", "Key": "to.txt", "CopySource": {"Bucket": "b", "Key": "from.txt"}}


class Storage:
    """Answers each request with the next of `answers`: (status, body) or an exception to raise."""

    def __init__(self, *answers):
        self.answers, self.sent = list(answers), []

    def send(self, request):
        self.sent.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return SimpleNamespace(status_code=answer[0], content=answer[1])


def copier(storage: Storage) -> DirectCopier:
    return DirectCopier(SPEC, SimpleNamespace(_endpoint=SimpleNamespace(http_session=storage)), attempts=3)


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    monkeypatch.setattr(direct_copy.time, "sleep", lambda seconds: None)


def test_a_copy_answers_the_new_etag_as_boto3_does():
    storage = Storage((200, OK))
    assert copier(storage).copy_object(PARAMS) == {"CopyObjectResult": {"ETag": '"abc"'}}
    request = storage.sent[0]
    assert (request.method, request.url) == ("PUT", "http://storage.example:8333/b/to.txt")
    assert request.headers["x-amz-copy-source"] == "b/from.txt"


# Spaces keep a long copy's connection open; the XML (its declaration first) comes after them.
KEPT_ALIVE = b' \n  \n<?xml version="1.0" encoding="UTF-8"?>\n'


@pytest.mark.parametrize("spaces", [b"", KEPT_ALIVE])
def test_a_failure_after_the_200_is_retried_and_then_raised_as_the_storage_error(spaces):
    failed = spaces + b"<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>"
    storage = Storage((200, failed), (200, failed), (200, failed))
    with pytest.raises(ClientError) as raised:
        copier(storage).copy_object(PARAMS)
    assert raised.value.response["Error"]["Code"] == "InternalError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500  # the gateway: storage unreachable
    assert len(storage.sent) == 3


def test_a_busy_storage_is_retried_until_it_answers():
    storage = Storage((503, b"<Error><Code>SlowDown</Code></Error>"), EndpointConnectionError(endpoint_url="x"),
                      (200, OK))
    assert copier(storage).copy_object(PARAMS)["CopyObjectResult"]["ETag"] == '"abc"'
    assert len(storage.sent) == 3


@pytest.mark.parametrize(("status", "code"), [(412, "PreconditionFailed"), (404, "NoSuchKey"), (403, "AccessDenied")])
def test_a_refusal_is_raised_at_once_with_its_code_and_status(status, code):
    storage = Storage((status, f"<Error><Code>{code}</Code><Message>no</Message></Error>".encode()))
    with pytest.raises(ClientError) as raised:
        copier(storage).copy_object(PARAMS)
    assert (raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"],
            len(storage.sent)) == (code, status, 1)


def test_a_refusal_without_a_body_is_named_by_its_status():
    with pytest.raises(ClientError) as raised:
        copier(Storage((404, b""))).copy_object(PARAMS)
    assert raised.value.response["Error"]["Code"] == "404"


@pytest.mark.parametrize("changes", [
    {"endpoint": ""},  # AWS's own endpoints: botocore resolves them
    {"access_key_id": ""},  # credentials from the environment
    {"addressing_style": "virtual"},
    {"endpoint": "169.254.169.254"},  # refused by the endpoint rules: the client says so in its own words
    {"endpoint": "storage.example:8333/s3é"},  # botocore sends /s3%C3%A9: signed as written it would not match
    {"endpoint": "storage.example:8333/a/../s3"},  # botocore sends /s3
    {"endpoint": "storage.example:8333/a%2Fb"},  # botocore sends /a%252Fb
])
def test_requests_that_are_not_plain_go_through_the_client(changes):
    spec = dataclasses.replace(SPEC, **changes)
    assert direct_copier(spec, SimpleNamespace(_endpoint=SimpleNamespace(http_session=None)), attempts=3) is None


def test_parameters_it_does_not_send_go_through_the_client():
    made = copier(Storage())
    assert made.can_send({**PARAMS, "IfNoneMatch": "*", "CopySourceIfMatch": '"e"', "MetadataDirective": "COPY"})
    assert not made.can_send({**PARAMS, "MetadataDirective": "REPLACE", "ContentType": "text/plain"})
    assert not made.can_send({**PARAMS, "CopySource": {"Bucket": "b", "Key": "k", "VersionId": "v1"}})


@pytest.mark.parametrize("bucket", ["x/y", "a b", "b?c"])
def test_a_bucket_name_botocore_refuses_goes_through_the_client_to_be_refused(bucket):
    made = copier(Storage())
    assert not made.can_send({**PARAMS, "Bucket": bucket})
    assert not made.can_send({**PARAMS, "CopySource": {"Bucket": bucket, "Key": "from.txt"}})  # 'x/y': bucket 'x'


def test_an_endpoint_with_a_path_keeps_it_once_as_botocore_does():
    storage = Storage((200, OK))
    spec = dataclasses.replace(SPEC, endpoint="storage.example:8333/s3/")
    DirectCopier(spec, SimpleNamespace(_endpoint=SimpleNamespace(http_session=storage)), attempts=3).copy_object(PARAMS)
    assert storage.sent[0].url == "http://storage.example:8333/s3/b/to.txt"  # not /s3/s3/b/..: bucket 's3', key 'b/..'


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html><html><head><meta charset=utf-8></head><body>Upstream busy<br></body></html>",  # a proxy's page
    b'<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><LastModified>2026-11-',  # cut off
    b"Service Unavailable",
])
def test_a_200_whose_body_is_not_xml_is_a_failure_as_botocore_counts_it(body):
    storage = Storage((200, body), (200, body), (200, body))
    with pytest.raises(ClientError) as raised:
        copier(storage).copy_object(PARAMS)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert len(storage.sent) == 3


def test_a_result_after_keep_alive_spaces_is_the_copy():
    assert copier(Storage((200, KEPT_ALIVE + OK))).copy_object(PARAMS) == {"CopyObjectResult": {"ETag": '"abc"'}}


@pytest.mark.parametrize("body", [b"", b"<html><body>Copied, said the proxy</body></html>", OK.replace(b"Copy", b"Put")])
def test_a_200_that_is_no_copy_result_is_a_failure(body):
    storage = Storage((200, body), (200, body), (200, body))
    with pytest.raises(ClientError):
        copier(storage).copy_object(PARAMS)


def test_a_storage_that_keeps_failing_gets_few_retries_once_the_quota_is_spent():
    storage = Storage(*[(503, b"<Error><Code>ServiceUnavailable</Code></Error>")] * 1000)
    made = copier(storage)
    for _ in range(60):
        with pytest.raises(ClientError):
            made.copy_object(PARAMS)
    assert len(storage.sent) == 60 + 500 // direct_copy.RETRY_COST  # each retry costs 14 of botocore's 500


def test_successes_refill_the_quota():
    busy = (503, b"<Error><Code>ServiceUnavailable</Code></Error>")
    made = copier(Storage(*[busy] * (60 + 35), *[(200, OK)] * 14, busy, (200, OK)))
    for _ in range(60):  # the quota spent: 35 retries of 14, 10 left
        with pytest.raises(ClientError):
            made.copy_object(PARAMS)
    for _ in range(14):
        made.copy_object(PARAMS)  # +1 each: 24 left, enough for one retry
    assert made.copy_object(PARAMS)["CopyObjectResult"]["ETag"] == '"abc"'
