"""One transfer in a fresh process (P3 of benchmarks/bench.py): its time and its peak RSS growth.

    python benchmarks/transfer_worker.py '{"op": "upload", "who": "gateway", ...}'

`who` is "gateway" (S3Gateway.upload_file / download_file_to_local) or "boto3" (boto3's own
transfer manager: client.upload_file / download_file with its default TransferConfig). `op` "read"
(R1) streams the object and drops its bytes: S3Gateway.open_object by chunks against boto3's
get_object()["Body"].iter_chunks, both 1 MiB at a time. The
client is built and has made one request before the baseline RSS is read, so the growth is
what the transfer itself holds. Prints one JSON line: {"seconds": ..., "cpu": seconds, "rss_growth": bytes}.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


class Sampler(threading.Thread):
    """The process's RSS every 10 ms (ru_maxrss alone misses growth below an earlier peak, e.g. imports)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.process, self.peak, self.stopped = psutil.Process(), 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            self.stopped.wait(0.01)


def main() -> None:
    job = json.loads(sys.argv[1])
    import django

    django.setup()  # settings (timeouts) for the client; the environment comes from bench.py
    from storage.connections import ConnectionSpec, StaticRegistry
    from storage.s3.client import build_client
    from storage.s3.gateway import S3Gateway

    spec = ConnectionSpec(name="bench", bucket=job["bucket"], endpoint=job["endpoint"], access_key_id=job["access_key"],
                          secret_access_key=job["secret_key"], use_ssl=False, is_default=True)
    path, key, size = Path(job["path"]), job["key"], job.get("size")
    if job["who"] == "gateway":
        gateway = S3Gateway(StaticRegistry([spec]))
        gateway._client(spec).head_bucket(Bucket=spec.bucket)  # the transfer's client, built and connected
        if job["op"] == "upload":
            def run():
                with open(path, "rb") as f:
                    gateway.upload_file("bench", key, f, size)
        elif job["op"] == "read":
            gateway.open_object("bench", key, range=(0, 0)).close()  # warm: code paths loaded once, as boto3's below

            def run():
                with gateway.open_object("bench", key) as stream:
                    received = sum(len(chunk) for chunk in stream)
                assert received == size, (received, size)
        else:
            def run():
                gateway.download_file_to_local("bench", key, path)
    else:
        client = build_client(spec)
        client.head_bucket(Bucket=spec.bucket)
        if job["op"] == "upload":
            def run():
                client.upload_file(str(path), spec.bucket, key)
        elif job["op"] == "read":
            client.get_object(Bucket=spec.bucket, Key=key, Range="bytes=0-0")["Body"].close()

            def run():
                body = client.get_object(Bucket=spec.bucket, Key=key)["Body"]
                received = sum(len(chunk) for chunk in body.iter_chunks(1024 * 1024))
                assert received == size, (received, size)
        else:
            def run():
                client.download_file(spec.bucket, key, str(path))
    gc.collect()
    baseline, peak_before = psutil.Process().memory_info().rss, peak_rss()
    sampler = Sampler()
    sampler.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    sampler.stopped.set()
    sampler.join()
    peak_after = peak_rss()
    peak = max(sampler.peak, peak_after if peak_after > peak_before else 0)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_growth": max(0, peak - baseline)}))


if __name__ == "__main__":
    main()
