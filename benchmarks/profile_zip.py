"""Where the zip download's CPU goes: one Z1 sample with V8's sampling profiler on the service worker.

    .venv/bin/python benchmarks/profile_zip.py --ports 18560-18599 [--mib 1024]

Starts what bench.py starts (SeaweedFS, the console under gunicorn; data in .data/profile-zip), fills Z1's folder,
zips it once to install the worker, then zips it again with the DevTools Protocol's Profiler running in the worker
(attached through the browser's target list) and prints the worker's time per function, the idle time included.
Then the CPU seconds each process took (Chromium's by kind, SeaweedFS) for a zip and for the one-by-one downloads.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import psutil
from files_support import ROOT, prepare, setup_django, signed_in_session, start_console, start_seaweedfs, stop_process
from rows_zip import FILES, _browser, _fill, _one_by_one_sample, _zip_sample
from world import BUCKET, Plan, World


class WorkerProfiler:
    """V8's Profiler in the service worker, over a session of the browser's (Target.sendMessageToTarget)."""

    def __init__(self, browser):
        self.cdp = browser.new_browser_cdp_session()
        self.answers: dict[int, dict] = {}
        self.cdp.on("Target.receivedMessageFromTarget", self._received)
        workers = [t for t in self.cdp.send("Target.getTargets")["targetInfos"] if t["type"] == "service_worker"]
        if len(workers) != 1:
            raise SystemExit(f"expected one service worker, found {workers}")
        self.session = self.cdp.send("Target.attachToTarget", {"targetId": workers[0]["targetId"],
                                                               "flatten": False})["sessionId"]
        self.next_id = 0

    def _received(self, event: dict) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            self.answers[message["id"]] = message

    def send(self, method: str, params: dict | None = None) -> dict:
        self.next_id += 1
        self.cdp.send("Target.sendMessageToTarget", {"sessionId": self.session, "message": json.dumps(
            {"id": self.next_id, "method": method, "params": params or {}})})
        deadline = time.monotonic() + 60
        while self.next_id not in self.answers:
            if time.monotonic() > deadline:
                raise SystemExit(f"{method}: no answer from the worker")
            self.cdp.send("Browser.getVersion")  # lets Playwright deliver the events that came meanwhile
            time.sleep(0.05)
        answer = self.answers.pop(self.next_id)
        if "error" in answer:
            raise SystemExit(f"{method}: {answer['error']}")
        return answer["result"]


def self_times(profile: dict) -> Counter:
    """Milliseconds per function (name, script, line) from the samples' time deltas."""
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    spent: Counter = Counter()
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node_id]
        script = frame["url"].rsplit("/", 1)[-1].split("?")[0]
        spent[f"{frame['functionName'] or '(anonymous)'} {script}:{frame['lineNumber'] + 1}".strip()] += delta / 1000
    return spent


def cpu_by_process(pids: dict[str, list[int]]) -> Counter:
    """CPU seconds so far, per kind of process: Chromium's by --type (its browser process "browser"), SeaweedFS."""
    seconds: Counter = Counter()
    for kind, roots in pids.items():
        for root in roots:
            try:
                parent = psutil.Process(root)
                for process in [parent, *parent.children(recursive=True)]:
                    line = " ".join(process.cmdline())
                    name = kind
                    if "--type=" in line:
                        name = line.split("--type=")[1].split()[0]
                        if "--utility-sub-type=" in line:
                            name += " " + line.split("--utility-sub-type=")[1].split()[0].rsplit(".", 1)[-1]
                    times = process.cpu_times()
                    seconds[name] += times.user + times.system
                    if name == "renderer":
                        seconds.update(renderer_threads(process))
            except psutil.NoSuchProcess:
                continue
    return seconds


def renderer_threads(process: psutil.Process) -> Counter:
    """A renderer's CPU seconds by thread name (the service worker's thread, the IO thread, V8's helpers...)."""
    seconds: Counter = Counter()
    for thread in process.threads():
        try:
            name = Path(f"/proc/{process.pid}/task/{thread.id}/comm").read_text().strip()
        except OSError:
            continue
        seconds[f"  renderer thread {name}"] += thread.user_time + thread.system_time
    return seconds


def cpu_of(run: Callable[[], float], pids: dict[str, list[int]]) -> tuple[float, Counter]:
    before = cpu_by_process(pids)
    rate = run()
    after = cpu_by_process(pids)
    after.subtract(before)
    return rate, after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", default="")
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    from storage.dev.seaweedfs import free_port, port_range

    ports = port_range(args.ports)
    data = ROOT / ".data" / "profile-zip"
    setup_django(data)
    seaweed = start_seaweedfs(data, ports=ports)
    console = None
    try:
        spec = prepare(seaweed, BUCKET)
        port = free_port(ports)
        console = start_console(data, port)
        base = f"http://127.0.0.1:{port}"
        plan = Plan.make(False, 1)
        plan.zip_mib = args.mib
        world = World(plan, data, seaweed, spec, console, base, signed_in_session(base).cookies.get_dict())
        profile(world, args.top)
    finally:
        if console is not None:
            stop_process(console)
        seaweed.stop()


def profile(world: World, top: int) -> None:
    size = world.plan.zip_mib * 1024 * 1024 // FILES
    keys = _fill(world, size)
    driver, browser, page = _browser(world)
    chromium = [p.pid for p in psutil.Process().children() if "playwright" in " ".join(p.cmdline())]
    pids = {"browser": chromium, "SeaweedFS": world.storage_pids()}
    try:
        _zip_sample(page, size * FILES)  # installs the worker
        costs = {"zip": cpu_of(lambda: _zip_sample(page, size * FILES), pids),
                 "one by one": cpu_of(lambda: _one_by_one_sample(page, world, keys, size * FILES), pids)}
        profiler = WorkerProfiler(browser)
        profiler.send("Profiler.enable")
        profiler.send("Profiler.setSamplingInterval", {"interval": 200})
        profiler.send("Profiler.start")
        rate = _zip_sample(page, size * FILES)
        result = profiler.send("Profiler.stop")["profile"]
    finally:
        browser.close()
        driver.stop()
    spent = self_times(result)
    total = sum(spent.values())
    print(f"zip: {rate:.1f} MiB/s; worker profiled {total / 1000:.2f} s")
    for name, ms in spent.most_common(top):
        print(f"{ms / 1000:8.2f} s {100 * ms / total:5.1f}%  {name}")
    Path(world.data / "zip-worker.cpuprofile").write_text(json.dumps(result))
    for name, (rate, seconds) in costs.items():
        print(f"{name}: {rate:.1f} MiB/s; CPU seconds: " +
              ", ".join(f"{kind} {s:.2f}" for kind, s in seconds.most_common() if s >= 0.01))


if __name__ == "__main__":
    main()
