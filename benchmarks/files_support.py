"""What the file-manager benchmarks share: a SeaweedFS, a console database, a console server, a client.

Run from the project root with the project's virtualenv, e.g. `.venv/bin/python benchmarks/files_upload.py`.
Everything lives under DATA (default .data/bench-files, gitignored) so reruns reuse the objects made.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MiB = 1024 * 1024
GiB = 1024 * MiB
USER, PASSWORD = "bench-editor", "bench-password-" + "x" * 8
CONNECTION = "bench"


def console_env(data: Path) -> dict[str, str]:
    """Production-like settings (DEBUG off) with a database of the benchmark's own."""
    from cryptography.fernet import Fernet

    keys = data / "keys"
    if not keys.exists():
        data.mkdir(parents=True, exist_ok=True)
        keys.write_text(f"{secrets.token_urlsafe(50)}\n{Fernet.generate_key().decode()}\n")
    secret, fernet = keys.read_text().split()
    return {"DJANGO_SETTINGS_MODULE": "console.settings", "DATA_DIR": str(data), "DEBUG": "false",
            "DJANGO_SECRET_KEY": secret, "CONNECTION_SECRET_KEYS": fernet, "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "false", "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
            "ALLOW_PRIVATE_ENDPOINTS": "true", "LOG_LEVEL": "WARNING", "GUNICORN_ACCESS_LOG": "",
            "ALLOW_LOCAL_FOLDERS": "true"}  # L1


def setup_django(data: Path) -> None:
    os.environ.update(console_env(data))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def start_seaweedfs(data: Path, *, ports: range | None = None, access_key: str = "bench",
                    secret_key: str = "bench-secret-0123456789"):
    from storage.dev.seaweedfs import SeaweedFS

    server = SeaweedFS(data / "seaweedfs", access_key=access_key, secret_key=secret_key, ports=ports)
    server.start()
    return server


def prepare(seaweed, bucket: str):
    """The connection record, its bucket, and an editor (idempotent)."""
    from django.contrib.auth.models import Group, User

    spec = add_connection(seaweed, CONNECTION, bucket, is_default=True)
    user, _ = User.objects.get_or_create(username=USER)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="editor"))
    return spec


def add_connection(seaweed, name: str, bucket: str, *, is_default: bool = False):
    """A connection record named `name` for a bucket of `seaweed` (made if missing); its ConnectionSpec."""
    from storage.connections import ConnectionSpec
    from storage.dev.bootstrap import ensure_bucket
    from storage.models import Connection

    spec = ConnectionSpec(name=name, bucket=bucket, endpoint=seaweed.endpoint, access_key_id=seaweed.access_key,
                          secret_access_key=seaweed.secret_key, use_ssl=False, is_default=is_default)
    ensure_bucket(spec)
    Connection.objects.update_or_create(name=name, defaults=dict(
        endpoint=seaweed.endpoint, access_key_id=seaweed.access_key, secret_access_key=seaweed.secret_key,
        bucket=bucket, use_ssl=False, enabled=True, is_default=is_default))
    return spec


GUNICORN = {"workers": 2, "threads": 16}  # console/gunicorn_conf.py's defaults (4 threads before #20)


def gunicorn_command(port: int, *, workers: int = GUNICORN["workers"], threads: int = GUNICORN["threads"]) -> list[str]:
    """`make serve`'s server (console/gunicorn_conf.py: gthread, as in production) on a port of the benchmark's own."""
    return [str(Path(sys.executable).parent / "gunicorn"), "--config", "python:console.gunicorn_conf",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
            "--log-level", "warning"]


def start_console(data: Path, port: int) -> subprocess.Popen:
    """gunicorn serving the console, as in production (gthread: 2 workers x 16 threads; static files collected)."""
    env = {**os.environ, **console_env(data)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    process = subprocess.Popen(gunicorn_command(port), cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return process
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the console did not start")


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL if it is still there after `timeout` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def signed_in_session(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/")
    answer = session.post(f"{base}/accounts/login/", data={
        "username": USER, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    answer.raise_for_status()
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def random_file(path: Path, size: int) -> Path:
    if not path.exists() or path.stat().st_size != size:
        block = os.urandom(8 * MiB)
        with open(path, "wb") as f:
            for _ in range(size // len(block)):
                f.write(block)
            f.write(block[: size % len(block)])
    return path
