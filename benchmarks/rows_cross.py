"""J3: one large object copied by a copy job between two connections that share no storage, against rclone.

The second connection is a second SeaweedFS with other credentials, so the bytes must stream
through the worker (console/jobs/operations/stream.py); rclone copies between the same two
remotes with the same part size and parts in flight. The worker's RSS is sampled while it copies:
its peak growth is the memory a copy of any size costs.
"""

from __future__ import annotations

import io
import os
import subprocess
import time
import uuid

from django.conf import settings
from files_support import CONNECTION, MiB, add_connection, start_seaweedfs
from jobs_support import RssPeak, run_job
from paired import at_least, at_most, interleave
from peers import rclone_binary, rclone_env
from report import Row
from rows_jobs import Sample, costed, cpu_note
from world import World

DEST = "bench-dst"  # the second connection, and its bucket


class RandomBytes(io.RawIOBase):
    """`size` bytes of an 8 MiB random block repeated, read as a stream (no 5 GiB file on disk)."""

    def __init__(self, size: int) -> None:
        self.block, self.left = os.urandom(8 * MiB), size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left, len(self.block))
        buffer[:n] = self.block[:n]
        self.left -= n
        return n


def second_storage(w: World):
    """A second SeaweedFS (other credentials, ports from the same range) and its connection record."""
    server = start_seaweedfs(w.data / "second", ports=w.ports, access_key="bench-dst",
                             secret_key="bench-dst-secret-9876543210")
    w.storages.append(server)
    return server, add_connection(server, DEST, DEST)


def supported() -> bool:
    """Whether this build copies between connections (start_job's dest_connection: branch s23-cross)."""
    from console.jobs.models import Job

    return any(f.name == "dest_connection" for f in Job._meta.get_fields())


def measure_cross_copy(w: World) -> list[Row]:
    from storage.connections import StaticRegistry
    from storage.s3.gateway import S3Gateway

    if not supported():
        w.not_measured.append("J3 (copy between two storages): this build has no copies between connections "
                              "(start_job's dest_connection)")
        return []
    size, mib = w.plan.cross_mib * MiB, w.plan.cross_mib
    server, dest_spec = second_storage(w)
    gateways = S3Gateway(StaticRegistry([w.spec, dest_spec]))
    key = f"j3/source-{w.plan.cross_mib}.bin"
    try:
        gateways.upload_file(CONNECTION, key, RandomBytes(size), size)
        worker = w.jobs_worker()
        growth: list[float] = []

        def copied(dest_key: str) -> None:
            """The copy is whole (its size), then removed; the storage settles before the next sample."""
            if gateways.get_object_meta(DEST, dest_key).size != size:
                raise SystemExit(f"J3: {dest_key} does not have the source's {size} bytes")
            gateways.delete_file(DEST, dest_key)
            w.settle_briefly()

        def ours() -> Sample:
            dest_key = f"j3/ours-{uuid.uuid4().hex[:8]}.bin"
            peak = RssPeak(worker.pid)
            peak.start()
            sample = costed(w, mib, lambda: run_job("copy", items=[[key, dest_key]], conflict="overwrite",
                                                    dest_connection=DEST).seconds)
            growth.append(peak.growth() / MiB)
            copied(dest_key)
            return sample

        def peer() -> Sample:
            dest_key = f"j3/rclone-{uuid.uuid4().hex[:8]}.bin"

            def run() -> float:
                started = time.perf_counter()
                subprocess.run([rclone_binary(), "copyto", f"src:{w.spec.bucket}/{key}", f"dst:{DEST}/{dest_key}",
                                "--s3-chunk-size", f"{part_mb()}M", "--s3-upload-concurrency", str(in_flight())],
                               env=rclone_env({"src": w.spec, "dst": dest_spec}), check=True, capture_output=True)
                return time.perf_counter() - started

            sample = costed(w, mib, run)
            copied(dest_key)
            return sample

        w.settle_briefly()
        got = interleave(w.plan.heavy_rounds, {"ours": ours, "rclone": peer})
    finally:  # nothing of 5 GiB is left behind: the source goes, and the second storage reclaims its space
        gateways.delete_file(CONNECTION, key)
        w.storages.remove(server)
        server.vacuum()
        server.stop()
    label = f"one object of {w.plan.cross_mib:,} MiB"
    return [
        Row("J3", f"copy job, {label} between two storages (streamed by the worker) ÷ rclone copyto", "MiB/s",
            [s.rate for s in got["ours"]], at_least(0.8), [s.rate for s in got["rclone"]],
            note=f"a second SeaweedFS with other credentials; ours: {part_mb()} MiB parts, {in_flight()} in flight "
                 f"(JOBS_STREAM_PART_MB, JOBS_STREAM_PARTS_IN_FLIGHT); rclone copyto with the same "
                 f"(--s3-chunk-size, --s3-upload-concurrency). {cpu_note(got, mib, 'GiB', 1024)} (both storages)"),
        Row("J3", "copy job between two storages: the worker process's peak RSS growth", "MiB", growth,
            at_most(128, "≤ 128 MiB", every=True), note="RSS of the jobs_worker process every 20 ms during the "
                                                         "copy, less its RSS when the job was started"),
    ]


def part_mb() -> int:
    return settings.JOBS_STREAM_PART_MB


def in_flight() -> int:
    return settings.JOBS_STREAM_PARTS_IN_FLIGHT
