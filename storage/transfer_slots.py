"""How many transfers of bytes through the console one process serves at once (settings.TRANSFER_SLOTS).

A transfer (a local folder's signed GET or PUT, an S3 endpoint request) holds one of the process's request
threads for as long as its client takes. So that slow clients never take them all, a process serves at
most TRANSFER_SLOTS at once, local folders and the S3 endpoint together; one more is answered 503 SlowDown,
which S3 clients retry. gunicorn sets it to its threads less one (console/gunicorn_conf.py); 0 is no limit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings

# S3's own words for RequestTimeout (an S3 XML error, read by tools: not translated, as S3's are not).
IDLE_MESSAGE = ("Your socket connection to the server was not read from or written to within the timeout period. "  # i18n: not shown
                "Idle connections will be closed.")

_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()


def take() -> Callable[[], None] | None:
    """A release function for one of the process's slots, or None when all are taken; without a limit, a
    release that does nothing. Releasing twice releases once (a response may be closed twice)."""
    global _slots
    limit = settings.TRANSFER_SLOTS
    if not limit:
        return lambda: None
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(limit)
    if not _slots.acquire(blocking=False):
        return None
    released = []

    def release() -> None:
        if not released:
            released.append(True)
            _slots.release()

    return release


def bound_idle_waits(meta) -> None:
    """Let no read of a transfer's body, nor write of its answer, wait on the client longer than
    settings.TRANSFER_IDLE_TIMEOUT: a client that stops sending or reading would otherwise keep its slot for as
    long as it keeps the connection open, and a few such clients every slot. (`meta` is the request's; under
    gunicorn it holds the socket, which gunicorn makes blocking again for the connection's next request.)"""
    connection = meta.get("gunicorn.socket")
    if connection is not None:
        connection.settimeout(settings.TRANSFER_IDLE_TIMEOUT)


def timed_out(error: BaseException | None) -> bool:
    """Whether `error` is (or was caused by) a wait that bound_idle_waits ended (Django wraps the socket's)."""
    while error is not None:
        if isinstance(error, TimeoutError):
            return True
        error = error.__cause__
    return False
