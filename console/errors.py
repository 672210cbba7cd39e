"""How gateway errors, and the console's own refusal of one more job, reach people: an HTTP status."""

from __future__ import annotations

from console.jobs.limits import TooManyJobs
from storage.gateway import (
    AccessDenied,
    ConnectionNotFound,
    IntegrityFailure,
    InvalidKey,
    InvalidRequest,
    NoAvailableConnection,
    NotSupported,
    ObjectNotFound,
    StorageError,
    StorageUnreachable,
)

_STATUS = [
    (TooManyJobs, 429),  # not the storage's doing: the person's limit of jobs at once
    (InvalidKey, 400),
    (InvalidRequest, 400),
    (ConnectionNotFound, 404),
    (ObjectNotFound, 404),
    (IntegrityFailure, 409),
    (NotSupported, 501),
    (AccessDenied, 502),
    (StorageUnreachable, 503),
    (NoAvailableConnection, 503),
]


def http_status(error: StorageError | TooManyJobs) -> int:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 502
