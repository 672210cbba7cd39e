"""Fixtures for the OSS Gateway Manager API's unit tests (Django's test client; signing is offline)."""

from __future__ import annotations

import pytest

API = "/api/ossgateway/v1"


@pytest.fixture
def connection(db):
    """The default connection; signing needs no server, so its endpoint need not answer."""
    from storage.models import Connection

    return Connection.objects.create(
        name="primary", endpoint="http://s3.internal:9000", public_endpoint="https://s3.example.com",
        region="us-east-1", access_key_id="AKIDEXAMPLE", secret_access_key="unit-secret", bucket="unit-bucket",
        use_ssl=False, is_default=True,
    )


@pytest.fixture
def other_connection(db, connection):
    from storage.models import Connection

    return Connection.objects.create(
        name="archive", endpoint="http://s3.internal:9000", region="us-east-1", access_key_id="AKIDEXAMPLE",
        secret_access_key="unit-secret", bucket="archive-bucket", use_ssl=False,
    )


@pytest.fixture
def token(db) -> str:
    from storage.service_tokens import issue_token

    return issue_token("unit tests").raw


@pytest.fixture
def api(client, token):
    """Django's test client, authenticated with a service token for every storage."""

    def call(method: str, path: str, *, token_value: str | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {token_value or token}"}
        return getattr(client, method.lower())(API + path, headers=headers, **kwargs)

    return call
