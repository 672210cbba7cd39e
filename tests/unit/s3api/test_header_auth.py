"""The Authorization header (AWS4-HMAC-SHA256), signed by botocore: accepted exactly, refused when anything
it covers is changed."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.utils import timezone

from console.s3api.auth import authenticate, request_body
from console.s3api.errors import S3Error
from tests.integration.special_keys import REFUSED_KEYS, SPECIAL_NAMES
from tests.unit.s3api.signing import KEY_ID, SECRET, accept, django_request, make_key, read_all, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    return make_key()


def refused(django_req) -> S3Error:
    with pytest.raises(S3Error) as caught:
        accept(django_req)
    return caught.value


def test_it_accepts_a_get_signed_by_botocore(key):
    signed, data = accept(django_request(sign("GET", "/bucket/a.txt")))
    assert signed.key == key and data == b""
    assert signed.payload == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert not signed.presigned


def test_it_accepts_a_put_whose_payload_hash_is_signed(key):
    body = b"hello, signed world\n" * 5000
    signed, data = accept(django_request(sign("PUT", "/bucket/a.txt", body=body)))
    assert data == body


def test_it_accepts_unsigned_payload(key):
    signed, data = accept(django_request(sign("PUT", "/bucket/a.txt", body=b"xyz", payload="UNSIGNED-PAYLOAD")))
    assert (signed.payload, data) == ("UNSIGNED-PAYLOAD", b"xyz")


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-3", "garage", "auto"])
def test_it_accepts_any_region_the_client_names(key, region):
    assert accept(django_request(sign("GET", "/", region=region)))[0].key == key


def test_it_accepts_the_date_header_instead_of_x_amz_date(key):
    request = sign("GET", "/bucket", headers={"Date": "placeholder"})
    assert "X-Amz-Date" not in request.headers
    assert authenticate(django_request(request)).key == key


def _object_path(name: str) -> str:
    return "/bucket/" + quote(name.encode(), safe="/~")  # as botocore spells a key in the URL


@pytest.mark.parametrize("name", SPECIAL_NAMES + REFUSED_KEYS[:2] + ["a//b.txt", "trailing/"])
@pytest.mark.parametrize("raw_uri", [False, True], ids=["decoded-path", "raw-uri"])
def test_it_accepts_keys_that_break_naive_path_handling(key, name, raw_uri):
    assert authenticate(django_request(sign("GET", _object_path(name)), raw_uri=raw_uri)).key == key


def test_it_accepts_a_path_spelled_as_another_sdk_spells_it_when_the_server_tells_the_raw_path(key):
    path = "/bucket/it's(1)!*.txt"  # unescaped sub-delims, as some SDKs send them
    request = sign("GET", path)  # botocore signs the URL's path as it stands
    assert authenticate(django_request(request, raw_uri=True)).key == key


@pytest.mark.parametrize("params", [
    {"list-type": "2", "prefix": "a b/ü+&=", "delimiter": "/", "continuation-token": "x/y=="},
    {"uploads": ""},
    {"uploadId": "2~abc-_.", "partNumber": "3"},
    {"response-content-disposition": 'attachment; filename="a b.txt"', "versionId": "null"},
])
def test_it_accepts_a_signed_query(key, params):
    assert authenticate(django_request(sign("GET", "/bucket", params=params))).key == key


def test_it_accepts_a_query_spelled_in_the_url_as_sent(key):
    assert authenticate(django_request(sign("GET", "/bucket?list-type=2&prefix=a%20b&delimiter=%2F"))).key == key


def test_it_notes_when_a_key_was_last_used_at_most_once_a_minute(key):
    accept(django_request(sign("GET", "/")))
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    accept(django_request(sign("GET", "/")))
    key.refresh_from_db()
    assert key.last_used_at == first


# Refusals


def test_it_refuses_a_changed_signed_header(key):
    request = sign("PUT", "/bucket/a.txt", body=b"x", headers={"x-amz-meta-colour": "blue"})
    error = refused(django_request(request, HTTP_X_AMZ_META_COLOUR="red"))
    assert error.code == "SignatureDoesNotMatch"


def test_it_refuses_an_x_amz_header_that_is_not_signed(key):
    error = refused(django_request(sign("PUT", "/bucket/a.txt", body=b"x"), HTTP_X_AMZ_META_ADDED="1"))
    assert (error.code, error.extra["HeadersNotSigned"]) == ("AccessDenied", "x-amz-meta-added")


def test_it_refuses_a_request_whose_host_is_not_signed(key):
    request = sign("GET", "/bucket")
    request.headers["Authorization"] = request.headers["Authorization"].replace("SignedHeaders=host;",
                                                                                "SignedHeaders=")
    assert refused(django_request(request)).code == "AccessDenied"


@pytest.mark.parametrize("path", ["/bucket/b.txt", "/bucket/a.txt/", "/bucket//a.txt", "/other/a.txt",
                                  "/bucket/A.txt", "/bucket/a.txt%20"])
def test_it_refuses_a_changed_path(key, path):
    request = sign("GET", "/bucket/a.txt")
    request.url = request.url.replace("/s3/bucket/a.txt", "/s3" + path)
    assert refused(django_request(request, raw_uri=True)).code == "SignatureDoesNotMatch"


@pytest.mark.parametrize("query", ["list-type=2&prefix=b", "list-type=2&prefix=a&max-keys=1", "list-type=2",
                                   "list-type=2&prefix=a&prefix=b"])
def test_it_refuses_a_changed_query(key, query):
    request = sign("GET", "/bucket?list-type=2&prefix=a")
    request.url = request.url.split("?")[0] + "?" + query
    assert refused(django_request(request)).code == "SignatureDoesNotMatch"


def test_it_refuses_a_changed_method(key):
    request = sign("GET", "/bucket/a.txt")
    request.method = "DELETE"
    assert refused(django_request(request)).code == "SignatureDoesNotMatch"


def test_it_refuses_a_changed_body_before_handing_on_its_last_bytes(key):
    body = b"0123456789" * 20000
    tampered = body[:-1] + b"!"
    received: list[bytes] = []
    request = django_request(sign("PUT", "/bucket/a.txt", body=body), body=tampered)
    signed = authenticate(request)
    with pytest.raises(S3Error) as caught:
        read_all(request_body(request, signed), read_size=1, into=received)
    assert caught.value.code == "XAmzContentSHA256Mismatch"
    assert len(b"".join(received)) < len(body)


def test_it_refuses_a_body_shorter_than_its_content_length(key):
    request = django_request(sign("PUT", "/bucket/a.txt", body=b"abcdef"), CONTENT_LENGTH="10",
                             **{"wsgi.input": io.BytesIO(b"abcdef")})  # the client hung up early
    assert refused(request).code == "IncompleteBody"


def test_it_refuses_a_changed_date(key):
    request = sign("GET", "/bucket")
    later = (timezone.now() + dt.timedelta(seconds=1)).strftime("%Y%m%dT%H%M%SZ")
    assert refused(django_request(request, HTTP_X_AMZ_DATE=later)).code == "SignatureDoesNotMatch"


@pytest.mark.parametrize("minutes", [-16, 16])
def test_it_refuses_a_request_signed_more_than_15_minutes_away(key, minutes):
    request = sign("GET", "/bucket", at=timezone.now() + dt.timedelta(minutes=minutes))
    error = refused(django_request(request))
    assert (error.code, error.status) == ("RequestTimeTooSkewed", 403)


@pytest.mark.parametrize("minutes", [-14, 14])
def test_it_accepts_a_request_signed_less_than_15_minutes_away(key, minutes):
    request = sign("GET", "/bucket", at=timezone.now() + dt.timedelta(minutes=minutes))
    assert authenticate(django_request(request)).key == key


def test_it_refuses_an_unknown_key(key):
    error = refused(django_request(sign("GET", "/", key_id="AKIANOBODY")))
    assert (error.code, error.status) == ("InvalidAccessKeyId", 403)


def test_it_refuses_a_wrong_secret_without_telling_the_secret(key):
    error = refused(django_request(sign("GET", "/", secret="guessed")))
    assert error.code == "SignatureDoesNotMatch"
    assert SECRET not in repr(error.extra) + error.message


def test_it_refuses_a_revoked_key(key):
    key.revoked_at = timezone.now()
    key.save()
    error = refused(django_request(sign("GET", "/")))
    assert (error.code, error.message) == ("AccessDenied", "The AWS Access Key Id you provided has been revoked.")


def test_it_refuses_an_expired_key(key):
    key.expires_at = timezone.now() - dt.timedelta(seconds=1)
    key.save()
    assert refused(django_request(sign("GET", "/"))).code == "AccessDenied"


def test_it_refuses_a_credential_scope_for_another_service(key):
    request = sign("GET", "/")
    request.headers["Authorization"] = request.headers["Authorization"].replace("/s3/", "/iam/")
    assert refused(django_request(request)).code == "AuthorizationHeaderMalformed"


def test_it_refuses_a_credential_date_other_than_the_request_date(key):
    request = sign("GET", "/")
    date = request.headers["X-Amz-Date"][:8]
    request.headers["Authorization"] = request.headers["Authorization"].replace(f"/{date}/", "/20200101/")
    assert refused(django_request(request)).code == "AuthorizationHeaderMalformed"


@pytest.mark.parametrize("header", ["AWS4-HMAC-SHA256 Credential=x", "AWS4-HMAC-SHA256 garbage",
                                   "AWS4-HMAC-SHA256 Credential=AKIA/1/2/3/4, SignedHeaders=host"])
def test_it_refuses_a_malformed_authorization_header(key, header):
    request = sign("GET", "/")
    request.headers["Authorization"] = header
    assert refused(django_request(request)).code == "AuthorizationHeaderMalformed"


def test_it_refuses_signature_version_2(key):
    request = sign("GET", "/")
    request.headers["Authorization"] = f"AWS {KEY_ID}:c2lnbmF0dXJl"
    assert refused(django_request(request)).code == "InvalidRequest"


def test_it_refuses_a_request_without_x_amz_content_sha256(key):
    request = sign("GET", "/")
    error = refused(django_request(request, HTTP_X_AMZ_CONTENT_SHA256=""))
    assert error.code in ("InvalidRequest", "AccessDenied")


def test_it_refuses_an_anonymous_request(key, client):
    response = client.get("/s3/")
    assert response.status_code == 403
    assert b"<Code>AccessDenied</Code>" in response.content


def test_it_answers_a_bad_signature_in_s3_xml_without_the_secret(key, client):
    request = sign("GET", "/", secret="guessed")
    response = client.get("/s3/", HTTP_AUTHORIZATION=request.headers["Authorization"],
                          HTTP_X_AMZ_DATE=request.headers["X-Amz-Date"],
                          HTTP_X_AMZ_CONTENT_SHA256=request.headers["X-Amz-Content-SHA256"], HTTP_HOST="testserver")
    assert response.status_code == 403
    assert b"<Code>SignatureDoesNotMatch</Code>" in response.content
    assert SECRET.encode() not in response.content
