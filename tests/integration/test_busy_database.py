"""A busy database: the request answers 503 "try again" with Retry-After, writes nothing, and a retry succeeds.

Each database is made busy its own way, by a second connection: SQLite by its one write lock,
PostgreSQL by a row lock or a table lock held past DATABASE_LOCK_TIMEOUT.
"""

from __future__ import annotations

import sqlite3
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from console import audit
from console.models import AuditEvent
from console.shares import service
from console.shares.models import ShareLink
from console.shares.views import public
from storage.factory import get_gateway
from storage.models import Connection
from storage.service_tokens import issue_token
from tests.databases import only_on


@pytest.fixture
def shared_file(seaweed_connection, key_prefix):
    key = key_prefix + "busy.txt"
    get_gateway().simple_upload("primary", key, b"x")
    return key


@pytest.fixture
def editor_client(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["editor"])
    return client


def share_form(key: str) -> dict:
    return {"connection": "primary", "key": key, "kind": "managed", "expires": "3600"}


def asked_to_retry(response) -> bool:
    return response.status_code == 503 and b"Try again" in response.content and response["Retry-After"] == "2"


@only_on("sqlite", "it takes SQLite's one write lock through the sqlite3 module; PostgreSQL's locks are below")
def test_a_locked_sqlite_file_asks_to_retry_and_loses_nothing(transactional_db, editor_client, shared_file):
    connection.close()
    connection.settings_dict["OPTIONS"]["timeout"] = 0.5
    blocker = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.5)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        busy = editor_client.post("/shares/new/", share_form(shared_file))
        blocker.rollback()
    finally:
        blocker.close()
        connection.close()
        connection.settings_dict["OPTIONS"]["timeout"] = settings.DATABASE_LOCK_TIMEOUT
    assert asked_to_retry(busy)
    assert editor_client.post("/shares/new/", share_form(shared_file)).status_code == 200
    assert AuditEvent.objects.filter(kind="share.created", target=shared_file).count() == 1


# --- PostgreSQL ---------------------------------------------------------------------

POSTGRES_ONLY = "it holds PostgreSQL row and table locks from a second session; SQLite's lock is tested above"


@only_on("postgresql", POSTGRES_ONLY)
def test_every_postgresql_session_waits_for_a_lock_at_most_the_lock_timeout(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == f"{settings.DATABASE_LOCK_TIMEOUT}s"


@pytest.fixture
def short_lock_timeout(transactional_db):
    """Half a second instead of DATABASE_LOCK_TIMEOUT, on the session the test client's requests use."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '500ms'")
    yield 0.5
    if connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def held_lock(statement: str, *params):
    """A second session holding a lock in an open transaction, as another request or a migration would."""
    holder = connection.get_new_connection(connection.get_connection_params())
    holder.execute(statement, params)
    return holder


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def download_url(token: str) -> str:
    return reverse("share_download", args=[token])


ROW_OF_THE_LINK = f"SELECT id FROM {ShareLink._meta.db_table} WHERE id = %s FOR UPDATE"
AUDIT_LOG_TABLE = f"LOCK TABLE {AuditEvent._meta.db_table} IN SHARE MODE"  # as CREATE INDEX takes it


@only_on("postgresql", POSTGRES_ONLY)
@pytest.mark.parametrize("lock", [ROW_OF_THE_LINK, AUDIT_LOG_TABLE], ids=["link-row", "audit-table"])
def test_a_download_behind_a_lock_asks_to_retry_and_uses_up_nothing(short_lock_timeout, users, editor_client,
                                                                      shared_file, lock):
    share, token = service.create_share(user=users["editor"], kind="file", connection="primary", key=shared_file,
                                        max_downloads=3)
    holder = held_lock(lock, share.pk) if lock == ROW_OF_THE_LINK else held_lock(lock)
    try:
        busy, waited = timed(lambda: editor_client.get(download_url(token)))
    finally:
        holder.rollback()
        holder.close()
    assert asked_to_retry(busy), busy.status_code
    assert short_lock_timeout <= waited < 5, f"waited {waited:.2f} s"  # waited for the lock, then gave up
    share.refresh_from_db()
    assert share.download_count == 0 and share.last_used_at is None
    assert not AuditEvent.objects.filter(kind="share.downloaded").exists()

    assert editor_client.get(download_url(token)).status_code == 302
    share.refresh_from_db()
    assert share.download_count == 1
    assert AuditEvent.objects.filter(kind="share.downloaded", target=shared_file).count() == 1


@only_on("postgresql", POSTGRES_ONLY)
def test_a_share_created_behind_a_lock_asks_to_retry_and_stores_nothing(short_lock_timeout, editor_client,
                                                                         shared_file):
    holder = held_lock(AUDIT_LOG_TABLE)
    try:
        busy, waited = timed(lambda: editor_client.post("/shares/new/", share_form(shared_file)))
    finally:
        holder.rollback()
        holder.close()
    assert asked_to_retry(busy), busy.status_code
    assert short_lock_timeout <= waited < 5, f"waited {waited:.2f} s"
    assert not ShareLink.objects.exists()

    assert editor_client.post("/shares/new/", share_form(shared_file)).status_code == 200
    assert ShareLink.objects.filter(key=shared_file).count() == 1
    assert AuditEvent.objects.filter(kind="share.created", target=shared_file).count() == 1


@only_on("postgresql", POSTGRES_ONLY)
def test_a_default_switch_behind_a_lock_asks_to_retry_and_switches_nothing(short_lock_timeout, users):
    for name, is_default in (("first", True), ("second", False)):
        Connection.objects.create(name=name, endpoint="http://127.0.0.1:9", use_ssl=False, bucket="b",
                                  is_default=is_default)
    admin = Client(raise_request_exception=False)
    admin.force_login(users["admin"])
    switch = reverse("connection_default", args=["second"])
    holder = held_lock(AUDIT_LOG_TABLE)
    try:
        busy, waited = timed(lambda: admin.post(switch))
    finally:
        holder.rollback()
        holder.close()
    assert asked_to_retry(busy), busy.status_code
    assert short_lock_timeout <= waited < 5, f"waited {waited:.2f} s"
    assert Connection.objects.get(is_default=True).name == "first"

    assert admin.post(switch).status_code == 302
    assert Connection.objects.get(is_default=True).name == "second"
    assert list(AuditEvent.objects.filter(kind="connection.default").values_list("detail", flat=True)) == [
        {"previous": "first"}]


# --- a drop box's upload, recorded behind a busy database --------------------------------


class _SqliteBusy(Exception):
    sqlite_errorcode = 5  # SQLITE_BUSY: what busy_reason reads, on either database


def busy_audit_log(*args, **kwargs):
    """The audit INSERT gives up on a lock, as it does behind a PostgreSQL table lock (CREATE INDEX)."""
    try:
        raise _SqliteBusy("database is locked")
    except _SqliteBusy as cause:
        raise OperationalError("database is locked") from cause


def test_a_drop_box_upload_recorded_behind_a_busy_audit_log_counts_nothing_and_can_be_retried(
        transactional_db, users, seaweed_connection, key_prefix, monkeypatch):
    """The 503 says nothing was changed: the upload is neither counted nor forgotten by the session."""
    share, token = service.create_share(user=users["editor"], kind="dropbox", connection="primary",
                                        key=key_prefix + "inbox/", max_upload_size=1000)
    visitor = Client(raise_request_exception=False)
    assert visitor.get(reverse("share_public", args=[token])).status_code == 200
    policy = visitor.post(reverse("share_upload_policy", args=[token]), {"filename": "a.txt", "size": 1},
                          content_type="application/json").json()
    get_gateway().simple_upload("primary", policy["key"], b"a")  # what the visitor's browser posts to S3

    def uploaded():
        return visitor.post(reverse("share_uploaded", args=[token]), {"key": policy["key"]},
                            content_type="application/json")

    with monkeypatch.context() as patched:
        patched.setattr(public, "record", busy_audit_log)
        busy = uploaded()
    assert asked_to_retry(busy), busy.status_code
    share.refresh_from_db()
    assert share.upload_count == 0  # "nothing was changed"

    retried = uploaded()
    assert retried.status_code == 200, retried.content
    share.refresh_from_db()
    assert share.upload_count == 1
    assert AuditEvent.objects.filter(kind="share.dropbox_upload", target=policy["key"]).count() == 1


@only_on("sqlite", "it takes SQLite's one write lock through the sqlite3 module")
def test_the_api_answers_a_busy_database_in_its_own_json_and_asks_to_retry(transactional_db, seaweed_connection):
    raw = issue_token("busy-probe").raw
    connection.close()
    connection.settings_dict["OPTIONS"]["timeout"] = 0.5
    blocker = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.5)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        busy = Client(raise_request_exception=False).get("/api/ossgateway/v1/objectstorageinfo",
                                                         HTTP_AUTHORIZATION=f"Bearer {raw}")
        blocker.rollback()
    finally:
        blocker.close()
        connection.close()
        connection.settings_dict["OPTIONS"]["timeout"] = settings.DATABASE_LOCK_TIMEOUT
    assert busy.status_code == 503 and busy["Retry-After"] == "2" and busy["Content-Type"] == "application/json"
    assert busy.json()["code"] == 503031002 and "Try again" in busy.json()["message"]


def test_a_file_deleted_behind_a_busy_audit_log_is_reported_deleted_and_its_event_kept_in_the_log(
        transactional_db, editor_client, shared_file, monkeypatch, caplog):
    """The storage change cannot be undone: "nothing was changed" would be a lie, and the event is not dropped."""
    monkeypatch.setattr(audit, "record", busy_audit_log)
    with caplog.at_level("ERROR", logger="console.audit"):
        answer = editor_client.post(reverse("files_delete", args=["primary"]), {"key": shared_file}, follow=True)
    assert answer.status_code == 200 and b"Deleted busy.txt" in answer.content
    assert b"nothing was changed" not in answer.content
    assert not [o for o in get_gateway().list_objects("primary", shared_file).objects if o.key == shared_file]
    kept = [r.getMessage() for r in caplog.records if r.name == "console.audit"]
    assert len(kept) == 1 and '"object.deleted"' in kept[0] and shared_file in kept[0] and '"editor"' in kept[0]
