from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def primary(db):
    """The connection jobs are started on (a job needs one that exists and is enabled); never reached here."""
    from storage.models import Connection

    return Connection.objects.create(name="primary", endpoint="http://127.0.0.1:9", bucket="jobs", is_default=True)
