"""Admins switching the default connection at the same moment, over real HTTP with parallel database sessions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.urls import reverse

from console.models import AuditEvent
from storage.models import Connection
from tests.databases import Rendezvous
from tests.integration.live_sessions import signed_in

CANDIDATES = [f"candidate-{number}" for number in range(8)]


def add_connection(name: str, **fields) -> Connection:
    return Connection.objects.create(name=name, endpoint="http://127.0.0.1:9", use_ssl=False, bucket="b",
                                     access_key_id="k", secret_access_key="s", **fields)


def switch_chain(first: str) -> list[str]:
    """The switches as recorded, followed from `first`: each one names the default it replaced."""
    replaced_by = {e.detail["previous"]: e.target for e in AuditEvent.objects.filter(kind="connection.default")}
    chain = [first]
    while chain[-1] in replaced_by and len(chain) <= len(replaced_by):
        chain.append(replaced_by[chain[-1]])
    return chain


def test_parallel_switches_leave_exactly_one_default_and_a_true_history(live_server, users, monkeypatch):
    add_connection("original", is_default=True)
    for name in CANDIDATES:
        add_connection(name)
    switches = Rendezvous(len(CANDIDATES))  # every switch is under way before any of them locks
    monkeypatch.setattr(Connection, "make_default", switches.wrap(Connection.make_default))
    admins = [signed_in(users["admin"]) for _ in CANDIDATES]

    def switch(admin, name: str) -> int:
        url = live_server.url + reverse("connection_default", args=[name])
        return admin.post(url, allow_redirects=False, timeout=90).status_code

    with ThreadPoolExecutor(max_workers=len(CANDIDATES)) as pool:
        statuses = list(pool.map(switch, admins, CANDIDATES))

    assert statuses == [302] * len(CANDIDATES)  # none refused by the one-default constraint
    assert len(switches.sessions) == len(CANDIDATES)  # all at once, each on its own database session
    defaults = list(Connection.objects.filter(is_default=True).values_list("name", flat=True))
    assert len(defaults) == 1
    chain = switch_chain("original")
    assert sorted(chain[1:]) == CANDIDATES and chain[-1] == defaults[0], chain
