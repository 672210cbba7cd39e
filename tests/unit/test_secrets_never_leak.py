"""A connection's secret never shows up in a page, an export, the logs or the database in plaintext."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.management import call_command
from django.db import connection as db

from storage.models import Connection
from tests.unit.admin_support import BUCKET, htmx, moto_s3  # noqa: F401
from tests.unit.url_walk import all_routes

SECRET = "Zq8-very-secret-KEY-value-7c1e"
FORM = {"name": "primary", "endpoint": "", "public_endpoint": "", "region": "us-east-1", "bucket": BUCKET,
        "access_key_id": "AKIDSECRETTEST", "secret_access_key": SECRET, "addressing_style": "auto",
        "use_ssl": "on", "verify_ssl": "on", "enabled": "on", "max_upload_size": "1000"}


def leaks(text: str) -> bool:
    return SECRET in text or SECRET[4:20] in text


@pytest.fixture
def world(as_admin, caplog, moto_s3):  # noqa: F811
    for name in ("", "botocore", "boto3", "urllib3", "storage", "console", "django"):
        caplog.set_level(logging.DEBUG, logger=name or None)
    response = as_admin.post("/connections/new/", FORM)
    assert response.status_code == 302
    assert Connection.objects.get(name="primary").secret_access_key == SECRET
    return as_admin


def test_it_never_renders_the_secret_on_any_page(world):
    seen = []
    for route in all_routes():
        if route.route.startswith("django-admin/"):
            continue
        url = route.url()
        for headers in ({}, htmx()):
            response = world.get(url, **headers)
            body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
            assert not leaks(body), f"GET {url} {'(htmx)' if headers else ''} shows the secret"
            seen.append(url)
    for url in ("/connections/primary/edit/", "/connections/primary/health/", "/connections/primary/cors/"):
        assert url in seen
    # The same holds after actions that touch the storage with the secret.
    for url, data in (("/connections/primary/edit/", {**FORM, "secret_access_key": "", "action": "test"}),
                      ("/connections/primary/edit/", {**FORM, "secret_access_key": "", "bucket": ""}),
                      ("/connections/primary/cors/", {})):
        assert not leaks(world.post(url, data, **htmx()).content.decode()), url


def test_it_exports_without_the_secret_by_default(world):
    assert not leaks(world.get("/config/export/").content.decode())
    assert not leaks(world.post("/config/export/", {}).content.decode())


def test_it_never_logs_the_secret(world, caplog):
    world.get("/connections/primary/health/", **htmx())
    world.get("/connections/primary/cors/")
    world.post("/connections/primary/edit/", {**FORM, "bucket": "no-such-bucket", "action": "test"}, **htmx())
    records = caplog.records
    assert records, "the log capture caught nothing; the test would prove nothing"
    text = "\n".join(f"{r.getMessage()} {r.args!r} {getattr(r, 'request', '')}" for r in records)
    assert not leaks(text) and not leaks(caplog.text)


def test_it_keeps_the_secret_encrypted_in_the_database(world):
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    assert '"name": "primary"' in dump and not leaks(dump)
    with db.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Connection._meta.db_table}")
        rows = cursor.fetchall()
    assert rows and not leaks(repr(rows))
    assert any(str(v).startswith("fernet:") for row in rows for v in row)


def test_it_loads_a_dump_back_with_the_secret_intact(world, tmp_path):
    path = tmp_path / "connections.json"
    call_command("dumpdata", "storage.connection", output=str(path))
    Connection.objects.all().delete()
    call_command("loaddata", str(path), verbosity=0)
    assert Connection.objects.get(name="primary").secret_access_key == SECRET


def test_error_messages_never_hold_the_secret(world):
    """Failures people read: a failing connection test, a health check, a missing bucket, a refused CORS."""
    failing = world.post("/connections/primary/edit/", {**FORM, "bucket": "no-such-bucket", "action": "test"}, **htmx())
    assert b"no such bucket" in failing.content.lower() and not leaks(failing.content.decode())
    Connection.objects.filter(name="primary").update(bucket="no-such-bucket")
    from storage import record_cache

    record_cache.forget()
    for url in ("/connections/primary/health/", "/connections/primary/cors/", "/files/primary/"):
        page = world.get(url, **htmx())
        assert not leaks(page.content.decode()), url
