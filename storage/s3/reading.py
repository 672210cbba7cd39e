"""Reading objects as streams (GetObject), and the checksums S3 keeps, for the S3 gateway."""

from __future__ import annotations

from django.utils.translation import gettext as _

from storage.connections import ConnectionSpec
from storage.gateway import InvalidRequest, ObjectMeta, ObjectStream, Reopen, first_byte_of
from storage.s3 import errors as s3_errors

# What HEAD and GET answer with ChecksumMode=ENABLED, by the names ObjectMeta.checksums uses.
CHECKSUM_FIELDS = {"ChecksumSHA256": "sha256", "ChecksumSHA1": "sha1", "ChecksumCRC32": "crc32",
                   "ChecksumCRC32C": "crc32c", "ChecksumCRC64NVME": "crc64nvme"}


def quoted(etag: str) -> str:
    etag = etag.strip()
    return etag if etag.startswith('"') else f'"{etag}"'


def checksums_of(answer: dict) -> dict[str, str]:
    """Whole-object checksums only: a multipart object's composite checksum ("...-3") covers its parts."""
    if answer.get("ChecksumType") == "COMPOSITE":
        return {}
    return {name: answer[field] for field, name in CHECKSUM_FIELDS.items()
            if answer.get(field) and "-" not in str(answer[field])}


def get_params(spec: ConnectionSpec, key: str, *, byte_range, version_id, if_match) -> dict:
    params: dict = {"Bucket": spec.bucket, "Key": key}
    if byte_range is not None:
        first, last = byte_range
        if first < 0 or (last is not None and last < first):
            raise InvalidRequest(_("Bytes %(first)s-%(last)s are not a range.") % {"first": first, "last": last})
        params["Range"] = f"bytes={int(first)}-{'' if last is None else int(last)}"
    else:
        params["ChecksumMode"] = "ENABLED"  # S3 answers checksums for whole objects only
    if version_id:
        params["VersionId"] = version_id
    if if_match:
        params["IfMatch"] = quoted(if_match)
    return params


def _total_size(answer: dict) -> int:
    """The object's size: a range's answer names it after the '/' of its Content-Range."""
    content_range = answer.get("ContentRange") or ""
    if "/" in content_range and content_range.rsplit("/", 1)[1].isdigit():
        return int(content_range.rsplit("/", 1)[1])
    return int(answer["ContentLength"])


def object_stream(answer: dict, *, oss_id: str, key: str, reopen: Reopen | None = None) -> ObjectStream:
    meta = ObjectMeta(
        key=key, size=_total_size(answer), etag=answer.get("ETag", "").strip('"'),
        content_type=answer.get("ContentType", "application/octet-stream"), last_modified=answer.get("LastModified"),
        metadata=dict(answer.get("Metadata", {})), storage_class=answer.get("StorageClass", "STANDARD"),
        checksums=checksums_of(answer),
    )
    body = answer["Body"]

    def read(amount: int) -> bytes:
        try:
            return body.read(amount)
        except Exception as e:  # a connection that broke mid-body: unreachable, worth another try
            raise s3_errors.translate(e, connection=oss_id, key=key, action="read") from e

    return ObjectStream(meta, int(answer["ContentLength"]), read, body.close, where=f"'{key}' on '{oss_id}'",
                        first_byte=first_byte_of(answer.get("ContentRange")), reopen=reopen)
