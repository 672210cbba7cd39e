"""Issue #20's rows: the console's S3 endpoint (/s3/) against the same requests straight to SeaweedFS.

E1 `aws s3 cp` of one file up and down through the endpoint ÷ the same command straight to SeaweedFS (the
   CLI unchanged, at its defaults: 8 MiB parts, 10 in flight; both over plain HTTP, so the CLI signs every
   payload on both paths);
E2 the console's peak RSS growth (every gunicorn process, sampled every 20 ms) while E1's transfers pass;
E3 4 KiB objects PUT then GET by boto3 with 16 in parallel through the endpoint ÷ straight to SeaweedFS.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from files_support import USER, MiB, random_file
from paired import at_least, at_most, interleave
from report import Row
from rows_local import PeakRss
from world import World

AWS = str(Path(sys.executable).parent / "aws")
PARALLEL = 16
SMALL = 4096


class Target:
    """Where a tool sends its requests: an endpoint URL, a bucket there, and the key pair for it."""

    def __init__(self, url: str, bucket: str, key_id: str, secret: str, home: Path):
        self.url, self.bucket, self.key_id, self.secret, self.home = url, bucket, key_id, secret, home

    def aws(self, *args: str) -> None:
        env = {"PATH": os.environ["PATH"], "HOME": str(self.home), "AWS_ACCESS_KEY_ID": self.key_id,
               "AWS_SECRET_ACCESS_KEY": self.secret, "AWS_DEFAULT_REGION": "us-east-1",
               "AWS_CONFIG_FILE": str(self.home / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(self.home / "none"),
               "AWS_EC2_METADATA_DISABLED": "true"}
        done = subprocess.run([AWS, "--endpoint-url", self.url, "--only-show-errors", *args], env=env,
                              capture_output=True, text=True, timeout=1800)
        if done.returncode:
            raise SystemExit(f"aws {' '.join(args)} against {self.url} failed:\n{done.stderr}")

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=self.key_id,
                            aws_secret_access_key=self.secret, region_name="us-east-1",
                            config=Config(max_pool_connections=PARALLEL, retries={"mode": "standard"}))


def targets(w: World) -> dict[str, Target]:
    """The endpoint with a key of the benchmark's editor (issued in the console's database), and SeaweedFS."""
    import secrets

    from django.contrib.auth.models import User

    from console.s3api.models import AccessKey

    home = w.data / "aws-home"
    home.mkdir(exist_ok=True)
    key_id, secret = "OSCBENCH" + secrets.token_hex(6).upper(), secrets.token_urlsafe(30)
    AccessKey.objects.create(access_key_id=key_id, secret=secret, name="bench: S3 tools",
                             owner=User.objects.get(username=USER))
    return {"endpoint": Target(w.base + "/s3", w.spec.name, key_id, secret, home),
            "straight": Target(w.seaweed.endpoint, w.spec.bucket, w.seaweed.access_key, w.seaweed.secret_key, home)}


def measure_endpoint_transfers(w: World) -> list[Row]:
    """E1 and E2."""
    where = targets(w)
    size_mib = w.plan.upload_mib
    path = random_file(w.data / "upload.bin", size_mib * MiB)
    back = w.data / "e1-back.bin"

    def sample(name: str) -> dict[str, float]:
        target, key = where[name], f"e1/{uuid.uuid4().hex}.bin"
        remote = f"s3://{target.bucket}/{key}"
        with PeakRss(w.console.pid) as rss:
            started = time.perf_counter()
            target.aws("s3", "cp", str(path), remote)
            up = time.perf_counter() - started
            started = time.perf_counter()
            target.aws("s3", "cp", remote, str(back))
            down = time.perf_counter() - started
        if back.stat().st_size != path.stat().st_size:
            raise SystemExit("E1: the downloaded file has the wrong size")
        target.aws("s3", "rm", remote)
        return {"up": size_mib / up, "down": size_mib / down, "rss": rss.growth}

    sample("endpoint")  # warm-up: the workers have loaded the code, the key and the connection
    got = interleave(w.plan.rounds, {name: lambda name=name: sample(name) for name in where}, w.settle_briefly)
    note = "baseline: the same aws CLI command with SeaweedFS's own endpoint and keys"
    rows = [Row("E1", f"`aws s3 cp` {size_mib} MiB {label} through /s3/ ÷ straight to SeaweedFS", "MiB/s",
                [s[op] for s in got["endpoint"]], at_least(0.7), [s[op] for s in got["straight"]], note=note)
            for op, label in (("up", "up"), ("down", "down"))]
    rows.append(Row("E2", f"console peak RSS growth during E1's transfers ({size_mib} MiB each way)", "MiB",
                    [s["rss"] for s in got["endpoint"]], at_most(128, "≤ 128 MiB", every=True)))
    return rows


def _put_and_get(target: Target, count: int) -> float:
    """PUT+GET operations per second: `count` objects of 4 KiB put, then read back, PARALLEL at a time."""
    client, prefix, body = target.client(), f"e3/{uuid.uuid4().hex}/", os.urandom(SMALL)
    keys = [f"{prefix}{n:05d}" for n in range(count)]
    with ThreadPoolExecutor(PARALLEL) as pool:
        started = time.perf_counter()
        list(pool.map(lambda k: client.put_object(Bucket=target.bucket, Key=k, Body=body), keys))
        read = list(pool.map(lambda k: client.get_object(Bucket=target.bucket, Key=k)["Body"].read(), keys))
        elapsed = time.perf_counter() - started
    if any(r != body for r in read):
        raise SystemExit("E3: an object read back differs")
    for start in range(0, count, 1000):
        client.delete_objects(Bucket=target.bucket, Delete={"Objects": [{"Key": k} for k in keys[start:start + 1000]]})
    return 2 * count / elapsed


def measure_small_objects(w: World) -> list[Row]:
    """E3."""
    where = targets(w)
    count = 128 if w.plan.quick else 512
    _put_and_get(where["endpoint"], 32)  # warm-up
    got = interleave(w.plan.rounds, {name: lambda name=name: _put_and_get(where[name], count) for name in where},
                     w.settle_briefly)
    return [Row("E3", f"{count} objects of 4 KiB PUT then GET, {PARALLEL} in parallel (boto3), through /s3/ ÷ "
                      "straight to SeaweedFS", "ops/s", got["endpoint"], at_least(0.5), got["straight"],
                note="baseline: the same boto3 calls with SeaweedFS's own endpoint and keys")]
