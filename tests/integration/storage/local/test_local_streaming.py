"""Bytes of a local folder pass through the console: 128 MiB each way with memory that does not grow with them.

Measured with tracemalloc across the client and the live server's thread (one process): a server that held the
body (request.body, a whole read) would peak above 128 MiB. The 1 GiB figure is in the benchmark (make bench, L1).
"""

from __future__ import annotations

import hashlib
import os
import tracemalloc

import pytest
import requests

from storage.connections import DatabaseRegistry
from storage.factory import community_gateway

MiB = 1024 * 1024
SIZE = 128 * MiB
BOUND = 24 * MiB


@pytest.fixture
def disk(transactional_db, live_server, settings, tmp_path):
    from storage.models import Connection

    settings.ALLOW_LOCAL_FOLDERS, settings.LOCAL_FOLDERS_URL = True, live_server.url
    (tmp_path / "folder").mkdir()
    Connection.objects.create(name="disk", kind="local", local_root=str(tmp_path / "folder"), is_default=True)
    return community_gateway(DatabaseRegistry())


@pytest.fixture
def big_file(tmp_path):
    path, digest = tmp_path / "big.bin", hashlib.sha256()
    with open(path, "wb") as f:
        for _ in range(SIZE // MiB):
            chunk = os.urandom(MiB)
            digest.update(chunk)
            f.write(chunk)
    return path, digest.hexdigest()


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(MiB):
            digest.update(chunk)
    return digest.hexdigest()


def _peak(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_signed_put_and_get_stream_128_mib_with_flat_memory(disk, big_file, tmp_path):
    path, digest = big_file
    upload = disk.get_upload_request("disk", "big.bin", 300, size=SIZE)

    def put():
        with open(path, "rb") as body:
            assert requests.put(upload.url, data=body, headers=upload.headers, timeout=300).status_code == 200

    def get():
        with requests.get(disk.get_download_url("disk", "big.bin", 300), stream=True, timeout=300) as answer, \
                open(tmp_path / "back.bin", "wb") as out:
            for chunk in answer.iter_content(MiB):
                out.write(chunk)

    assert _peak(put) < BOUND
    assert _peak(get) < BOUND
    assert _sha256(tmp_path / "back.bin") == digest


def test_upload_file_and_download_to_local_keep_memory_flat(disk, big_file, tmp_path):
    path, digest = big_file

    def upload():
        with open(path, "rb") as f:
            disk.upload_file("disk", "big.bin", f, SIZE)

    assert _peak(upload) < BOUND
    assert _peak(lambda: disk.download_file_to_local("disk", "big.bin", tmp_path / "back.bin")) < BOUND
    assert _sha256(tmp_path / "back.bin") == digest
    assert disk.get_object_meta("disk", "big.bin").etag.endswith("-16")  # 8 MiB parts, as S3 would hold it
