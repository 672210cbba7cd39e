"""Connection specs: what a client is built from, and the fingerprint that tells when to rebuild it."""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from types import SimpleNamespace

from storage import connections
from storage.connections import ConnectionSpec
from storage.s3.client import ClientCache


def test_a_spec_is_fingerprinted_once_however_many_requests_ask_for_its_client(monkeypatch):
    hashed: list[bytes] = []

    def sha256(data: bytes = b""):
        hashed.append(data)
        return hashlib.sha256(data)

    monkeypatch.setattr(connections, "hashlib", SimpleNamespace(sha256=sha256))
    spec = ConnectionSpec(name=f"c-{uuid.uuid4().hex}", bucket="b", endpoint="http://127.0.0.1:9", access_key_id="k",
                          secret_access_key="s")
    clients = ClientCache()
    first = clients.get(spec)
    assert all(clients.get(spec) is first for _ in range(100))
    assert len(hashed) == 1  # every storage request asks; it was worked out once

    rotated = dataclasses.replace(spec, secret_access_key="new")
    assert rotated.fingerprint != spec.fingerprint
    assert clients.get(rotated) is not first  # a changed connection still gets a client of its own
