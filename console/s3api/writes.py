"""PutObject, CopyObject, DeleteObject and DeleteObjects: each checked against the key's scope, then audited."""

from __future__ import annotations

import contextlib
import hashlib
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

from django.http import HttpResponse

from console.s3api.answers import xml_answer
from console.s3api.auditing import record_change
from console.s3api.body import NOT_CHECKSUMS
from console.s3api.call import Call
from console.s3api.errors import S3Error, from_storage
from console.s3api.object_input import (
    body_size,
    check_cap,
    content_md5,
    dest_absent,
    etag_answer,
    has_extra_headers,
    object_headers,
    quoted,
    refused_write,
)
from console.s3api.scope import DELETE, READ, WRITE
from console.s3api.xmlin import children, read_document, text_of
from storage import gateway as g
from storage.factory import get_gateway
from storage.keys import validate_key

EMPTY_ETAG = hashlib.md5(b"").hexdigest()
MAX_DELETE_KEYS = 1000
MAX_DELETE_XML = 2 * 1024 * 1024  # 1,000 keys of up to 1,024 bytes each, escaped, with their markup


def put_object(call: Call) -> HttpResponse:
    call.principal.require(call.bucket, call.key, WRITE)
    size = body_size(call)
    if call.key.endswith("/"):
        return _put_folder(call, size)
    check_cap(call, size)
    headers = object_headers(call)
    extra = headers if has_extra_headers(headers) else None
    absent, md5 = dest_absent(call), content_md5(call)
    try:
        etag = get_gateway().put_object(
            call.bucket, call.key, call.body(), size=size, headers=extra,
            content_type=headers.content_type, metadata=headers.metadata, dest_absent=absent, md5=md5)
    except g.IntegrityFailure as e:
        raise refused_write(e, key=call.key, absent=absent, md5=md5) from e
    record_change(call, "upload.completed", call.key, size=size)
    return etag_answer(etag)


def _put_folder(call: Call, size: int) -> HttpResponse:
    """A folder marker ("photos/"): no bytes, as the console makes them."""
    if size:
        raise S3Error("InvalidArgument", "A key ending in '/' is a folder; it cannot hold data.", Key=call.key)
    headers = object_headers(call)
    get_gateway().simple_upload(call.bucket, call.key, b"", content_type=headers.content_type,
                                metadata=headers.metadata)
    record_change(call, "folder.created", call.key)
    return etag_answer(EMPTY_ETAG)


def copy_source(call: Call) -> tuple[str, str]:
    """(bucket, key) of x-amz-copy-source: "/bucket/key" or "bucket/key", percent-encoded."""
    raw = call.header("x-amz-copy-source")
    path, _q, query = raw.partition("?")
    if query:
        raise S3Error("NotImplemented", "This endpoint copies the current version only (no versionId).")
    bucket, _slash, key = unquote(path).lstrip("/").partition("/")
    if not bucket or not key:
        raise S3Error("InvalidArgument", "Copy Source must mention the source bucket and key: bucket/key.")
    call.principal.require_bucket(bucket)
    call.principal.require(bucket, key, READ)
    return bucket, key


def copy_object(call: Call) -> HttpResponse:
    source_bucket, source_key = copy_source(call)
    call.principal.require(call.bucket, call.key, WRITE)
    gateway = get_gateway()
    if_match = _copy_conditions(call, gateway, source_bucket, source_key)
    replace = _directive(call) == "REPLACE"
    headers = object_headers(call) if replace else None
    onto_itself = (source_bucket, source_key) == (call.bucket, call.key)
    if onto_itself and not replace:
        raise S3Error("InvalidRequest", "This copy request is illegal because it is trying to copy an object to "
                      "itself without changing the object's metadata.")
    try:
        copied = if_match if onto_itself else _server_copy(call, gateway, source_bucket, source_key, if_match)
        if headers is not None:  # the copy's own ETag pins the rewrite: a write in between is not overwritten
            gateway.replace_object_headers(call.bucket, call.key, headers, if_match=copied)
        meta = gateway.get_object_meta(call.bucket, call.key)
    except g.StorageError as e:
        raise from_storage(e, bucket=source_bucket, key=source_key) from e
    record_change(call, "object.copied", call.key, source=f"{source_bucket}/{source_key}", size=meta.size)
    return xml_answer("CopyObjectResult", [("LastModified", meta.last_modified), ("ETag", quoted(meta.etag))])


def _server_copy(call: Call, gateway: g.OssGateway, source_bucket: str, source_key: str,
                 if_match: str | None) -> str:
    return gateway.server_copy(source_bucket, source_key, call.key, if_match=if_match,
                               dest_absent=dest_absent(call), dest_oss_id=copy_destination(call, source_bucket))


def copy_destination(call: Call, source_bucket: str) -> str | None:
    """The `dest_oss_id` of a server-side copy into this call's bucket (None: the source's own bucket)."""
    if source_bucket == call.bucket:
        return None
    if get_gateway().copy_route(source_bucket, call.bucket) == g.STREAMED:
        raise S3Error("NotImplemented", f"'{source_bucket}' and '{call.bucket}' share no storage: this endpoint "
                      "copies only within a bucket, or between buckets of one storage.")
    return call.bucket


def _directive(call: Call) -> str:
    directive = (call.header("x-amz-metadata-directive") or "COPY").upper()
    if directive not in ("COPY", "REPLACE"):
        raise S3Error("InvalidArgument", "Unknown metadata directive.")
    return directive


def _copy_conditions(call: Call, gateway: g.OssGateway, bucket: str, key: str) -> str | None:
    """The source's ETag to pin the copy to: x-amz-copy-source-if-match, or the ETag the other conditions
    were checked against (PreconditionFailed when one fails)."""
    if_match = call.header("x-amz-copy-source-if-match").strip() or None
    conditions = ("x-amz-copy-source-if-none-match", "x-amz-copy-source-if-modified-since",
                  "x-amz-copy-source-if-unmodified-since")
    if not any(call.header(name) for name in conditions):
        return if_match
    try:
        meta = gateway.get_object_meta(bucket, key)
    except g.StorageError as e:
        raise from_storage(e, bucket=bucket, key=key) from e
    if not _conditions_hold(call, meta):
        raise S3Error("PreconditionFailed", "At least one of the preconditions you specified did not hold.",
                      Condition="x-amz-copy-source-If-*")
    return if_match or meta.etag


def _conditions_hold(call: Call, meta: g.ObjectMeta) -> bool:
    if_match = call.header("x-amz-copy-source-if-match").strip()
    none_match = call.header("x-amz-copy-source-if-none-match").strip()
    if if_match and if_match.strip('"') not in (meta.etag, "*"):
        return False
    if none_match and none_match.strip('"') in (meta.etag, "*"):
        return False
    modified = meta.last_modified
    since = _date(call.header("x-amz-copy-source-if-modified-since"))
    until = _date(call.header("x-amz-copy-source-if-unmodified-since"))
    if modified and since and not if_match and modified <= since:  # S3: if-match wins over if-modified-since
        return False
    return not (modified and until and not none_match and modified > until)


def _date(value: str):
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


def delete_object(call: Call) -> HttpResponse:
    call.principal.require(call.bucket, call.key, DELETE)
    if "versionId" in call.query:
        raise S3Error("NotImplemented", "This endpoint deletes the current version only (no versionId).")
    with contextlib.suppress(g.ObjectNotFound):  # S3 answers 204 for a key that is not there
        get_gateway().delete_file(call.bucket, call.key)
    record_change(call, "object.deleted", call.key)
    return HttpResponse(status=204)


def delete_objects(call: Call) -> HttpResponse:
    _require_digest(call)
    document = read_document(call, limit=MAX_DELETE_XML, root="Delete")
    quiet = (text_of(document, "Quiet", "false") or "").strip().lower() == "true"
    wanted = [(text_of(o, "Key"), text_of(o, "VersionId")) for o in children(document, "Object")]
    if not wanted or len(wanted) > MAX_DELETE_KEYS or any(key is None for key, _v in wanted):
        raise S3Error("MalformedXML", f"A delete names between 1 and {MAX_DELETE_KEYS} objects, each with a Key.")
    refused: dict[str, tuple[str, str]] = {}
    allowed = []
    for key, version in wanted:
        reason = _refusal(call, key, version)
        if reason:
            refused[key] = reason
        elif key not in allowed:
            allowed.append(key)
    result = get_gateway().delete_objects(call.bucket, allowed) if allowed else g.DeleteResult([], {})
    for key in result.deleted:
        record_change(call, "object.deleted", key)
    return _delete_answer(result, refused, quiet)


def _require_digest(call: Call) -> None:
    """S3 requires a Content-MD5 or an x-amz-checksum-* of a DeleteObjects body (the body reader checks it)."""
    given = call.header("Content-MD5") or any(  # a value the body reader checks, not only an algorithm's name
        name.lower().startswith("x-amz-checksum-") and name.lower() not in NOT_CHECKSUMS
        for name in call.request.headers)
    if not given:
        raise S3Error("InvalidRequest", "Missing required header for this request: Content-MD5.")
    content_md5(call)


def _refusal(call: Call, key: str, version: str | None) -> tuple[str, str] | None:
    """(code, message) when this key may not be deleted, else None."""
    if version:
        return "NotImplemented", "This endpoint deletes the current version only (no VersionId)."
    try:
        validate_key(key)
        call.principal.require(call.bucket, key, DELETE)
    except g.InvalidKey as e:
        return "InvalidArgument", str(e)
    except S3Error as e:
        return e.code, e.message
    return None


def _delete_answer(result: g.DeleteResult, refused: dict[str, tuple[str, str]], quiet: bool) -> HttpResponse:
    fields = [] if quiet else [("Deleted", [("Key", key)]) for key in result.deleted]
    errors = {**{key: ("InternalError", why) for key, why in result.errors.items()}, **refused}
    fields += [("Error", [("Key", key), ("Code", code), ("Message", message)])
               for key, (code, message) in errors.items()]
    return xml_answer("DeleteResult", fields)
