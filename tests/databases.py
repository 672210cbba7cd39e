"""What the tests need to know about the database they run on (SQLite, or PostgreSQL with TEST_DATABASE)."""

from __future__ import annotations

import functools
import threading

import pytest
from django.db import connection


def only_on(vendor: str, why: str):
    """Skip a test written for one database's own locking on the other one, saying why."""
    return pytest.mark.skipif(connection.vendor != vendor, reason=f"{vendor} only: {why}")



def session_id() -> str:
    """This thread's database session: PostgreSQL's backend PID, or SQLite's connection object."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return f"pid {cursor.fetchone()[0]}"
    connection.ensure_connection()
    return f"sqlite {id(connection.connection)}"


class Rendezvous:
    """Holds the first `parties` calls until all of them are inside at once, each on its own database session.

    Wrapping the function where a race is decided (a claim, a switch, a throttle) makes a test prove
    that it really ran in parallel: had the server taken the requests one by one, the barrier breaks
    and the requests fail. `sessions` holds the distinct sessions seen there, all open at the same
    moment; on PostgreSQL each is a backend process of its own. Later calls pass straight through.
    """

    def __init__(self, parties: int, *, timeout: float = 60):
        self.parties = parties
        self.barrier = threading.Barrier(parties, timeout=timeout)
        self.sessions: set[str] = set()
        self._joined = 0
        self._lock = threading.Lock()

    def join(self) -> bool:
        """Wait for the others if this call is one of the first `parties`; False for a later call."""
        with self._lock:
            joining = self._joined < self.parties
            self._joined += 1
        if joining:
            session = session_id()
            with self._lock:
                self.sessions.add(session)
            self.barrier.wait()
        return joining

    def wrap(self, function):
        @functools.wraps(function)
        def wrapped(*args, **kwargs):
            self.join()
            return function(*args, **kwargs)

        return wrapped
