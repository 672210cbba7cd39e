"""What else the machine was doing while a row was measured, and waiting for the storage to be idle first.

`settle` waits (bounded) until SeaweedFS's own CPU stays low for a few seconds: after a measure that
wrote 100,000 objects it may go on working for a while, and the next measure would share the cores
with it. `Watch` samples, during a measure, the 1-minute load and the CPU that processes other
than the benchmark's own took: its own tree (this process, SeaweedFS, gunicorn, the jobs worker,
rclone, wrk ...) is subtracted from the machine's busy time.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import psutil

SETTLE_BELOW = 0.10  # of one core
SETTLE_WINDOW = 0.5  # seconds per CPU reading


@dataclass(frozen=True)
class Settled:
    seconds: float
    settled: bool
    last_cpu: float  # of one core, in the last window

    def cell(self) -> str:
        if self.settled:
            return f"{self.seconds:.0f} s"
        return f"**not idle after {self.seconds:.0f} s ({self.last_cpu:.0%} of a core)**"


def process_cpu(pids: Iterable[int]) -> float:
    """CPU seconds the processes (and their descendants) used so far; those gone count nothing."""
    total = 0.0
    for pid in pids:
        try:
            root = psutil.Process(pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for process in tree:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
    return total


def settle(pids: Callable[[], list[int]], *, quiet: float, timeout: float,
           clock: Callable[[], float] = time.monotonic, cpu: Callable[[list[int]], float] = process_cpu,
           sleep: Callable[[float], object] = time.sleep) -> Settled:
    """Wait until the processes' CPU stays under SETTLE_BELOW of a core for `quiet` seconds, at most `timeout`."""
    started = clock()
    calm_since = started
    used = cpu(pids())
    last = 0.0
    while True:
        sleep(SETTLE_WINDOW)
        now, after = clock(), cpu(pids())
        last = (after - used) / SETTLE_WINDOW
        used = after
        if last >= SETTLE_BELOW:
            calm_since = now
        elif now - calm_since >= quiet:
            return Settled(now - started, True, last)
        if now - started >= timeout:
            return Settled(now - started, False, last)


def machine_busy() -> float:
    """CPU seconds the machine's cores spent on anything (not idle, not waiting on I/O, not stolen)."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)


def own_cpu() -> float:
    """CPU seconds of this process and every descendant, the finished ones too (reaped: their parent's
    children_* times), so a measure's rclone or wrk that came and went is counted as ours."""
    total = 0.0
    for process in [psutil.Process(), *psutil.Process().children(recursive=True)]:
        try:
            t = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


@dataclass(frozen=True)
class Seen:
    """The conditions of one measure."""

    loads: list[float]
    others: float  # mean share of the whole machine taken by other processes
    others_peak: float  # the largest share over one sampling period

    def load_cell(self) -> str:
        return f"{statistics.median(self.loads):.1f} ({min(self.loads):.1f}–{max(self.loads):.1f})"

    def others_cell(self) -> str:
        return f"{self.others:.0%} (peak {self.others_peak:.0%})"


class Watch(threading.Thread):
    """Samples the load and the others' CPU every `period` seconds until `stop()`, which returns a Seen."""

    def __init__(self, period: float = 1.0) -> None:
        super().__init__(name="bench-watch", daemon=True)
        self.period, self.stopped = period, threading.Event()
        self.loads: list[float] = []
        self.shares: list[float] = []
        self.cores = os.cpu_count() or 1
        self.first = self.last = self._reading()

    def _reading(self) -> tuple[float, float, float]:
        return time.monotonic(), machine_busy(), own_cpu()

    def _sample(self) -> None:
        self.loads.append(os.getloadavg()[0])
        now = self._reading()
        elapsed = now[0] - self.last[0]
        if elapsed > 0:
            self.shares.append(others_share(self.last, now, self.cores))
        self.last = now

    def run(self) -> None:
        self.loads.append(os.getloadavg()[0])
        while not self.stopped.wait(self.period):
            self._sample()

    def stop(self) -> Seen:
        self.stopped.set()
        self.join()
        self._sample()
        whole = others_share(self.first, self.last, self.cores)
        return Seen(self.loads, whole, max(self.shares, default=whole))


def others_share(before: tuple[float, float, float], after: tuple[float, float, float], cores: int) -> float:
    """The share of the machine (all its cores) that processes other than ours used between two readings."""
    elapsed = after[0] - before[0]
    if elapsed <= 0:
        return 0.0
    others = (after[1] - before[1]) - (after[2] - before[2])
    return min(max(others / (elapsed * cores), 0.0), 1.0)
