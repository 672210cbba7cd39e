"""Browser-flow uploads: console CPU per GiB, and throughput against boto3's own upload_file.

A client does what the upload widget does (the console signs: create, sign each part,
complete; the bytes go straight to SeaweedFS), against the console served by gunicorn in a
subprocess whose CPU time is measured with psutil. Then boto3's `upload_file` (default
transfer settings) sends the same file to the same SeaweedFS.

    .venv/bin/python benchmarks/files_upload.py [--size-mib 1024] [--threads 10] [--rounds 2]

Goals (issue #5): console CPU <= 0.05 s per GiB; signed-flow throughput / boto3 >= 1.0.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import psutil
import requests
from files_support import (
    CONNECTION,
    ROOT,
    GiB,
    MiB,
    prepare,
    random_file,
    setup_django,
    signed_in_session,
    start_console,
    start_seaweedfs,
)

from storage.dev.seaweedfs import free_port

PART_SIZE = 16 * MiB  # what the widget uses up to 156 GiB (static/js/uploader.js)
BATCH = 64  # parts signed per request, as the widget asks (SIGN_AHEAD)


def console_cpu(process: psutil.Process) -> float:
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def browser_flow_upload(base: str, cookies, path: Path, key: str, threads: int) -> None:
    local = threading.local()

    def session() -> requests.Session:
        if not hasattr(local, "s"):
            local.s = requests.Session()
            local.s.cookies.update(cookies)
            local.s.headers["X-CSRFToken"] = cookies["csrftoken"]
        return local.s

    size = path.stat().st_size
    count = -(-size // PART_SIZE)
    created = session().post(f"{base}/files/{CONNECTION}/s3/multipart", json={
        "prefix": "", "relativePath": key, "size": size, "signParts": min(count, BATCH)}).json()
    upload_id, key = created["uploadId"], created["key"]
    q = f"?key={quote(key, safe='')}"
    signed_urls: dict[int, dict] = {int(n): v for n, v in created.get("presignedUrls", {}).items()}
    lock = threading.Lock()

    def signature(number: int) -> dict:
        with lock:  # like the widget: create signs the first BATCH parts, then a part not signed asks for the next BATCH
            if number not in signed_urls:
                wanted = list(range(number, min(number + BATCH, count + 1)))
                answer = session().post(f"{base}/files/{CONNECTION}/s3/multipart/{upload_id}/batch{q}",
                                        json={"parts": wanted})
                answer.raise_for_status()
                signed_urls.update({int(n): v for n, v in answer.json()["presignedUrls"].items()})
            return signed_urls.pop(number)

    def send(number: int) -> dict:
        signed = signature(number)
        with open(path, "rb") as f:
            f.seek((number - 1) * PART_SIZE)
            body = f.read(PART_SIZE)
        put = session().put(signed["url"], data=body, headers=signed["headers"])
        put.raise_for_status()
        return {"PartNumber": number, "ETag": put.headers["ETag"]}

    with ThreadPoolExecutor(threads) as pool:
        parts = list(pool.map(send, range(1, count + 1)))
    done = session().post(f"{base}/files/{CONNECTION}/s3/multipart/{upload_id}/complete{q}", json={"parts": parts})
    done.raise_for_status()


def main() -> None:
    global PART_SIZE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=10, help="parts in flight (boto3's default is 10)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--part-mib", type=int, default=16)
    parser.add_argument("--data", default=str(ROOT / ".data" / "bench-files-upload"))
    args = parser.parse_args()
    data = Path(args.data)
    PART_SIZE = args.part_mib * MiB
    setup_django(data)
    seaweed = start_seaweedfs(data)
    console = None
    try:
        spec = prepare(seaweed, "bench-upload")
        port = free_port()
        console = start_console(data, port=port)
        base = f"http://127.0.0.1:{port}"
        path = random_file(data / "upload.bin", args.size_mib * MiB)
        cookies = signed_in_session(base).cookies
        process = psutil.Process(console.pid)

        from storage.s3.client import build_client

        s3 = build_client(spec)  # boto3's own client, for its upload_file
        for _ in range(2):  # every worker has built its clients and loaded its code
            browser_flow_upload(base, cookies, path, "warm-up.bin", args.threads)
        flow, boto, cpu = [], [], []
        for _ in range(args.rounds):
            before, started = console_cpu(process), time.perf_counter()
            browser_flow_upload(base, cookies, path, f"flow-{uuid.uuid4().hex}.bin", args.threads)
            elapsed = time.perf_counter() - started
            cpu.append((console_cpu(process) - before) / (path.stat().st_size / GiB))
            flow.append(path.stat().st_size / MiB / elapsed)
            started = time.perf_counter()
            s3.upload_file(str(path), spec.bucket, f"boto-{uuid.uuid4().hex}.bin")
            boto.append(path.stat().st_size / MiB / (time.perf_counter() - started))
        print(f"file: {args.size_mib} MiB, parts of {PART_SIZE // MiB} MiB, {args.threads} in flight, "
              f"{args.rounds} rounds")
        print(f"console CPU per GiB (signing only): {statistics.median(cpu):.3f} s  (goal <= 0.05); rounds: "
              + ", ".join(f"{c:.3f}" for c in cpu))
        print(f"signed flow: {statistics.median(flow):.0f} MiB/s; boto3 upload_file: {statistics.median(boto):.0f} MiB/s;"
              f" median of the rounds' ratios {statistics.median(f / b for f, b in zip(flow, boto, strict=True)):.2f}"
              " (goal >= 1.0); per round (flow/boto3): "
              + ", ".join(f"{f:.0f}/{b:.0f}" for f, b in zip(flow, boto, strict=True)))
    finally:
        if console is not None:
            console.terminate()
            console.wait(10)
        seaweed.stop()


if __name__ == "__main__":
    main()
