"""Slow clients of the S3 endpoint must not take every one of the console's request threads.

Bytes sent to /s3/ pass through the console, each request on one gunicorn thread for as long as its client
takes. A client holding a valid key that announces a large upload and then sends nothing holds its thread;
a few of them would take all of a process's threads, down to the liveness probe.
The endpoint shares the transfer slots of local folders (storage/transfer_slots.py): each process serves its
threads less one at once, and answers the rest 503 SlowDown, reading no more of their bodies (gunicorn would
otherwise drain them, for seconds, before its thread moves on).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.integration.test_local_folder_workers import _env, gunicorn_serving, healthz_answers

ROOT = Path(__file__).resolve().parents[2]
MAKE_FOLDER_AND_KEY = """
from storage.models import Connection
from console.s3api.keys import issue_key
Connection.objects.create(name="disk", kind="local", local_root={root!r}, is_default=True)
issued = issue_key("slow")
print(issued.access_key_id, issued.secret)
"""


def _slow_uploader(port: int, key_id: str, secret: str, name: str) -> socket.socket:
    """A client that signs a 64 MiB PutObject, sends its headers and then none of its bytes."""
    url = f"http://127.0.0.1:{port}/s3/disk/{name}"
    headers = {"Content-Length": str(64 * 1024 * 1024), "x-amz-content-sha256": "UNSIGNED-PAYLOAD"}
    request = AWSRequest(method="PUT", url=url, headers=headers)
    S3SigV4Auth(Credentials(key_id, secret), "s3", "us-east-1").add_auth(request)
    lines = [f"PUT /s3/disk/{name} HTTP/1.1", f"Host: 127.0.0.1:{port}", "X-Forwarded-Proto: https"]
    lines += [f"{k}: {v}" for k, v in request.headers.items() if k.lower() != "host"]
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return client


@pytest.mark.parametrize("signed", ["with the key", "with a wrong secret"])
def test_slow_uploads_to_the_s3_endpoint_leave_the_console_answering_others(tmp_path, signed):
    """A wrong secret is refused at once; its body is not read either (anyone can send one, then nothing)."""
    env, root = _env(tmp_path / "data"), tmp_path / "disk"
    env["WEB_CONCURRENCY"] = "1"  # one process (4 threads): which of two accepts a connection is left to chance
    root.mkdir()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=180)
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c", MAKE_FOLDER_AND_KEY.format(root=str(root))],
                          cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=180)
    key_id, secret = made.stdout.strip().splitlines()[-1].split()
    secret = secret if signed == "with the key" else "not-" + secret
    with gunicorn_serving(env) as port:
        uploaders = [_slow_uploader(port, key_id, secret, f"slow-{n}.bin") for n in range(16)]
        try:
            time.sleep(3)
            assert healthz_answers(port)
        finally:
            for uploader in uploaders:
                uploader.close()


def test_the_access_log_keeps_no_presigned_query(tmp_path):
    """A presigned URL's query is a credential for up to a week: gunicorn's access log keeps the path only."""
    env = _env(tmp_path / "data")
    env["GUNICORN_ACCESS_LOG"] = str(tmp_path / "access.log")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=180)
    with gunicorn_serving(env) as port:
        requests.get(f"http://127.0.0.1:{port}/s3/disk/a.txt?X-Amz-Credential=OSCEXAMPLE&X-Amz-Signature=f00d",
                     headers={"X-Forwarded-Proto": "https", "Referer": "https://x/?X-Amz-Signature=beef"}, timeout=10)
    logged = (tmp_path / "access.log").read_text()
    assert "/s3/disk/a.txt" in logged
    assert "X-Amz-Signature" not in logged and "f00d" not in logged and "beef" not in logged
