"""S3 reads of one object: HeadObject and GetObject (see console.s3api.dispatch.OPERATIONS).

The body is the gateway's stream (`open_object`), handed to the server a chunk at a time and pinned with
If-Match to the ETag the headers name, so an object replaced meanwhile breaks the answer off instead of
mixing two versions. Conditions (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since) and
ranges are decided as S3 decides them, before a byte is sent.
"""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe

from console.s3api.call import Call
from console.s3api.errors import S3Error, error_response
from console.s3api.middleware import KEEP_CONTENT_LANGUAGE
from console.s3api.scope import READ
from storage import gateway as g
from storage.factory import get_gateway

# response-* query parameters of a signed GET or HEAD: the header each one sets instead of the stored one.
OVERRIDES = {
    "response-content-type": "Content-Type",
    "response-content-disposition": "Content-Disposition",
    "response-cache-control": "Cache-Control",
    "response-content-language": "Content-Language",
    "response-expires": "Expires",
    "response-content-encoding": "Content-Encoding",
}
# ObjectHeaders field -> the header S3 answers it in.
STORED = {"cache_control": "Cache-Control", "content_disposition": "Content-Disposition",
          "content_encoding": "Content-Encoding", "content_language": "Content-Language", "expires": "Expires"}

# Error messages stay in S3's English, as S3's own: tools and their users read them (the code is what counts).
CONDITION_FAILED = "At least one of the pre-conditions you specified did not hold"  # i18n: not shown
NOT_SATISFIABLE = "The requested range is not satisfiable"  # i18n: not shown
NO_SUCH_PART = "The requested partnumber is not satisfiable"  # i18n: not shown
CURRENT_VERSION_ONLY = "This S3 endpoint reads the current version of an object only."  # i18n: not shown
BAD_OVERRIDE = "A response header override may not hold control characters."  # i18n: not shown
CONDITIONS = ("If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since")
Range = tuple[int, int]  # first and last byte, inclusive


def head_object(call: Call) -> HttpResponse:
    _check(call)
    gateway = get_gateway()
    checksums = _checksum_mode(call)
    meta = gateway.get_object_meta(call.bucket, call.key, checksums=checksums)
    if refusal := _precondition_refusal(call, meta):
        return refusal
    byte_range = _range(call, meta.size)
    if isinstance(byte_range, HttpResponse):
        return byte_range
    response = HttpResponse(status=206 if byte_range else 200)
    _describe(call, response, meta, _stored_headers(gateway, call), byte_range, checksums=checksums and not byte_range)
    return response


def get_object(call: Call) -> HttpResponse:
    _check(call)
    gateway = get_gateway()
    opened = _open_after_checks(call, gateway) if _decided_by_metadata(call) else _open(call, gateway)
    if isinstance(opened, HttpResponse):  # 304, 412 or 416
        return opened
    stream, byte_range = opened
    try:
        stored = _stored_headers(gateway, call)
        response = StreamingHttpResponse(stream, status=206 if byte_range else 200)
    except BaseException:
        stream.close()
        raise
    _describe(call, response, stream.meta, stored, byte_range, checksums=not byte_range and _checksum_mode(call))
    return response


def _decided_by_metadata(call: Call) -> bool:
    """A range (its size decides it) or a condition: the metadata first, then the bytes if they are wanted."""
    return any(call.header(name) for name in ("range", *CONDITIONS))


def _open(call: Call, gateway: g.OssGateway) -> tuple[g.ObjectStream, None]:
    return gateway.open_object(call.bucket, call.key), None


def _open_after_checks(call: Call, gateway: g.OssGateway) -> tuple[g.ObjectStream, Range | None] | HttpResponse:
    """The stream, pinned to the ETag the checks were made against; or the answer that refuses it."""
    meta = gateway.get_object_meta(call.bucket, call.key)
    if refusal := _precondition_refusal(call, meta):
        return refusal
    byte_range = _range(call, meta.size)
    if isinstance(byte_range, HttpResponse):
        return byte_range
    return gateway.open_object(call.bucket, call.key, range=byte_range, if_match=meta.etag), byte_range


def _range(call: Call, size: int) -> Range | None | HttpResponse:
    """The range asked for, or S3's 416 answer, which names the object's size in Content-Range."""
    try:
        return parse_range(call.header("range"), size)
    except S3Error as e:
        response = error_response(e, resource=call.request.path, request_id=call.request_id,
                                  head=call.request.method == "HEAD")
        response["Content-Range"] = f"bytes */{size}"
        return response


def _check(call: Call) -> None:
    call.principal.require(call.bucket, call.key, READ)
    if "versionId" in call.query:
        raise S3Error("NotImplemented", CURRENT_VERSION_ONLY)
    # partNumber=1 is the whole object, as S3 answers it for an object of one part (no parts count is named,
    # so an SDK's multipart download asks for no other part)
    if call.query.get("partNumber", "1") != "1":
        raise S3Error("InvalidPartNumber", NO_SUCH_PART, status=416, PartNumberRequested=call.query["partNumber"])
    for param in OVERRIDES:  # a control character would split the answer's headers (Django refuses it late)
        if any(ord(c) < 32 or ord(c) == 127 for c in call.query.get(param, "")):
            raise S3Error("InvalidArgument", BAD_OVERRIDE, ArgumentName=param)


def _checksum_mode(call: Call) -> bool:
    return call.header("x-amz-checksum-mode").upper() == "ENABLED"


def _stored_headers(gateway: g.OssGateway, call: Call) -> g.ObjectHeaders | None:
    """Cache-Control, Content-Disposition, ... as stored with the object (one more HEAD to the storage)."""
    try:
        return gateway.get_object_headers(call.bucket, call.key)
    except (g.NotSupported, g.InvalidKey):
        return None


def _describe(call: Call, response: HttpResponse, meta: g.ObjectMeta, stored: g.ObjectHeaders | None,
              byte_range: Range | None, *, checksums: bool = False) -> None:
    """The headers of a GET or HEAD answer."""
    response["Content-Type"] = meta.content_type or "application/octet-stream"
    response["ETag"] = f'"{meta.etag}"'
    if meta.last_modified:
        response["Last-Modified"] = http_date(meta.last_modified.timestamp())
    response["Accept-Ranges"] = "bytes"
    if byte_range:
        first, last = byte_range
        response["Content-Range"] = f"bytes {first}-{last}/{meta.size}"
        response["Content-Length"] = str(last - first + 1)
    else:
        response["Content-Length"] = str(meta.size)
    for field, header in STORED.items():
        if stored and getattr(stored, field):
            response[header] = getattr(stored, field)
    for name, value in meta.metadata.items():
        response[f"x-amz-meta-{name}"] = value
    if checksums:
        for name, value in meta.checksums.items():
            response[f"x-amz-checksum-{name}"] = value
    if meta.storage_class and meta.storage_class != "STANDARD":
        response["x-amz-storage-class"] = meta.storage_class
    for param, header in OVERRIDES.items():
        if param in call.query:
            response[header] = call.query[param]
    setattr(response, KEEP_CONTENT_LANGUAGE, "Content-Language" in response)


# --- conditions ---


def _etags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",") if tag.strip()]


def _matches(header: str, etag: str) -> bool:
    tags = _etags(header)
    return "*" in tags or etag in tags


def _modified_since(header: str, meta: g.ObjectMeta) -> bool | None:
    """Whether the object changed after the header's date; None when there is no date to compare."""
    since = parse_http_date_safe(header) if header else None
    if since is None or meta.last_modified is None:
        return None
    return int(meta.last_modified.timestamp()) > since


def _precondition_refusal(call: Call, meta: g.ObjectMeta) -> HttpResponse | None:
    """304 or 412 as S3 decides (RFC 7232's order: If-Match before If-Unmodified-Since, If-None-Match before
    If-Modified-Since); None when the object is to be served."""
    if_match, if_none_match = call.header("If-Match"), call.header("If-None-Match")
    if if_match and not _matches(if_match, meta.etag):
        raise S3Error("PreconditionFailed", CONDITION_FAILED, Condition="If-Match")
    if not if_match and _modified_since(call.header("If-Unmodified-Since"), meta):
        raise S3Error("PreconditionFailed", CONDITION_FAILED, Condition="If-Unmodified-Since")
    if if_none_match and _matches(if_none_match, meta.etag):
        return _not_modified(meta)
    if not if_none_match and _modified_since(call.header("If-Modified-Since"), meta) is False:
        return _not_modified(meta)
    return None


def _not_modified(meta: g.ObjectMeta) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = f'"{meta.etag}"'
    if meta.last_modified:
        response["Last-Modified"] = http_date(meta.last_modified.timestamp())
    return response


# --- ranges ---


def parse_range(header: str, size: int) -> Range | None:
    """The one byte range of a `Range: bytes=…` header, clipped to the object; None to serve it whole (no
    header, several ranges, or one that is not a range, which HTTP says to ignore). InvalidRange (416) when
    the range starts past the end."""
    spec = header.strip()
    if not spec.lower().startswith("bytes=") or "," in spec:
        return None
    first_text, dash, last_text = spec[len("bytes="):].strip().partition("-")
    first_text, last_text = first_text.strip(), last_text.strip()
    if not dash or not (_digits(first_text) or _digits(last_text)) or \
            (first_text and not _digits(first_text)) or (last_text and not _digits(last_text)):
        return None
    if not first_text:  # the last n bytes
        length = int(last_text)
        if length == 0 or size == 0:
            raise _unsatisfiable(header, size)
        return max(0, size - length), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if last_text and last < first:
        return None
    if first >= size:
        raise _unsatisfiable(header, size)
    return first, min(last, size - 1)


def _digits(text: str) -> bool:
    """ASCII digits only: str.isdigit also takes '²', which int() refuses."""
    return text.isascii() and text.isdigit()


def _unsatisfiable(header: str, size: int) -> S3Error:
    return S3Error("InvalidRange", NOT_SATISFIABLE, RangeRequested=header, ActualObjectSize=str(size))
