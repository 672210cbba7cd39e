"""Readiness checks for /readyz: the database answers, migrations are applied, the default storage is healthy.

Each check is cheap: one `SELECT 1`, one read of the migrations table (the migration files are read
once per process), and for storage a result kept in memory. The storage check never calls storage on
every request: the first request after the kept result expires (STORAGE_CHECK_TTL seconds) asks the
gateway again, under a lock so concurrent requests do not all probe; the gateway in turn answers from
its own kept probe (`OssGateway.recent_health`; the S3 gateway keeps one for 30 s when healthy, 5 s
when not) or probes with a short timeout. Nothing here writes to the database.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import lru_cache

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from storage.factory import get_gateway
from storage.gateway import StorageError

log = logging.getLogger("console.health")

STORAGE_CHECK_TTL = 5.0
STORAGE_PROBE_TIMEOUT = 2.0

Check = dict[str, object]  # {"status": "ok" | "fail" | "skipped", ...}: what /readyz shows, nothing secret


def readiness() -> tuple[bool, dict[str, Check]]:
    """(ready, checks by name); storage is skipped when the database cannot say which connection is the default."""
    checks: dict[str, Check] = {"database": database_check()}
    if checks["database"]["status"] == "ok":
        checks["migrations"] = migrations_check()
    else:
        checks["migrations"] = {"status": "skipped", "detail": "the database does not answer"}  # i18n: not shown
    if checks["migrations"]["status"] == "ok":
        checks["storage"] = storage_check()
    else:
        checks["storage"] = {"status": "skipped",
                             "detail": "the connections table cannot be read yet"}  # i18n: not shown
    ready = all(check["status"] != "fail" for check in checks.values())
    return ready, checks


def database_check() -> Check:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as e:  # any driver error means "not ready", whatever its type
        log.warning("readiness: the database does not answer: %s", e)
        return {"status": "fail", "detail": "the database does not answer"}  # i18n: not shown
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


@lru_cache(maxsize=1)
def _migration_graph() -> tuple[frozenset, dict]:
    """Every migration in the code, and what each squashed migration replaces (read from disk once)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes), {key: tuple(m.replaces) for key, m in loader.replacements.items()}


def unapplied_migrations() -> list[str]:
    nodes, replacements = _migration_graph()
    applied = set(MigrationRecorder(connection).applied_migrations())
    return sorted(
        f"{app}.{name}" for app, name in nodes
        if (app, name) not in applied
        and not (replacements.get((app, name)) and all(r in applied for r in replacements[(app, name)]))
    )


def migrations_check() -> Check:
    try:
        missing = unapplied_migrations()
    except DatabaseError as e:
        log.warning("readiness: cannot read the migrations table: %s", e)
        return {"status": "fail", "detail": "the migrations table cannot be read"}  # i18n: not shown
    if missing:
        return {"status": "fail", "unapplied": len(missing), "detail": "run: manage.py migrate"}  # i18n: not shown
    return {"status": "ok", "unapplied": 0}


_storage: tuple[float, Check] | None = None  # (expires, check) for this process
_storage_lock = threading.Lock()


def storage_check() -> Check:
    """The default connection's last probe, asked for at most every STORAGE_CHECK_TTL seconds per process."""
    global _storage
    kept = _storage
    if kept and kept[0] > time.monotonic():
        return kept[1]
    # Another request probing now: answer with what was known rather than queue behind it.
    if not _storage_lock.acquire(blocking=kept is None):
        return kept[1]
    try:
        kept = _storage
        if kept and kept[0] > time.monotonic():
            return kept[1]
        check = _ask_storage()
        _storage = (time.monotonic() + STORAGE_CHECK_TTL, check)
        return check
    finally:
        _storage_lock.release()


def forget_storage_check() -> None:
    """Drop the kept storage result (tests; a changed default connection is seen within the TTL anyway)."""
    global _storage
    _storage = None


def _ask_storage() -> Check:
    try:
        gateway = get_gateway()
        default = next((s for s in gateway.list_storages() if s.default and s.enabled), None)
        if default is None:
            return {"status": "skipped", "detail": "no default connection is configured"}  # i18n: not shown
        report = gateway.recent_health(default.id, timeout=STORAGE_PROBE_TIMEOUT)
    except (StorageError, DatabaseError) as e:
        log.warning("readiness: storage cannot be checked: %s", e)
        return {"status": "fail", "detail": "the storage settings cannot be read"}  # i18n: not shown
    if not report.ok:
        # The cause may name buckets and regions: it goes to the log, not to an unauthenticated answer.
        log.warning("readiness: the default connection is unhealthy: %s", report.detail)
        return {"status": "fail", "detail": "the default connection's last probe failed"}  # i18n: not shown
    return {"status": "ok", "latency_ms": None if report.latency_ms is None else round(report.latency_ms, 1)}
