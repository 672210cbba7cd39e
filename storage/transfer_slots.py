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
