"""An object's headers as ObjectMeta, and a signed GET's body as an ObjectStream, for the OSS Gateway Manager client."""

from __future__ import annotations

import email.utils

import requests
from django.utils.translation import gettext as _
from urllib3.exceptions import HTTPError as Urllib3Error

from storage.gateway import ObjectMeta, ObjectStream, Reopen, StorageUnreachable, first_byte_of, object_on
from storage.user_metadata import from_headers


def parse_time(value: str | None):
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def meta_from_headers(key: str, headers, *, size: int | None = None) -> ObjectMeta:
    metadata = from_headers(headers)
    return ObjectMeta(
        key=key, size=int(headers.get("Content-Length", 0)) if size is None else size,
        etag=headers.get("ETag", "").strip('"'), content_type=headers.get("Content-Type", "application/octet-stream"),
        last_modified=parse_time(headers.get("Last-Modified")), metadata=metadata,
        storage_class=headers.get("x-amz-storage-class", "STANDARD"),
    )


def stream_of(response: requests.Response, oss_id: str, key: str, *, ranged: bool,
              reopen: Reopen | None = None) -> ObjectStream:
    """The body as it arrives, byte for byte (no content decoding: a copy keeps a gzip-encoded object's bytes)."""
    where = object_on(oss_id, key)
    content_range = response.headers.get("Content-Range", "")
    total = content_range.rsplit("/", 1)[-1] if "/" in content_range else ""
    length = int(response.headers.get("Content-Length", 0))
    if ranged and response.status_code == 200:
        total = str(length)  # the whole object: a range from 0 that covers it, or a storage that ignored Range
    meta = meta_from_headers(key, response.headers, size=int(total) if total.isdigit() else length)

    def read(amount: int) -> bytes:
        try:
            return response.raw.read(amount, decode_content=False)
        except (Urllib3Error, requests.RequestException, OSError) as e:
            raise StorageUnreachable(_("The read of %(where)s broke off: %(error)s.") % {"where": where, "error": e}) from e

    first_byte = first_byte_of(content_range) if response.status_code == 206 else 0
    return ObjectStream(meta, length, read, response.close, where=where, first_byte=first_byte, reopen=reopen)
