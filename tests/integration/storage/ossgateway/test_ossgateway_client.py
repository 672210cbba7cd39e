"""OssGatewayClient → this console's OSS Gateway Manager API (live server) → SeaweedFS, byte for byte."""

from __future__ import annotations

import hashlib
import io
import os
import time

import pytest
import requests
from django.test import override_settings

from storage.dev.seaweedfs import free_port
from storage.factory import get_gateway
from storage.gateway import AccessDenied, ConnectionNotFound, NoAvailableConnection, ObjectNotFound, StorageUnreachable
from storage.ossgateway.client import OssGatewayClient
from storage.service_tokens import issue_token
from tests.conftest import seaweed_spec
from tests.integration.ossgateway_support import add_connection, start_api_server
from tests.integration.storage.s3.test_s3_gateway_real import PeakRss

pytestmark = pytest.mark.django_db(transaction=True)
MiB = 1024 * 1024


@pytest.fixture
def server(request, seaweedfs):
    return start_api_server(request, seaweedfs)


@pytest.fixture
def client(server) -> OssGatewayClient:
    return server.client()


def random_file(path, size: int):
    with open(path, "wb") as f:
        for _ in range(size // MiB):
            f.write(os.urandom(MiB))
        f.write(os.urandom(size % MiB))
    return path


def sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            digest.update(block)
    return digest.hexdigest()


def test_a_small_upload_is_one_put_and_comes_back_exactly(client, key_prefix):
    data = os.urandom(300_000)
    client.upload_file("primary", key_prefix + "small.bin", io.BytesIO(data), len(data), content_type="x/y")
    meta = client.get_object_meta("primary", key_prefix + "small.bin")
    assert (meta.size, meta.content_type, meta.etag) == (len(data), "x/y", hashlib.md5(data).hexdigest())
    assert client.download_file("primary", key_prefix + "small.bin") == data


def test_a_50_mib_upload_goes_multipart_and_every_read_is_byte_exact(client, key_prefix, tmp_path):
    source = random_file(tmp_path / "fifty.bin", 50 * MiB + 123)
    key = key_prefix + "dir with space/fifty.bin"
    with open(source, "rb") as f:
        client.upload_file("primary", key, f, os.path.getsize(source))
    meta = client.get_object_meta("primary", key)
    assert meta.size == 50 * MiB + 123 and meta.etag.endswith("-7"), "seven 8 MiB parts"

    target = tmp_path / "back.bin"
    assert client.download_file_to_local("primary", key, target) == meta.size
    assert sha256(target) == sha256(source)
    assert hashlib.sha256(client.download_file("primary", key)).hexdigest() == sha256(source)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")], "no temporary file left behind"


def test_an_upload_of_unknown_size_streams_into_multipart(client, key_prefix):
    data = os.urandom(17 * MiB)
    client.upload_file("primary", key_prefix + "stream.bin", io.BytesIO(data))
    assert client.get_object_meta("primary", key_prefix + "stream.bin").etag.endswith("-3")
    assert client.download_file("primary", key_prefix + "stream.bin") == data


def test_a_signed_download_honours_ranges(client, key_prefix):
    data = bytes(range(256)) * 100
    client.simple_upload("primary", key_prefix + "ranged.bin", data)
    url = client.get_download_url("primary", key_prefix + "ranged.bin", 60, internal=True)
    response = requests.get(url, headers={"Range": "bytes=1000-1999"}, timeout=10)
    assert response.status_code == 206 and response.content == data[1000:2000]


def test_memory_stays_flat_for_a_160_mib_round_trip(client, key_prefix, tmp_path):
    source = random_file(tmp_path / "big.bin", 160 * MiB)
    client.get_available_oss()  # warm sessions outside the measure
    with PeakRss() as upload, open(source, "rb") as f:
        client.upload_file("primary", key_prefix + "big.bin", f, 160 * MiB)
    with PeakRss() as download:
        client.download_file_to_local("primary", key_prefix + "big.bin", tmp_path / "back.bin")
    assert sha256(tmp_path / "back.bin") == sha256(source)
    assert upload.growth_mib < 72, f"upload grew memory by {upload.growth_mib:.0f} MiB"
    assert download.growth_mib < 32, f"download grew memory by {download.growth_mib:.0f} MiB"


def test_delete_then_the_object_is_gone_for_every_read(client, key_prefix, tmp_path):
    client.simple_upload("primary", key_prefix + "doomed.txt", b"bye")
    client.delete_file("primary", key_prefix + "doomed.txt")
    for read in (lambda: client.get_object_meta("primary", key_prefix + "doomed.txt"),
                 lambda: client.download_file("primary", key_prefix + "doomed.txt"),
                 lambda: client.download_file_to_local("primary", key_prefix + "doomed.txt", tmp_path / "x")):
        with pytest.raises(ObjectNotFound):
            read()
    assert not (tmp_path / "x").exists()


def test_default_and_listed_storages(client, seaweedfs):
    add_connection(seaweed_spec(seaweedfs, name="second", is_default=False))
    assert client.get_available_oss() == "primary"
    assert [(s.id, s.default, s.enabled) for s in client.list_storages()] == [
        ("primary", True, True), ("second", False, True)]


def test_without_a_default_it_falls_back_to_the_first_enabled_storage(server, seaweedfs):
    second = add_connection(seaweed_spec(seaweedfs, name="second", is_default=False))
    scoped = OssGatewayClient(server.url, token=issue_token("second only", connections=[second]).raw)
    assert scoped.get_available_oss() == "second"


def test_with_no_storage_at_all_none_is_available(server):
    from storage.models import Connection

    Connection.objects.update(is_default=False, enabled=False)
    with pytest.raises(NoAvailableConnection):
        server.client().get_available_oss()


def test_unknown_storage_and_missing_object(client, key_prefix):
    with pytest.raises(ConnectionNotFound):
        client.download_file("nope", key_prefix + "a.txt")
    with pytest.raises(ObjectNotFound):
        client.download_file("primary", key_prefix + "missing.txt")


def test_a_storage_that_does_not_answer_is_unreachable_within_the_timeout(client, seaweedfs, key_prefix):
    add_connection(seaweed_spec(seaweedfs, name="dead", endpoint=f"http://127.0.0.1:{free_port()}",
                                is_default=False))
    started = time.monotonic()
    with pytest.raises(StorageUnreachable):
        client.simple_upload("dead", key_prefix + "a.txt", b"x")
    with pytest.raises(StorageUnreachable):
        client.upload_file("dead", key_prefix + "big.bin", io.BytesIO(b"x" * (17 * MiB)), 17 * MiB)
    assert time.monotonic() - started < 20


def test_a_manager_that_does_not_answer_is_unreachable(db):
    client = OssGatewayClient(f"http://127.0.0.1:{free_port()}", token="osc_x")
    started = time.monotonic()
    with pytest.raises(StorageUnreachable, match="OSS Gateway Manager"):
        client.get_available_oss()
    assert time.monotonic() - started < 5


def test_a_bad_token_is_refused(server):
    with pytest.raises(AccessDenied):
        OssGatewayClient(server.url, token="osc_wrong").list_storages()


def test_the_commercial_edition_works_through_the_api(server, users, key_prefix):
    from django.test import Client

    from storage.factory import reset_gateways

    with override_settings(EDITION="commercial", OSSGATEWAY_URL=server.url, OSSGATEWAY_TOKEN=server.token):
        reset_gateways()
        gateway = get_gateway()
        assert isinstance(gateway, OssGatewayClient)
        gateway.simple_upload(gateway.get_available_oss(), key_prefix + "via-edition.txt", b"commercial")
        browser = Client()
        browser.force_login(users["viewer"])
        page = browser.get("/").content.decode()
    assert "primary" in page and "OSS Gateway Manager client" in page
    assert server.client().download_file("primary", key_prefix + "via-edition.txt") == b"commercial"


def test_several_parts_signed_at_once_upload_and_complete(client, key_prefix):
    key = key_prefix + "batch.bin"
    chunks = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(10)]
    upload_id = client.create_multipart_upload("primary", key)
    signed = client.sign_upload_parts("primary", key, upload_id, [3, 1, 2], 120, internal=True)
    assert sorted(signed) == [1, 2, 3]
    etags = [(n, requests.put(signed[n].url, data=chunks[n - 1], timeout=30).headers["ETag"]) for n in (1, 2, 3)]
    client.complete_multipart_upload("primary", key, upload_id, etags)
    assert client.download_file("primary", key) == b"".join(chunks)
