"""Signed console URLs for local folder connections: what S3's presigned URLs are to a bucket.

The signature is an HMAC-SHA256 (a key derived from SECRET_KEY for this purpose alone) over the method,
the connection, the key, the expiry and whatever the URL pins: for uploads the size, the content type and
the user metadata (sent as `x-amz-meta-*` headers, as to S3), the multipart upload and part; for downloads
the response headers (disposition, type, cache). A URL whose values were changed, or that has expired, is
refused by `verify`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

PURPOSE = "storage.local.signed-url"
# Query parameters a URL may carry, all signed (S3's names for the response overrides).
SIGNED = ("expires", "size", "content-type", "upload-id", "part", "response-content-disposition",
          "response-content-type", "response-cache-control")
EXPIRED = "Request has expired"  # i18n: not shown (S3's words, which the upload widget looks for to sign again)


@dataclass(frozen=True)
class Signed:
    """What one signed URL allows."""

    method: str
    connection: str
    key: str
    params: dict[str, str]
    metadata: dict[str, str] = field(default_factory=dict)

    def canonical(self) -> bytes:
        document = [self.method, self.connection, self.key, sorted(self.params.items()), sorted(self.metadata.items())]
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def signature(self) -> str:
        return salted_hmac(PURPOSE, self.canonical(), algorithm="sha256").hexdigest()


def signed_url(signed: Signed) -> str:
    """The URL a client sends (absolute when LOCAL_FOLDERS_URL names the console's address)."""
    path = f"/local/{quote(signed.connection, safe='')}/{quote(signed.key, safe='/')}"
    query = urlencode({**signed.params, "signature": signed.signature()}, quote_via=quote)
    return f"{getattr(settings, 'LOCAL_FOLDERS_URL', '')}{path}?{query}"


def expiry(seconds: int) -> str:
    return str(int(time.time()) + int(seconds))


def verify(signed: Signed, signature: str) -> str:
    """'' when the signature is right and unexpired; else S3's error code for what is wrong."""
    if not constant_time_compare(signed.signature(), signature or ""):
        return "SignatureDoesNotMatch"
    try:
        expires = int(signed.params.get("expires", ""))
    except ValueError:
        return "SignatureDoesNotMatch"
    return "AccessDenied" if time.time() > expires else ""
