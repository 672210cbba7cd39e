"""The console the way a deploy runs it: migrate, create the first admin, then `make serve`.

Every command is the one README's Production section documents, and the environment holds only
what a deploy sets (nothing from the test run's own settings).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

from storage.dev.seaweedfs import free_port
from tests.deploy.processes import ServerFailed, spawn, stop_group, tail, wait_for_answer

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "admin"
PASSWORD = "smoke-" + "correct horse battery"
CONNECTION = "primary"


def deploy_env(data_dir: Path, *, database_url: str, s3_config: Path, hosts: list[str],
               origins: list[str]) -> dict[str, str]:
    """What the operator exports (README, Production): behind nginx on this host, with TLS there."""
    env = {k: v for k, v in os.environ.items()
           if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") or k.startswith("PYTHON")}
    env.update(
        DJANGO_SETTINGS_MODULE="console.settings", DATA_DIR=str(data_dir), DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="smoke-test-" + "k" * 50, CONNECTION_SECRET_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS=",".join(hosts), CSRF_TRUSTED_ORIGINS=",".join(origins), SECURE_PROXY_HEADER="true",
        TRUSTED_PROXIES="127.0.0.1/32", S3_CONFIG=str(s3_config), ALLOW_PRIVATE_ENDPOINTS="true",
        WEB_CONCURRENCY="2",
    )
    return env


def write_s3_yaml(path: Path, seaweedfs, bucket: str) -> Path:
    path.write_text(json.dumps({  # JSON is YAML
        "default": CONNECTION,
        "connections": [{"name": CONNECTION, "endpoint": seaweedfs.endpoint, "region": "us-east-1",
                         "accessKeyID": seaweedfs.access_key, "secretAccessKey": seaweedfs.secret_key,
                         "bucketName": bucket, "useSSL": False}],
    }))
    return path


@dataclass
class ConsoleServer:
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def manage(self, *args: str, **env: str) -> None:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**self.env, **env},
                              capture_output=True, text=True, timeout=180)
        if done.returncode != 0:
            raise ServerFailed(f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    def prepare(self) -> ConsoleServer:
        """Migrations are their own step; the first admin is made as README says."""
        self.manage("migrate", "--noinput")
        self.manage("createsuperuser", "--noinput", "--username", ADMIN, "--email", "admin@example.com",
                    DJANGO_SUPERUSER_PASSWORD=PASSWORD)
        return self

    def start(self) -> ConsoleServer:
        # -o: the virtualenv running these tests is the one to use (no reinstall mid-test).
        self.process = spawn(["make", "--no-print-directory", "-o", ".venv/.installed-stamp", "serve",
                              f"ADDR={self.address}"], log=self.log, cwd=ROOT, env=self.env)
        wait_for_answer(self.process, f"http://{self.address}/healthz", log=self.log, timeout=90)
        return self

    def log_tail(self) -> str:
        return tail(self.log)

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process, grace=25)
