"""R1: reading an object as a stream (S3Gateway.open_object) against boto3's get_object body, each in a fresh
process, on the same object in the same SeaweedFS; and the peak RSS growth of each (flat in the object's size)."""

from __future__ import annotations

import statistics
import uuid

from files_support import GiB, MiB, random_file
from paired import at_least, at_most, interleave
from report import Row
from rows_transfers import transfer
from world import World


def measure_reads(w: World) -> list[Row]:
    from storage.s3.client import build_client

    plan = w.plan
    path = random_file(w.data / "upload.bin", plan.upload_mib * MiB)  # the same file P3 uploads
    size = path.stat().st_size
    key = f"r1/{uuid.uuid4().hex}.bin"
    s3 = build_client(w.spec)
    s3.upload_file(str(path), w.spec.bucket, key)
    try:
        got = interleave(plan.rounds, {who: lambda who=who: transfer(w, who, "read", path, key, size)
                                       for who in ("gateway", "boto3")}, w.settle_briefly)
    finally:
        s3.delete_object(Bucket=w.spec.bucket, Key=key)
    ours, boto = ([size / MiB / a["seconds"] for a in got[who]] for who in ("gateway", "boto3"))
    cpu = {who: [a["cpu"] / (size / GiB) for a in got[who]] for who in ("gateway", "boto3")}
    rss = {who: [a["rss_growth"] / MiB for a in got[who]] for who in ("gateway", "boto3")}
    return [
        Row("R1", f"S3Gateway.open_object streaming {plan.upload_mib} MiB ÷ boto3 get_object streaming", "MiB/s",
            ours, at_least(0.95), boto, note="1 MiB chunks, bytes dropped; each read in a fresh process"),
        Row("R1", "S3Gateway.open_object streaming: client CPU per GiB ÷ boto3's", "s/GiB", cpu["gateway"],
            at_most(1.1), cpu["boto3"], note="the reading process's own CPU time: what the wrapper costs"),
        Row("R1", "S3Gateway.open_object streaming: peak RSS growth", "MiB", rss["gateway"],
            at_most(16, "≤ 16 MiB", every=True),
            note=f"boto3 get_object's own: median {statistics.median(rss['boto3']):.1f} MiB"),
    ]
