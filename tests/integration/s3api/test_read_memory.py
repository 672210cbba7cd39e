"""A large GET streams: the endpoint never holds the object whole (tracemalloc over the live server's thread
and the client alike, both in this process)."""

from __future__ import annotations

import hashlib
import threading
import tracemalloc

import pytest

from storage.factory import get_gateway

pytestmark = pytest.mark.django_db(transaction=True)

SIZE = 64 * 1024 * 1024


def test_a_64_mib_get_keeps_memory_flat(s3, key_prefix):
    key = f"{key_prefix}big.bin"
    data = hashlib.sha256(b"seed").digest() * (SIZE // 32)
    expected = hashlib.sha256(data).hexdigest()
    get_gateway().simple_upload("primary", key, data)
    del data
    s3.head_object(Bucket="primary", Key=key)  # a connection made and kept before measuring
    tracemalloc.start()
    try:
        digest, received = hashlib.sha256(), 0
        body = s3.get_object(Bucket="primary", Key=key)["Body"]
        for chunk in body.iter_chunks(256 * 1024):
            digest.update(chunk)
            received += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert received == SIZE and digest.hexdigest() == expected
    assert peak < 12 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB while serving {SIZE / 2**20:.0f} MiB"


def test_a_client_that_goes_away_closes_the_storage_stream(s3, key_prefix, monkeypatch):
    from storage import gateway as g

    closed, kept = threading.Event(), []  # kept: no collection may close a stream in the server's stead
    original_init, original_close = g.ObjectStream.__init__, g.ObjectStream.close

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        kept.append(self)

    def close(self):
        closed.set()
        original_close(self)

    monkeypatch.setattr(g.ObjectStream, "__init__", init)
    monkeypatch.setattr(g.ObjectStream, "close", close)
    key = f"{key_prefix}big.bin"
    get_gateway().simple_upload("primary", key, b"\0" * (32 * 1024 * 1024))
    body = s3.get_object(Bucket="primary", Key=key)["Body"]
    body.read(1024)
    assert not closed.is_set()
    body.close()  # the connection goes with it: the server's next write fails, and it closes the response
    assert closed.wait(10)
