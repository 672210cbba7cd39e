"""P5: the signing endpoint under gunicorn with 32 clients (wrk), against a trivial signed-in endpoint."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time

from files_support import CONNECTION, GUNICORN
from paired import at_least, at_most, interleave
from report import Row
from world import World

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


def wrk_load(w: World, path: str, body: dict, seconds: int) -> dict:
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
    wrk_load(w, *sign, 1)  # warm
    wrk_load(w, *ping, 1)
    got = interleave(plan.rounds, {"sign": lambda: wrk_load(w, *sign, plan.wrk_seconds),
                                   "ping": lambda: wrk_load(w, *ping, plan.wrk_seconds)})
    signs, pings = [r["rps"] for r in got["sign"]], [r["rps"] for r in got["ping"]]
    failed = sum(r["failed"] for name in got for r in got[name])
    setup = (f"{plan.clients} clients ({got['sign'][0]['client']}), gunicorn {GUNICORN['workers']} workers × "
             f"{GUNICORN['threads']} threads, {plan.wrk_seconds} s per sample; failed requests: {failed}")
    return [
        Row("P5", "signing (POST /s3/params) throughput", "req/s", signs, at_least(1000, "≥ 1,000/s"), note=setup),
        Row("P5", "signing p99 latency", "ms", [r["p99"] for r in got["sign"]], at_most(50, "≤ 50 ms"),
            note=f"the ping's p99: median {statistics.median(r['p99'] for r in got['ping']):.0f} ms"),
        Row("P5", "signing ÷ trivial signed-in endpoint (POST /s3/ping)", "req/s", signs, at_least(0.7), pings),
    ]
