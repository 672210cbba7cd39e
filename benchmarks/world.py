"""What every measure is given: the plan (sizes, rounds) and the world (storage, console, worker, log)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from conditions import Settled, settle
from files_support import stop_process
from jobs_support import WorkerProcess

BUCKET = "bench"


@dataclass
class Plan:
    quick: bool
    rounds: int  # pairs per measure (P1-P7, J2, J4's baseline)
    heavy_rounds: int  # pairs for J1 and J3, whose samples each take a minute
    upload_mib: int  # P1, P2, P3
    commercial_mib: int  # P6
    big: int  # P4
    delete_objects: int  # J1
    copy_objects: int  # J2
    cross_mib: int  # J3
    zip_mib: int = 1024  # Z1: the folder's size (100 files)
    small: int = 100
    page_repeat: int = 20  # P4, P7: pages per sample
    wrk_seconds: int = 10  # P5: per round and endpoint
    clients: int = 32
    rows: int = 1000  # P7
    sort_objects: int = 10_000  # P8: the sorted listing's bound
    empty_jobs: int = 20  # J4 samples
    settle_quiet: float = 3.0  # seconds SeaweedFS stays idle before a measure
    settle_timeout: float = 120.0
    sample_quiet: float = 1.0  # ... before a sample that moves many bytes or objects (at most 30 s)

    @classmethod
    def make(cls, quick: bool, rounds: int | None) -> Plan:
        if quick:
            return cls(True, rounds or 2, rounds or 2, upload_mib=48, commercial_mib=32, big=2000,
                       delete_objects=2000, copy_objects=300, cross_mib=256, zip_mib=64, page_repeat=5, wrk_seconds=3,
                       settle_quiet=2.0, settle_timeout=30.0, sample_quiet=0.5, sort_objects=2000)
        return cls(False, rounds or 5, rounds or 3, upload_mib=1024, commercial_mib=256, big=100_000,
                   delete_objects=100_000, copy_objects=10_000, cross_mib=5120)


@dataclass
class World:
    plan: Plan
    data: Path
    seaweed: object
    spec: object
    console: subprocess.Popen
    base: str
    cookies: dict
    ports: range | None = None  # where every server takes its ports from (None: any free ones)
    storages: list = field(default_factory=list)  # other SeaweedFS instances (J3 starts a second)
    worker: WorkerProcess | None = None
    log: list[str] = field(default_factory=list)
    not_measured: list[str] = field(default_factory=list)  # rows this run could not measure, and why

    def say(self, text: str) -> None:
        print(text, flush=True)
        self.log.append(text)

    def jobs_worker(self) -> WorkerProcess:
        """The jobs worker process (started by the first jobs row, kept to the end of the run)."""
        if self.worker is None:
            self.worker = WorkerProcess(self.data)
        return self.worker

    def close(self) -> None:
        """Stop what the measures started, and the console (the main SeaweedFS is its starter's to stop)."""
        if self.worker is not None:
            self.worker.stop()
        for storage in self.storages:
            storage.stop()
        stop_process(self.console)

    def storage_pids(self) -> list[int]:
        return [s.process.pid for s in [self.seaweed, *self.storages] if s.process and s.process.poll() is None]

    def settle(self) -> Settled:
        """Before a measure: SeaweedFS idle for plan.settle_quiet seconds (at most plan.settle_timeout)."""
        return settle(self.storage_pids, quiet=self.plan.settle_quiet, timeout=self.plan.settle_timeout)

    def settle_briefly(self) -> Settled:
        """Before a sample that moves many bytes or objects: idle for plan.sample_quiet (at most 30 s)."""
        settled = settle(self.storage_pids, quiet=self.plan.sample_quiet, timeout=30.0)
        if not settled.settled:
            self.say(f"  (SeaweedFS still busy before a sample: {settled.cell()})")
        return settled
