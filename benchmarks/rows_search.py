"""S1: the file manager's search below a folder against `aws s3 ls --recursive | grep -i`, on the same objects.

Both scan P4's big folder (100,000 objects; 2,000 in --quick) on the same SeaweedFS for a name that 100 of
them hold. Ours is the search stream (GET .../search/stream/, NDJSON) read to its last line from the console
under gunicorn, signed in as the bench editor; the peer is the AWS CLI (awscli from PyPI, the dev extra)
listing the folder recursively, piped to grep. Each sample's rate is objects scanned per second, so the
ratio is the peer's time over ours. The AWS CLI's start (~0.5 s of Python imports) is part of its time, as
it is of every use of it; the note gives our time to the first line, the peer's start alone, and the
number of listing calls both make.
"""

from __future__ import annotations

import subprocess
import time

import requests
from files_support import CONNECTION
from fill import populate
from paired import at_least, interleave
from peers import aws_binary, aws_env
from report import Row
from world import World

TERM = "obj-0012"  # obj-001200.txt ... obj-001299.txt: 100 names, whatever the folder's size above 1,300
EXPECTED = 100


def peer_search(w: World, folder: str) -> float:
    """Seconds for `aws s3 ls --recursive s3://bucket/folder/ | grep -i TERM`, checked to find EXPECTED lines."""
    command = (f"'{aws_binary()}' s3 ls --recursive --endpoint-url '{w.spec.endpoint}' "
               f"'s3://{w.spec.bucket}/{folder}/' | grep -i -- '{TERM}'")
    started = time.perf_counter()
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], env=aws_env(w.spec), capture_output=True,
                          text=True)
    seconds = time.perf_counter() - started
    if done.returncode or len(done.stdout.splitlines()) != EXPECTED:
        raise SystemExit(f"aws s3 ls | grep found {len(done.stdout.splitlines())} lines: {done.stderr[-2000:]}")
    return seconds


def peer_start() -> float:
    """Seconds for `aws --version`: the CLI's start alone."""
    started = time.perf_counter()
    subprocess.run([aws_binary(), "--version"], capture_output=True, check=True)
    return time.perf_counter() - started


def our_search(w: World, folder: str, count: int, first: list[float]) -> float:
    """Seconds for the search stream, read to its end; checked to have scanned `count` and found EXPECTED."""
    import json

    url = f"{w.base}/files/{CONNECTION}/search/stream/"
    started = time.perf_counter()
    with requests.get(url, params={"prefix": folder + "/", "q": TERM}, cookies=w.cookies, stream=True,
                      timeout=300) as response:
        response.raise_for_status()
        last = None
        for line in response.iter_lines():
            if last is None:
                first.append(time.perf_counter() - started)
            last = json.loads(line)
    seconds = time.perf_counter() - started
    if not last or last.get("end") != "finished" or last["scanned"] != count or last["found"] != EXPECTED:
        raise SystemExit(f"the search ended with {last}")
    return seconds


def measure_search(w: World) -> list[Row]:
    plan = w.plan
    folder = f"big{plan.big}"
    populate(w, folder, plan.big)  # P4's folder
    first: list[float] = []
    our_search(w, folder, plan.big, first), peer_search(w, folder)  # warm both
    got = interleave(plan.rounds * 2, {"ours": lambda: our_search(w, folder, plan.big, first),
                                       "aws": lambda: peer_search(w, folder)})
    ours = [plan.big / s for s in got["ours"]]
    peer = [plan.big / s for s in got["aws"]]
    starts = sorted(peer_start() for _ in range(3))
    median = sorted(got["ours"])[len(got["ours"]) // 2]
    return [Row("S1", f"search scan rate, folder of {plan.big:,} ÷ aws s3 ls --recursive | grep -i", "objects/s",
                ours, at_least(1.0), peer,
                note=f"ours {median:.2f} s a search (first line after {sorted(first)[len(first) // 2] * 1000:.0f} ms), "
                     f"{plan.big / median:,.0f} objects/s; the AWS CLI's start alone {starts[1]:.2f} s; "
                     f"both make {-(-plan.big // 1000)} listing calls of 1,000 keys")]
