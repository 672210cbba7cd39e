"""Load: many files uploaded at once through the console's signing flow, then every one checked.

    make bench-load
    .venv/bin/python benchmarks/load_upload.py [--files 1000] [--clients 32] [--max-mib 20] [--seed 7]

Starts its own SeaweedFS and console (gunicorn), signs in `--clients` separate sessions and
uploads `--files` files of random sizes (seeded; log-uniform from 1 KiB to --max-mib MiB) exactly
as the upload widget does: small files with params + PUT + uploaded, files above 16 MiB with
multipart create (first parts signed with it) + batch signing + part PUTs + complete. The bytes
are made from the seed, never stored locally. Then every object is downloaded and its SHA-256
compared. Prints a summary block (for RELIABILITY.md). Traffic goes to 127.0.0.1 only; the run is
bounded by --files and by --deadline seconds. Exits 1 when a file is missing or differs, or
when the console answered 5xx.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import shutil
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import quote

import requests
from files_support import CONNECTION, ROOT, MiB, prepare, setup_django, signed_in_session, start_seaweedfs

KiB = 1024
MULTIPART_ABOVE = 16 * MiB  # static/js/uploader.js
PART_SIZE = 16 * MiB
SIGN_AHEAD = 64
BUCKET = "bench-load"


def sizes(count: int, seed: int, max_mib: int) -> list[int]:
    rng = random.Random(seed)
    low, high = math.log(KiB), math.log(max_mib * MiB)
    return [int(math.exp(rng.uniform(low, high))) for _ in range(count)]


def content(seed: int, index: int, size: int) -> bytes:
    return random.Random(f"{seed}-{index}").randbytes(size)


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {"sign": [], "record": []}  # seconds per console request
        self.server_errors: list[str] = []
        self.failures: list[str] = []
        self.retries: list[str] = []

    def console(self, session: requests.Session, url: str, body: dict, kind: str = "sign") -> dict:
        """A POST to the console, retried once when the connection drops before an answer (as browsers do
        for a reused keep-alive connection the server closed: gunicorn closes idle ones after 2 s)."""
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                answer = session.post(url, json=body, timeout=60)
                break
            except requests.ConnectionError as e:
                if attempt == 2:
                    raise
                with self.lock:
                    self.retries.append(f"console {url.rsplit('/s3/', 1)[-1][:40]}: {type(e).__name__}")
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latency[kind].append(elapsed)
            if answer.status_code >= 500:
                self.server_errors.append(f"{answer.status_code} {url}")
        answer.raise_for_status()
        return answer.json()

    def put(self, url: str, data: bytes, headers: dict) -> requests.Response:
        """A PUT to S3 (idempotent), retried once when the connection drops."""
        for attempt in (1, 2):
            try:
                answer = requests.put(url, data=data, headers=headers, timeout=120)
                answer.raise_for_status()
                return answer
            except requests.ConnectionError as e:
                if attempt == 2:
                    raise
                with self.lock:
                    self.retries.append(f"S3 PUT: {type(e).__name__}")
        raise AssertionError("unreachable")


def upload(stats: Stats, session: requests.Session, base: str, key: str, data: bytes) -> None:
    files = f"{base}/files/{CONNECTION}/s3"
    size = len(data)
    if size <= MULTIPART_ABOVE:
        signed = stats.console(session, f"{files}/params", {"prefix": "load/", "relativePath": key, "size": size,
                                                            "type": "application/octet-stream"})
        stats.put(signed["url"], data, signed["headers"])
        stats.console(session, f"{files}/uploaded", {"key": signed["key"]}, "record")
        return
    count = -(-size // PART_SIZE)
    created = stats.console(session, f"{files}/multipart", {
        "prefix": "load/", "relativePath": key, "size": size, "type": "application/octet-stream",
        "signParts": min(count, SIGN_AHEAD)})
    upload_id, full_key = created["uploadId"], created["key"]
    q = f"?key={quote(full_key, safe='')}"
    signed = {int(n): v for n, v in created.get("presignedUrls", {}).items()}
    parts = []
    for number in range(1, count + 1):
        if number not in signed:
            wanted = list(range(number, min(number + SIGN_AHEAD, count + 1)))
            answer = stats.console(session, f"{files}/multipart/{upload_id}/batch{q}", {"parts": wanted})
            signed.update({int(n): v for n, v in answer["presignedUrls"].items()})
        part = signed.pop(number)
        body = data[(number - 1) * PART_SIZE: number * PART_SIZE]
        put = stats.put(part["url"], body, part["headers"])
        parts.append({"PartNumber": number, "ETag": put.headers["ETag"]})
    stats.console(session, f"{files}/multipart/{upload_id}/complete{q}", {"parts": parts}, "record")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--max-mib", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--deadline", type=int, default=1800, help="seconds; files not started by then are skipped")
    parser.add_argument("--data", default=str(ROOT / ".data" / "bench-load"))
    args = parser.parse_args()
    if not 1 <= args.files <= 10_000 or not 1 <= args.clients <= 256 or not 1 <= args.max_mib <= 256:
        raise SystemExit("bounds: 1-10,000 files, 1-256 clients, 1-256 MiB")
    command = "python benchmarks/load_upload.py " + " ".join(sys.argv[1:])
    data = Path(args.data)
    shutil.rmtree(data / "seaweedfs", ignore_errors=True)  # the last run's 2 GiB of objects serve no purpose
    setup_django(data)
    seaweed = start_seaweedfs(data)
    console = None
    from bench import GUNICORN, start_console

    try:
        spec = prepare(seaweed, BUCKET)
        from storage.dev.seaweedfs import free_port
        from storage.s3.client import build_client

        port = free_port()
        console = start_console(data, port)
        base = f"http://127.0.0.1:{port}"
        with ThreadPoolExecutor(8) as pool:  # 32 sign-ins (each a password hash)
            sessions = list(pool.map(lambda _: signed_in_session(base), range(args.clients)))
        run = uuid.uuid4().hex[:8]
        plan = sizes(args.files, args.seed, args.max_mib)
        keys = [f"{run}/file-{i:05d}.bin" for i in range(args.files)]
        expected = {}
        stats = Stats()
        deadline = time.monotonic() + args.deadline
        free = list(sessions)
        lock = threading.Lock()

        def one(i: int) -> None:
            if time.monotonic() > deadline:
                raise TimeoutError("deadline passed before the file started")
            with lock:
                session = free.pop()
            try:
                payload = content(args.seed, i, plan[i])
                expected[i] = hashlib.sha256(payload).hexdigest()
                upload(stats, session, base, keys[i], payload)
            finally:
                with lock:
                    free.append(session)

        print(f"load: {args.files} files, {sum(plan) / MiB:.0f} MiB, {args.clients} clients; console {base} "
              f"(gunicorn {GUNICORN['workers']}×{GUNICORN['threads']}), SeaweedFS {seaweed.endpoint}", flush=True)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:  # each client one file at a time, its own session
            futures = {pool.submit(one, i): i for i in range(args.files)}
            for future in as_completed(futures):
                if future.exception() is not None:
                    stats.failures.append(f"file {futures[future]}: {future.exception()!r}"[:300])
        wall = time.perf_counter() - started

        s3 = build_client(spec)

        def check(i: int) -> str | None:
            try:
                body = s3.get_object(Bucket=spec.bucket, Key=f"load/{keys[i]}")["Body"].read()
            except Exception as e:
                return f"file {i}: missing ({type(e).__name__})"
            if len(body) != plan[i] or hashlib.sha256(body).hexdigest() != expected.get(i):
                return f"file {i}: {len(body)} bytes, SHA-256 differs"
            return None

        with ThreadPoolExecutor(16) as pool:
            problems = [p for p in pool.map(check, range(args.files)) if p]
        ms = [s * 1000 for s in stats.latency["sign"]]
        rec = [s * 1000 for s in stats.latency["record"]]
        multipart = sum(1 for s in plan if s > MULTIPART_ABOVE)
        ok = not problems and not stats.server_errors and not stats.failures
        print(f"""
```
load test (issue #8 item 1): {'PASS' if ok else 'FAIL'}
files:            {args.files} ({args.files - multipart} single PUT, {multipart} multipart), sizes 1 KiB-{args.max_mib} MiB log-uniform, seed {args.seed}
bytes:            {sum(plan):,} ({sum(plan) / MiB:.0f} MiB)
clients:          {args.clients} concurrent, each its own signed-in session; console gunicorn {GUNICORN['workers']} workers x {GUNICORN['threads']} threads; SeaweedFS weed mini; all on 127.0.0.1
wall time:        {wall:.1f} s ({sum(plan) / MiB / wall:.0f} MiB/s, {args.files / wall:.1f} files/s)
signing:          {len(ms)} requests (params, multipart create, batch); p50 {percentile(ms, 0.5):.1f} ms, p99 {percentile(ms, 0.99):.1f} ms, max {max(ms, default=0):.1f} ms
recording:        {len(rec)} requests (uploaded, complete: S3 check + audit write); p50 {percentile(rec, 0.5):.1f} ms, p99 {percentile(rec, 0.99):.1f} ms
verified:         {args.files - len(problems)}/{args.files} present with matching size and SHA-256 (each downloaded)
errors:           console 5xx: {len(stats.server_errors)}; failed uploads: {len(stats.failures)}; missing/differing: {len(problems)}; dropped connections retried once: {len(stats.retries)}
machine:          {__import__('os').cpu_count()} cores; load average {' '.join(f'{x:.1f}' for x in __import__('os').getloadavg())} at the end
command:          {command}
```""")
        for line in (stats.server_errors + stats.failures + problems + stats.retries)[:20]:
            print("  " + line)
        return 0 if ok else 1
    finally:
        if console is not None:
            console.terminate()
            console.wait(15)
        seaweed.stop()


if __name__ == "__main__":
    sys.exit(main())
