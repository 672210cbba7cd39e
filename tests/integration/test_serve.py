"""`make serve` runs the production shape (issue #13 items 7 and 8).

gunicorn with two workers, DEBUG off, every setting from the environment, static files collected
and served by whitenoise with a year's cache, /healthz and /readyz answering; a SIGTERM to make
stops it all. The real command is run (make, collectstatic, gunicorn), against the session's SeaweedFS.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests
from cryptography.fernet import Fernet

from storage.dev.seaweedfs import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0
EXIT_TIMEOUT = 30.0
# What the TLS proxy in front sends (SECURE_PROXY_HEADER=true); probes come straight to 127.0.0.1.
HTTPS = {"Host": "console.example.com", "X-Forwarded-Proto": "https"}


def _env(data_dir: Path, s3_config: Path) -> dict[str, str]:
    """Only what a deploy sets: nothing from the test run's own settings."""
    env = {k: v for k, v in os.environ.items()
           if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") or k.startswith("PYTHON")}
    env.update(DATA_DIR=str(data_dir), DJANGO_SECRET_KEY="serve-test-" + "s" * 50,
               CONNECTION_SECRET_KEYS=Fernet.generate_key().decode(), ALLOWED_HOSTS="console.example.com",
               SECURE_PROXY_HEADER="true", ALLOW_PRIVATE_ENDPOINTS="true", S3_CONFIG=str(s3_config),
               WEB_CONCURRENCY="2", DJANGO_SETTINGS_MODULE="console.settings")
    return env


def _s3_yaml(path: Path, seaweedfs) -> Path:
    path.write_text(json.dumps({  # JSON is YAML
        "default": "primary",
        "connections": [{"name": "primary", "endpoint": seaweedfs.endpoint, "region": "us-east-1",
                         "accessKeyID": seaweedfs.access_key, "secretAccessKey": seaweedfs.secret_key,
                         "bucketName": seaweedfs.bucket, "useSSL": False}],
    }))
    return path


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def test_make_serve_runs_gunicorn_whitenoise_and_the_probes_then_stops_cleanly(seaweedfs, tmp_path):
    data_dir = tmp_path / "data"
    env = _env(data_dir, _s3_yaml(tmp_path / "s3.yaml", seaweedfs))
    # Migrations are their own step (README): before the first start, not at every start.
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=180)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        # -o: the virtualenv running these tests is the one to use (no reinstall mid-test).
        make = subprocess.Popen(["make", "--no-print-directory", "-o", ".venv/.installed-stamp", "serve",
                                 f"ADDR=127.0.0.1:{port}"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    seen: list[psutil.Process] = []
    try:
        started = time.monotonic()
        while True:
            assert make.poll() is None, f"make serve exited with {make.returncode}:\n" + _tail(log_path)
            assert time.monotonic() - started < START_TIMEOUT, "no answer on /healthz:\n" + _tail(log_path)
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            time.sleep(0.3)

        # gunicorn: one master under make, two workers under it.
        seen = psutil.Process(make.pid).children(recursive=True)
        masters = [p for p in seen if p.ppid() == make.pid]
        assert len(masters) == 1 and "gunicorn" in " ".join(masters[0].cmdline()), [p.cmdline() for p in seen]
        assert len(masters[0].children()) == 2

        health = requests.get(f"{base}/healthz", timeout=5)
        assert health.json() == {"status": "ok"}
        ready = requests.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
        body = ready.json()
        assert body["status"] == "ok" and {k: v["status"] for k, v in body["checks"].items()} == {
            "database": "ok", "migrations": "ok", "storage": "ok"}, body

        # DEBUG off: pages go to HTTPS, and an unknown URL gets the plain 404, not Django's debug page.
        assert requests.get(f"{base}/accounts/login/", headers={"Host": "console.example.com"}, timeout=5,
                            allow_redirects=False).status_code == 301
        assert requests.get(f"{base}/accounts/login/", headers={**HTTPS, "Host": "127.0.0.1"}, timeout=5).status_code == 400
        missing = requests.get(f"{base}/no-such-page/", headers=HTTPS, timeout=5)
        assert missing.status_code == 404 and "URLconf" not in missing.text

        # Static files: collected with hashed names, compressed, cached for a year by whitenoise.
        page = requests.get(f"{base}/accounts/login/", headers=HTTPS, timeout=5)
        assert page.status_code == 200, page.text[:500]
        css = re.search(r'href="(/static/css/console\.[0-9a-f]{12}\.css)"', page.text)
        assert css, "the page does not name the hashed stylesheet"
        static = requests.get(base + css[1], headers={**HTTPS, "Accept-Encoding": "gzip"}, timeout=5)
        assert static.status_code == 200 and static.headers["Content-Type"].startswith("text/css")
        assert "immutable" in static.headers["Cache-Control"] and "max-age=315360000" in static.headers["Cache-Control"]
        assert static.headers.get("Content-Encoding") == "gzip"
        assert (data_dir / "staticfiles" / "staticfiles.json").exists()
        manifest = json.loads((data_dir / "staticfiles" / "staticfiles.json").read_text())["paths"]
        vendor = requests.head(f"{base}/static/{manifest['vendor/uppy.js']}", headers=HTTPS, timeout=5)
        assert vendor.status_code == 200 and "immutable" in vendor.headers["Cache-Control"]
        # The zip download's service worker computes CRC-32s in WebAssembly (scripts/crc32.wat), which a worker may
        # compile only if its own script comes without a CSP; the pages keep theirs, which refuses WebAssembly.
        worker = requests.head(f"{base}/static/{manifest['js/zip_worker.js']}", headers=HTTPS, timeout=5)
        assert worker.status_code == 200 and "Content-Security-Policy" not in worker.headers
        assert "wasm-unsafe-eval" not in page.headers["Content-Security-Policy"]

        # SIGTERM to make (what a supervisor sends) reaches gunicorn, which stops its workers.
        make.send_signal(signal.SIGTERM)
        make.wait(timeout=EXIT_TIMEOUT)
        deadline = time.monotonic() + EXIT_TIMEOUT
        while any(_running(p) for p in seen) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [p.pid for p in seen if _running(p)]
        assert not left, f"still running after SIGTERM: {left}\n" + _tail(log_path)
        assert "Shutting down: Master" in log_path.read_text(errors="replace"), _tail(log_path)
    finally:
        for process in seen:
            with contextlib.suppress(psutil.Error):
                process.kill()
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
        make.wait(timeout=10)
