"""A copy between storages that share nothing holds at most JOBS_STREAM_PARTS_IN_FLIGHT parts in memory.

Issue #14 asks that a 5 GiB copy grow the worker's RSS by at most 128 MiB; here 256 MiB (generated, never in
git) are streamed by the job in this process while a thread samples its resident memory.
"""

from __future__ import annotations

import gc
import threading
import time

import psutil
import pytest

from console.jobs import services
from console.jobs.models import Job
from storage.factory import get_gateway
from tests.integration.console.jobs.support import run

pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection", "other_connection")
MiB = 1024 * 1024
SIZE = 256 * MiB
MARGIN = 32 * MiB  # what a part costs beyond its bytes for a moment (its chunks joined), threads, connections


class Generated:
    """`size` bytes read like a file: a random MiB, over and over (made as read, never held whole)."""

    def __init__(self, size: int):
        import os

        self.block, self.left = os.urandom(MiB), size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return (self.block * (n // MiB + 1))[:n]


def peak_growth_while(action) -> tuple[int, float]:
    """How far above its level before `action` this process's resident memory went while it ran, and how long."""
    process, peak, running = psutil.Process(), [0], threading.Event()
    gc.collect()
    before = process.memory_info().rss

    def sample():
        while not running.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    try:
        action()
    finally:
        running.set()
        sampler.join()
    return max(0, peak[0] - before), time.monotonic() - started


def test_streaming_256_mib_grows_the_worker_by_no_more_than_its_parts_in_flight(users, key_prefix, settings, capsys):
    settings.JOBS_STREAM_PART_MB, settings.JOBS_STREAM_PARTS_IN_FLIGHT = 8, 4
    gateway = get_gateway()
    gateway.upload_file("primary", key_prefix + "big.bin", Generated(SIZE), SIZE)
    job = services.start_job(users["editor"], Job.Kind.COPY, "primary", dest_connection="other",
                             items=[[key_prefix + "big.bin", key_prefix + "big.bin"]])
    growth, took = peak_growth_while(lambda: run(job))
    bound = settings.JOBS_STREAM_PARTS_IN_FLIGHT * settings.JOBS_STREAM_PART_MB * MiB
    with capsys.disabled():
        print(f"\n[measure] 256 MiB streamed between storages in {took:.1f} s ({SIZE / MiB / took:.0f} MiB/s): "
              f"RSS grew {growth / MiB:.1f} MiB (parts in flight x part size = {bound // MiB} MiB)")
    job.refresh_from_db()
    assert (job.state, job.bytes_done) == (Job.State.DONE, SIZE), job.last_error
    assert gateway.get_object_meta("other", key_prefix + "big.bin").size == SIZE
    assert growth < bound + MARGIN
