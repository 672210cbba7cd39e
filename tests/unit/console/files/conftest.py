"""Fixtures shared by the file manager's unit tests."""

from __future__ import annotations

import pytest

from console.files import sorted_listing
from console.files.sorted_listing import read_sorted
from console.files.views import browse


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """Whole-folder readings made (one entry each), with two entries a listing call so each takes several."""
    made: list[int] = []
    monkeypatch.setattr(browse, "read_sorted", lambda *a, **k: made.append(1) or read_sorted(*a, **k))
    monkeypatch.setattr(sorted_listing, "KEYS_PER_CALL", 2)
    return made
