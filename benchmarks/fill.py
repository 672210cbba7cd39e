"""Folders of many small objects, made fast: rclone copies a local folder of one-byte files (64 at once).

Filling is never measured. Without rclone, 32 threads of PUTs through S3Gateway do it (3x slower here).
"""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from files_support import CONNECTION
from peers import rclone_binary, rclone_env
from world import World


def key_name(i: int) -> str:
    return f"obj-{i:06d}.txt"


def local_folder(data: Path, count: int) -> Path:
    """A folder of `count` one-byte files named like the objects, kept in DATA for later runs."""
    folder = data / f"fill-{count}"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            (folder / key_name(i)).write_bytes(b"x")
        done.touch()
    return folder


def fill(w: World, folder: str, count: int, *, spec=None, remote: str = "bench") -> float:
    """Put `count` objects obj-000000.txt ... under `folder/` on `spec` (the bench's own by default); seconds."""
    spec = spec or w.spec
    started = time.perf_counter()
    rclone = rclone_binary()
    if rclone:
        subprocess.run([rclone, "copy", str(local_folder(w.data, count)), f"{remote}:{spec.bucket}/{folder}/",
                        "--exclude", ".complete", "--transfers", "64", "--checkers", "16", "--no-check-dest",
                        "--s3-no-check-bucket", "--s3-no-head", "--retries", "1"],
                       env=rclone_env({remote: spec}), check=True, capture_output=True)
    else:
        from storage.connections import StaticRegistry
        from storage.s3.gateway import S3Gateway

        gateway = S3Gateway(StaticRegistry([spec]))
        with ThreadPoolExecutor(32) as pool:  # the client's connection pool holds 32
            list(pool.map(lambda i: gateway.simple_upload(spec.name, f"{folder}/{key_name(i)}", b"x"), range(count)))
    return time.perf_counter() - started


def populate(w: World, folder: str, count: int) -> None:
    """`fill` once: a marker object says the folder is complete, and later runs reuse it."""
    from storage.connections import StaticRegistry
    from storage.gateway import ObjectNotFound
    from storage.s3.gateway import S3Gateway

    gateway = S3Gateway(StaticRegistry([w.spec]))
    marker = f"populated/{folder}-{count}"
    try:
        gateway.get_object_meta(CONNECTION, marker)
        return
    except ObjectNotFound:
        pass
    seconds = fill(w, folder, count)
    gateway.simple_upload(CONNECTION, marker, b"")
    w.say(f"  made {count:,} objects in {folder}/ in {seconds:.0f} s (kept for later runs)")
