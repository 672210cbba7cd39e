"""Content types a request may carry: RFC 9110 media types, nothing that could split a header."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

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
        raise InvalidRequest(_("%(value)s is not a content type (expected something like 'image/png').") % {
            "value": repr(shown)})
    return value


# What a signed link may show in the browser, by file name: types that run nothing of the file's
# own. Anything else (HTML, SVG, XML, JavaScript, unknown) is sent as an attachment, whatever type
# the object was stored with: its script would run on the storage's origin.
_TEXT = "text/plain; charset=utf-8"
INLINE_TYPES = {
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
    "avif": "image/avif", "bmp": "image/bmp", "ico": "image/x-icon",
    "txt": _TEXT, "text": _TEXT, "log": _TEXT, "csv": _TEXT, "tsv": _TEXT, "md": _TEXT, "json": _TEXT,
    "yaml": _TEXT, "yml": _TEXT, "ini": _TEXT, "toml": _TEXT,
    "pdf": "application/pdf",
    "mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "ogv": "video/ogg", "mov": "video/quicktime",
    "mp3": "audio/mpeg", "m4a": "audio/mp4", "wav": "audio/wav", "ogg": "audio/ogg", "oga": "audio/ogg",
    "flac": "audio/flac", "opus": "audio/ogg",
}
# Shown by <img> (where no script runs) but never opened as a page: attachment, with the real type.
IMAGE_ONLY_TYPES = {"svg": "image/svg+xml"}
ATTACHMENT_TYPE = "application/octet-stream"


def _extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1]
    return name.rpartition(".")[2].lower() if "." in name.lstrip(".") else ""


def inline_type(filename: str) -> str | None:
    """The type a file of this name is shown inline with, or None when it must not be shown inline."""
    return INLINE_TYPES.get(_extension(filename))


def attachment_type(filename: str) -> str:
    """The type a file that must not be shown inline is sent with."""
    return IMAGE_ONLY_TYPES.get(_extension(filename), ATTACHMENT_TYPE)


def stored_type(filename: str) -> str:
    """The type a form upload (drop box) pins: a harmless type when the name has one, else a download.

    Not image/svg+xml: a visitor's SVG is active content wherever else it might be served.
    """
    return inline_type(filename) or ATTACHMENT_TYPE


def forces_safe_response(url: str, filename: str, *, inline: bool) -> bool:
    """Whether a signed GET makes the storage answer safely: inline only with the harmless type forced,
    otherwise as an attachment (a link signed by someone else: an OSS Gateway Manager)."""
    query = {name.lower(): values[-1] for name, values in parse_qs(urlsplit(url).query).items()}
    disposition = query.get("response-content-disposition", "").strip().lower()
    if inline:
        return disposition.startswith("inline") and query.get("response-content-type") == inline_type(filename)
    return disposition.startswith("attachment")
