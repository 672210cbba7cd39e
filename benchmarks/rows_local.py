"""L1: a local folder connection's signed PUT and GET through the console (gunicorn), against a plain file copy.

The bytes pass through the console here (there is no storage to send them to), so what is measured is the
cost of that: throughput of a 1 GiB PUT and GET of the console's signed URLs ÷ a 1 MiB-chunk copy of the same
file on the same disk that works out its MD5 (as the console must, for the ETag), and the console's peak RSS growth (every gunicorn process, sampled every 20 ms) while
the bytes pass.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid

import psutil
import requests
from files_support import MiB, random_file
from paired import at_least, at_most, interleave
from report import Row
from world import World

LOCAL = "bench-local"


class PeakRss:
    """The highest total RSS of a process and its children while running, above what it was at the start."""

    def __init__(self, pid: int):
        self.process, self.peak, self.start, self._stop = psutil.Process(pid), 0, 0, threading.Event()

    def _total(self) -> int:
        processes = [self.process, *self.process.children(recursive=True)]
        return sum(p.memory_info().rss for p in processes if p.is_running())

    def __enter__(self):
        self.start = self.peak = self._total()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._total())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> float:
        return (self.peak - self.start) / MiB


def _copy(source, target) -> None:
    """What any store that keeps an ETag must do with the bytes: write them and work out their MD5."""
    digest = hashlib.md5()
    with open(source, "rb") as f, open(target, "wb") as out:
        while chunk := f.read(MiB):
            digest.update(chunk)
            out.write(chunk)


def measure_local(w: World) -> list[Row]:
    from storage.factory import get_gateway, reset_gateways
    from storage.models import Connection

    folder = w.data / "local-folder"
    folder.mkdir(exist_ok=True)
    Connection.objects.update_or_create(name=LOCAL, defaults={"kind": "local", "local_root": str(folder)})
    reset_gateways()
    gateway = get_gateway()
    path = random_file(w.data / "upload.bin", w.plan.upload_mib * MiB)
    size, target = path.stat().st_size, w.data / "local-back.bin"

    def through_console() -> dict[str, float]:
        key = f"l1/{uuid.uuid4().hex}.bin"
        upload = gateway.get_upload_request(LOCAL, key, 600, size=size)
        with PeakRss(w.console.pid) as put_rss, open(path, "rb") as body:
            started = time.perf_counter()
            answer = requests.put(w.base + upload.url, data=body, headers=upload.headers, timeout=600)
            put = time.perf_counter() - started
        answer.raise_for_status()
        with PeakRss(w.console.pid) as get_rss, open(target, "wb") as out:
            started = time.perf_counter()
            with requests.get(w.base + gateway.get_download_url(LOCAL, key, 600), stream=True, timeout=600) as got:
                for chunk in got.iter_content(MiB):
                    out.write(chunk)
            get = time.perf_counter() - started
        if target.stat().st_size != size:
            raise SystemExit("L1: the downloaded file has the wrong size")
        gateway.delete_file(LOCAL, key)
        return {"put": size / MiB / put, "get": size / MiB / get, "put_rss": put_rss.growth, "get_rss": get_rss.growth}

    def plain_copy() -> float:
        started = time.perf_counter()
        _copy(path, target)
        return size / MiB / (time.perf_counter() - started)

    through_console()  # warm-up: the workers have loaded the code and the connection
    got = interleave(w.plan.rounds, {"console": through_console, "copy": plain_copy}, w.settle_briefly)
    label = f"{w.plan.upload_mib} MiB"
    note = "baseline: the same file copied on the same disk in 1 MiB chunks with its MD5 (no HTTP)"
    return [
        Row("L1", f"local folder: signed PUT {label} through the console ÷ a file copy with its MD5", "MiB/s",
            [s["put"] for s in got["console"]], at_least(0.5), got["copy"], note=note),
        Row("L1", f"local folder: signed GET {label} through the console ÷ a file copy with its MD5", "MiB/s",
            [s["get"] for s in got["console"]], at_least(0.5), got["copy"], note=note),
        Row("L1", "local folder: console peak RSS growth while a PUT or GET passes", "MiB",
            [max(s["put_rss"], s["get_rss"]) for s in got["console"]], at_most(64, "≤ 64 MiB", every=True)),
    ]
