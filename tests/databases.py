"""What the tests need to know about the database they run on (SQLite, or PostgreSQL with TEST_DATABASE)."""

from __future__ import annotations

import pytest
from django.db import connection


def only_on(vendor: str, why: str):
    """Skip a test written for one database's own locking on the other one, saying why."""
    return pytest.mark.skipif(connection.vendor != vendor, reason=f"{vendor} only: {why}")

