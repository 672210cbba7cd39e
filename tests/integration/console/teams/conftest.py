"""Named people for the grants and groups pages, on two connections to the session's SeaweedFS.

    admin, editor, viewer, outsider   the role groups (tests/conftest.py `users`), and no role
    boss    manager of primary (the whole bucket)
    lead    manager of primary:<test folder>team/ only
    stranger  manager of second only
    pat     editor of primary:<test folder>team/
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from console.access.models import Grant
from console.roles import EDITOR, MANAGER
from storage.models import Connection


def client_for(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def team(key_prefix) -> str:
    return key_prefix + "team/"


@pytest.fixture
def second(seaweed_connection) -> Connection:
    spec = {f: getattr(seaweed_connection, f) for f in ("endpoint", "region", "access_key_id", "secret_access_key",
                                                        "bucket", "use_ssl")}
    return Connection.objects.create(name="second", is_default=False, **spec)


@pytest.fixture
def people(users, seaweed_connection, second, team) -> dict[str, User]:
    found = dict(users)
    for name, connection, role, prefix in (("boss", seaweed_connection, MANAGER, ""),
                                           ("lead", seaweed_connection, MANAGER, team),
                                           ("stranger", second, MANAGER, ""),
                                           ("pat", seaweed_connection, EDITOR, team)):
        found[name] = User.objects.create_user(name, f"{name}@example.com", "pw")
        Grant.objects.create(connection=connection, user=found[name], role=role, prefix=prefix)
    return found


@pytest.fixture
def as_(people):
    """as_("lead") -> a client signed in as lead."""
    return lambda name: client_for(people[name])
