"""Issue #14 items 11-12: workers killed mid-job, and two workers on the same queue.

Real worker processes (`manage.py jobs_worker`) on the test database (SQLite's file, or PostgreSQL's
`test_...` database in the PostgreSQL pass), against the real SeaweedFS.
"""

from __future__ import annotations

import contextlib
import os
import random
import time

import pytest

from console.jobs import services
from console.jobs.models import Job
from console.jobs.tasks import run as run_task
from storage.gateway import ObjectNotFound
from storage.keys import numbered
from tests.integration.console.jobs.support import files_under, put_all, uploads_under
from tests.integration.console.jobs.workers import claimed_by, job_state, wait_for

pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection")

# One object at a time, ten per checkpoint: a job of a few hundred objects lasts seconds, with many
# checkpoints and intents to be killed between (and in the middle of).
SLOW = {"JOBS_IN_FLIGHT": "1", "JOBS_BATCH_OBJECTS": "10"}


@pytest.mark.parametrize("to", [None, "other"], ids=["within", "across"])
def test_a_move_survives_workers_killed_at_random_points(users, key_prefix, workers, capsys, to, request):
    """Nothing lost, no second "(2)", and no source deleted before its copy was confirmed. Across connections
    that share no storage, the bytes stream through the worker: two objects go in parts (5 MiB, one in flight),
    so a kill may land in the middle of an upload, which the next worker continues or aborts."""
    workers.env.update(SLOW, JOBS_STREAM_PART_MB="5", JOBS_STREAM_PARTS_IN_FLIGHT="1")
    if to:
        request.getfixturevalue("other_connection")
    dest_connection = to or "primary"
    src, dst = key_prefix + "src/", key_prefix + "dst/"
    sources = {f"{src}d{n % 3}/f{n:03}.txt": os.urandom(12) for n in range(240)}
    if to:
        sources.update({f"{src}big{n}.bin": os.urandom(12 * 1024 * 1024) for n in range(2)})
    taken = {dst + key[len(src):]: b"old " + os.urandom(8) for n, key in enumerate(sources) if n % 4 == 0}
    put_all(sources)
    put_all(taken, dest_connection)
    job = services.start_job(users["editor"], Job.Kind.MOVE, "primary", items=[[src, dst]], conflict="keep_both",
                             dest_connection=to)

    kills, rng = [], random.Random(random.random())  # pytest-randomly seeds `random`: the run's seed replays this
    while len(kills) < 4:
        attempts = job_state(job.pk).attempts
        worker = workers.start()
        wait_for(lambda w=worker, a=attempts: claimed_by(job.pk, w, a), 30, "a worker to claim the job", workers)
        delay = rng.uniform(0.05, 0.8)
        if to and not kills:  # the first kill, for sure in the middle of an upload in parts
            started = time.monotonic()
            wait_for(lambda: sending_parts(job.pk, to), 60, "an upload in parts to be under way", workers)
            delay = time.monotonic() - started
        else:
            time.sleep(delay)
        if job_state(job.pk).is_finished:
            break
        workers.kill(worker)
        kills.append(round(delay, 2))
        assert_nothing_lost(sources, taken, key_prefix, dest_connection)
    workers.start()
    wait_for(lambda: job_state(job.pk).is_finished, 120, "the job to finish", workers)
    job.refresh_from_db()
    with capsys.disabled():
        print(f"\n[measure] move of {len(sources)} objects {'to another storage' if to else 'within a connection'}: "
              f"killed after {kills} s of work, {job.attempts} claims")
    assert len(kills) >= 3, "the job finished before it could be killed three times: make it longer"
    assert (job.state, job.objects_done, job.objects_failed) == (Job.State.DONE, len(sources), 0), job.last_error
    assert job.attempts == len(kills) + 1
    expected = {**taken}
    for key, body in sources.items():
        dest = dst + key[len(src):]
        expected[numbered(dest, 2) if dest in taken else dest] = body
    assert files_under(key_prefix, dest_connection) == expected
    if to:
        assert files_under(key_prefix) == {}
        assert uploads_under(key_prefix, to) == []  # what a killed worker left was continued, or aborted


def sending_parts(job_id: int, connection: str) -> bool:
    """An object of the job's intent is being sent in parts, and has some there already."""
    from console.jobs.models import JobIntent
    from storage.factory import get_gateway

    intent = JobIntent.objects.filter(job_id=job_id).first()
    for item in intent.items if intent else []:
        upload = item.get("upload") or {}
        with contextlib.suppress(ObjectNotFound):  # completed meanwhile
            if upload.get("id") and get_gateway().list_parts(connection, item["dest"], upload["id"]):
                return True
    return False


def assert_nothing_lost(sources: dict[str, bytes], taken: dict[str, bytes], prefix: str, to: str) -> None:
    """Every source's bytes are still somewhere: at the source, or at a destination (before any delete)."""
    now = {**files_under(prefix), **({f"{to}:{k}": v for k, v in files_under(prefix, to).items()}
                                      if to != "primary" else {})}
    there = files_under(prefix, to)
    where = {body: key for key, body in now.items()}
    missing = [key for key, body in sources.items() if body not in where]
    assert missing == [], f"lost after a kill: {missing[:5]}"
    assert all(there.get(key) == body for key, body in taken.items()), "an object that was there was overwritten"
    assert not [key for key in now if " (3)" in key], "a second numbered copy"


def test_two_workers_never_run_the_same_job_at_once(users, key_prefix, workers):
    """Each job sent three times over to two workers: each runs once, by one of them, and both work."""
    workers.env.update(SLOW)
    jobs = []
    for n in range(8):
        put_all({f"{key_prefix}src{n}/f{i:02}.txt": b"%d" % i for i in range(25)})
        jobs.append(services.start_job(users["editor"], Job.Kind.COPY, "primary", conflict="keep_both",
                                       items=[[f"{key_prefix}src{n}/", f"{key_prefix}dst{n}/"]]))
    for job in jobs:
        for _ in range(3):
            run_task.enqueue(job.pk)
    workers.start(), workers.start()
    wait_for(lambda: all(job_state(j.pk).is_finished for j in jobs), 90, "every job to finish", workers)
    finished = [job_state(j.pk) for j in jobs]
    assert [(j.state, j.attempts, j.objects_done) for j in finished] == [(Job.State.DONE, 1, 25)] * 8
    assert len({j.worker for j in finished}) == 2, "both workers should have run jobs"
    for n in range(8):
        names = sorted(key.rsplit("/", 1)[1] for key in files_under(f"{key_prefix}dst{n}/"))
        assert names == [f"f{i:02}.txt" for i in range(25)]
