"""Faults: storage stopped or restarted, the manager down (a busy database: test_busy_database.py)."""

from __future__ import annotations

import hashlib
import os
import time

import pytest
import requests
from django.test import Client

from console.models import AuditEvent
from storage.connections import StaticRegistry
from storage.dev.bootstrap import ensure_bucket
from storage.dev.seaweedfs import SeaweedFS, free_port
from storage.models import Connection
from storage.s3.gateway import S3Gateway
from tests.conftest import seaweed_spec
from tests.unit.url_walk import all_routes

MiB = 1024 * 1024


@pytest.fixture
def own_seaweedfs(tmp_path):
    """A SeaweedFS this test may stop and start."""
    server = SeaweedFS(tmp_path / "weed", access_key="fault-key", secret_key="fault-secret").start()
    server.bucket = "faults"
    ensure_bucket(seaweed_spec(server))
    yield server
    server.stop()


def test_a_multipart_upload_resumes_after_storage_restarts(own_seaweedfs):
    gateway = S3Gateway(StaticRegistry([seaweed_spec(own_seaweedfs)]))
    parts = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(777)]
    upload_id = gateway.create_multipart_upload("primary", "resume/big.bin")

    def send(number: int) -> None:
        signed = gateway.sign_upload_part("primary", "resume/big.bin", upload_id, number, 300)
        assert requests.put(signed.url, data=parts[number - 1], timeout=30).status_code == 200

    send(1)
    own_seaweedfs.stop()
    with pytest.raises(requests.ConnectionError):
        signed = gateway.sign_upload_part("primary", "resume/big.bin", upload_id, 2, 300)
        requests.put(signed.url, data=parts[1], timeout=5)
    own_seaweedfs.start()

    done = {p.part_number: p.etag for p in gateway.list_parts("primary", "resume/big.bin", upload_id)}
    assert list(done) == [1]  # what was sent before the stop survived
    for number in (2, 3):
        send(number)
    etags = [(p.part_number, p.etag) for p in gateway.list_parts("primary", "resume/big.bin", upload_id)]
    gateway.complete_multipart_upload("primary", "resume/big.bin", upload_id, etags)
    body = gateway.download_file("primary", "resume/big.bin")
    assert hashlib.sha256(body).digest() == hashlib.sha256(b"".join(parts)).digest()


def _storage_pages() -> list[str]:
    urls = []
    for route in all_routes():
        if route.public_reason or route.route.startswith(("accounts/", "django-admin/")):
            continue
        urls.append(route.url())
    return urls


@pytest.fixture
def dead_default(db, settings):
    settings.S3_CONNECT_TIMEOUT = 2
    return Connection.objects.create(name="primary", endpoint=f"http://127.0.0.1:{free_port()}", use_ssl=False,
                                     bucket="gone", access_key_id="k", secret_access_key="s", is_default=True)


@pytest.mark.parametrize("edition", ["community", "commercial"])
def test_every_page_answers_quickly_when_storage_is_down(dead_default, users, settings, edition, capsys):
    if edition == "commercial":
        settings.EDITION = "commercial"
        settings.OSSGATEWAY_URL = f"http://127.0.0.1:{free_port()}"  # the manager is down too
    client = Client(raise_request_exception=False)
    client.force_login(users["admin"])
    slow, broken, slowest = [], [], 0.0
    pages = _storage_pages()
    for url in pages:
        started = time.monotonic()
        response = client.get(url)
        elapsed = time.monotonic() - started
        slowest = max(slowest, elapsed)
        if elapsed > settings.S3_CONNECT_TIMEOUT + 1:
            slow.append(f"{url} took {elapsed:.1f}s")
        if response.status_code >= 500 and response.status_code not in (502, 503):
            broken.append(f"{url} answered {response.status_code}")
    with capsys.disabled():
        print(f"\n[measure] {edition}, storage down: {len(pages)} pages, slowest answered in {slowest:.2f} s")
    assert slow == [] and broken == []


def test_the_health_check_turns_red_with_the_cause(dead_default, as_admin):
    from storage.factory import get_gateway

    report = get_gateway().check_health("primary", timeout=2)
    assert not report.ok and "connection refused" in report.detail


def test_nothing_is_half_written_when_storage_is_down(dead_default, as_editor):
    response = as_editor.post("/shares/new/", {"connection": "primary", "key": "docs/a.txt", "kind": "managed",
                                               "expires": "3600"})
    assert response.status_code in (200, 502, 503) and b"unreachable" in response.content
    from console.shares.models import ShareLink

    assert not ShareLink.objects.exists()
    assert not AuditEvent.objects.filter(kind__startswith="share.").exists()


def test_a_seaweedfs_left_running_by_an_earlier_run_is_stopped_first(tmp_path):
    """A console killed without cleanup must not leave its storage's data locked for the next run."""
    first = SeaweedFS(tmp_path / "weed", access_key="k1", secret_key="s1-0123456789").start()
    orphan = first.process.pid
    second = SeaweedFS(tmp_path / "weed", access_key="k1", secret_key="s1-0123456789")
    try:
        second.start()
        assert first.process.poll() is not None, "the earlier SeaweedFS should have been stopped"
        assert second.process.pid != orphan
    finally:
        second.stop()
        first.stop()
