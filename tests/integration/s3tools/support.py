"""Consoles serving /s3/ under gunicorn, keys issued in their databases, and the real S3 tools pointed at them.

Each console is a real gunicorn (console/gunicorn_conf.py) with a DATA_DIR and SQLite of its own, served twice
over the same database: over HTTPS (a throwaway CA's certificate), where boto3 and the aws CLI send their default
`STREAMING-UNSIGNED-PAYLOAD-TRAILER` bodies with CRC32 trailers, and over plain HTTP, where they sign each
payload. The tools run unchanged, at their defaults, with a HOME and configuration of their own.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from cryptography.fernet import Fernet

from storage.dev.seaweedfs import free_port
from tests.deploy.processes import ServerFailed, spawn, stop_group, tail
from tests.deploy.tls import ServerCertificate, make_server_certificate

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent
AWS = str(VENV_BIN / "aws")
RCLONE = str(VENV_BIN / "rclone")
BUCKET = "primary"  # the connection's name: the bucket the tools see
SCOPED_PREFIX = "tools-scoped/"  # the folder the prefix-limited key is held to
MiB = 1024 * 1024
TOOL_TIMEOUT = 180


@dataclass(frozen=True)
class Key:
    access_key_id: str
    secret: str


def base_env(data_dir: Path, secrets_env: dict[str, str]) -> dict[str, str]:
    """What a deploy sets, and nothing from the test run's own settings (no AWS_*, no EDITION)."""
    env = {k: v for k, v in os.environ.items()
           if k in ("PATH", "LANG", "LC_ALL", "TMPDIR", "FREE_PORTS") or k.startswith("PYTHON")}
    env.update(secrets_env, DJANGO_SETTINGS_MODULE="console.settings", DATA_DIR=str(data_dir), DEBUG="false",
               HOME=str(data_dir), ALLOWED_HOSTS="127.0.0.1,localhost", ALLOW_PRIVATE_ENDPOINTS="true",
               SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false", SECURE_HSTS_SECONDS="0",
               LOG_LEVEL="WARNING", GUNICORN_ACCESS_LOG="", S3_CONFIG=str(data_dir / "no-s3.yaml"))
    return env


def new_secrets() -> dict[str, str]:
    return {"DJANGO_SECRET_KEY": "s3tools-" + secrets.token_urlsafe(50),
            "CONNECTION_SECRET_KEYS": Fernet.generate_key().decode()}


def write_s3_yaml(path: Path, seaweedfs) -> Path:
    path.write_text(json.dumps({  # JSON is YAML
        "default": BUCKET,
        "connections": [{"name": BUCKET, "endpoint": seaweedfs.endpoint, "region": "us-east-1",
                         "accessKeyID": seaweedfs.access_key, "secretAccessKey": seaweedfs.secret_key,
                         "bucketName": seaweedfs.bucket, "useSSL": False}],
    }))
    return path


def manage(env: dict[str, str], *args: str, extra: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**env, **(extra or {})},
                          capture_output=True, text=True, timeout=240)
    if done.returncode != 0:
        raise ServerFailed(f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def migrated_database(directory: Path, secrets_env: dict[str, str]) -> Path:
    """One migrated SQLite file, copied into each console's DATA_DIR (migrating takes a while here)."""
    directory.mkdir(parents=True, exist_ok=True)
    manage(base_env(directory, secrets_env), "migrate", "--noinput")
    return directory / "console.sqlite3"


ISSUE_KEYS = """
import json, os
from django.contrib.auth.models import Group, User
from console.s3api.keys import issue_key
from storage.models import Connection
person, _ = User.objects.get_or_create(username="tools-admin", defaults={"email": "tools@example.com"})
person.groups.add(Group.objects.get_or_create(name="admin")[0])
issued = {}
for name, prefix in json.loads(os.environ["TOOLS_KEYS"]).items():
    connections = [Connection.objects.get(name=os.environ["TOOLS_BUCKET"])] if prefix else None
    key = issue_key("s3 tools: " + name, owner=person, connections=connections, prefix=prefix, created_by=person)
    issued[name] = [key.access_key_id, key.secret]
print(json.dumps(issued))
"""


@dataclass
class Console:
    """One console's database and the gunicorn servers over it."""

    name: str
    data_dir: Path
    env: dict[str, str]
    servers: list[subprocess.Popen] = field(default_factory=list)

    @classmethod
    def make(cls, name: str, root: Path, template_db: Path, secrets_env: dict[str, str], **env: str) -> Console:
        data_dir = root / name
        (data_dir / "staticfiles").mkdir(parents=True)  # nothing collected: /s3/ serves no static file
        shutil.copyfile(template_db, data_dir / "console.sqlite3")
        return cls(name, data_dir, {**base_env(data_dir, secrets_env), **env})

    @property
    def log(self) -> Path:
        return self.data_dir / "gunicorn.log"

    def manage(self, *args: str, **extra: str) -> str:
        return manage(self.env, *args, extra=extra)

    def issue_keys(self, prefixes: dict[str, str]) -> dict[str, Key]:
        """Keys issued as the profile page does (console.s3api.keys.issue_key), to an admin: one per name,
        limited to the folder given for it on the connection (every connection, every key, for "")."""
        out = self.manage("shell", "-c", ISSUE_KEYS, TOOLS_KEYS=json.dumps(prefixes), TOOLS_BUCKET=BUCKET)
        return {name: Key(*pair) for name, pair in json.loads(out.splitlines()[-1]).items()}

    def serve(self, cert: ServerCertificate | None = None, *, workers: int = 2) -> str:
        """gunicorn as `make serve` runs it; over TLS when given a certificate. Returns the base URL."""
        port = free_port()
        command = [str(VENV_BIN / "gunicorn"), "--config", "python:console.gunicorn_conf",
                   "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]
        if cert is not None:
            command += ["--certfile", str(cert.chain), "--keyfile", str(cert.key)]
        process = spawn(command, log=self.log, cwd=ROOT, env=self.env)
        self.servers.append(process)
        base = f"{'https' if cert else 'http'}://127.0.0.1:{port}"
        wait_until_healthy(process, base, ca=cert.ca if cert else None, log=self.log)
        return base

    def stop(self) -> None:
        for process in self.servers:
            stop_group(process, grace=10)

    def log_tail(self) -> str:
        return tail(self.log, 60)


def wait_until_healthy(process: subprocess.Popen, base: str, *, ca: Path | None, log: Path,
                       timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ServerFailed(f"gunicorn exited with {process.returncode}:\n{tail(log)}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(base + "/healthz", timeout=2, verify=str(ca) if ca else True).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise ServerFailed(f"{base}/healthz does not answer after {timeout:.0f} s:\n{tail(log)}")
        time.sleep(0.2)


def certificate(directory: Path) -> ServerCertificate:
    directory.mkdir(parents=True, exist_ok=True)
    return make_server_certificate(directory, ["localhost"])


@dataclass
class Endpoint:
    """The /s3/ endpoint of one console, as the tools reach it."""

    edition: str  # "community" or "commercial"
    https: str  # https://127.0.0.1:PORT/s3
    http: str  # http://127.0.0.1:PORT/s3, the same database
    ca: Path
    key: Key  # every connection, every key
    scoped: Key  # only the keys under SCOPED_PREFIX
    console: Console
    home: Path  # the tools' HOME: no configuration of the machine's leaks in
    bucket: str = BUCKET

    def url(self, scheme: str = "https") -> str:
        return self.https if scheme == "https" else self.http

    # --- aws CLI ---

    def aws_env(self, key: Key | None = None) -> dict[str, str]:
        key = key or self.key
        return {"PATH": os.environ["PATH"], "HOME": str(self.home), "LANG": "C.UTF-8",
                "AWS_ACCESS_KEY_ID": key.access_key_id, "AWS_SECRET_ACCESS_KEY": key.secret,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_CA_BUNDLE": str(self.ca),
                "AWS_CONFIG_FILE": str(self.home / "aws-config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(self.home / "aws-credentials"),
                "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": ""}

    def aws(self, *args: str, key: Key | None = None, scheme: str = "https", check: bool = True,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
        done = subprocess.run([AWS, "--endpoint-url", self.url(scheme), *args], env=self.aws_env(key),
                              capture_output=True, text=True, timeout=TOOL_TIMEOUT, cwd=cwd)
        if check and done.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}\n"
                                 f"--- console log ---\n{self.console.log_tail()}")
        return done

    def aws_json(self, *args: str, **kwargs) -> dict:
        out = self.aws(*args, "--output", "json", **kwargs).stdout
        return json.loads(out) if out.strip() else {}

    # --- rclone ---

    REMOTE = "console"

    def rclone_env(self, key: Key | None = None, scheme: str = "https") -> dict[str, str]:
        key = key or self.key
        prefix = f"RCLONE_CONFIG_{self.REMOTE.upper()}_"
        return {"PATH": os.environ["PATH"], "HOME": str(self.home), "LANG": "C.UTF-8",
                "RCLONE_CONFIG": str(self.home / "rclone.conf"),
                prefix + "TYPE": "s3", prefix + "PROVIDER": "Other", prefix + "ENDPOINT": self.url(scheme),
                prefix + "ACCESS_KEY_ID": key.access_key_id, prefix + "SECRET_ACCESS_KEY": key.secret,
                prefix + "REGION": "us-east-1", prefix + "FORCE_PATH_STYLE": "true"}

    def remote(self, path: str = "") -> str:
        return f"{self.REMOTE}:{self.bucket}/{path}"

    def rclone(self, *args: str, key: Key | None = None, scheme: str = "https",
               check: bool = True) -> subprocess.CompletedProcess:
        tls = ["--ca-cert", str(self.ca)] if scheme == "https" else []
        done = subprocess.run([RCLONE, *tls, *args], env=self.rclone_env(key, scheme), capture_output=True,
                              text=True, timeout=TOOL_TIMEOUT)
        if check and done.returncode != 0:
            raise AssertionError(f"rclone {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}\n"
                                 f"--- console log ---\n{self.console.log_tail()}")
        return done

    # --- boto3 (in the test process) ---

    def boto3(self, key: Key | None = None, scheme: str = "https", **config):
        import boto3
        from botocore.config import Config

        key = key or self.key
        session = boto3.session.Session(aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret,
                                        region_name="us-east-1")
        return session.client("s3", endpoint_url=self.url(scheme), verify=str(self.ca),
                              config=Config(**config) if config else None)


# --- bytes on disk ---

def random_file(path: Path, size: int) -> Path:
    """`size` random bytes, written a MiB at a time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        left = size
        while left:
            chunk = os.urandom(min(left, MiB))
            out.write(chunk)
            left -= len(chunk)
    return path


def digests(path: Path) -> tuple[str, str]:
    """(md5, sha256) of every byte of the file."""
    md5, sha256 = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(MiB):
            md5.update(chunk)
            sha256.update(chunk)
    return md5.hexdigest(), sha256.hexdigest()


def tree_digests(root: Path) -> dict[str, tuple[str, str]]:
    return {p.relative_to(root).as_posix(): digests(p) for p in sorted(root.rglob("*")) if p.is_file()}
