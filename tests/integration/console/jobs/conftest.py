from __future__ import annotations

import pytest

from tests.integration.console.jobs.workers import Workers


@pytest.fixture
def workers(tmp_path):
    """Start worker processes with `workers.start()`; every one is killed at the end of the test."""
    started = Workers(tmp_path)
    yield started
    started.stop_all()
