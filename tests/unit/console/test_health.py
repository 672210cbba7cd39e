"""/healthz and /readyz (issue #13 item 8): open, cheap, and honest about the database, migrations and storage."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from storage.s3.gateway import S3Gateway
from tests.unit.admin_support import BUCKET, make_connection, moto_s3  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def probes(monkeypatch):
    """Every probe the S3 gateway sends to storage, by connection name."""
    sent: list[str] = []
    probe = S3Gateway._probe

    def counting(gateway, spec, *, timeout):
        sent.append(spec.name)
        return probe(gateway, spec, timeout=timeout)

    monkeypatch.setattr(S3Gateway, "_probe", counting)
    return sent


def _readyz(client) -> tuple[int, dict]:
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and json.loads(response.content) == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and client.head("/healthz").status_code == 200


@pytest.mark.usefixtures("moto_s3")
def test_readyz_is_ok_when_database_migrations_and_default_storage_are(client, probes):
    make_connection("primary", is_default=True)
    status, body = _readyz(client)
    assert status == 200 and body["status"] == "ok", body
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "migrations": "ok", "storage": "ok"}
    assert probes == ["primary"]


def test_readyz_fails_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("unable to open database file")

    monkeypatch.setattr(type(connection._connections[connection._alias]), "cursor", refuse)
    status, body = _readyz(client)
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail", "detail": "the database does not answer"}
    assert body["checks"]["migrations"]["status"] == "skipped" and body["checks"]["storage"]["status"] == "skipped"


@pytest.mark.usefixtures("moto_s3")
def test_readyz_fails_while_a_migration_is_not_applied(client):
    make_connection("primary", is_default=True)
    assert _readyz(client)[0] == 200
    MigrationRecorder(connection).migration_qs.filter(app="console").order_by("-name").first().delete()
    status, body = _readyz(client)
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["migrations"] == {"status": "fail", "unapplied": 1, "detail": "run: manage.py migrate"}


@pytest.mark.usefixtures("moto_s3")
def test_readyz_fails_when_the_default_connection_is_unhealthy_without_naming_why(client):
    make_connection("primary", bucket="no-such-bucket", is_default=True)
    make_connection("other")  # healthy, but not the default
    status, body = _readyz(client)
    assert status == 503 and body["checks"]["storage"] == {
        "status": "fail", "detail": "the default connection's last probe failed"}
    assert "no-such-bucket" not in json.dumps(body) and BUCKET not in json.dumps(body)


def test_readyz_is_ready_before_any_connection_is_configured(client, probes):
    """An admin must be able to reach a fresh console to add the first connection."""
    status, body = _readyz(client)
    assert status == 200 and body["checks"]["storage"] == {
        "status": "skipped", "detail": "no default connection is configured"}
    assert probes == []


@pytest.mark.usefixtures("moto_s3")
def test_readyz_probes_storage_at_most_once_for_two_calls(client, probes):
    make_connection("primary", is_default=True)
    assert _readyz(client)[0] == 200
    assert _readyz(client)[0] == 200
    assert probes == ["primary"]


@pytest.mark.usefixtures("moto_s3")
def test_readyz_reuses_the_probe_the_gateway_already_made(client, probes):
    """Choosing a connection (get_available_oss) and readiness share the gateway's kept result."""
    from storage.factory import get_gateway

    make_connection("primary", is_default=True)
    assert get_gateway().get_available_oss() == "primary"
    assert _readyz(client)[0] == 200
    assert probes == ["primary"]


@pytest.mark.usefixtures("moto_s3")
def test_readyz_asks_again_once_its_result_expires(client, probes, monkeypatch):
    from console import health
    from storage.s3 import gateway

    monkeypatch.setattr(health, "STORAGE_CHECK_TTL", 0.0)
    monkeypatch.setattr(gateway, "HEALTH_TTL_OK", 0.0)
    make_connection("primary", is_default=True)
    _readyz(client)
    _readyz(client)
    assert probes == ["primary", "primary"]


@pytest.mark.usefixtures("moto_s3")
def test_the_probes_write_nothing_and_set_no_cookie(client):
    make_connection("primary", is_default=True)
    with CaptureQueriesContext(connection) as queries:
        answers = [client.get("/healthz"), client.get("/readyz")]
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == [], [q["sql"] for q in queries]
    assert all(answer.cookies == {} and "Set-Cookie" not in answer for answer in answers)


def test_the_probes_answer_plain_http_when_pages_redirect_to_https():
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client()  # middleware reads SECURE_SSL_REDIRECT when the client's handler is built
        assert client.get("/accounts/login/").status_code == 301
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code in (200, 503)


def test_the_probes_take_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_the_probes_answer_whatever_host_the_prober_names(client):
    """A kubelet probes `http://<pod IP>:8000/healthz`: that host is in no ALLOWED_HOSTS, and need not be."""
    assert client.get("/accounts/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.1.2.3:8000").status_code in (200, 503)
