"""`make test` runs its two passes side by side: what one pass picks or keeps is never the other's."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from storage.dev.seaweedfs import port_range

ROOT = Path(__file__).resolve().parents[2]
EPHEMERAL_START = 32768  # Linux's default ip_local_port_range: ports the system hands out (bind to 0, connect)


def commands() -> list[str]:
    """What `make test` would run, as make prints it (-n runs only the recursive make)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "-n", "--no-print-directory", "test"], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True, timeout=60)
    return done.stdout.replace("\\\n", " ").splitlines()


def passes() -> dict[str, str]:
    found = {}
    for line in commands():
        if " -m pytest" in line:
            found["postgres" if "TEST_DATABASE=postgres" in line else "sqlite"] = line
    return found


def ports_bound(command: str) -> set[int]:
    """The ports the pass may pick, and their gRPC twins (port + 10000) that SeaweedFS binds as well."""
    picked = port_range(re.search(r"FREE_PORTS=(\S+)", command)[1])
    return set(picked) | {port + 10000 for port in picked}


def test_it_runs_both_passes_at_once_each_printed_whole():
    assert any(re.search(r"make .*-j2 --output-sync=target test-sqlite test-postgres", line) for line in commands())
    assert set(passes()) == {"sqlite", "postgres"}


def test_neither_pass_can_pick_a_port_of_the_other_nor_one_the_system_hands_out():
    sqlite, postgres = (ports_bound(passes()[name]) for name in ("sqlite", "postgres"))
    assert not sqlite & postgres
    assert max(sqlite | postgres) < EPHEMERAL_START


def test_each_pass_keeps_its_own_pytest_cache():
    caches = {name: re.search(r"cache_dir=(\S+)", command) for name, command in passes().items()}
    assert len({match[1] if match else ".pytest_cache" for match in caches.values()}) == 2
