"""`make test` runs its three passes side by side: what one pass picks or keeps is never another's, and the two
SQLite passes together run every test."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from storage.dev.seaweedfs import port_range

ROOT = Path(__file__).resolve().parents[2]
EPHEMERAL_START = 32768  # Linux's default ip_local_port_range: ports the system hands out (bind to 0, connect)
PASSES = ("test-sqlite-integration", "test-sqlite-others", "test-postgres")


def commands() -> list[str]:
    """What `make test` would run, as make prints it (-n runs only the recursive make)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "-n", "--no-print-directory", "test"], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True, timeout=60)
    return done.stdout.replace("\\\n", " ").splitlines()


def passes() -> list[str]:
    return [line for line in commands() if " -m pytest" in line]


def ports_bound(command: str) -> set[int]:
    """The ports the pass may pick, and their gRPC twins (port + 10000) that SeaweedFS binds as well."""
    picked = port_range(re.search(r"FREE_PORTS=(\S+)", command)[1])
    return set(picked) | {port + 10000 for port in picked}


def test_it_runs_the_three_passes_at_once_each_printed_whole():
    assert any(re.search(r"make .*-j3 --output-sync=target " + " ".join(PASSES), line) for line in commands())
    assert len(passes()) == 3
    assert sum("TEST_DATABASE=postgres" in command for command in passes()) == 1


def test_no_pass_can_pick_a_port_of_another_nor_one_the_system_hands_out():
    bound = [ports_bound(command) for command in passes()]
    for i, ports in enumerate(bound):
        for other in bound[i + 1:]:
            assert not ports & other
        assert max(ports) < EPHEMERAL_START


def test_each_pass_keeps_its_own_pytest_cache():
    caches = [re.search(r"cache_dir=(\S+)", command) for command in passes()]
    assert len({match[1] if match else ".pytest_cache" for match in caches}) == 3


def test_the_sqlite_passes_together_run_every_test_file_once():
    sqlite = [command for command in passes() if "TEST_DATABASE=postgres" not in command]
    paths = [path for command in sqlite for path in re.findall(r"\s(tests/\S+)", command)]
    assert len(paths) == len(set(paths))
    test_files = {path.relative_to(ROOT) for path in (ROOT / "tests").rglob("test_*.py")}
    assert test_files and all(any(str(f).startswith(p.rstrip("/") + "/") for p in paths) for f in test_files)
