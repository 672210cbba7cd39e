"""The console URLs that local folder connections hand out: signed GETs and PUTs that move the bytes.

The signature is the authority (no session, no CSRF token: a service or a browser's upload widget sends
these as it would send S3's). Refusals answer as S3 does, an XML `<Error>` with S3's code, so clients that
read S3's errors read these. Bytes stream both ways in chunks; memory stays flat in the file's size.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from storage import transfer_slots
from storage.factory import get_gateway
from storage.gateway import (
    ConnectionNotFound,
    IntegrityFailure,
    InvalidKey,
    InvalidRequest,
    NotSupported,
    ObjectNotFound,
    StorageError,
)
from storage.local.files import chunks_of
from storage.local.gateway import LocalFolderGateway
from storage.local.signing import EXPIRED, SIGNED, Signed, verify

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_ERRORS = [(ConnectionNotFound, 404, "NoSuchBucket"), (ObjectNotFound, 404, "NoSuchKey"),
           (InvalidKey, 400, "InvalidObjectName"), (IntegrityFailure, 400, "BadDigest"),
           (InvalidRequest, 400, "InvalidRequest"), (NotSupported, 403, "AccessDenied")]


def s3_error(status: int, code: str, message: str) -> HttpResponse:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{xml_escape(message)}</Message></Error>'
    return HttpResponse(body, status=status, content_type="application/xml")


def _gateway(connection: str) -> LocalFolderGateway:
    gateway = get_gateway()
    gateway = gateway.gateway_for(connection) if hasattr(gateway, "gateway_for") else gateway
    if not isinstance(gateway, LocalFolderGateway):
        raise ConnectionNotFound(_("There is no local folder connection named '%(name)s'.") % {"name": connection})
    return gateway


@csrf_exempt
@require_http_methods(["GET", "HEAD", "PUT"])
def signed_object(request: HttpRequest, connection: str, key: str) -> HttpResponse:
    params = {name: request.GET[name] for name in SIGNED if name in request.GET}
    metadata = {name[len("x-amz-meta-"):].lower(): value for name, value in request.headers.items()
                if name.lower().startswith("x-amz-meta-")} if request.method == "PUT" else {}
    method = "GET" if request.method == "HEAD" else request.method
    problem = verify(Signed(method, connection, key, params, metadata), request.GET.get("signature", ""))
    if problem == "AccessDenied":
        return s3_error(403, "AccessDenied", EXPIRED)
    if problem:
        return s3_error(403, problem, _("The signature does not match the request."))
    slot = transfer_slots.take()
    if slot is None:
        response = s3_error(503, "SlowDown", _("This server is moving as many files as it can; try again shortly."))
        response["Retry-After"] = "1"
        return response
    transfer_slots.bound_idle_waits(request.META)
    try:
        gateway = _gateway(connection)
        if request.method == "PUT":
            response = _receive(request, gateway, connection, key, params, metadata)
        else:
            response = _serve(request, gateway, connection, key, params)
    except StorageError as e:
        slot()
        status, code = next(((s, c) for kind, s, c in _ERRORS if isinstance(e, kind)), (500, "InternalError"))
        return s3_error(status, code, str(e))
    except BaseException as e:
        slot()
        if transfer_slots.timed_out(e):
            return s3_error(400, "RequestTimeout", transfer_slots.IDLE_MESSAGE)
        raise
    response._resource_closers.append(slot)  # held until the body is sent (or the client has gone)
    return response


def _receive(request: HttpRequest, gateway: LocalFolderGateway, connection: str, key: str, params: dict,
             metadata: dict) -> HttpResponse:
    length = request.META.get("CONTENT_LENGTH", "")
    if not length.isdigit():
        return s3_error(411, "MissingContentLength", _("An upload must say its length (Content-Length)."))
    length = int(length)
    content_type = request.META.get("CONTENT_TYPE", "")
    if ("size" in params and int(params["size"]) != length) or (
            "content-type" in params and params["content-type"] != content_type):
        return s3_error(403, "SignatureDoesNotMatch", _("The length or type sent is not the one signed."))
    if length > gateway.spec(connection).max_upload_size:
        return s3_error(400, "EntityTooLarge", _("The file is larger than this connection accepts."))
    chunks = chunks_of(request.read, length)
    if "upload-id" in params:
        etag = gateway.store_part(connection, key, params["upload-id"], int(params.get("part", "0")), chunks,
                                  limit=length)
    else:
        etag = gateway.store(connection, key, chunks, content_type=content_type or None, metadata=metadata,
                             limit=length)
    response = HttpResponse(status=200)
    response["ETag"] = f'"{etag}"'
    return response


def _serve(request: HttpRequest, gateway: LocalFolderGateway, connection: str, key: str, params: dict) -> HttpResponse:
    meta = gateway.get_object_meta(connection, key)
    if (wanted := request.headers.get("If-Match")) and wanted.strip().strip('"') not in (meta.etag, "*"):
        return s3_error(412, "PreconditionFailed", _("The object has changed (If-Match)."))
    byte_range = parse_range(request.headers.get("Range", ""), meta.size)
    if byte_range == "unsatisfiable":
        response = s3_error(416, "InvalidRange", _("The range is outside the object."))
        response["Content-Range"] = f"bytes */{meta.size}"
        return response
    stream = gateway.open_object(connection, key, range=byte_range, if_match=meta.etag)
    body = iter(()) if request.method == "HEAD" else stream
    if request.method == "HEAD":
        stream.close()
    response = StreamingHttpResponse(body, status=206 if byte_range else 200,
                                     content_type=params.get("response-content-type") or stream.meta.content_type)
    response["Content-Length"] = str(stream.length)
    if byte_range:
        response["Content-Range"] = f"bytes {byte_range[0]}-{byte_range[0] + stream.length - 1}/{meta.size}"
    response["ETag"] = f'"{stream.meta.etag}"'
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    if stream.meta.last_modified:
        response["Last-Modified"] = http_date(stream.meta.last_modified.timestamp())
    stored = gateway.get_object_headers(connection, key)  # those it was stored with, as S3 sends them back
    if disposition := params.get("response-content-disposition") or stored.content_disposition:
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = params.get("response-cache-control") or stored.cache_control or "private"
    for header, value in (("Content-Encoding", stored.content_encoding), ("Content-Language", stored.content_language),
                          ("Expires", stored.expires)):
        if value:
            response[header] = value
    return response


def parse_range(header: str, size: int):
    """(first, last) of a single `bytes=` range; None for none (or one this server ignores); "unsatisfiable"."""
    match = _RANGE.fullmatch(header.strip())
    if not match or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        count = int(last)
        return (max(size - count, 0), size - 1) if count and size else "unsatisfiable"
    if int(first) >= size or (last and int(last) < int(first)):
        return "unsatisfiable"
    return int(first), min(int(last), size - 1) if last else size - 1
