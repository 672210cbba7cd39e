"""A streamed put_object (what the S3 endpoint does with a request body) vs boto3 straight to S3.

    FREE_PORTS=15600-15999 .venv/bin/python benchmarks/stream_put.py [--size-mib 256] [--repeat 3]

Starts its own SeaweedFS, writes a file of random bytes, then times on it, the order rotating between repetitions:

- stream:      S3Gateway.put_object(file, size=N): one presigned PUT, the file read 1 MiB at a time as it is sent
- upload_file: boto3's client.upload_file (its transfer manager: 8 MiB parts, 10 threads)
- put_object:  boto3's client.put_object(Body=file) (one PUT; over http boto3 hashes the body first, then sends it)

and prints median/min/max seconds and MiB/s, and the stream's tracemalloc peak.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
os.environ.setdefault("DEBUG", "true")  # settings are read (no secrets needed); no database is used
MiB = 1024 * 1024
BUCKET = "bench-stream"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from storage.connections import ConnectionSpec, StaticRegistry
    from storage.dev.bootstrap import ensure_bucket
    from storage.dev.seaweedfs import SeaweedFS, port_range
    from storage.s3.client import build_client
    from storage.s3.gateway import S3Gateway

    size = args.size_mib * MiB
    with tempfile.TemporaryDirectory() as tmp:
        s3 = SeaweedFS(Path(tmp) / "weed", access_key="bench-" + secrets.token_hex(4),
                       secret_key=secrets.token_urlsafe(24), ports=port_range(os.environ.get("FREE_PORTS", "")))
        s3.start()
        try:
            spec = ConnectionSpec(name="primary", bucket=BUCKET, endpoint=s3.endpoint, region="us-east-1",
                                  access_key_id=s3.access_key, secret_access_key=s3.secret_key, use_ssl=False,
                                  is_default=True)
            ensure_bucket(spec)
            gateway, client = S3Gateway(StaticRegistry([spec])), build_client(spec)
            source = Path(tmp) / "source.bin"
            with open(source, "wb") as f:
                for _ in range(size // MiB):
                    f.write(os.urandom(MiB))

            def stream(key: str) -> None:
                with open(source, "rb") as f:
                    gateway.put_object("primary", key, f, size=size)

            def upload_file(key: str) -> None:
                client.upload_file(str(source), BUCKET, key)

            def put_object(key: str) -> None:
                with open(source, "rb") as f:
                    client.put_object(Bucket=BUCKET, Key=key, Body=f)

            ways = {"stream": stream, "upload_file": upload_file, "put_object": put_object}
            times: dict[str, list[float]] = {name: [] for name in ways}
            names = list(ways)
            for round_ in range(args.repeat):
                for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                    key = f"{name}-{secrets.token_hex(4)}.bin"
                    started = time.perf_counter()
                    ways[name](key)
                    times[name].append(time.perf_counter() - started)
                    client.delete_object(Bucket=BUCKET, Key=key)
            tracemalloc.start()
            stream("peak.bin")
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        finally:
            s3.stop()
    print(f"\n{args.size_mib} MiB, {args.repeat} rounds")
    print(f"{'way':<12} {'median s':>9} {'min s':>7} {'max s':>7} {'MiB/s':>8}")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{name:<12} {median:9.2f} {min(seconds):7.2f} {max(seconds):7.2f} {args.size_mib / median:8.1f}")
    print(f"stream ratio to upload_file: {statistics.median(times['upload_file']) / statistics.median(times['stream']):.2f}")
    print(f"stream tracemalloc peak: {peak / MiB:.1f} MiB")


if __name__ == "__main__":
    main()
