"""Translate botocore failures into the gateway's errors, in plain words."""

from __future__ import annotations

import logging
import socket

from botocore import exceptions as boto_errors
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from s3transfer.exceptions import S3DownloadFailedError

from storage.gateway import (
    AccessDenied,
    BucketNotFound,
    IntegrityFailure,
    NotSupported,
    ObjectNotFound,
    StorageError,
    StorageRequestFailed,
    StorageUnreachable,
    object_on,
)

log = logging.getLogger("storage.s3")

_NOT_FOUND = {"NoSuchKey", "404", "NotFound", "NoSuchUpload"}
_DENIED = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403", "Forbidden"}
# PreconditionFailed: a copy made on condition (the source's ETag) found the source changed.
_INTEGRITY = {"InvalidPart", "InvalidPartOrder", "EntityTooSmall", "BadDigest", "InvalidDigest", "PreconditionFailed"}
_UNSUPPORTED = {"NotImplemented", "501", "MethodNotAllowed"}
# What the gateway was doing, in the words of "Could not <action> <where>": callers name a longer action marked
# (pgettext_lazy, context "storage action"), and these plain words through this table.
ACTIONS = {
    "copy": pgettext_lazy("storage action", "copy"),
    "delete": pgettext_lazy("storage action", "delete"),
    "download": pgettext_lazy("storage action", "download"),
    "list": pgettext_lazy("storage action", "list"),
    "read": pgettext_lazy("storage action", "read"),
    "upload": pgettext_lazy("storage action", "upload"),
}


def network_cause(error: Exception) -> str:
    """Name the cause of a failure to reach an endpoint the way a person would."""
    text = str(error)
    cause = error
    while cause.__context__ is not None and cause is not cause.__context__:
        cause = cause.__context__
        if isinstance(cause, socket.gaierror):
            return _("the endpoint's host name does not resolve")
        if isinstance(cause, ConnectionRefusedError):
            return _("connection refused (nothing listens on that host and port)")
    if isinstance(error, boto_errors.SSLError) or "SSL" in text or "CERTIFICATE" in text:
        return _("TLS failure (certificate or protocol mismatch)")
    if isinstance(error, boto_errors.ConnectTimeoutError):
        return _("timed out while connecting")
    if isinstance(error, boto_errors.ReadTimeoutError):
        return _("timed out waiting for an answer")
    if isinstance(error, boto_errors.ResponseStreamingError):
        return _("the connection broke off in the middle of a transfer")
    if "Name or service not known" in text or "nodename nor servname" in text:
        return _("the endpoint's host name does not resolve")
    if "Connection refused" in text:
        return _("connection refused (nothing listens on that host and port)")
    return _("could not connect to the endpoint")


def translate(error: Exception, *, connection: str, key: str | None = None, action: str) -> StorageError:
    """Map a botocore exception to a gateway error (logged once here)."""
    where = object_on(connection, key) if key else _("connection '%(connection)s'") % {"connection": connection}
    if isinstance(error, StorageError):
        return error
    if isinstance(error, boto_errors.ClientError):
        result = _from_client_error(error, where)
    elif isinstance(error, (boto_errors.EndpointConnectionError, boto_errors.ConnectionError,
                            boto_errors.ConnectTimeoutError, boto_errors.ReadTimeoutError,
                            boto_errors.SSLError, boto_errors.ConnectionClosedError,
                            boto_errors.ResponseStreamingError)):  # a body cut off by the network: try again
        result = StorageUnreachable(_("Storage for '%(connection)s' is unreachable: %(cause)s.") % {
            "connection": connection, "cause": network_cause(error)})
    elif isinstance(error, boto_errors.NoCredentialsError):
        result = AccessDenied(_("No credentials are configured for '%(connection)s'.") % {"connection": connection})
    elif isinstance(error, S3DownloadFailedError):  # the transfer manager's ranges: an If-Match that failed
        result = IntegrityFailure(_("%(where)s was replaced during the download; nothing was kept.") % {"where": where})
    elif isinstance(error, boto_errors.IncompleteReadError):
        result = IntegrityFailure(_("The transfer of %(where)s ended early.") % {"where": where})
    else:
        result = StorageRequestFailed(_("Could not %(action)s %(where)s: %(error)s") % {
            "action": ACTIONS.get(action, action), "where": where, "error": error})
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
        return BucketNotFound(_("The bucket for %(where)s does not exist.") % {"where": where})
    if code in _NOT_FOUND or status == 404:
        if code == "NoSuchUpload":
            return ObjectNotFound(_("The multipart upload for %(where)s does not exist (finished or aborted).") % {
                "where": where})
        return ObjectNotFound(_("There is no object %(where)s.") % {"where": where})
    if code in _DENIED or status == 403:
        return AccessDenied(_("Access denied for %(where)s: %(message)s.") % {"where": where, "message": message})
    if code in _INTEGRITY:
        return IntegrityFailure(_("The storage refused %(where)s: %(message)s.") % {"where": where, "message": message})
    if code in _UNSUPPORTED or status == 501:
        return NotSupported(_("The storage does not support this for %(where)s: %(message)s.") % {
            "where": where, "message": message})
    if status >= 500:
        return StorageUnreachable(_("The storage failed for %(where)s (%(status)s %(code)s).") % {
            "where": where, "status": status, "code": code})
    return StorageRequestFailed(_("The storage refused %(where)s: %(message)s (%(code)s).") % {
        "where": where, "message": message, "code": code})
