"""The database connection's settings, and how each vendor says it is busy.

A request never waits long behind a lock another one holds: SQLite's busy timeout and
PostgreSQL's `lock_timeout` both come from DATABASE_LOCK_TIMEOUT, and a statement that
gives up (or that PostgreSQL aborts as a deadlock or a serialization failure) is answered
with "try again" by `console.middleware.DatabaseBusyMiddleware`.
"""

from __future__ import annotations

import dj_database_url
from django.db import DatabaseError

# SQLSTATEs after which the same request, sent again, can succeed (nothing was written).
POSTGRES_BUSY_SQLSTATES = {
    "55P03": "lock_not_available",  # lock_timeout ran out
    "40001": "serialization_failure",
    "40P01": "deadlock_detected",
}
# Primary result codes (the low byte of an extended code): the database file is locked.
SQLITE_BUSY_CODES = {5: "SQLITE_BUSY", 6: "SQLITE_LOCKED"}


def database_settings(url: str, *, lock_timeout: int) -> dict:
    """Django's DATABASES["default"] for a URL, waiting at most `lock_timeout` seconds for a lock."""
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"].endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": lock_timeout,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",  # i18n: not shown (SQL)
        }
    elif config["ENGINE"].endswith("postgresql"):
        options = config.setdefault("OPTIONS", {})
        # Sent in the start-up packet: no extra round trip per connection; options from the URL are kept.
        options["options"] = f"{options.get('options', '')} -c lock_timeout={lock_timeout * 1000}".strip()
    return config


def busy_reason(error: BaseException) -> str:
    """Why the database refused for now ('' when `error` is something else), from its code, never its text."""
    if not isinstance(error, DatabaseError):
        return ""
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return POSTGRES_BUSY_SQLSTATES.get(sqlstate, "")
    code = getattr(cause, "sqlite_errorcode", None)
    return SQLITE_BUSY_CODES.get(code & 0xFF, "") if isinstance(code, int) else ""
