"""`benchmarks/bench.py --quick` runs to the end and prints every row (a smoke test: timings are not judged)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = {"P1": 1, "P2": 1, "P3": 4, "P4": 3, "P5": 3, "P6": 2, "P7": 2}

pytestmark = pytest.mark.integration


def test_quick_benchmark_completes_and_prints_every_row():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_", "DATABASE_URL"))}
    done = subprocess.run([sys.executable, "benchmarks/bench.py", "--quick"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = done.stdout[done.stdout.rindex("| # | measure"):]
    found = re.findall(r"^\| (P\d) \|", table, re.M)
    assert {p: found.count(p) for p in ROWS} == ROWS, table
    assert "| – |" not in table  # every row has numbers
    assert (ROOT / ".data" / "bench-quick" / "BENCHMARKS.md").exists()
