"""Commercial edition vs direct S3: upload and download of one large file, several repetitions.

    .venv/bin/python benchmarks/commercial_vs_direct.py [--size-mib 256] [--repeat 3]

Starts its own SeaweedFS and a console under gunicorn (own DATA_DIR and SQLite, in a
temporary directory) serving the OSS Gateway Manager API, then times, on the same
SeaweedFS:

- direct:     S3Gateway (boto3's transfer manager) → S3
- commercial: OssGatewayClient → console API (signing only) → S3

and prints median/min/max per operation and the throughput ratio commercial/direct
(goal: at least 0.9). The order of the two alternates between repetitions.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MiB = 1024 * 1024
BUCKET = "bench"


def console_env(data_dir: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(DATA_DIR=str(data_dir), DEBUG="false", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
               CONNECTION_SECRET_KEYS=Fernet.generate_key().decode(), ALLOWED_HOSTS="127.0.0.1",
               ALLOW_PRIVATE_ENDPOINTS="true", DJANGO_SETTINGS_MODULE="console.settings", LOG_LEVEL="WARNING",
               SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false",  # plain HTTP on loopback
               GUNICORN_ACCESS_LOG="")
    for name in ("EDITION", "STORAGE_BACKEND", "OSSGATEWAY_URL", "OSSGATEWAY_TOKEN", "S3_CONFIG", "DATABASE_URL"):
        env.pop(name, None)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip()


def start_console(env: dict[str, str], s3) -> tuple[subprocess.Popen, str, str]:
    """Migrate, add the connection, issue a token, serve with gunicorn; returns (process, url, token)."""
    from files_support import gunicorn_command

    from storage.dev.seaweedfs import free_port

    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", (
        "from storage.models import Connection; Connection.objects.create("
        f"name='primary', endpoint='{s3.endpoint}', access_key_id='{s3.access_key}', "
        f"secret_access_key='{s3.secret_key}', bucket='{BUCKET}', use_ssl=False, is_default=True)"))
    token = manage(env, "create_service_token", "benchmark")
    port = free_port()
    process = subprocess.Popen(gunicorn_command(port, workers=2, threads=8), cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/api/ossgateway/v1/openapi.json", process)
    except BaseException:
        process.terminate()
        process.wait(timeout=10)
        raise
    return process, url, token


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            if requests.get(url, timeout=1, allow_redirects=False).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the console did not answer on {url}")


def make_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        for _ in range(size // MiB):
            block = os.urandom(MiB)
            digest.update(block)
            f.write(block)
    return digest.hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            digest.update(block)
    return digest.hexdigest()


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run_once(name: str, gateway, source: Path, target: Path, size: int, expected: str,
             oss_id: str = "primary") -> dict[str, float]:
    key = f"bench/{name}-{secrets.token_hex(4)}.bin"
    with open(source, "rb") as f:
        upload = timed(lambda: gateway.upload_file(oss_id, key, f, size))
    download = timed(lambda: gateway.download_file_to_local(oss_id, key, target))
    if sha256(target) != expected:
        raise SystemExit(f"{name}: the downloaded bytes differ from the uploaded ones")
    target.unlink()
    gateway.delete_file(oss_id, key)
    return {"upload": upload, "download": download}


def report(results: dict[str, dict[str, list[float]]], size: int) -> None:
    mib = size / MiB
    print(f"\n{'operation':<10} {'path':<11} {'median s':>9} {'min s':>7} {'max s':>7} {'MiB/s':>8}")
    for op in ("upload", "download"):
        for name in ("direct", "commercial"):
            times = results[name][op]
            median = statistics.median(times)
            print(f"{op:<10} {name:<11} {median:9.2f} {min(times):7.2f} {max(times):7.2f} {mib / median:8.1f}")
        ratio = statistics.median(results["direct"][op]) / statistics.median(results["commercial"][op])
        best = min(results["direct"][op]) / min(results["commercial"][op])
        print(f"{op:<10} ratio commercial/direct throughput: {ratio:.2f} of medians, {best:.2f} of best runs"
              "  (goal >= 0.90)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=None, help="OssGatewayClient's parallel parts/ranges")
    args = parser.parse_args()
    size = args.size_mib * MiB

    with tempfile.TemporaryDirectory(prefix="oss-bench-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ.update(console_env(tmp / "client"))
        import django

        django.setup()
        from storage.connections import ConnectionSpec, StaticRegistry
        from storage.dev.bootstrap import ensure_bucket
        from storage.dev.seaweedfs import SeaweedFS
        from storage.ossgateway.client import OssGatewayClient
        from storage.s3.gateway import S3Gateway

        s3 = SeaweedFS(tmp / "seaweedfs", access_key="bench", secret_key=secrets.token_urlsafe(24)).start()
        console = None
        try:
            spec = ConnectionSpec(name="primary", bucket=BUCKET, endpoint=s3.endpoint, access_key_id=s3.access_key,
                                  secret_access_key=s3.secret_key, use_ssl=False, is_default=True)
            ensure_bucket(spec)
            console, url, token = start_console(console_env(tmp / "manager"), s3)
            gateways = {"direct": S3Gateway(StaticRegistry([spec])), "commercial": OssGatewayClient(url, token=token, **(
                {"concurrency": args.concurrency} if args.concurrency else {}))}
            source = tmp / "source.bin"
            expected = make_file(source, size)
            print(f"{args.size_mib} MiB, {args.repeat} repetitions; SeaweedFS {s3.endpoint}; console {url} (gunicorn)")
            results = {name: {"upload": [], "download": []} for name in gateways}
            for rep in range(args.repeat):
                order = list(gateways) if rep % 2 == 0 else list(reversed(gateways))
                for name in order:
                    times = run_once(name, gateways[name], source, tmp / "target.bin", size, expected)
                    for op, seconds in times.items():
                        results[name][op].append(seconds)
                    print(f"  rep {rep + 1} {name:<11} upload {times['upload']:.2f}s  download {times['download']:.2f}s")
            report(results, size)
        finally:
            if console is not None:
                console.terminate()
                console.wait(timeout=10)
            s3.stop()


if __name__ == "__main__":
    main()
