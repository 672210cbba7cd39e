"""Fuzz the endpoints that sign uploads: never a 5xx, every refusal a 4xx that says why."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import fuzz_requests as fuzz
from tests.unit.admin_support import make_connection, moto_s3  # noqa: F401

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
upload_bodies = st.fixed_dictionaries({}, optional={
    "filename": json_values | st.text(max_size=80), "relativePath": json_values | st.text(max_size=80),
    "prefix": json_values | st.text(max_size=40), "size": json_values | st.integers(min_value=-5, max_value=2**45),
    "type": json_values | st.text(max_size=40),
}) | json_values
raw_bodies = st.binary(max_size=200)
REFUSALS = {400, 404, 409, 413}
# What a URL can carry: any text but lone surrogates, which no client can encode.
url_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


def check(response) -> None:
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert response.status_code in REFUSALS, response.status_code
        message = response.json().get("error")
        assert isinstance(message, str) and message.strip()


@pytest.fixture
def editor_client(users, moto_s3):  # noqa: F811
    from django.test import Client

    make_connection("primary", is_default=True, max_upload_size=10 * 2**30)
    client = Client(raise_request_exception=False)
    client.force_login(users["editor"])
    return client


def post(client, path: str, body) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body)
    check(client.post(path, data=data, content_type="application/json"))


@fuzz
@given(body=upload_bodies | raw_bodies)
def test_signing_a_single_upload(editor_client, body):
    post(editor_client, "/files/primary/s3/params", body)


@fuzz
@given(body=upload_bodies | raw_bodies)
def test_starting_a_multipart_upload(editor_client, body):
    post(editor_client, "/files/primary/s3/multipart", body)


@fuzz
@given(key=url_text, upload_id=st.text(alphabet=st.characters(blacklist_characters="/", blacklist_categories=("Cs",)),
                                      min_size=1, max_size=20), part=st.integers(min_value=0, max_value=20_000))
def test_signing_a_part(editor_client, key, upload_id, part):
    path = f"/files/primary/s3/multipart/{quote(upload_id, safe='')}/{part}?key={quote(key, safe='')}"
    response = editor_client.post(path)
    if response.status_code != 404 or response.get("Content-Type", "").startswith("application/json"):
        check(response)  # (a 404 from URL routing, for ids the URL cannot hold, is not the view's answer)


@fuzz
@given(key=url_text, body=st.fixed_dictionaries({"parts": json_values}) | json_values | raw_bodies)
def test_completing_an_upload(editor_client, key, body):
    post(editor_client, f"/files/primary/s3/multipart/upload-1/complete?key={quote(key, safe='')}", body)
