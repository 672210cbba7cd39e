"""Multipart uploads through the endpoint: each maps to the connection's own multipart upload.

An upload id works only for the bucket and key it was made for: every call names both to the storage, which
refuses another pair (NoSuchUpload; SeaweedFS does, tests/integration/s3api/test_multipart.py proves it), and a
group's upload ids name their member. Nothing is listed before a part is sent: that would cost a request per part.
"""

from __future__ import annotations

from django.http import HttpResponse

from console.s3api.answers import xml_answer
from console.s3api.auditing import record_change
from console.s3api.call import Call
from console.s3api.errors import S3Error
from console.s3api.multipart_lists import list_multipart_uploads, list_parts  # noqa: F401 (dispatch names them)
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
from console.s3api.scope import DELETE, WRITE
from console.s3api.upload_ids import existing_parts, no_such_upload, upload_id
from console.s3api.writes import copy_destination, copy_source
from console.s3api.xmlin import children, read_document, text_of
from storage import gateway as g
from storage.factory import get_gateway

MAX_PART_NUMBER = 10_000
MIN_PART = 5 * 1024 * 1024  # S3's smallest part but the last
MAX_COMPLETE_XML = 1024 * 1024  # 10,000 parts of ~100 bytes each


def create_multipart_upload(call: Call) -> HttpResponse:
    call.principal.require(call.bucket, call.key, WRITE)
    headers = object_headers(call)
    gateway = get_gateway()
    if has_extra_headers(headers):
        new_id = gateway.create_multipart_upload_with_headers(call.bucket, call.key, headers)
    else:
        new_id = gateway.create_multipart_upload(call.bucket, call.key, content_type=headers.content_type,
                                                 metadata=headers.metadata)
    return xml_answer("InitiateMultipartUploadResult",
                      [("Bucket", call.bucket), ("Key", call.key), ("UploadId", new_id)])


def part_number(call: Call) -> int:
    try:
        number = int(call.query.get("partNumber", ""))
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_PART_NUMBER:
        raise S3Error("InvalidArgument", f"Part number must be an integer between 1 and {MAX_PART_NUMBER}, inclusive.",
                      ArgumentName="partNumber", ArgumentValue=call.query.get("partNumber", ""))
    return number


def upload_part(call: Call) -> HttpResponse:
    call.principal.require(call.bucket, call.key, WRITE)
    number, upload = part_number(call), upload_id(call)
    size = body_size(call)
    check_cap(call, size)
    md5 = content_md5(call)
    try:
        etag = get_gateway().upload_part(call.bucket, call.key, upload, number, call.body(), size=size, md5=md5)
    except g.ObjectNotFound as e:
        raise no_such_upload(upload) from e
    except g.IntegrityFailure as e:
        raise refused_write(e, key=call.key, absent=False, md5=md5) from e
    return etag_answer(etag)


def upload_part_copy(call: Call) -> HttpResponse:
    call.principal.require(call.bucket, call.key, WRITE)
    number, upload = part_number(call), upload_id(call)
    source_bucket, source_key = copy_source(call)
    dest = copy_destination(call, source_bucket)
    gateway = get_gateway()
    meta = gateway.get_object_meta(source_bucket, source_key)
    first, last = _copy_range(call.header("x-amz-copy-source-range"), meta.size)
    check_cap(call, last - first + 1)
    if_match = call.header("x-amz-copy-source-if-match").strip().strip('"') or None
    if if_match and if_match != meta.etag:
        raise S3Error("PreconditionFailed", "At least one of the preconditions you specified did not hold.")
    try:
        etag = gateway.server_copy_part(source_bucket, source_key, call.key, upload, number, first, last,
                                        if_match=if_match or meta.etag, dest_oss_id=dest)
    except g.ObjectNotFound as e:  # the source was there a moment ago: the upload is not
        raise no_such_upload(upload) from e
    return xml_answer("CopyPartResult", [("ETag", quoted(etag)), ("LastModified", None)])


def _copy_range(header: str, size: int) -> tuple[int, int]:
    """(first, last) byte of x-amz-copy-source-range ("bytes=first-last"), or the whole object."""
    if not header:
        if size == 0:
            raise S3Error("InvalidRequest", "The source object is empty: a part cannot be copied from it.")
        return 0, size - 1
    unit, _eq, span = header.strip().partition("=")
    first, _dash, last = span.partition("-")
    if unit != "bytes" or not (first + last).isascii() or not first.isdigit() or not last.isdigit() or int(first) > int(last) or int(last) >= size:
        raise S3Error("InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last "
                      "where first and last are the zero-based offsets of the first and last bytes to copy",
                      ArgumentName="x-amz-copy-source-range", ArgumentValue=header)
    return int(first), int(last)


def complete_multipart_upload(call: Call) -> HttpResponse:
    call.principal.require(call.bucket, call.key, WRITE)
    upload = upload_id(call)
    wanted = _parts_named(read_document(call, limit=MAX_COMPLETE_XML, root="CompleteMultipartUpload"))
    stored = existing_parts(call, upload)
    _check_parts(call, wanted, stored)
    try:
        etag = get_gateway().complete_multipart_upload(call.bucket, call.key, upload, wanted,
                                                       dest_absent=dest_absent(call))
    except g.ObjectNotFound as e:
        raise no_such_upload(upload) from e
    except g.IntegrityFailure as e:
        if call.header("If-None-Match").strip() == "*":
            raise S3Error("PreconditionFailed", str(e), Condition="If-None-Match") from e
        raise S3Error("InvalidPart", str(e), UploadId=upload) from e
    size = sum(stored[number].size for number, _etag in wanted)
    record_change(call, "upload.completed", call.key, size=size)
    return xml_answer("CompleteMultipartUploadResult", [
        ("Location", call.request.build_absolute_uri(call.request.path)), ("Bucket", call.bucket),
        ("Key", call.key), ("ETag", quoted(etag))])


def _parts_named(document) -> list[tuple[int, str]]:
    parts = []
    for part in children(document, "Part"):
        number, etag = text_of(part, "PartNumber"), text_of(part, "ETag")
        if not number or not number.strip().isascii() or not number.strip().isdigit() or etag is None:
            raise S3Error("MalformedXML", "Each Part names its PartNumber and ETag.")
        parts.append((int(number), etag.strip().strip('"')))
    if not parts:
        raise S3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our "
                      "published schema.")
    return parts


def _check_parts(call: Call, wanted: list[tuple[int, str]], stored: dict[int, g.PartInfo]) -> None:
    """InvalidPartOrder, InvalidPart, EntityTooSmall and the connection's cap, as S3 checks them."""
    numbers = [number for number, _etag in wanted]
    if numbers != sorted(set(numbers)):
        raise S3Error("InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be "
                      "specified in order by part number.")
    for number, etag in wanted:
        if number not in stored or stored[number].etag.strip('"') != etag:
            raise S3Error("InvalidPart", "One or more of the specified parts could not be found. The part may not "
                          "have been uploaded, or the specified entity tag may not match the part's entity tag.",
                          PartNumber=str(number), ETag=quoted(etag))
    for number, _etag in wanted[:-1]:
        if stored[number].size < MIN_PART:
            raise S3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.",
                          PartNumber=str(number), ProposedSize=str(stored[number].size), MinSizeAllowed=str(MIN_PART))
    check_cap(call, sum(stored[number].size for number in numbers))


def abort_multipart_upload(call: Call) -> HttpResponse:
    call.principal.require(call.bucket, call.key, DELETE)
    upload = upload_id(call)
    try:
        get_gateway().abort_multipart_upload(call.bucket, call.key, upload)
    except g.ObjectNotFound as e:
        raise no_such_upload(upload) from e
    record_change(call, "upload.aborted", call.key)
    return HttpResponse(status=204)

