"""The content type and Cache-Control a person chose for a batch of uploads (#17 item 3), as the signing
endpoints read them from the widget's JSON: `contentType` and `cacheControl`, both optional.

A chosen type replaces the browser's guess, but never with one a browser runs as a page (HTML, SVG, XML,
JavaScript). Cache-Control is not a header the bucket's CORS rule lets a browser send, so it is set when the
console starts the upload: a file with one goes as a multipart upload, whatever its size.
"""

from __future__ import annotations

from django.utils.translation import gettext

from storage.gateway import InvalidRequest, ObjectHeaders
from storage.object_headers import validate_cache_control, validate_chosen_type


def chosen(body: dict, browser_type: str) -> ObjectHeaders:
    """The headers the upload's object is to carry: the chosen type (else the browser's) and Cache-Control."""
    content_type = body.get("contentType")
    cache_control = body.get("cacheControl")
    if not isinstance(content_type, (str, type(None))) or not isinstance(cache_control, (str, type(None))):
        raise InvalidRequest(gettext("contentType and cacheControl are text."))
    content_type = validate_chosen_type(content_type.strip()) if content_type and content_type.strip() else browser_type
    return ObjectHeaders(content_type=content_type, cache_control=validate_cache_control(cache_control or ""))
