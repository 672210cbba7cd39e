"""What a PutObject, CopyObject (REPLACE) or CreateMultipartUpload says about the object it writes: its size
within the connection's cap, its content type, headers and user metadata, and its write conditions."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpResponse

from console.files.common import max_upload_size
from console.s3api.call import Call
from console.s3api.errors import S3Error
from storage import gateway as g
from storage.object_headers import validate_headers
from storage.user_metadata import MAX_USER_METADATA, PREFIX, validate_metadata

DEFAULT_TYPE = "application/octet-stream"
# Content-Encoding values that describe how the request was sent, not how the object is stored.
TRANSFER_ENCODINGS = {"aws-chunked"}


def body_size(call: Call) -> int:
    """The decoded length of the body (x-amz-decoded-content-length for aws-chunked, else Content-Length)."""
    length = getattr(call.body(), "length", None)
    if length is None:
        raise S3Error("MissingContentLength", "You must provide the Content-Length HTTP header.")
    return int(length)


def check_cap(call: Call, size: int) -> None:
    """EntityTooLarge above the connection's upload cap (a group's: the smallest of its members')."""
    cap = max_upload_size(call.bucket)
    if cap is not None and size > cap:
        raise S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.",
                      ProposedSize=str(size), MaxSizeAllowed=str(cap))


def user_metadata(call: Call) -> dict[str, str]:
    """x-amz-meta-* by S3's rules: MetadataTooLarge above 2 KB, InvalidArgument for what storage refuses."""
    given = {name.lower()[len(PREFIX):]: value for name, value in call.request.headers.items()
             if name.lower().startswith(PREFIX)}
    if sum(len(n.encode()) + len(v.encode()) for n, v in given.items()) > MAX_USER_METADATA:
        raise S3Error("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.",
                      MaxSizeAllowed=str(MAX_USER_METADATA))
    try:
        return validate_metadata(given)
    except g.InvalidRequest as e:
        raise S3Error("InvalidArgument", str(e)) from e


def content_encoding(call: Call) -> str:
    codings = [c.strip() for c in call.header("Content-Encoding").split(",")]
    return ",".join(c for c in codings if c and c.lower() not in TRANSFER_ENCODINGS)


def object_headers(call: Call) -> g.ObjectHeaders:
    """Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires and user metadata,
    checked as the console checks them (InvalidArgument naming the field)."""
    headers = g.ObjectHeaders(
        content_type=call.header("Content-Type") or DEFAULT_TYPE,
        cache_control=call.header("Cache-Control"),
        content_disposition=call.header("Content-Disposition"),
        content_encoding=content_encoding(call),
        content_language=call.header("Content-Language"),
        metadata=user_metadata(call),
        expires=call.header("Expires"),
    )
    try:
        return validate_headers(headers)
    except g.InvalidRequest as e:
        raise S3Error("InvalidArgument", str(e)) from e


def has_extra_headers(headers: g.ObjectHeaders) -> bool:
    """Whether the object carries more than a content type and metadata (the plain calls cannot set those)."""
    return any((headers.cache_control, headers.content_disposition, headers.content_encoding,
                headers.content_language, headers.expires))


def dest_absent(call: Call) -> bool:
    """If-None-Match: * (write only when nothing is there); other write conditions are not served."""
    value = call.header("If-None-Match").strip()
    if value and value != "*":
        raise S3Error("NotImplemented", "If-None-Match on a write accepts only '*'.")
    if call.header("If-Match"):
        raise S3Error("NotImplemented", "This endpoint does not serve If-Match on writes.")
    return value == "*"


def content_md5(call: Call) -> bytes | None:
    """The Content-MD5 header's 16 bytes (the storage checks the body against them too), or None."""
    value = call.header("Content-MD5").strip()
    if not value:
        return None
    try:
        digest = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    if len(digest) != 16:
        raise S3Error("InvalidDigest", "The Content-MD5 you specified was invalid.")
    return digest


def refused_write(error: g.IntegrityFailure, *, key: str, absent: bool, md5: bytes | None) -> S3Error:
    """What a refused write means: the object exists (If-None-Match: *), or the bytes were not those sent."""
    if md5 is not None and not absent:
        return S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.", Key=key)
    return S3Error("PreconditionFailed", str(error), Key=key, Condition="If-None-Match")


def quoted(etag: str) -> str:
    return f'"{etag.strip(chr(34))}"'


def etag_answer(etag: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(status=status)
    response["ETag"] = quoted(etag)
    return response
