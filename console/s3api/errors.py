"""S3's errors: a code SDKs react to, an HTTP status, a message, as S3's XML `<Error>` document.

    raise S3Error("NoSuchKey", _("The specified key does not exist."), key=key)

`from_storage` turns the gateway's errors into the S3 error an SDK expects of the same failure.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils.translation import gettext as _

from storage import gateway as g

# code -> HTTP status, as S3 answers them (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
STATUS = {
    "AccessDenied": 403,
    "AuthorizationHeaderMalformed": 400,
    "AuthorizationQueryParametersError": 400,
    "BadDigest": 400,
    "BucketAlreadyOwnedByYou": 409,
    "BucketNotEmpty": 409,
    "EntityTooLarge": 400,
    "EntityTooSmall": 400,
    "ExpiredToken": 400,
    "IncompleteBody": 400,
    "InternalError": 500,
    "InvalidAccessKeyId": 403,
    "InvalidArgument": 400,
    "InvalidBucketName": 400,
    "InvalidDigest": 400,
    "InvalidPart": 400,
    "InvalidPartOrder": 400,
    "InvalidRange": 416,
    "InvalidRequest": 400,
    "KeyTooLongError": 400,
    "MalformedXML": 400,
    "MaxMessageLengthExceeded": 400,
    "MetadataTooLarge": 400,
    "MethodNotAllowed": 405,
    "MissingContentLength": 411,
    "MissingSecurityHeader": 400,
    "NoSuchBucket": 404,
    "NoSuchKey": 404,
    "NoSuchUpload": 404,
    "NotImplemented": 501,
    "NotModified": 304,
    "PreconditionFailed": 412,
    "RequestTimeTooSkewed": 403,
    "ServiceUnavailable": 503,
    "SignatureDoesNotMatch": 403,
    "SlowDown": 503,
    "XAmzContentSHA256Mismatch": 400,
}

# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class S3Error(Exception):
    """An S3 error answer; `extra` become elements of the `<Error>` document (Key, BucketName, ...)."""

    def __init__(self, code: str, message: str, *, status: int | None = None, **extra: str):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status or STATUS.get(code, 400)
        self.extra = extra


def error_response(error: S3Error, *, resource: str, request_id: str, head: bool = False) -> HttpResponse:
    """The XML error document (no body for HEAD, whose answers have none: SDKs read the status)."""
    fields = {"Code": error.code, "Message": error.message, **error.extra, "Resource": resource,
              "RequestId": request_id}
    body = "" if head or error.status == 304 else (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
        + "".join(f"<{name}>{escape(_xml_chars(str(value)))}</{name}>" for name, value in fields.items())
        + "</Error>")
    response = HttpResponse(body, status=error.status, content_type="application/xml")
    response["x-amz-request-id"] = request_id
    if error.code in ("SlowDown", "ServiceUnavailable"):
        response["Retry-After"] = "1"
    return response


def _xml_chars(text: str) -> str:
    """`text` with what XML 1.0 cannot hold (control characters a request may carry) as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def from_storage(error: g.StorageError, *, bucket: str = "", key: str = "") -> S3Error:
    """The S3 error for a gateway error; messages are the gateway's own (they name no secret)."""
    where = {"Key": key} if key else {}
    if isinstance(error, g.ObjectNotFound):
        return S3Error("NoSuchKey", _("The specified key does not exist."), **where)
    if isinstance(error, (g.BucketNotFound, g.ConnectionNotFound)):
        return S3Error("NoSuchBucket", _("The specified bucket does not exist."), BucketName=bucket)
    if isinstance(error, g.AccessDenied):
        return S3Error("AccessDenied", str(error))
    if isinstance(error, g.InvalidKey):
        return S3Error("InvalidArgument", str(error), **where)
    if isinstance(error, g.NotSupported):
        return S3Error("NotImplemented", str(error))
    if isinstance(error, g.IncompleteBody):  # before IntegrityFailure, of which it is one
        return S3Error("IncompleteBody", str(error), **where)
    if isinstance(error, g.IntegrityFailure):
        return S3Error("PreconditionFailed", str(error), **where)
    if isinstance(error, (g.StorageUnreachable, g.NoAvailableConnection)):
        return S3Error("ServiceUnavailable", str(error))
    if isinstance(error, g.InvalidRequest):
        return S3Error("InvalidRequest", str(error), **where)
    return S3Error("InternalError", _("The storage behind this bucket failed: %(why)s") % {"why": error})
