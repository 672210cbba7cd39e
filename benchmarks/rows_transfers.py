"""P1, P2, P3, P6: moving bytes (the browser flow, S3Gateway, the commercial path) against their peers."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
from files_support import CONNECTION, GiB, MiB, console_env, random_file
from paired import at_least, at_most, interleave
from peers import rclone_binary, rclone_env
from report import Row
from world import World


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


# --- P1, P2: the browser flow against boto3 upload_file and rclone copyto ---------------------------


def measure_upload(w: World) -> list[Row]:
    from files_upload import PART_SIZE, browser_flow_upload, console_cpu

    from storage.s3.client import build_client

    plan, spec = w.plan, w.spec
    path = random_file(w.data / "upload.bin", plan.upload_mib * MiB)
    size = path.stat().st_size
    s3 = build_client(spec)
    rclone = rclone_binary()
    process = psutil.Process(w.console.pid)
    browser_flow_upload(w.base, w.cookies, path, "warm-up.bin", 10)  # workers have built clients, loaded code
    s3.delete_object(Bucket=spec.bucket, Key="warm-up.bin")

    def sent(name: str, send) -> float:
        key = f"p2/{name}-{uuid.uuid4().hex}.bin"
        seconds = timed(lambda: send(key))
        s3.delete_object(Bucket=spec.bucket, Key=key)
        return size / MiB / seconds

    def flow() -> tuple[float, float]:
        before = console_cpu(process)
        mibs = sent("flow", lambda key: browser_flow_upload(w.base, w.cookies, path, key, 10))  # 10 parts in flight,
        return mibs, (console_cpu(process) - before) / (size / GiB)  # as boto3's default

    samplers = {"flow": flow, "boto3": lambda: sent("boto", lambda key: s3.upload_file(str(path), spec.bucket, key))}
    if rclone:
        samplers["rclone"] = lambda: sent("rclone", lambda key: subprocess.run(
            [rclone, "copyto", str(path), f"bench:{spec.bucket}/{key}", "--s3-chunk-size", "16M",
             "--s3-upload-concurrency", "10"], env=rclone_env({"bench": spec}), check=True, capture_output=True))
    got = interleave(plan.rounds, samplers, w.settle_briefly)
    flows, cpu = [m for m, _ in got["flow"]], [c for _, c in got["flow"]]
    best = [max(peers) for peers in zip(*(got[n] for n in samplers if n != "flow"), strict=True)]
    peers = f"boto3 upload_file {statistics.median(got['boto3']):.0f} MiB/s" + (
        f", rclone copyto {statistics.median(got['rclone']):.0f} MiB/s" if rclone else ", rclone missing")
    label = f"{plan.upload_mib} MiB"
    return [
        Row("P1", f"console CPU per GiB, browser flow ({label}, {PART_SIZE // MiB} MiB parts)", "s/GiB", cpu,
            at_most(0.05)),
        Row("P2", f"browser-flow upload {label} ÷ best of boto3/rclone", "MiB/s", flows, at_least(1.0), best,
            note=f"baseline: the faster of the round; {peers}"),
    ]


# --- P3: S3Gateway transfers vs boto3's transfer manager, each in a fresh process ------------------


def transfer(w: World, who: str, op: str, path: Path, key: str, size: int) -> dict:
    job = {"who": who, "op": op, "path": str(path), "key": key, "size": size, "bucket": w.spec.bucket,
           "endpoint": w.spec.endpoint, "access_key": w.spec.access_key_id, "secret_key": w.spec.secret_access_key}
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "transfer_worker.py"), json.dumps(job)],
                          capture_output=True, text=True, env={**os.environ, **console_env(w.data)}, timeout=600)
    if done.returncode:
        raise SystemExit(f"transfer {who} {op} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_transfers(w: World) -> list[Row]:
    from storage.s3.client import build_client

    plan = w.plan
    path = random_file(w.data / "upload.bin", plan.upload_mib * MiB)
    size = path.stat().st_size
    target = w.data / "download.bin"
    s3 = build_client(w.spec)

    def both(who: str) -> dict[str, dict]:
        key = f"p3/{who}-{uuid.uuid4().hex}.bin"
        answers = {op: transfer(w, who, op, file, key, size) for op, file in (("upload", path), ("download", target))}
        if target.stat().st_size != size:
            raise SystemExit("P3: the downloaded file has the wrong size")
        target.unlink()
        s3.delete_object(Bucket=w.spec.bucket, Key=key)
        return answers

    got = interleave(plan.rounds, {"gateway": lambda: both("gateway"), "boto3": lambda: both("boto3")},
                     w.settle_briefly)
    rows = []
    for op, name in (("upload", "upload_file"), ("download", "download_file_to_local")):
        ours, boto = ([size / MiB / a[op]["seconds"] for a in got[who]] for who in ("gateway", "boto3"))
        rss = [a[op]["rss_growth"] / MiB for a in got["gateway"]]
        boto_rss = statistics.median(a[op]["rss_growth"] / MiB for a in got["boto3"])
        rows += [Row("P3", f"S3Gateway.{name} {plan.upload_mib} MiB ÷ boto3 transfer manager", "MiB/s", ours,
                     at_least(1.0), boto),
                 Row("P3", f"S3Gateway.{name}: peak RSS growth", "MiB", rss, at_most(64, "≤ 64 MiB", every=True),
                     note=f"boto3's own: median {boto_rss:.0f} MiB")]
    return rows


# --- P6: commercial path vs direct S3Gateway ------------------------------------------------------


def measure_commercial(w: World) -> list[Row]:
    from commercial_vs_direct import make_file, run_once

    from storage.connections import StaticRegistry
    from storage.ossgateway.client import OssGatewayClient
    from storage.s3.gateway import S3Gateway
    from storage.service_tokens import issue_token

    plan = w.plan
    size = plan.commercial_mib * MiB
    token = issue_token(f"bench-{uuid.uuid4().hex[:8]}").raw
    gateways = {"commercial": OssGatewayClient(w.base, token=token), "direct": S3Gateway(StaticRegistry([w.spec]))}
    source = w.data / f"p6-{plan.commercial_mib}.bin"
    expected = make_file(source, size)
    target = w.data / "p6-target.bin"
    run_once("warm", gateways["commercial"], source, target, size, expected, CONNECTION)

    def sample(name: str) -> dict[str, float]:
        return run_once(name, gateways[name], source, target, size, expected, CONNECTION)

    got = interleave(plan.rounds, {name: lambda name=name: sample(name) for name in gateways}, w.settle_briefly)
    rows = []
    for op in ("upload", "download"):
        ours, direct = ([plan.commercial_mib / t[op] for t in got[name]] for name in ("commercial", "direct"))
        rows.append(Row("P6", f"commercial {op} {plan.commercial_mib} MiB (client → console API → S3) ÷ direct",
                        "MiB/s", ours, at_least(0.9), direct, note="baseline: S3Gateway straight to SeaweedFS"))
    return rows
