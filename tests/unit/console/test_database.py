"""The database settings built from DATABASE_URL, and which errors mean "busy, try again"."""

from __future__ import annotations

import sqlite3

import psycopg.errors
import pytest
from django.db import IntegrityError, OperationalError

from console.database import busy_reason, database_settings


def test_sqlite_waits_the_lock_timeout_for_its_write_lock():
    config = database_settings("sqlite:////tmp/console.sqlite3", lock_timeout=7)
    assert config["OPTIONS"]["timeout"] == 7 and config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["CONN_MAX_AGE"] == 0


def test_postgresql_sessions_start_with_the_lock_timeout_in_milliseconds():
    config = database_settings("postgres://console@db.internal/console", lock_timeout=7)
    assert config["OPTIONS"] == {"options": "-c lock_timeout=7000"}
    assert config["CONN_MAX_AGE"] == 60


def test_postgresql_options_given_in_the_url_are_kept():
    config = database_settings("postgres://console@db/console?options=-c%20search_path%3Dconsole", lock_timeout=3)
    assert config["OPTIONS"]["options"] == "-c search_path=console -c lock_timeout=3000"


def django_error(cause: BaseException, wrapper=OperationalError) -> Exception:
    """What Django raises: its own class, with the driver's exception as the cause."""
    error = wrapper(*cause.args)
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(("cause", "reason"), [
    (psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), "lock_not_available"),
    (psycopg.errors.SerializationFailure("could not serialize access"), "serialization_failure"),
    (psycopg.errors.DeadlockDetected("deadlock detected"), "deadlock_detected"),
])
def test_postgresql_busy_errors_are_known_by_sqlstate(cause, reason):
    assert busy_reason(django_error(cause)) == reason


def sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


def test_a_locked_sqlite_file_is_known_by_its_result_code():
    assert busy_reason(django_error(sqlite_error("database is locked", 5))) == "SQLITE_BUSY"
    assert busy_reason(django_error(sqlite_error("database table is locked", 6))) == "SQLITE_LOCKED"
    assert busy_reason(django_error(sqlite_error("database is locked", 517))) == "SQLITE_BUSY"  # BUSY_SNAPSHOT


def test_other_errors_are_not_busy_whatever_their_message_says():
    assert busy_reason(django_error(psycopg.errors.UniqueViolation("lock busy"), IntegrityError)) == ""
    assert busy_reason(django_error(psycopg.errors.UndefinedTable("relation busy_locks does not exist"))) == ""
    assert busy_reason(django_error(sqlite_error("no such table: locked", 1))) == ""
    assert busy_reason(OperationalError("database is locked")) == ""  # no driver error behind it: no code to trust
    assert busy_reason(RuntimeError("database is locked")) == ""
