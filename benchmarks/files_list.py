"""First page of a folder of 100,000 objects vs one of 100: time, S3 calls and SQL queries per page.

The objects are made once with many concurrent small PUTs and kept in DATA (default
.data/bench-files-list, gitignored), so reruns start at once. Pages are rendered in-process by
the Django test client (DEBUG off), signed in as a viewer and as an editor (whose page also
reads the connection's upload cap for the upload widget).

    .venv/bin/python benchmarks/files_list.py [--big 100000] [--small 100] [--repeat 40]

Goals (issue #5): time ratio <= 1.2, one S3 call and at most 5 SQL queries per page.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from files_support import ROOT, prepare, setup_django, start_seaweedfs

BUCKET = "bench-list"


def populate(gateway, folder: str, count: int) -> None:
    marker = f"populated/{folder}-{count}"
    try:
        gateway.get_object_meta("bench", marker)
        return
    except Exception:  # not made yet
        pass
    started = time.perf_counter()
    with ThreadPoolExecutor(64) as pool:
        list(pool.map(lambda i: gateway.simple_upload("bench", f"{folder}/obj-{i:06d}.txt", b"x"), range(count)))
    gateway.simple_upload("bench", marker, b"")
    print(f"made {count} objects in {folder}/ in {time.perf_counter() - started:.0f} s")


def measure(client, folder: str, repeat: int) -> tuple[float, int, int]:
    """The median seconds of `repeat` first pages of `folder`, and the S3 calls and SQL queries of one."""
    from rows_pages import page_samples

    ms, calls, queries = page_samples(client, f"/files/bench/?prefix={folder}/", repeat, b"obj-000000.txt")
    return ms / 1000, calls, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--data", default=str(ROOT / ".data" / "bench-files-list"))
    args = parser.parse_args()
    data = Path(args.data)
    setup_django(data)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: pages need the manifest
    seaweed = start_seaweedfs(data)
    try:
        spec = prepare(seaweed, BUCKET)
        from django.contrib.auth.models import Group, User
        from django.test import Client

        from storage.connections import StaticRegistry
        from storage.s3.gateway import S3Gateway

        gateway = S3Gateway(StaticRegistry([spec]))
        populate(gateway, "small", args.small)
        populate(gateway, "big", args.big)
        viewer, _ = User.objects.get_or_create(username="bench-viewer")
        viewer.groups.add(Group.objects.get(name="viewer"))
        for who in ("bench-viewer", "bench-editor"):
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(User.objects.get(username=who))
            measure(client, "small", 3)  # warm: clients built, templates loaded
            small = measure(client, "small", args.repeat)
            big = measure(client, "big", args.repeat)
            print(f"{who}: first page of {args.small} objects {small[0] * 1000:.1f} ms, of {args.big} objects "
                  f"{big[0] * 1000:.1f} ms (median of {args.repeat}); ratio {big[0] / small[0]:.2f} (goal <= 1.2); "
                  f"S3 calls per page {small[1]} / {big[1]}; SQL queries per page {small[2]} / {big[2]}")
    finally:
        seaweed.stop()


if __name__ == "__main__":
    main()
