"""A client that stops sending its body, or stops reading its answer, lets go of its transfer slot.

Each gunicorn process serves TRANSFER_SLOTS transfers at once and answers the rest 503 SlowDown. A key holder
who opens a few uploads and sends nothing more (or asks for a large object and reads none of it) would hold
every slot for as long as the connections stay open: the endpoint would answer everyone else SlowDown, for
good. S3 closes such connections (RequestTimeout); so does the endpoint, after TRANSFER_IDLE_TIMEOUT seconds.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from tests.integration.test_local_folder_workers import _env, gunicorn_serving
from tests.unit.s3api.signing import FixedPayload

ROOT = Path(__file__).resolve().parents[3]
MAKE_FOLDER_AND_KEY = """
from storage.models import Connection
from console.s3api.keys import issue_key
Connection.objects.create(name="disk", kind="local", local_root={root!r}, is_default=True)
from storage.factory import get_gateway
get_gateway().simple_upload("disk", "shared.bin", b"s" * (32 * 1024 * 1024))
issued = issue_key("idle")
print(issued.access_key_id, issued.secret, get_gateway().get_download_url("disk", "shared.bin", 600))
"""
IDLE_TIMEOUT = 3


def _signed_socket(port: int, key_id: str, secret: str, method: str, path: str, headers: dict[str, str], *,
                   small_window: bool = False) -> socket.socket:
    request = AWSRequest(method=method, url=f"http://127.0.0.1:{port}{path}", headers=headers)
    FixedPayload(Credentials(key_id, secret), "us-east-1", "UNSIGNED-PAYLOAD").add_auth(request)
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "X-Forwarded-Proto: https"]
    lines += [f"{k}: {v}" for k, v in request.headers.items() if k.lower() != "host"]
    client = socket.socket()
    if small_window:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting
    client.connect(("127.0.0.1", port))
    client.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return client


@pytest.fixture
def one_slot(tmp_path):
    """(port, key id, secret, folder): gunicorn with one process of two threads (one transfer slot)."""
    env, root = _env(tmp_path / "data"), tmp_path / "disk"
    env.update(WEB_CONCURRENCY="1", GUNICORN_THREADS="2", TRANSFER_IDLE_TIMEOUT=str(IDLE_TIMEOUT))
    root.mkdir()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=180)
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c", MAKE_FOLDER_AND_KEY.format(root=str(root))],
                          cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=180)
    key_id, secret, shared_url = made.stdout.strip().splitlines()[-1].split()
    with gunicorn_serving(env) as port:
        yield port, key_id, secret, root, urlsplit(shared_url)


def _client(port: int, key_id: str, secret: str):
    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}/s3", aws_access_key_id=key_id,
                        aws_secret_access_key=secret, region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
    client.meta.events.register("before-send.s3", _as_if_https)
    return client


def _as_if_https(request, **_kwargs):
    request.headers["X-Forwarded-Proto"] = "https"  # as the proxy that ends TLS says (SECURE_PROXY_HEADER)


def test_an_upload_that_stops_sending_lets_go_of_its_slot(one_slot):
    port, key_id, secret, root, _shared = one_slot
    stalled = _signed_socket(port, key_id, secret, "PUT", "/s3/disk/stalled.bin",
                             {"Content-Length": str(64 * 1024 * 1024), "x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
    try:
        stalled.sendall(b"x" * 100_000)
        time.sleep(IDLE_TIMEOUT + 3)
        s3 = _client(port, key_id, secret)
        s3.put_object(Bucket="disk", Key="after.txt", Body=b"the slot is free again")
        assert s3.get_object(Bucket="disk", Key="after.txt")["Body"].read() == b"the slot is free again"
        assert b"RequestTimeout" in stalled.recv(4096)
    finally:
        stalled.close()
    assert not list(root.rglob("stalled.bin*"))


def test_a_download_that_stops_reading_lets_go_of_its_slot(one_slot):
    port, key_id, secret, _root, _shared = one_slot
    s3 = _client(port, key_id, secret)
    s3.put_object(Bucket="disk", Key="large.bin", Body=b"y" * (32 * 1024 * 1024))
    stalled = _signed_socket(port, key_id, secret, "GET", "/s3/disk/large.bin",
                             {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}, small_window=True)
    try:
        time.sleep(IDLE_TIMEOUT + 3)
        assert s3.head_object(Bucket="disk", Key="large.bin")["ContentLength"] == 32 * 1024 * 1024
    finally:
        stalled.close()


def test_a_local_folders_signed_download_that_stops_reading_lets_go_of_its_slot(one_slot):
    """A local folder's signed URL shares the slots (a shared link is one: no key needed to hold a slot)."""
    port, key_id, secret, _root, signed = one_slot
    s3 = _client(port, key_id, secret)
    stalled = socket.socket()
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.connect(("127.0.0.1", port))
    stalled.sendall(f"GET {signed.path}?{signed.query} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "X-Forwarded-Proto: https\r\n\r\n".encode())
    try:
        time.sleep(IDLE_TIMEOUT + 3)
        assert s3.head_object(Bucket="disk", Key="shared.bin")["ContentLength"] == 32 * 1024 * 1024
    finally:
        stalled.close()
