from __future__ import annotations

import pytest


@pytest.fixture
def connections(db):
    """Two connection records, A and B (never reached: the rules read only the database)."""
    from storage.models import Connection

    return {name: Connection.objects.create(name=name, endpoint="http://127.0.0.1:9", bucket=name.lower())
            for name in ("A", "B")}


@pytest.fixture
def grant(connections):
    """grant(holder, role, "A", prefix=""): a grant to a user or a group; the holder is read afresh after."""
    from django.contrib.auth.models import Group

    from console.access.models import Grant

    def give(holder, role: str, connection: str = "A", prefix: str = ""):
        to = {"group": holder} if isinstance(holder, Group) else {"user": holder}
        return Grant.objects.create(connection=connections[connection], role=role, prefix=prefix, **to)

    return give
