"""Do gunicorn's threads suffice for the S3 endpoint? Small requests' latency while large transfers hold threads.

    FREE_PORTS=15600-15999 .venv/bin/python benchmarks/serving_threads.py [--workers 2] [--threads 4]

Serves the probes of tests/integration/serving (the console's settings, gthread as console/gunicorn_conf.py), then,
for 0, 4 and 8 slow downloads in progress (clients reading 1 GiB answers at 8 MiB/s, as a distant S3 tool does),
sends 16 small requests at once and prints their median and slowest latency (and how many waited past 20 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MiB = 1024 * 1024
STALLED = 20.0  # seconds: a small request still waiting then is counted as stalled


def slow_download(url: str, stop: threading.Event) -> None:
    try:
        with requests.get(url + "/probe/big?mib=1024", stream=True, timeout=(5, STALLED)) as answer:
            for _chunk in answer.iter_content(MiB):
                if stop.is_set():
                    return
                time.sleep(1 / 8)
    except requests.RequestException:
        pass  # a transfer that never got a thread


def small(url: str) -> float:
    started = time.perf_counter()
    try:
        requests.get(url + "/probe/small", timeout=(5, STALLED)).raise_for_status()
    except requests.Timeout:
        return float("inf")
    return time.perf_counter() - started


def measure(url: str, transfers: int) -> tuple[float, float]:
    stop = threading.Event()
    downloads = [threading.Thread(target=slow_download, args=(url, stop)) for _ in range(transfers)]
    for thread in downloads:
        thread.start()
    time.sleep(1.0)  # the transfers hold their threads now
    with ThreadPoolExecutor(16) as pool:
        latencies = list(pool.map(lambda _: small(url), range(16)))
    stop.set()
    for thread in downloads:
        thread.join()
    return statistics.median(latencies), max(latencies), sum(t == float("inf") for t in latencies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    from storage.dev.seaweedfs import free_port

    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.integration.serving.probe_settings", "DEBUG": "true",
               "DATA_DIR": data, "GUNICORN_ACCESS_LOG": "", "ALLOWED_HOSTS": "127.0.0.1"}
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        port = free_port()
        process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config",
                                    "python:console.gunicorn_conf", "--bind", f"127.0.0.1:{port}", "--workers",
                                    str(args.workers), "--threads", str(args.threads), "--log-level", "warning"],
                                   cwd=ROOT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    requests.get(url + "/probe/small", timeout=1)
                    break
                except requests.RequestException:
                    time.sleep(0.2)
            measure(url, 0)  # every thread's first request (imports, a database connection) is not what is measured
            print(f"{args.workers} workers x {args.threads} threads")
            for transfers in (0, 4, 8):
                median, slowest, stalled = measure(url, transfers)
                print(f"{transfers} slow transfers: 16 small requests, median {median * 1000:.0f} ms, "
                      f"slowest {slowest * 1000:.0f} ms, {stalled} stalled past {STALLED:.0f} s")
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
