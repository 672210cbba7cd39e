"""Presigned URLs (X-Amz-* query parameters), made by botocore's S3SigV4QueryAuth as boto3's
generate_presigned_url makes them."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from console.s3api.auth import authenticate
from console.s3api.errors import S3Error
from tests.unit.s3api.signing import accept, django_request, make_key, presign

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    return make_key()


def refused(django_req) -> S3Error:
    with pytest.raises(S3Error) as caught:
        accept(django_req)
    return caught.value


def test_it_accepts_a_presigned_get(key):
    signed = authenticate(django_request(presign("GET", "/bucket/a%20b%2Bc.txt")))
    assert (signed.key, signed.presigned, signed.payload) == (key, True, "UNSIGNED-PAYLOAD")


def test_it_accepts_a_presigned_get_with_response_overrides(key):
    params = {"response-content-disposition": 'attachment; filename="ü b.txt"', "response-content-type": "a/b"}
    assert authenticate(django_request(presign("GET", "/bucket/a.txt", params=params))).key == key


def test_it_accepts_a_presigned_put_and_its_body(key):
    signed, data = accept(django_request(presign("PUT", "/bucket/a.txt"), body=b"any bytes"))
    assert data == b"any bytes"


def test_it_checks_a_body_against_a_checksum_sent_beside_a_presigned_url(key):
    request = django_request(presign("PUT", "/bucket/a.txt"), body=b"abc", HTTP_X_AMZ_CHECKSUM_CRC32="AAAAAA==")
    assert refused(request).code == "BadDigest"


def test_it_refuses_an_expired_url(key):
    request = presign("GET", "/bucket/a.txt", expires=60, at=timezone.now() - dt.timedelta(seconds=61))
    error = refused(django_request(request))
    assert (error.code, error.message, error.status) == ("AccessDenied", "Request has expired", 403)


def test_it_accepts_a_url_until_it_expires(key):
    request = presign("GET", "/bucket/a.txt", expires=60, at=timezone.now() - dt.timedelta(seconds=50))
    assert authenticate(django_request(request)).key == key


def test_it_refuses_a_url_valid_for_more_than_a_week(key):
    assert refused(django_request(presign("GET", "/b", expires=604801))).code == "AuthorizationQueryParametersError"


def test_it_accepts_a_url_valid_for_a_week(key):
    assert authenticate(django_request(presign("GET", "/b", expires=604800))).key == key


@pytest.mark.parametrize("change", [
    ("X-Amz-Expires=3600", "X-Amz-Expires=3601"),
    ("/s3/bucket/a.txt", "/s3/bucket/b.txt"),
    ("response-content-type=a%2Fb", "response-content-type=text%2Fhtml"),
])
def test_it_refuses_a_changed_url(key, change):
    request = presign("GET", "/bucket/a.txt", params={"response-content-type": "a/b"})
    assert change[0] in request.url
    request.url = request.url.replace(*change)
    assert refused(django_request(request)).code == "SignatureDoesNotMatch"


def test_it_refuses_an_added_parameter(key):
    request = presign("GET", "/bucket/a.txt")
    request.url += "&response-content-type=text%2Fhtml"
    assert refused(django_request(request)).code == "SignatureDoesNotMatch"


def test_it_refuses_a_changed_method(key):
    request = presign("GET", "/bucket/a.txt")
    request.method = "PUT"
    assert refused(django_request(request)).code == "SignatureDoesNotMatch"


def test_it_refuses_a_url_signed_with_another_secret(key):
    assert refused(django_request(presign("GET", "/bucket/a.txt", secret="guessed"))).code == "SignatureDoesNotMatch"


def test_it_refuses_a_url_of_a_revoked_key(key):
    request = presign("GET", "/bucket/a.txt")
    key.revoked_at = timezone.now()
    key.save()
    assert refused(django_request(request)).code == "AccessDenied"


def test_it_refuses_an_unsigned_x_amz_header_beside_a_url(key):
    error = refused(django_request(presign("PUT", "/bucket/a.txt"), body=b"x", HTTP_X_AMZ_META_A="1"))
    assert (error.code, error.extra["HeadersNotSigned"]) == ("AccessDenied", "x-amz-meta-a")


@pytest.mark.parametrize("drop", ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                                  "X-Amz-SignedHeaders"])
def test_it_refuses_a_url_missing_a_parameter(key, drop):
    request = presign("GET", "/bucket/a.txt")
    path, _q, query = request.url.partition("?")
    request.url = path + "?" + "&".join(p for p in query.split("&") if not p.startswith(drop + "="))
    assert refused(django_request(request)).code == "AuthorizationQueryParametersError"


def test_it_refuses_both_a_header_and_a_query_signature(key):
    request = django_request(presign("GET", "/bucket/a.txt"), HTTP_AUTHORIZATION="AWS4-HMAC-SHA256 x")
    assert refused(request).code == "InvalidArgument"


def test_it_refuses_a_url_dated_in_the_future(key):
    request = presign("GET", "/bucket/a.txt", at=timezone.now() + dt.timedelta(minutes=20))
    assert refused(django_request(request)).code == "AccessDenied"


def test_it_checks_a_body_against_a_payload_hash_sent_beside_a_presigned_url(key):
    other = hashlib.sha256(b"other").hexdigest()
    request = django_request(presign("PUT", "/bucket/a.txt"), body=b"abc", HTTP_X_AMZ_CONTENT_SHA256=other)
    assert refused(request).code == "XAmzContentSHA256Mismatch"
