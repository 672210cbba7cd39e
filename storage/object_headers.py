"""S3's rules for what may be written as an object's headers, user metadata and tags, checked before sending.

A refusal is an `InvalidRequest` whose message names the field and says what is allowed, so a form can
show it beside what was typed. Values must be safe as HTTP header values (no line breaks or control
characters: nothing could split a request) and, for metadata, ASCII: S3 sends other characters back
MIME-encoded, so the value read would not be the value written.
"""

from __future__ import annotations

import re
from dataclasses import replace
from email.utils import formatdate, parsedate_to_datetime

from django.utils.translation import gettext as _

from storage.gateway import InvalidRequest, ObjectHeaders
from storage.media_types import validate_content_type
from storage.user_metadata import MAX_HEADER_VALUE, header_value, validate_metadata

__all__ = ["MAX_HEADER_VALUE", "validate_chosen_type", "validate_disposition", "validate_cache_control",
           "extra_headers", "stored_headers", "validate_headers", "validate_metadata", "validate_tags"]

MAX_TAGS = 10
MAX_TAG_KEY, MAX_TAG_VALUE = 128, 256
# Tags: letters, digits and spaces in any script, and + - = . _ : / @ (S3's documented set).
_TAG_TEXT = re.compile(r"[\w .:/=+\-@]*")
_DISPOSITIONS = ("inline", "attachment")


def validate_headers(headers: ObjectHeaders) -> ObjectHeaders:
    """The headers, trimmed and checked; InvalidRequest naming the first field at fault."""
    content_type = validate_content_type(headers.content_type.strip() or "application/octet-stream")
    disposition = validate_disposition(headers.content_disposition)
    return ObjectHeaders(
        content_type=content_type,
        cache_control=validate_cache_control(headers.cache_control),
        content_disposition=disposition,
        content_encoding=header_value("Content-Encoding", headers.content_encoding),
        content_language=header_value("Content-Language", headers.content_language),
        metadata=validate_metadata(headers.metadata),
        expires=validate_expires(headers.expires),
    )


def validate_expires(value: str) -> str:
    """An Expires header: an HTTP date, written back in its one preferred form (what S3 then gives back)."""
    value = value.strip()
    if not value:
        return ""
    try:
        moment = parsedate_to_datetime(header_value("Expires", value))
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidRequest(_("Expires: an HTTP date such as 'Wed, 21 Oct 2026 07:28:00 GMT'."))
    return formatdate(moment.timestamp(), usegmt=True)


def stored_headers(headers: ObjectHeaders | None, content_type: str | None,
                   metadata: dict[str, str] | None) -> ObjectHeaders | None:
    """What a put stores when given `headers`: them, checked, with an explicit content type and metadata first."""
    if headers is None:
        return None
    return validate_headers(replace(headers, content_type=content_type or headers.content_type,
                                    metadata=metadata or headers.metadata))


def extra_headers(headers: ObjectHeaders) -> dict[str, str]:
    """The fields of `headers` beyond content type and metadata that have a value, by ObjectHeaders' names."""
    names = ("cache_control", "content_disposition", "content_encoding", "content_language", "expires")
    return {name: value for name in names if (value := getattr(headers, name))}


def validate_tags(tags: dict[str, str]) -> dict[str, str]:
    """Object tags by S3's rules: at most 10, keys 1-128 and values 0-256 characters of its set, no 'aws:'."""
    if len(tags) > MAX_TAGS:
        raise InvalidRequest(_("Tags: at most %(limit)s on an object (this has %(count)s).") % {
            "limit": MAX_TAGS, "count": len(tags)})
    clean: dict[str, str] = {}
    for key, value in tags.items():
        key, value = key.strip(), value.strip()
        if not 1 <= len(key) <= MAX_TAG_KEY:
            raise InvalidRequest(_("Tag key %(key)s: between 1 and %(limit)s characters.") % {
                "key": repr(key[:40]), "limit": MAX_TAG_KEY})
        if len(value) > MAX_TAG_VALUE:
            raise InvalidRequest(_("Tag %(key)s: a value has at most %(limit)s characters.") % {
                "key": repr(key), "limit": MAX_TAG_VALUE})
        if key.lower().startswith("aws:"):
            raise InvalidRequest(_("Tag key %(key)s: keys starting with 'aws:' are reserved.") % {"key": repr(key)})
        if not _TAG_TEXT.fullmatch(key):
            raise InvalidRequest(_("Tag key %(text)s: use letters, digits, spaces and + - = . _ : / @ only.") % {
                "text": repr(key[:40])})
        if not _TAG_TEXT.fullmatch(value):
            raise InvalidRequest(_("Tag value %(text)s: use letters, digits, spaces and + - = . _ : / @ only.") % {
                "text": repr(value[:40])})
        if key in clean:
            raise InvalidRequest(_("Tag key %(key)s is given twice.") % {"key": repr(key)})
        clean[key] = value
    return clean


# Types a browser runs as a page or a script when it opens the file: never chosen for a whole batch of uploads
# (a console link forces a harmless type, but a bucket readable by anyone serves the stored one).
_ACTIVE_WORDS = ("html", "xml", "xsl", "javascript", "ecmascript", "x-mixed-replace")
# Types that tell a browser nothing, so it sniffs the bytes (and finds HTML in them).
_SNIFFED = {"unknown/unknown", "application/unknown", "*/*"}


def validate_chosen_type(content_type: str) -> str:
    """A content type a person chose (for a batch of uploads, or for a file): a media type no browser runs."""
    validate_content_type(content_type)
    essence = content_type.split(";", 1)[0].strip().lower()
    if any(word in essence for word in _ACTIVE_WORDS) or essence in _SNIFFED or "*" in essence:
        raise InvalidRequest(_("%(type)s cannot be chosen here: a browser would run such a file as a page (HTML, "
                               "SVG, XML, XSL and JavaScript types are refused, and types that make it guess).") % {
                                   "type": essence})
    return content_type


def validate_disposition(value: str) -> str:
    """A Content-Disposition that starts with inline or attachment, in printable ASCII."""
    disposition = header_value("Content-Disposition", value)
    if disposition and disposition.split(";", 1)[0].strip().lower() not in _DISPOSITIONS:
        raise InvalidRequest(_("Content-Disposition: start with 'inline' or 'attachment' "
                               "(for example: attachment; filename=\"report.pdf\")."))
    return disposition


def validate_cache_control(value: str) -> str:
    return header_value("Cache-Control", value)
