"""Translate botocore failures into the gateway's errors, in plain words."""

from __future__ import annotations

import logging
import socket

from botocore import exceptions as boto_errors

from storage.gateway import (
    AccessDenied,
    BucketNotFound,
    IntegrityFailure,
    NotSupported,
    ObjectNotFound,
    StorageError,
    StorageRequestFailed,
    StorageUnreachable,
)

log = logging.getLogger("storage.s3")

_NOT_FOUND = {"NoSuchKey", "404", "NotFound", "NoSuchUpload"}
_DENIED = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403", "Forbidden"}
# PreconditionFailed: a copy made on condition (the source's ETag) found the source changed.
_INTEGRITY = {"InvalidPart", "InvalidPartOrder", "EntityTooSmall", "BadDigest", "InvalidDigest", "PreconditionFailed"}
_UNSUPPORTED = {"NotImplemented", "501", "MethodNotAllowed"}


def network_cause(error: Exception) -> str:
    """Name the cause of a failure to reach an endpoint the way a person would."""
    text = str(error)
    cause = error
    while cause.__context__ is not None and cause is not cause.__context__:
        cause = cause.__context__
        if isinstance(cause, socket.gaierror):
            return "the endpoint's host name does not resolve"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused (nothing listens on that host and port)"
    if isinstance(error, boto_errors.SSLError) or "SSL" in text or "CERTIFICATE" in text:
        return "TLS failure (certificate or protocol mismatch)"
    if isinstance(error, boto_errors.ConnectTimeoutError):
        return "timed out while connecting"
    if isinstance(error, boto_errors.ReadTimeoutError):
        return "timed out waiting for an answer"
    if isinstance(error, boto_errors.ResponseStreamingError):
        return "the connection broke off in the middle of a transfer"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "the endpoint's host name does not resolve"
    if "Connection refused" in text:
        return "connection refused (nothing listens on that host and port)"
    return "could not connect to the endpoint"


def translate(error: Exception, *, connection: str, key: str | None = None, action: str) -> StorageError:
    """Map a botocore exception to a gateway error (logged once here)."""
    where = f"'{key}' on '{connection}'" if key else f"connection '{connection}'"
    if isinstance(error, StorageError):
        return error
    if isinstance(error, boto_errors.ClientError):
        result = _from_client_error(error, where)
    elif isinstance(error, (boto_errors.EndpointConnectionError, boto_errors.ConnectionError,
                            boto_errors.ConnectTimeoutError, boto_errors.ReadTimeoutError,
                            boto_errors.SSLError, boto_errors.ConnectionClosedError,
                            boto_errors.ResponseStreamingError)):  # a body cut off by the network: try again
        result = StorageUnreachable(f"Storage for '{connection}' is unreachable: {network_cause(error)}.")
    elif isinstance(error, boto_errors.NoCredentialsError):
        result = AccessDenied(f"No credentials are configured for '{connection}'.")
    elif isinstance(error, boto_errors.IncompleteReadError):
        result = IntegrityFailure(f"The transfer of {where} ended early.")
    else:
        result = StorageRequestFailed(f"Could not {action} {where}: {error}")
    # A missing object is a normal answer (an existence check, a first upload), not a fault.
    log.log(logging.DEBUG if isinstance(result, ObjectNotFound) else logging.WARNING,
            "s3 %s failed for %s: %s", action, where, result)
    return result


def _from_client_error(error: boto_errors.ClientError, where: str) -> StorageError:
    info = error.response.get("Error", {})
    code = str(info.get("Code", ""))
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    message = info.get("Message") or code
    if code == "NoSuchBucket":
        return BucketNotFound(f"The bucket for {where} does not exist.")
    if code in _NOT_FOUND or status == 404:
        if code == "NoSuchUpload":
            return ObjectNotFound(f"The multipart upload for {where} does not exist (finished or aborted).")
        return ObjectNotFound(f"There is no object {where}.")
    if code in _DENIED or status == 403:
        return AccessDenied(f"Access denied for {where}: {message}.")
    if code in _INTEGRITY:
        return IntegrityFailure(f"The storage refused {where}: {message}.")
    if code in _UNSUPPORTED or status == 501:
        return NotSupported(f"The storage does not support this for {where}: {message}.")
    if status >= 500:
        return StorageUnreachable(f"The storage failed for {where} ({status} {code}).")
    return StorageRequestFailed(f"The storage refused {where}: {message} ({code}).")
