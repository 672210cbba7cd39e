"""The CORS extension refuses values that are not origins or header names, before storage sees them."""

from __future__ import annotations

import json

import pytest

from tests.unit import api_fixtures

api = api_fixtures.api
connection = api_fixtures.connection
token = api_fixtures.token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("origin", ["https://a.example\x0b.com", "with space", "x" * 257, "é.example.com", "\x00"])
def test_it_refuses_values_that_would_break_the_rules_document(api, connection, origin):
    body = [{"allowed_origins": [origin], "allowed_methods": ["PUT"]}]
    response = api("PUT", "/ext/cors/primary", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "visible ASCII" in response.json()["message"]
