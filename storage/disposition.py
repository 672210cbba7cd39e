"""Content-Disposition values that survive any file name (RFC 6266 / RFC 5987)."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from storage.media_types import attachment_type, inline_type


def content_disposition(filename: str, *, inline: bool = False) -> str:
    kind = "inline" if inline else "attachment"
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = "".join(c if c.isprintable() and c not in '"\\/;' else "_" for c in fallback).strip()
    fallback = fallback or "download"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def response_overrides(key: str, filename: str | None, inline: bool) -> dict[str, str]:
    """What a signed GET makes the storage answer with (S3's response-* parameters).

    Inline only for types that run nothing (media_types.inline_type), with that type forced; every
    other link is an attachment. So a file stored as text/html or image/svg+xml never runs its
    script on the storage's origin.
    """
    name = filename or key.rsplit("/", 1)[-1]
    safe_type = inline_type(name) if inline else None
    # Whatever Cache-Control the file was stored with ("public, max-age=31536000"), no shared cache keeps what a
    # signed link fetched: it would serve the file long after the link's own life.
    private = {"ResponseCacheControl": "private"}
    if safe_type:
        return {"ResponseContentType": safe_type,
                "ResponseContentDisposition": content_disposition(name, inline=True), **private}
    overrides = {"ResponseContentDisposition": content_disposition(name), **private}  # never shown as a page
    if inline:
        overrides["ResponseContentType"] = attachment_type(name)
    return overrides
