"""What a clean clone gets: no link to somebody's machine among the tracked files."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_tracked_file_is_a_symbolic_link():
    """A committed `.venv -> /work/main/.venv` once made every clone's `make` fail, and git swapped a real
    virtualenv for the link on checkout (ignored files are expendable to git)."""
    listing = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    links = [line.split("\t", 1)[1] for line in listing.splitlines() if line.startswith("120000 ")]
    assert links == []
