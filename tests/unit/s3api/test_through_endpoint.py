"""The checks as a tool meets them: through /s3/ and the dispatcher, with a stand-in handler that stores
nothing (the scope and the real handlers are other modules' and tested there)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.http import HttpResponse

from console.s3api import dispatch
from tests.unit.s3api.signing import (
    SECRET,
    make_key,
    sign,
    signed_chunks,
    signed_chunks_request,
    unsigned_trailer_body,
    unsigned_trailer_request,
)

pytestmark = pytest.mark.django_db
DATA = b"through the endpoint " * 10000


class Anywhere:
    def require_bucket(self, bucket):
        pass


def md5_of_body(call):
    body, digest = call.body(), hashlib.md5()
    while piece := body.read(64 * 1024):
        digest.update(piece)
    response = HttpResponse(b"")
    response["ETag"] = f'"{digest.hexdigest()}"'
    return response


@pytest.fixture(autouse=True)
def stand_in(monkeypatch):
    make_key()
    monkeypatch.setattr(dispatch, "principal_for", lambda key: Anywhere())
    monkeypatch.setattr(dispatch, "_handler", lambda name: md5_of_body)


def put(client, request, body: bytes, chunked: bool = True):
    prepared = request.prepare()
    headers = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in prepared.headers.items()
               if name.lower() not in ("content-length", "content-type")}
    path = prepared.url.split("://", 1)[1].split("/", 1)[1]
    extra = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(body)} if chunked else {}
    return client.generic("PUT", "/" + path, data=b"" if chunked else body, HTTP_HOST="testserver",
                          **headers, **extra)


def test_it_hands_an_aws_chunked_body_to_the_handler_decoded(client):
    response = put(client, unsigned_trailer_request("/bucket/k%20%C3%BC.bin", DATA), unsigned_trailer_body(DATA))
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{hashlib.md5(DATA).hexdigest()}"'


def test_it_hands_a_chunk_signed_body_to_the_handler_decoded(client):
    request = signed_chunks_request("/bucket/k.bin", DATA, trailer="sha256")
    response = put(client, request, b"".join(signed_chunks(request, DATA, trailer="sha256")), chunked=False)
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{hashlib.md5(DATA).hexdigest()}"'


def test_it_answers_bad_digest_for_a_wrong_trailer(client):
    body = unsigned_trailer_body(DATA, "sha256")
    body = body.replace(body.split(b"x-amz-checksum-sha256:")[1][:44], b"A" * 43 + b"=")
    response = put(client, unsigned_trailer_request("/bucket/k.bin", DATA, "sha256"), body)
    assert response.status_code == 400
    assert b"<Code>BadDigest</Code>" in response.content


def test_it_answers_signature_does_not_match_for_a_changed_chunk_without_the_secret(client):
    request = signed_chunks_request("/bucket/k.bin", DATA)
    body = b"".join(signed_chunks(request, DATA)).replace(b"endpoint", b"ENDPOINT", 1)
    response = put(client, request, body, chunked=False)
    assert response.status_code == 403
    assert b"<Code>SignatureDoesNotMatch</Code>" in response.content
    assert SECRET.encode() not in response.content


def test_it_answers_a_get_signed_by_botocore(client):
    request = sign("GET", "/bucket/a.txt")
    headers = {"HTTP_" + n.upper().replace("-", "_"): v for n, v in request.headers.items()}
    assert client.get("/s3/bucket/a.txt", HTTP_HOST="testserver", **headers).status_code == 200
