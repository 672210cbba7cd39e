"""The S3 endpoint served by Django's live server over the session's SeaweedFS, and boto3 clients for it.

The live server cannot read chunked request bodies (tests/integration/s3tools runs a real gunicorn for
those); boto3 over plain HTTP sends Content-Length and signed payloads, which it can.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config

from console.s3api.keys import issue_key
from tests.conftest import add_connection, seaweed_spec

pytestmark = pytest.mark.django_db(transaction=True)


def client_for(url: str, issued, **config):
    return boto3.client("s3", endpoint_url=url + "/s3", aws_access_key_id=issued.access_key_id,
                        aws_secret_access_key=issued.secret, region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **config))


@pytest.fixture
def s3_endpoint(transactional_db, live_server, seaweedfs):
    """(url, connection): the live server's root and a "primary" connection to SeaweedFS."""
    connection = add_connection(seaweed_spec(seaweedfs))
    return live_server.url, connection


@pytest.fixture
def service_key(s3_endpoint):
    return issue_key("tests")


@pytest.fixture
def s3(s3_endpoint, service_key):
    """A boto3 client signed with a service key that reaches every connection."""
    return client_for(s3_endpoint[0], service_key)
