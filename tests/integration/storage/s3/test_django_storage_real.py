"""A connection's Django storage against a real S3: files a model keeps land in the connection's bucket, and its
URLs are signed for the public endpoint, where a plain HTTP client fetches them."""

from __future__ import annotations

import logging
import os
import tracemalloc
from urllib.parse import urlsplit

import pytest
import requests
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from storage.connections import StaticRegistry
from storage.django_storage import ConnectionStorage, storage_for
from storage.gateway import ObjectNotFound
from storage.models import Connection
from storage.s3.gateway import S3Gateway
from tests.conftest import seaweed_spec
from tests.storage_app.models import Document

pytestmark = pytest.mark.django_db
MiB = 1024 * 1024


def add_record(server, name: str, bucket: str, **fields) -> Connection:
    return Connection.objects.create(
        name=name, endpoint=server.endpoint, region="us-east-1", access_key_id=server.access_key,
        secret_access_key=server.secret_key, bucket=bucket, use_ssl=False, **fields)


def public_endpoint(server) -> str:
    """The same SeaweedFS under another host name: what a browser would reach when the endpoint is internal."""
    return server.endpoint.replace("127.0.0.1", "localhost")


@pytest.fixture
def docs(seaweedfs):
    return add_record(seaweedfs, "docs", seaweedfs.bucket, public_endpoint=public_endpoint(seaweedfs))


def stored(server, bucket: str, key: str) -> bytes:
    """The object as S3 holds it, read by the gateway (not by the storage under test)."""
    gateway = S3Gateway(StaticRegistry([seaweed_spec(server, bucket=bucket)]))
    return gateway.download_file("primary", key)


def test_a_model_file_is_saved_read_listed_sized_and_deleted_in_the_bucket(seaweedfs, docs, key_prefix):
    document = Document.objects.create(title="report", file=ContentFile(b"quarterly numbers", name="q3 report.txt"))
    name = document.file.name
    assert name.startswith("documents/q3_report") and name.endswith(".txt")
    assert stored(seaweedfs, seaweedfs.bucket, name) == b"quarterly numbers"

    reloaded = Document.objects.get(pk=document.pk)
    with reloaded.file.open("rb") as file:
        assert file.read() == b"quarterly numbers"
    assert reloaded.file.size == len(b"quarterly numbers")
    storage = reloaded.file.storage
    assert storage.exists(name)
    assert name.rsplit("/", 1)[1] in storage.listdir("documents")[1]

    reloaded.file.delete(save=False)
    assert not storage.exists(name)
    with pytest.raises(ObjectNotFound):
        stored(seaweedfs, seaweedfs.bucket, name)


def test_keys_with_spaces_and_unicode_round_trip(seaweedfs, docs, key_prefix):
    storage = storage_for("docs")
    name = storage.save(key_prefix + "年度 报告/quarter one ü.txt", ContentFile("数字 numbers".encode()))
    assert name == key_prefix + "年度 报告/quarter one ü.txt"
    assert stored(seaweedfs, seaweedfs.bucket, name) == "数字 numbers".encode()
    assert storage.listdir(key_prefix) == (["年度 报告"], [])
    assert storage.listdir(key_prefix + "年度 报告") == ([], ["quarter one ü.txt"])
    assert storage.size(name) == len("数字 numbers".encode())
    response = requests.get(storage.url(name), timeout=10)
    assert response.status_code == 200 and response.content == "数字 numbers".encode()


def test_a_file_written_in_pieces_streams_to_the_bucket(seaweedfs, docs, key_prefix):
    storage = storage_for("docs")
    piece = b"0123456789abcdef" * 65536  # 1 MiB
    with storage.open(key_prefix + "pieces.bin", "wb") as file:
        for _ in range(6):  # past django-storages' 5 MiB buffer: a multipart upload of two parts
            file.write(piece)
    assert stored(seaweedfs, seaweedfs.bucket, key_prefix + "pieces.bin") == piece * 6


def test_reading_a_large_file_keeps_memory_bounded(seaweedfs, docs, key_prefix, tmp_path):
    """64 MiB read in 1 MiB pieces: the download spools to disk past 8 MiB (all 64 would be held otherwise)."""
    storage = storage_for("docs")
    source = tmp_path / "large.bin"
    source.write_bytes(os.urandom(64 * MiB))
    with source.open("rb") as file:
        name = storage.save(key_prefix + "large.bin", File(file))
    read = 0
    tracemalloc.start()
    try:
        with storage.open(name, "rb") as file:
            while piece := file.read(MiB):
                read += len(piece)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read == 64 * MiB
    assert peak < 48 * MiB, f"reading held {peak / MiB:.0f} MiB"


def test_urls_point_at_the_public_endpoint_and_a_plain_client_fetches_them(seaweedfs, docs, key_prefix):
    storage = storage_for("docs")
    name = storage.save(key_prefix + "page.html", ContentFile(b"<p>hello</p>"))
    url = storage.url(name)
    assert urlsplit(url).netloc == urlsplit(public_endpoint(seaweedfs)).netloc
    assert "X-Amz-Signature=" in url
    response = requests.get(url, timeout=10)
    assert response.status_code == 200 and response.content == b"<p>hello</p>"
    assert requests.get(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"), timeout=10).status_code == 403


def test_a_record_without_a_public_endpoint_signs_for_its_endpoint(seaweedfs, key_prefix):
    add_record(seaweedfs, "plain", seaweedfs.bucket)
    storage = ConnectionStorage(connection="plain")
    name = storage.save(key_prefix + "a.txt", ContentFile(b"a"))
    assert urlsplit(storage.url(name)).netloc == urlsplit(seaweedfs.endpoint).netloc
    assert requests.get(storage.url(name), timeout=10).content == b"a"


def test_a_second_connection_picked_by_name_writes_to_its_own_bucket(seaweedfs, twin_bucket, docs, key_prefix):
    add_record(seaweedfs, "twin", twin_bucket)
    name = storage_for("twin").save(key_prefix + "only-in-twin.txt", ContentFile(b"twin"))
    assert stored(seaweedfs, twin_bucket, name) == b"twin"
    assert not storage_for("docs").exists(name)
    with pytest.raises(ObjectNotFound):
        stored(seaweedfs, seaweedfs.bucket, name)


def test_a_changed_record_is_picked_up_without_a_new_storage(seaweedfs, other_seaweedfs, docs, key_prefix):
    """Another server, keys and bucket: the storage in use follows the record (its clients rebuilt)."""
    storage = storage_for("docs")
    storage.save(key_prefix + "before.txt", ContentFile(b"1"))
    docs.endpoint, docs.bucket = other_seaweedfs.endpoint, other_seaweedfs.bucket
    docs.access_key_id, docs.secret_access_key = other_seaweedfs.access_key, other_seaweedfs.secret_key
    docs.public_endpoint = ""
    docs.save()
    storage.save(key_prefix + "after.txt", ContentFile(b"2"))
    assert stored(other_seaweedfs, other_seaweedfs.bucket, key_prefix + "after.txt") == b"2"
    assert storage.exists(key_prefix + "after.txt") and not storage.exists(key_prefix + "before.txt")
    assert requests.get(storage.url(key_prefix + "after.txt"), timeout=10).content == b"2"


def test_the_default_storage_can_be_a_connection(seaweedfs, docs, key_prefix, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storage.django_storage.ConnectionStorage", "OPTIONS": {"connection": "docs"}}}
    name = default_storage.save(key_prefix + "default.txt", ContentFile(b"by default"))
    assert stored(seaweedfs, seaweedfs.bucket, name) == b"by default"
    assert urlsplit(default_storage.url(name)).netloc == urlsplit(public_endpoint(seaweedfs)).netloc


def test_the_secret_is_never_logged(seaweedfs, docs, key_prefix, caplog):
    for logger in ("", "botocore", "boto3", "s3transfer", "urllib3", "storage"):  # every library's debug lines
        caplog.set_level(logging.DEBUG, logger=logger)
    storage = ConnectionStorage(connection="docs")
    name = storage.save(key_prefix + "logged.txt", ContentFile(b"x"))
    with storage.open(name) as file:
        file.read()
    storage.url(name)
    assert caplog.records and seaweedfs.secret_key not in caplog.text


# --- found by the s29 attack pass ---

def test_a_name_the_console_cannot_handle_is_refused_before_anything_is_written(seaweedfs, docs, key_prefix):
    """The Django storage is a write path into a connection's bucket: a name the key rules refuse (a control
    character) would land as an object the file manager and the gateway then cannot open, copy or delete."""
    from django.core.exceptions import SuspiciousFileOperation

    storage = storage_for("docs")
    with pytest.raises(SuspiciousFileOperation, match="control characters"):
        storage.save(key_prefix + "bell\x07.txt", ContentFile(b"x"))
    assert storage.listdir(key_prefix) == ([], [])
