"""The S3 gateway plus the signed requests the OSS Gateway Manager protocol hands out.

The protocol's server (`storage.api`) signs HEAD, DELETE and CompleteMultipartUpload
requests, which the gateway interface has no call for; they live here, beside S3, so no
API handler touches boto3.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from storage.connections import ConnectionSpec, DatabaseRegistry, Registry
from storage.gateway import DEFAULT_URL_EXPIRES, IntegrityFailure, UploadRequest
from storage.keys import validate_key
from storage.s3.gateway import MAX_PARTS, S3Gateway, check_expires

S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"


def complete_multipart_xml(parts: Iterable[tuple[int, str]]) -> str:
    """The CompleteMultipartUpload body for (part number, ETag) pairs; ETag quotes optional."""
    ordered = sorted((int(number), etag.strip().strip('"')) for number, etag in parts)
    if not ordered:
        raise IntegrityFailure(_("A multipart upload needs at least one part to complete."))
    numbers = [number for number, _etag in ordered]
    if len(set(numbers)) != len(numbers):
        raise IntegrityFailure(_("Each part number may appear only once."))
    if numbers[0] < 1 or numbers[-1] > MAX_PARTS:
        raise IntegrityFailure(_("Part numbers run from 1 to %(most)s.") % {"most": MAX_PARTS})
    body = "".join(
        f"<Part><PartNumber>{number}</PartNumber><ETag>&quot;{escape(etag)}&quot;</ETag></Part>"
        for number, etag in ordered
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload xmlns="{S3_XMLNS}">{body}</CompleteMultipartUpload>'


class SigningS3Gateway(S3Gateway):
    """S3Gateway that also signs HEAD, DELETE and complete requests for the protocol."""

    def spec(self, oss_id: str) -> ConnectionSpec:
        return self._spec(oss_id)

    def _presign(self, oss_id: str, key: str, operation: str, expires: int, internal: bool,
                 **extra) -> str:
        spec = self._spec(oss_id)
        params = {"Bucket": spec.bucket, "Key": key, **extra}
        return self._call(oss_id, pgettext_lazy("storage action", "sign a request for"),
                          lambda: self._client(spec, internal=internal)
                          .generate_presigned_url(operation, Params=params, ExpiresIn=expires), key=key)

    def sign_head(self, oss_id: str, key: str, expires: int = DEFAULT_URL_EXPIRES, *,
                  internal: bool = False) -> UploadRequest:
        validate_key(key)
        expires = check_expires(expires)
        return UploadRequest("HEAD", self._presign(oss_id, key, "head_object", expires, internal), {}, expires)

    def sign_delete(self, oss_id: str, key: str, expires: int = DEFAULT_URL_EXPIRES, *,
                    internal: bool = False) -> UploadRequest:
        validate_key(key)
        expires = check_expires(expires)
        return UploadRequest("DELETE", self._presign(oss_id, key, "delete_object", expires, internal), {},
                             expires)

    def sign_complete(self, oss_id: str, key: str, upload_id: str, parts: Iterable[tuple[int, str]],
                      expires: int = DEFAULT_URL_EXPIRES, *, internal: bool = False) -> UploadRequest:
        validate_key(key, allow_folder_marker=False)
        expires = check_expires(expires)
        body = complete_multipart_xml(parts)
        url = self._presign(oss_id, key, "complete_multipart_upload", expires, internal, UploadId=upload_id)
        return UploadRequest("POST", url, {"Content-Type": "application/xml"}, expires, body)


_server_gateway: SigningS3Gateway | None = None


def server_gateway(registry: Registry | None = None) -> SigningS3Gateway:
    """The gateway the protocol's server signs with: this console's own connections.

    It is always the S3 gateway over the database's connections, whatever edition this
    console itself runs: a manager serves its storages, it does not forward to another
    manager. Clients are cached per connection version inside it.
    """
    global _server_gateway
    if registry is not None:
        return SigningS3Gateway(registry)
    if _server_gateway is None:
        _server_gateway = SigningS3Gateway(DatabaseRegistry())
    return _server_gateway
