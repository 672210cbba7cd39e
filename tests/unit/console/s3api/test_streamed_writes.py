"""PutObject and UploadPart hand the gateway the request's body as a stream of its size, never its bytes."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from console.s3api import multipart, writes
from console.s3api.call import Call
from console.s3api.keys import issue_key
from console.s3api.scope import principal_for

pytestmark = pytest.mark.django_db


class RecordingGateway:
    def __init__(self):
        self.calls = []

    def put_object(self, bucket, key, body, *, size=None, **options):
        self.calls.append(("put_object", body, size))
        return "etag"

    def upload_part(self, bucket, key, upload_id, number, body, *, size=None, **options):
        self.calls.append(("upload_part", body, size))
        return "etag"


def call_for(path: str, data: bytes, query: dict[str, str]) -> Call:
    request = RequestFactory().put(path, data=data, content_type="application/octet-stream")
    key = issue_key("tests").record
    call = Call(request, SimpleNamespace(key=key), principal_for(key), "primary", path.split("/", 3)[3], query, "ID")
    call._body = io.BytesIO(data)
    call._body.length = len(data)
    return call


@pytest.mark.parametrize(("handler", "query"), [(writes.put_object, {}),
                                                (multipart.upload_part, {"uploadId": "u", "partNumber": "1"})])
def test_the_body_goes_to_the_gateway_as_a_stream_of_its_size(handler, query, monkeypatch):
    gateway = RecordingGateway()
    monkeypatch.setattr(writes, "get_gateway", lambda: gateway)
    monkeypatch.setattr(multipart, "get_gateway", lambda: gateway)
    call = call_for("/s3/primary/a.bin", b"twelve bytes", query)
    assert handler(call)["ETag"] == '"etag"'
    [(_name, body, size)] = gateway.calls
    assert body is call.body() and size == 12
