"""`benchmarks/bench.py --quick` runs to the end and prints every row (a smoke test: timings are not judged)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = {"P1": 1, "P2": 1, "P3": 4, "P4": 3, "P5": 3, "P6": 2, "P7": 2, "J1": 1, "J2": 1, "J3": 2, "J4": 2,
        "P8": 4, "U1": 1, "Z1": 1, "S1": 1}

pytestmark = pytest.mark.integration


def cross_copies() -> bool:
    from console.jobs.models import Job

    return any(f.name == "dest_connection" for f in Job._meta.get_fields())


def run_in_own_group(command: list[str], *, env: dict, timeout: float) -> subprocess.CompletedProcess:
    """`command` to its end, or, past `timeout`, stopped with everything it started (its SeaweedFS, gunicorn and
    Chromium would outlive it otherwise, and hold their ports and CPU for the rest of the run)."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def test_quick_benchmark_completes_and_prints_every_row():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_", "DATABASE_URL"))}
    # Half the quick sizes, still past every threshold the rows cross (S3Gateway's 16 MiB multipart, the
    # widget's 16 MiB parts, J3's 8 MiB streamed parts); the rounds stay two, so the paired protocol runs.
    sizes = ["--upload-mib", "24", "--cross-mib", "64"]
    done = run_in_own_group([sys.executable, "benchmarks/bench.py", "--quick", *sizes], env=env, timeout=420)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = done.stdout[done.stdout.rindex("| # | measure"):]
    found = re.findall(r"^\| ([A-Z]\d) \|", table, re.M)
    expected = ROWS if cross_copies() else {**ROWS, "J3": 0}  # J3 needs copies between connections
    assert {p: found.count(p) for p in ROWS} == expected, table
    assert "| – |" not in table  # every row has numbers
    for line in re.findall(r"^\| [A-Z]\d \|.*$", table, re.M):
        load, others, settle = line.strip("| ").split(" | ")[-3:]
        assert re.fullmatch(r"[\d.]+ \([\d.]+–[\d.]+\)", load), line  # the load during the measure
        assert re.fullmatch(r"\d+% \(peak \d+%\)", others), line  # what other processes took meanwhile
        assert settle.endswith(" s") or "not idle after" in settle, line  # how long the storage took to settle
    assert (ROOT / ".data" / "bench-quick" / "BENCHMARKS.md").exists()
