"""Settling and the others' CPU (benchmarks/conditions.py)."""

from __future__ import annotations

import subprocess
import sys

from conditions import others_share, own_cpu, settle


class FakeStorage:
    """A storage whose CPU use per SETTLE_WINDOW is scripted; time moves only when the settle loop sleeps."""

    def __init__(self, shares: list[float]) -> None:
        self.now, self.used, self.shares = 0.0, 0.0, list(shares)

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.used += (self.shares.pop(0) if self.shares else 0.0) * seconds

    def cpu(self, pids) -> float:
        return self.used


def run_settle(storage: FakeStorage, **kwargs):
    return settle(lambda: [1], clock=lambda: storage.now, cpu=storage.cpu, sleep=storage.sleep, **kwargs)


def test_it_waits_until_the_storage_stays_idle_for_the_quiet_time():
    busy = [0.9] * 8  # four seconds digesting what the last measure wrote
    settled = run_settle(FakeStorage(busy), quiet=3.0, timeout=60.0)
    assert settled.settled
    assert settled.seconds == 4.0 + 3.0
    assert settled.cell() == "7 s"


def test_a_short_pause_in_the_work_does_not_count_as_settled():
    settled = run_settle(FakeStorage([0.9, 0.0, 0.0, 0.9, 0.0]), quiet=2.0, timeout=60.0)
    assert settled.seconds == 2.0 + 2.0  # the quiet time starts again after the second busy window


def test_it_gives_up_after_the_timeout_and_says_so():
    settled = run_settle(FakeStorage([0.5] * 1000), quiet=3.0, timeout=20.0)
    assert not settled.settled
    assert settled.seconds == 20.0
    assert "not idle after 20 s (50% of a core)" in settled.cell()


def test_the_others_share_is_the_machines_busy_time_less_our_own():
    # 10 s on 2 cores: the machine was busy 15 CPU-seconds, 5 of them ours.
    assert others_share((0.0, 100.0, 40.0), (10.0, 115.0, 45.0), cores=2) == 0.5
    assert others_share((0.0, 100.0, 40.0), (10.0, 101.0, 45.0), cores=2) == 0.0  # never below nothing


def test_our_own_cpu_counts_a_child_that_has_come_and_gone():
    before = own_cpu()
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(6_000_000))"], check=True)
    assert own_cpu() - before >= 0.2  # the child's seconds, now in this process's children_* times
