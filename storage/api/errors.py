"""The protocol's error bodies: `{"code", "message", "cause"?}` with the right status.

Codes are integers in the commercial manager's style (HTTP status, then 031, then a
sequence number); `404031002` ("no default storage") is the one existing clients test.
"""

from __future__ import annotations

import logging

from django.http import JsonResponse

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

log = logging.getLogger("storage.api")

BAD_REQUEST = 400031001
INVALID_KEY = 400031002
UNAUTHENTICATED = 401031001
FORBIDDEN = 403031001
STORAGE_NOT_FOUND = 404031001
NO_DEFAULT_STORAGE = 404031002
OBJECT_NOT_FOUND = 404031003
NO_SUCH_ENDPOINT = 404031004
METHOD_NOT_ALLOWED = 405031001
INTEGRITY_FAILURE = 409031001
INTERNAL_ERROR = 500031001
NOT_SUPPORTED = 501031001
STORAGE_REFUSED = 502031001
STORAGE_UNREACHABLE = 503031001
DATABASE_BUSY = 503031002

_BY_KIND: list[tuple[type[StorageError], int, int]] = [
    (InvalidKey, 400, INVALID_KEY),
    (InvalidRequest, 400, BAD_REQUEST),
    (ConnectionNotFound, 404, STORAGE_NOT_FOUND),
    (ObjectNotFound, 404, OBJECT_NOT_FOUND),
    (NoAvailableConnection, 404, NO_DEFAULT_STORAGE),
    (IntegrityFailure, 409, INTEGRITY_FAILURE),
    (NotSupported, 501, NOT_SUPPORTED),
    (AccessDenied, 502, STORAGE_REFUSED),
    (StorageUnreachable, 503, STORAGE_UNREACHABLE),
]


class ApiError(Exception):
    """An answer other than success, raised anywhere in a handler."""

    def __init__(self, status: int, code: int, message: str, cause: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.cause = status, code, message, cause

    def response(self) -> JsonResponse:
        body = {"code": self.code, "message": self.message}
        if self.cause:
            body["cause"] = self.cause
        response = JsonResponse(body, status=self.status)
        if self.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="ossgateway"'
        return response


def bad_request(message: str, cause: str | None = None) -> ApiError:
    return ApiError(400, BAD_REQUEST, message, cause)


def from_storage_error(error: StorageError) -> ApiError:
    """A gateway error as the protocol answers it: `cause` names the gateway's error kind."""
    for kind, status, code in _BY_KIND:
        if isinstance(error, kind):
            return ApiError(status, code, str(error), error.code)
    return ApiError(502, STORAGE_REFUSED, str(error), error.code)
