"""The performance budgets (issues #7 and #14), each measured against its baseline in the same run.

    make bench                                   # the full run; writes BENCHMARKS.md
    .venv/bin/python benchmarks/bench.py --quick # a smoke run (< 3 minutes); writes .data/bench-quick/
    .venv/bin/python benchmarks/bench.py --only P4,J4 --rounds 5
    BENCH_PORTS=18200-18299 make bench           # every server on ports of that range

Starts its own SeaweedFS, a console under gunicorn and a jobs worker (`manage.py jobs_worker`),
all on 127.0.0.1 with data in .data/bench or .data/bench-quick (gitignored). Every row is measured
by the paired protocol (paired.py): subject and baseline samples in turn, judged on the median of
the paired ratios, with their spread, after the storage has settled, beside the load and the CPU
that other processes took meanwhile (conditions.py). Goals are reported, never enforced: a missed
goal does not make the run fail.

P1 console CPU per GiB uploaded through the browser flow; P2 that flow's throughput / the best of
boto3 upload_file and rclone copyto; P3 S3Gateway upload_file / download_file_to_local / boto3's
transfer manager, and their peak RSS growth; P4 first page of a big folder / of 100 objects; P5
the signing endpoint under gunicorn with 32 clients (wrk) / a trivial signed-in endpoint; P6 the
commercial path / direct S3Gateway; P7 a page of 1,000 rows; S1 the search below a folder's scan rate (P4's
folder) / `aws s3 ls --recursive | grep -i`. J1 a delete job on a folder of
100,000 objects / rclone purge; J2 a copy job of 10,000 objects within a connection / rclone copy
(server-side); J3 a copy job of 5 GiB between two storages / rclone copy, and the worker's RSS;
J4 an empty job from enqueue to done. R1 S3Gateway.open_object streaming / boto3 get_object streaming, and the
peak RSS growth of each (issue #19). Issue #16: U1 a real Chromium upload through the file page / boto3
upload_file; Z1 the zip download of a folder in headless Chromium / the same files downloaded one by one
from their presigned URLs. Issue #19: I1 re-uploading a file already stored (an instant upload) / uploading it
fresh, in headless Chromium. Issue #20, the S3 endpoint (/s3/): E1 `aws s3 cp` up and down through it / straight
to SeaweedFS; E2 the console's peak RSS growth meanwhile; E3 4 KiB objects PUT+GET, 16 in parallel, through it /
straight (E, not S: S1 is the search row).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from conditions import Watch
from files_support import (
    GUNICORN,
    ROOT,
    prepare,
    setup_django,
    signed_in_session,
    start_console,
    start_seaweedfs,
    stop_process,
)
from report import Row, machine, table, write_report
from rows_browser_upload import measure_chromium_upload
from rows_cross import measure_cross_copy
from rows_endpoint import measure_endpoint_transfers, measure_small_objects
from rows_instant import measure_instant_upload
from rows_jobs import measure_copy_job, measure_delete_job, measure_empty_job
from rows_local import measure_local
from rows_pages import measure_big_page, measure_first_page
from rows_reads import measure_reads
from rows_search import measure_search
from rows_signing import measure_signing
from rows_sort import measure_sorted_page
from rows_transfers import measure_commercial, measure_transfers, measure_upload
from rows_zip import measure_zip
from world import BUCKET, Plan, World

MEASURES: dict[str, Callable[[World], list[Row]]] = {
    "P1": measure_upload, "P2": measure_upload, "P3": measure_transfers, "P4": measure_first_page,
    "P5": measure_signing, "P6": measure_commercial, "P7": measure_big_page, "P8": measure_sorted_page,
    "R1": measure_reads,
    "S1": measure_search,
    "J1": measure_delete_job, "J2": measure_copy_job, "J3": measure_cross_copy, "J4": measure_empty_job,
    "U1": measure_chromium_upload,
    "Z1": measure_zip,
    "I1": measure_instant_upload,
    "L1": measure_local,
    "E1": measure_endpoint_transfers, "E2": measure_endpoint_transfers, "E3": measure_small_objects,
}
SERVERS = (f"SeaweedFS `weed mini` and the console under gunicorn ({GUNICORN['workers']} workers × "
           f"{GUNICORN['threads']} threads, gthread, DEBUG off, SQLite) and one jobs worker (`manage.py jobs_worker`, "
           "from J1 on), all on 127.0.0.1, sharing the machine's cores with the clients; J3 starts a second SeaweedFS.")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 rounds: a smoke run under 3 minutes")
    parser.add_argument("--only", default="", help="comma-separated measures, e.g. P4,J4")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--upload-mib", type=int, default=None, help="P1-P3 file size (default 1024; quick 48)")
    parser.add_argument("--delete-objects", type=int, default=None, help="J1 folder size (default 100,000)")
    parser.add_argument("--copy-objects", type=int, default=None, help="J2 folder size (default 10,000)")
    parser.add_argument("--cross-mib", type=int, default=None, help="J3 object size (default 5120)")
    parser.add_argument("--data", default=None)
    parser.add_argument("--ports", default=os.environ.get("BENCH_PORTS", ""),
                        help="take every server's ports from this range, e.g. 18200-18299 (env BENCH_PORTS)")
    parser.add_argument("--out", default=None,
                        help="where to write the report (default: BENCHMARKS.md for the full run, else in DATA)")
    return parser.parse_args()


def measure(world: World, name: str, fn: Callable[[World], list[Row]]) -> list[Row]:
    """One measure: the storage settles first; the load and the others' CPU are watched while it runs."""
    settled = world.settle()
    started = time.perf_counter()
    world.say(f"{name}: {fn.__name__} (settled in {settled.cell()}, load {os.getloadavg()[0]:.2f}) ...")
    watch = Watch()
    watch.start()
    try:
        rows = fn(world)
    finally:
        seen = watch.stop()
    for row in rows:
        row.seen, row.settled = seen, settled
        world.say("  " + " | ".join(row.cells()) + (f"  [{row.note}]" if row.note else ""))
    world.say(f"  ({time.perf_counter() - started:.0f} s)")
    world.seaweed.vacuum()  # deleted objects keep their disk space until a vacuum
    return rows


def run(world: World, wanted: list[str]) -> list[Row]:
    rows: list[Row] = []
    done: set = set()
    for name in wanted:
        fn = MEASURES[name]
        if fn not in done:
            done.add(fn)
            rows += [r for r in measure(world, name, fn) if r.id in wanted]
    return rows


def main() -> None:
    args = arguments()
    plan = Plan.make(args.quick, args.rounds)
    for name in ("upload_mib", "delete_objects", "copy_objects", "cross_mib"):
        setattr(plan, name, getattr(args, name) or getattr(plan, name))
    from storage.dev.seaweedfs import free_port, port_range

    ports = port_range(args.ports)
    data = Path(args.data or ROOT / ".data" / ("bench-quick" if plan.quick else "bench"))
    wanted = [m.strip().upper() for m in args.only.split(",") if m.strip()] or list(MEASURES)
    sizes = (args.upload_mib, args.delete_objects, args.copy_objects, args.cross_mib)
    partial = args.quick or args.only or args.rounds or any(sizes)  # not the published run
    out = Path(args.out) if args.out else (data / "BENCHMARKS.md" if partial else ROOT / "BENCHMARKS.md")
    command = "python benchmarks/bench.py " + " ".join(sys.argv[1:]) if partial else "make bench"
    began = time.perf_counter()
    setup_django(data)
    seaweed = start_seaweedfs(data, ports=ports)
    console = world = None
    try:
        spec = prepare(seaweed, BUCKET)
        port = free_port(ports)
        console = start_console(data, port)
        base = f"http://127.0.0.1:{port}"
        world = World(plan, data, seaweed, spec, console, base, signed_in_session(base).cookies.get_dict(),
                      ports=ports)
        world.say(f"bench: {'quick' if plan.quick else 'full'}, {plan.rounds} rounds; {machine()}; "
                  f"SeaweedFS {seaweed.endpoint}, console {base}")
        rows = run(world, wanted)
        not_measured = world.not_measured
    finally:
        if world is not None:
            world.close()  # the worker, the console, any other storage
        elif console is not None:
            stop_process(console)
        seaweed.stop()
    seconds = time.perf_counter() - began
    print("\n" + table(rows))
    print(f"\n{len(rows)} rows, {sum(r.met is True for r in rows)} goals met, "
          f"{sum(r.judged.noisy for r in rows)} noisy; {seconds:.0f} s; load now {os.getloadavg()[0]:.2f}")
    for line in not_measured:
        print(f"not measured: {line}")
    write_report(out, rows, quick=plan.quick, rounds=plan.rounds, command=command, seconds=seconds, servers=SERVERS,
                 not_measured=not_measured)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
