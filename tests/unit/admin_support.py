"""Helpers for the admin console's view tests: an in-memory S3 (moto) and connection records."""

from __future__ import annotations

import functools

import boto3
import pytest
from moto import mock_aws

BUCKET = "console-unit"
SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY-KNOWN-SECRET"


@functools.cache
def moto_session():
    """One boto3 session for the tests' own moto clients: mock_aws() clears boto3's default session, and
    a client from a fresh session reloads S3's model (~0.4 s a test)."""
    return boto3.session.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1")


@pytest.fixture
def moto_s3():
    """Moto stands in for AWS S3 (connections with an empty endpoint); the bucket exists."""
    with mock_aws():
        client = moto_session().client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client


def make_connection(name: str = "primary", *, bucket: str = BUCKET, secret: str = SECRET, **values):
    from storage.models import Connection

    values.setdefault("access_key_id", "AKIDEXAMPLE")
    return Connection.objects.create(name=name, bucket=bucket, secret_access_key=secret, **values)


def htmx(**extra) -> dict:
    """Headers htmx sends (django-htmx reads HX-Request)."""
    return {"HTTP_HX_REQUEST": "true", **extra}


def is_partial(response) -> bool:
    """A partial is a fragment: no page layout around it."""
    return b"<html" not in response.content and b"<footer" not in response.content
