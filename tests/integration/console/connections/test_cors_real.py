"""CORS check and apply against a real SeaweedFS, then a real browser-style preflight.

SeaweedFS implements PutBucketCors/GetBucketCors. With no configuration it answers
preflights permissively; once a configuration exists it enforces it, so the foreign
origin below is refused only because the applied rules are really in force.
"""

from __future__ import annotations

import secrets

import pytest
import requests

from console.models import AuditEvent
from storage.dev.bootstrap import ensure_bucket
from storage.factory import get_gateway
from storage.gateway import CorsRule
from storage.models import Connection
from tests.conftest import seaweed_spec

CONSOLE = "http://testserver"  # the test client's origin
TRUSTED = "https://console.example.com"


@pytest.fixture
def cors_connection(db, seaweedfs, settings):
    """A connection on a bucket of its own: other tests keep SeaweedFS's permissive default."""
    settings.CSRF_TRUSTED_ORIGINS = [TRUSTED]
    spec = seaweed_spec(seaweedfs, name="corsy", bucket=f"cors-{secrets.token_hex(4)}")
    ensure_bucket(spec)
    return Connection.objects.create(
        name=spec.name, endpoint=spec.endpoint, region=spec.region, access_key_id=spec.access_key_id,
        secret_access_key=spec.secret_access_key, bucket=spec.bucket, use_ssl=False, is_default=True)


def preflight(connection, origin: str, method: str = "PUT") -> requests.Response:
    return requests.options(f"{connection.endpoint}/{connection.bucket}/uploads/a.txt", timeout=10, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type"})


def test_it_checks_applies_and_the_bucket_then_answers_preflights(as_admin, cors_connection):
    before = as_admin.get("/connections/corsy/cors/").content.decode()
    assert "Uploads from the browser will fail" in before and "The bucket has no CORS rules." in before

    applied = as_admin.post("/connections/corsy/cors/").content.decode()
    assert "The rule was applied" in applied and "CORS is ready" in applied
    rules = get_gateway().get_bucket_cors("corsy")
    assert rules[0].allowed_origins == [CONSOLE, TRUSTED]
    assert AuditEvent.objects.get(kind="cors.applied").connection == "corsy"

    for origin in (CONSOLE, TRUSTED):
        answer = preflight(cors_connection, origin)
        assert answer.status_code == 200
        assert answer.headers["Access-Control-Allow-Origin"] == origin
        assert "PUT" in answer.headers["Access-Control-Allow-Methods"]
        assert "content-type" in answer.headers["Access-Control-Allow-Headers"].lower()
        assert "etag" in answer.headers["Access-Control-Expose-Headers"].lower()
    foreign = preflight(cors_connection, "https://evil.example")
    assert foreign.status_code >= 400 or "Access-Control-Allow-Origin" not in foreign.headers


def test_it_keeps_existing_rules_when_applying(as_admin, cors_connection):
    other = CorsRule(["https://elsewhere.example"], ["GET"], ["*"], ["x-amz-meta-owner"], 600)
    get_gateway().put_bucket_cors("corsy", [other])
    as_admin.post("/connections/corsy/cors/")
    rules = get_gateway().get_bucket_cors("corsy")
    assert len(rules) == 2 and rules[1].allowed_origins == ["https://elsewhere.example"]
    assert preflight(cors_connection, "https://elsewhere.example", "GET").headers.get(
        "Access-Control-Allow-Origin") == "https://elsewhere.example"
    assert preflight(cors_connection, CONSOLE).status_code == 200


def test_it_applies_nothing_twice(as_admin, cors_connection):
    as_admin.post("/connections/corsy/cors/")
    again = as_admin.post("/connections/corsy/cors/", HTTP_HX_REQUEST="true").content.decode()
    assert "Nothing to apply" in again
    assert AuditEvent.objects.filter(kind="cors.applied").count() == 1


def test_a_browser_upload_then_sees_the_etag(as_admin, cors_connection):
    as_admin.post("/connections/corsy/cors/")
    signed = get_gateway().get_upload_request("corsy", "uploads/b.txt", content_type="text/plain")
    answer = requests.put(signed.url, data=b"hello", timeout=10, headers={**signed.headers, "Origin": CONSOLE})
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == CONSOLE
    assert "etag" in answer.headers["Access-Control-Expose-Headers"].lower() and answer.headers["ETag"]


def test_it_shows_the_rule_to_apply_by_hand_when_the_storage_refuses(as_admin, cors_connection):
    Connection.objects.filter(name="corsy").update(secret_access_key="not-the-secret")
    answer = as_admin.post("/connections/corsy/cors/").content.decode()
    assert "Apply the rule by hand" in answer
    assert "&quot;AllowedOrigins&quot;" in answer and "&lt;AllowedMethod&gt;PUT&lt;/AllowedMethod&gt;" in answer
