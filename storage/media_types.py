"""Content types a request may carry: RFC 9110 media types, nothing that could split a header."""

from __future__ import annotations

import re

from storage.gateway import InvalidRequest

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_VALUE = rf'(?:{_TOKEN}|"[^"\x00-\x1f\x7f]*")'
_MEDIA_TYPE = re.compile(rf"{_TOKEN}/{_TOKEN}(?:[ \t]*;[ \t]*{_TOKEN}={_VALUE})*")
MAX_LENGTH = 255


def validate_content_type(value: str | None) -> str | None:
    """Return the content type unchanged if it is a media type, else raise InvalidRequest."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_LENGTH or not _MEDIA_TYPE.fullmatch(value):
        shown = value[:60] if isinstance(value, str) else type(value).__name__
        raise InvalidRequest(f"{shown!r} is not a content type (expected something like 'image/png').")
    return value
