"""Inputs an outsider controls: nesting, sizes the caps need, links on connections that are not there."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from console.shares import service
from console.shares.models import ShareAttempt, ShareLink
from storage.models import Connection
from tests.unit import api_fixtures

api = api_fixtures.api
connection = api_fixtures.connection
token = api_fixtures.token

DEEP = "[" * 100_000


@pytest.fixture
def dropbox_token(connection, users) -> str:
    _share, raw = service.create_share(user=users["editor"], kind="dropbox", connection="primary", key="inbox/",
                                       max_upload_size=1000)
    return raw


@pytest.mark.parametrize("endpoint", ["upload-policy", "uploaded"])
def test_deeply_nested_json_to_a_drop_box_is_a_400(client, dropbox_token, endpoint):
    client.get(f"/s/{dropbox_token}/")
    answer = client.post(f"/s/{dropbox_token}/{endpoint}/", data=DEEP, content_type="application/json")
    assert answer.status_code == 400 and "JSON object" in answer.json()["error"]


def test_deeply_nested_json_to_the_signing_endpoints_is_a_400(as_editor, connection):
    answer = as_editor.post("/files/primary/s3/params", data=DEEP, content_type="application/json")
    assert answer.status_code == 400


def test_deeply_nested_json_to_the_api_is_a_400(api, connection):
    answer = api("POST", "/completeupload/primary/big.bin?upload_id=U1", data=DEEP, content_type="application/json")
    assert answer.status_code == 400 and "nested" in answer.json()["message"]


def test_deeply_nested_yaml_is_refused_in_plain_words(as_admin):
    upload = io.BytesIO(("a: " + "[" * 100_000).encode())
    upload.name = "s3.yaml"
    answer = as_admin.post("/config/import/", {"file": upload})
    assert answer.status_code == 200 and "nested too deeply" in answer.content.decode()


@pytest.fixture
def capped(connection):
    connection.max_upload_size = 1000
    connection.save()
    return connection


@pytest.mark.parametrize("call", ["upload/primary/a.bin?request_method=PUT", "initmultiupload/primary/a.bin"])
def test_a_capped_connection_needs_the_size_from_api_callers(api, capped, call):
    missing = api("GET", f"/{call}")
    assert missing.status_code == 400 and "'size' is required" in missing.json()["message"]
    over = api("GET", f"/{call}&size=1001" if "?" in call else f"/{call}?size=1001")
    assert over.status_code == 400 and "at most 1000" in over.json()["message"]


def test_an_api_upload_within_the_cap_is_signed_for_its_size(api, capped):
    answer = api("GET", "/upload/primary/a.bin?request_method=PUT&size=1000")
    assert answer.status_code == 200


def test_an_uncapped_connection_asks_api_callers_for_no_size(api, connection):
    assert api("GET", "/upload/primary/a.bin?request_method=PUT").status_code == 200


@pytest.mark.parametrize("kind", ["managed", "dropbox"])
@pytest.mark.parametrize("state", ["disabled", "missing"])
def test_folder_links_need_a_connection_that_is_there_and_enabled(as_editor, connection, kind, state):
    if state == "disabled":
        Connection.objects.filter(pk=connection.pk).update(enabled=False, is_default=False)
    name = "primary" if state == "disabled" else "not-there"
    answer = as_editor.post("/shares/new/", {"connection": name, "key": "inbox/", "kind": kind, "expires": "604800"})
    assert not ShareLink.objects.exists()
    assert answer.status_code in (200, 404) and b"connection" in answer.content


def test_a_drop_box_cannot_allow_more_than_its_connection(as_editor, capped, monkeypatch):
    from console.shares.views import manage

    monkeypatch.setattr(manage, "get_gateway", lambda: _Listing())
    answer = as_editor.post("/shares/new/", {"connection": "primary", "key": "inbox/", "kind": "dropbox",
                                             "expires": "604800", "max_upload": "1 MB"})
    assert not ShareLink.objects.exists()
    assert "at most 1000" in answer.content.decode().replace("\xa0", " ")


class _Listing:
    """The connection is reachable (this test is about the cap, not the storage)."""

    def list_objects(self, *args, **kwargs):
        return None


def test_old_password_attempts_are_pruned(db):
    stale = ShareAttempt.objects.create(token_hash="x" * 64, address="10.0.0.1")
    ShareAttempt.objects.filter(pk=stale.pk).update(at=timezone.now() - service.PASSWORD_WINDOW - dt.timedelta(1))
    service.start_attempt("some token", "10.0.0.2")
    assert not ShareAttempt.objects.filter(pk=stale.pk).exists()


def test_the_right_password_does_not_count_against_the_visitor(db):
    for _ in range(service.PASSWORD_ATTEMPTS * 2):
        attempt = service.start_attempt("token", "10.0.0.3")
        assert attempt is not None
        service.forget_attempt(attempt)
