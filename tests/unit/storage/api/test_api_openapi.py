"""The API matches its OpenAPI description: schemathesis drives every operation in-process.

Storage calls go to moto (the ext/ endpoints perform them); signing is offline. Checks:
no 5xx, documented status codes and content types, bodies that match the schemas.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from moto import mock_aws
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from console.wsgi import application
from storage.api.openapi import schema as api_schema
from tests.unit.admin_support import moto_session

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def s3_backed_api(transactional_db):
    """A default connection named 'primary' on moto's S3, and a token (transactional: the WSGI app closes connections)."""
    from storage.models import Connection
    from storage.service_tokens import issue_token

    with mock_aws():
        moto_session().client("s3").create_bucket(Bucket="api-bucket")
        Connection.objects.create(name="primary", bucket="api-bucket", access_key_id="k", secret_access_key="s",
                                  is_default=True)
        yield issue_token("schemathesis").raw


schema = schemathesis.openapi.from_dict(api_schema())
schema.app = application  # called in-process through the WSGI app, like from_wsgi does


@schema.parametrize()
# Random locally (to keep finding new inputs), repeatable in CI (a red build names its input).
@settings(max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4")), deadline=None,
          suppress_health_check=list(HealthCheck),
          derandomize=os.environ.get("CI") == "true")
def test_every_operation_conforms_and_never_fails_with_5xx(case, s3_backed_api):
    case.call_and_validate(headers={"Authorization": f"Bearer {s3_backed_api}"}, checks=CHECKS)


def test_the_served_description_is_this_one(client):
    assert client.get("/api/ossgateway/v1/openapi.json").json() == api_schema()
