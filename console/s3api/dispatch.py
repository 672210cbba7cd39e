"""`/s3/…`: which S3 operation a request is, then authenticate, scope, and run its handler.

Path-style: `/s3/` is the service, `/s3/<bucket>` a bucket, `/s3/<bucket>/<key>` an object. The
operation follows from the method, whether there is a key, the sub-resource flags of the query and a few
headers (x-amz-copy-source), as S3 decides it. Anything this endpoint does not serve answers
NotImplemented in S3's XML, never a console page.
"""

from __future__ import annotations

import contextlib
import importlib
import ipaddress
import logging
import socket
import ssl
import uuid
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from console.s3api.auth import authenticate
from console.s3api.call import Call
from console.s3api.errors import S3Error, error_response, from_storage
from console.s3api.scope import principal_for
from storage import gateway as g
from storage import transfer_slots

log = logging.getLogger("console.s3api")

# Query flags that name a sub-resource this endpoint does not serve (anything else in the query is a parameter).
UNSERVED = frozenset({
    "accelerate", "acl", "analytics", "attributes", "cors", "encryption", "intelligent-tiering", "inventory",
    "legal-hold", "lifecycle", "logging", "metrics", "notification", "object-lock", "ownershipControls", "policy",
    "policyStatus", "publicAccessBlock", "replication", "requestPayment", "restore", "retention", "select",
    "tagging", "torrent", "versioning", "versions", "website", "session", "metadataTable", "renameObject",
})

# Headers asking for a guarantee this endpoint does not give (SSE-S3, "AES256", is the storage's own business).
UNSERVED_HEADERS = ("x-amz-server-side-encryption-", "x-amz-copy-source-server-side-encryption-",
                    "x-amz-object-lock-")
# ... and data it would drop: tags (which lifecycle rules act on), a website redirect.
UNSERVED_EXACT = frozenset({"x-amz-tagging", "x-amz-website-redirect-location"})

# (method, level, flag) -> "module.handler"; level is "service", "bucket" or "object"; flag is the sub-resource
# or header that picks the operation ("" for none). The first match in order wins.
OPERATIONS = [
    ("GET", "service", "", "service.list_buckets"),
    ("HEAD", "bucket", "", "buckets.head_bucket"),
    ("GET", "bucket", "location", "buckets.get_bucket_location"),
    ("GET", "bucket", "uploads", "multipart.list_multipart_uploads"),
    ("GET", "bucket", "list-type=2", "buckets.list_objects_v2"),
    ("GET", "bucket", "", "buckets.list_objects"),
    ("PUT", "bucket", "", "buckets.create_bucket"),
    ("POST", "bucket", "delete", "writes.delete_objects"),
    ("HEAD", "object", "", "reads.head_object"),
    ("GET", "object", "uploadId", "multipart.list_parts"),
    ("GET", "object", "", "reads.get_object"),
    ("PUT", "object", "uploadId+x-amz-copy-source", "multipart.upload_part_copy"),
    ("PUT", "object", "uploadId", "multipart.upload_part"),
    ("PUT", "object", "x-amz-copy-source", "writes.copy_object"),
    ("PUT", "object", "", "writes.put_object"),
    ("POST", "object", "uploads", "multipart.create_multipart_upload"),
    ("POST", "object", "uploadId", "multipart.complete_multipart_upload"),
    ("DELETE", "object", "uploadId", "multipart.abort_multipart_upload"),
    ("DELETE", "object", "", "writes.delete_object"),
]


def split_path(rest: str) -> tuple[str, str]:
    """(bucket, key) from the path after `/s3/`, already percent-decoded by the server."""
    bucket, _slash, key = rest.partition("/")
    return bucket, key


def level_of(bucket: str, key: str) -> str:
    return "object" if key else ("bucket" if bucket else "service")


def _matches(flag: str, query: dict[str, str], request: HttpRequest) -> bool:
    for part in filter(None, flag.split("+")):
        name, eq, value = part.partition("=")
        if name.startswith("x-amz-"):
            if name not in request.headers:
                return False
        elif name not in query or (eq and query[name] != value):
            return False
    return True


def operation(method: str, level: str, query: dict[str, str], request: HttpRequest) -> str | None:
    """The handler's dotted name, or None when this endpoint does not serve the request."""
    if UNSERVED & query.keys():
        return None
    for op_method, op_level, flag, handler in OPERATIONS:
        if op_method == method and op_level == level and _matches(flag, query, request):
            return handler
    return None


def refuse_unserved_guarantees(request: HttpRequest) -> None:
    """NotImplemented for what a tool would otherwise believe done: encryption with its own key (SSE-C) or with
    KMS, an object lock, tags. Stored without them, the object would be readable without the key, or deletable."""
    for name in request.headers:
        lower = name.lower()
        if lower.startswith(UNSERVED_HEADERS) or lower in UNSERVED_EXACT or (
                lower == "x-amz-server-side-encryption" and request.headers[name].strip() != "AES256"):
            raise S3Error("NotImplemented", f"This S3 endpoint does not serve {lower}.", Header=lower)


def _handler(name: str):
    module, _dot, function = name.rpartition(".")
    return getattr(importlib.import_module(f"console.s3api.{module}"), function)


def _stop_reading(request: HttpRequest) -> None:
    """An error answered to a request with a body, straight from its client: read no more of it. gunicorn would
    otherwise drain what is left before its thread moves on, waiting seconds on a client that sends slowly or not
    at all (anyone can send a bad signature and then nothing); the answer is still written, then the connection
    closes. Not from a trusted proxy (nginx): it sends what it has at once, and a connection closed under a body
    it is still sending makes it answer 502 instead of the console's error. Not under gunicorn's own TLS either:
    shutting an SSL socket's reading down drops its TLS state, and the answer would go out in the clear."""
    connection = request.META.get("gunicorn.socket")
    has_body = request.META.get("CONTENT_LENGTH", "0") not in ("", "0") or "HTTP_TRANSFER_ENCODING" in request.META
    if connection is None or not has_body or isinstance(connection, ssl.SSLSocket) or _from_a_proxy(connection):
        return
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RD)


def _from_a_proxy(connection: socket.socket) -> bool:
    try:
        peer = ipaddress.ip_address(connection.getpeername()[0])
    except (OSError, ValueError, IndexError):
        return False
    return any(peer in ipaddress.ip_network(cidr, strict=False) for cidr in settings.TRUSTED_PROXIES)


def _in_a_slot(call: Call, name: str, bucket: str, key: str) -> HttpResponse:
    """The handler's answer, holding one of the process's transfer slots until its body is sent (the client may
    be slow); SlowDown when every slot is taken, so slow clients never hold every thread."""
    release = transfer_slots.take()
    if release is None:
        raise S3Error("SlowDown", "Please reduce your request rate.")
    transfer_slots.bound_idle_waits(call.request.META)
    try:
        response = _handler(name)(call)
    except g.StorageError as e:
        release()
        raise from_storage(e, bucket=bucket, key=key) from e
    except BaseException:
        release()
        raise
    response._resource_closers.append(release)  # run when the server closes the response
    return response


@csrf_exempt
def endpoint(request: HttpRequest, rest: str = "") -> HttpResponse:
    request_id = uuid.uuid4().hex[:16].upper()
    bucket, key = split_path(rest or "")
    head = request.method == "HEAD"
    resource = request.path
    try:
        query = dict(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
        name = operation(request.method, level_of(bucket, key), query, request)
        signed = authenticate(request)
        principal = principal_for(signed.key)
        if name is None:
            raise S3Error("NotImplemented", _("This S3 endpoint does not implement that operation."))
        refuse_unserved_guarantees(request)
        if bucket and name != "buckets.create_bucket":  # it answers for buckets the key cannot see too
            principal.require_bucket(bucket)
        call = Call(request, signed, principal, bucket, key, query, request_id)
        response = _in_a_slot(call, name, bucket, key)
    except S3Error as e:
        _stop_reading(request)
        return error_response(e, resource=resource, request_id=request_id, head=head)
    except Exception as e:  # a tool gets S3's XML, never the console's error page; the log keeps the trace
        _stop_reading(request)
        if transfer_slots.timed_out(e):
            error = S3Error("RequestTimeout", transfer_slots.IDLE_MESSAGE)
        else:
            log.exception("S3 request %s failed", request_id)
            error = S3Error("InternalError", "We encountered an internal error. Please try again.")
        return error_response(error, resource=resource, request_id=request_id, head=head)
    response["x-amz-request-id"] = request_id
    return response
