"""Found by the s29 attack pass: a local folder's signed URLs must not take every one of the console's request threads.

Bytes of a local folder pass through the console (storage.api.local_views), each transfer on one gunicorn thread
for as long as the client takes. The production shape (console/gunicorn_conf.py: 2 workers x 4 threads) has
8 threads, so 8 clients that read a download slowly (a share link's visitors, anyone holding a signed URL)
leave none for anyone else: even the liveness probe stops answering (and Kubernetes restarts the pod). With
no limit on transfers this failed 3 runs of 3 here; gunicorn_conf now leaves each worker a thread for pages.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.fernet import Fernet

from storage.dev.seaweedfs import free_port

ROOT = Path(__file__).resolve().parents[2]
MAKE_FILE_AND_URL = """
from storage.models import Connection
from storage.factory import get_gateway
Connection.objects.create(name="disk", kind="local", local_root={root!r}, is_default=True)
get_gateway().simple_upload("disk", "big.bin", b"\\0" * (64 * 1024 * 1024))
print(get_gateway().get_download_url("disk", "big.bin", 600))
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR") or k.startswith("PYTHON")}
    env.update(DATA_DIR=str(data_dir), DJANGO_SECRET_KEY="workers-test-" + "s" * 50, ALLOWED_HOSTS="127.0.0.1",
               CONNECTION_SECRET_KEYS=Fernet.generate_key().decode(), ALLOW_LOCAL_FOLDERS="true",
               DJANGO_SETTINGS_MODULE="console.settings", GUNICORN_ACCESS_LOG="", SECURE_PROXY_HEADER="true",
               GUNICORN_THREADS="4")  # few threads, so that a few slow clients would take them all
    return env


def _slow_reader(port: int, path: str) -> socket.socket:
    """A client that asks for the file and then reads nothing (as a slow link would)."""
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting: a small window
    client.connect(("127.0.0.1", port))
    client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n".encode())
    return client


@contextlib.contextmanager
def gunicorn_serving(env: dict[str, str]):
    """The console under gunicorn (console/gunicorn_conf.py) with `env`, once /healthz answers: its port."""
    port = free_port()
    gunicorn = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config",
                                 "python:console.gunicorn_conf", "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:  # not up yet, or slow to answer on a loaded machine
                time.sleep(0.5)
        yield port
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def healthz_answers(port: int) -> bool:
    answer = requests.get(f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    return answer.status_code == 200


def test_slow_downloads_from_a_local_folder_leave_the_console_answering_others(tmp_path):
    env, root = _env(tmp_path / "data"), tmp_path / "disk"
    root.mkdir()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=180)
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c", MAKE_FILE_AND_URL.format(root=str(root))],
                          cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=180)
    url = urlsplit(made.stdout.strip().splitlines()[-1])
    with gunicorn_serving(env) as port:
        readers = [_slow_reader(port, f"{url.path}?{url.query}") for _ in range(8)]
        try:
            time.sleep(3)
            assert healthz_answers(port)
        finally:
            for reader in readers:
                reader.close()
