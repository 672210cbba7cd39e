"""ListParts and ListMultipartUploads: the storage's lists, paged and scoped here as S3 pages them."""

from __future__ import annotations

from django.http import HttpResponse

from console.s3api.answers import xml_answer
from console.s3api.call import Call
from console.s3api.errors import S3Error
from console.s3api.scope import READ
from console.s3api.upload_ids import existing_parts, upload_id
from storage import gateway as g
from storage.factory import get_gateway

MAX_LISTED = 1000


def _count(call: Call, name: str) -> int:
    value = call.query.get(name, "")
    if not value:
        return MAX_LISTED
    if not (value.isascii() and value.isdigit()):
        raise S3Error("InvalidArgument", f"Provided {name} not an integer or within integer range",
                      ArgumentName=name, ArgumentValue=value)
    return min(int(value), MAX_LISTED)


def list_parts(call: Call) -> HttpResponse:
    call.principal.require(call.bucket, call.key, READ)
    upload = upload_id(call)
    most = _count(call, "max-parts")
    marker = call.query.get("part-number-marker", "") or "0"
    if not (marker.isascii() and marker.isdigit()):
        raise S3Error("InvalidArgument", "Part number marker must be an integer.", ArgumentName="part-number-marker")
    after = [p for number, p in sorted(existing_parts(call, upload).items()) if number > int(marker)]
    page, truncated = after[:most], len(after) > most
    return xml_answer("ListPartsResult", [
        ("Bucket", call.bucket), ("Key", call.key), ("UploadId", upload), ("PartNumberMarker", int(marker)),
        ("NextPartNumberMarker", page[-1].part_number if page else int(marker)), ("MaxParts", most),
        ("IsTruncated", truncated), ("StorageClass", "STANDARD"),
        *[("Part", [("PartNumber", p.part_number), ("ETag", f'"{p.etag}"'), ("Size", p.size)]) for p in page],
    ])


def list_multipart_uploads(call: Call) -> HttpResponse:
    prefix, delimiter = call.query.get("prefix", ""), call.query.get("delimiter", "")
    key_marker, id_marker = call.query.get("key-marker", ""), call.query.get("upload-id-marker", "")
    most = _count(call, "max-uploads")
    scoped = call.principal.listing(call.bucket, prefix, delimiter)
    uploads = [] if isinstance(scoped, list) else get_gateway().list_multipart_uploads(call.bucket, scoped)
    entries = _entries(uploads, scoped if isinstance(scoped, list) else [], prefix, delimiter)
    entries = [e for e in entries if _after(e, key_marker, id_marker)]
    page, truncated = entries[:most], len(entries) > most
    last = page[-1] if page and truncated else None
    return xml_answer("ListMultipartUploadsResult", [
        ("Bucket", call.bucket), ("KeyMarker", key_marker), ("UploadIdMarker", id_marker),
        ("NextKeyMarker", last[0] if last else None), ("NextUploadIdMarker", last[1].upload_id if last and last[1]
                                                       else None),
        ("Prefix", prefix), ("Delimiter", delimiter or None), ("MaxUploads", most), ("IsTruncated", truncated),
        *[("Upload", [("Key", u.key), ("UploadId", u.upload_id), ("Initiated", u.initiated),
                      ("StorageClass", "STANDARD")]) for _k, u in page if u],
        *[("CommonPrefixes", [("Prefix", k)]) for k, u in page if u is None],
    ])


def _entries(uploads: list[g.MultipartUploadInfo], folders: list[str], prefix: str, delimiter: str):
    """(key, upload) pairs in key order, upload id order within a key (as the markers page them); (folder, None) for a common prefix."""
    entries: dict[tuple, tuple[str, g.MultipartUploadInfo | None]] = {(f, ""): (f, None) for f in folders}
    for upload in uploads:
        if not upload.key.startswith(prefix):
            continue
        rest = upload.key[len(prefix):]
        if delimiter and delimiter in rest:
            folder = prefix + rest[:rest.index(delimiter) + len(delimiter)]
            entries[(folder, "")] = (folder, None)
        else:
            entries[(upload.key, upload.upload_id)] = (upload.key, upload)
    return [entries[k] for k in sorted(entries)]


def _after(entry: tuple[str, g.MultipartUploadInfo | None], key_marker: str, id_marker: str) -> bool:
    key, upload = entry
    if not key_marker:
        return True
    if key != key_marker or upload is None:
        return key > key_marker
    if not id_marker:
        return False
    return upload.upload_id > id_marker
