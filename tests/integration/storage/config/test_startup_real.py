"""The start-up load as a deploy runs it: a fresh process imports console.wsgi (or asgi), as
gunicorn and uvicorn do, with S3_CONFIG naming a file; what it logs is read from its stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.storage.config.test_startup import THREE

ROOT = Path(__file__).resolve().parents[4]
SECRET = "secret-value-from-a-kubernetes-secret"


def run(code: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def deploy(tmp_path):
    """A migrated, empty console in a temp DATA_DIR, configured like production, with an s3.yaml."""
    config = tmp_path / "s3.yaml"
    config.write_text(THREE)
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "console.settings", "DEBUG": "false",
           "DATA_DIR": str(tmp_path), "DJANGO_SECRET_KEY": "startup-test-secret-key-0123456789abcdefghijklmnop",
           "CONNECTION_SECRET_KEYS": "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMta2V5LTAxMjM=",
           "ALLOW_PRIVATE_ENDPOINTS": "true", "S3_CONFIG": str(config), "AWS_EC2_METADATA_DISABLED": "true",
           "PRIMARY_KEY_ID": "AKIDFROMSECRET", "PRIMARY_SECRET": SECRET}
    migrated = run(["manage.py", "migrate", "--noinput"], env)
    assert migrated.returncode == 0, migrated.stderr
    return env, config


def connections(env: dict) -> str:
    exported = run(["manage.py", "export_s3_config", "--include-secrets"], env)
    assert exported.returncode == 0, exported.stderr
    return exported.stdout


@pytest.mark.parametrize("module", ["console.wsgi", "console.asgi"])
def test_it_starts_with_two_of_three_connections_and_logs_the_third(deploy, module):
    env, config = deploy
    started = run(["-c", f"import {module}"], env)
    assert started.returncode == 0, started.stderr
    errors = [line for line in started.stderr.splitlines() if " ERROR " in line]
    assert len(errors) == 1, started.stderr
    assert errors[0].endswith(
        f"ERROR storage.startup: connection 'metadata' skipped: {config}:9: key 'endpoint' of connection "
        "'metadata': 169.254.169.254 is a link-local, metadata or unspecified address; "
        "the console never connects there.")
    assert "s3.yaml" in started.stderr and "2 loaded (2 created" in started.stderr
    assert SECRET not in started.stderr

    loaded = connections(env)
    assert "name: primary" in loaded and "name: backup" in loaded and "metadata" not in loaded
    assert f"secretAccessKey: {SECRET}" in loaded and "accessKeyID: AKIDFROMSECRET" in loaded


def test_a_broken_file_is_logged_and_the_console_starts_with_what_it_had(deploy):
    env, config = deploy
    assert run(["-c", "import console.wsgi"], env).returncode == 0
    config.write_text("connections: [\n  - name: a\n")
    started = run(["-c", "import console.wsgi"], env)
    assert started.returncode == 0, started.stderr
    assert f"{config}:2: not valid YAML" in started.stderr
    assert "nothing was loaded from it, the connections stay as they were" in started.stderr
    assert "name: primary" in connections(env)
