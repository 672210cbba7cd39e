"""User metadata (x-amz-meta-*) by S3's rules, checked before anything is signed or sent, on every upload path.

Names are HTTP token characters (RFC 9110), compared without letter case and stored in lower case (as S3 does):
two names that differ only in case are refused, not merged. Values are printable ASCII, trimmed of surrounding
spaces (HTTP would drop them), and not empty (some storages drop an empty one); anything else, accented letters included, is refused rather than sent, because
S3 hands other characters back MIME-encoded and the value read would not be the value written (encode such
text yourself, e.g. percent-encoding). Names and values together hold at most 2 KB, counted as S3 counts them:
the bytes of each name (without "x-amz-meta-") and value. A refusal is an `InvalidRequest` naming the fault.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext as _

from storage.gateway import InvalidRequest

MAX_USER_METADATA = 2048  # bytes of user metadata names and values together (S3's limit)
MAX_HEADER_VALUE = 1024  # cache-control, content-disposition: far above any real value
PREFIX = "x-amz-meta-"
# RFC 9110 token characters; S3 stores metadata names in lower case.
_META_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")
_HEADER_SAFE = re.compile(r"[\x20-\x7e]*")


def header_value(label: str, value: str, *, limit: int = MAX_HEADER_VALUE) -> str:
    value = value.strip()
    if not _HEADER_SAFE.fullmatch(value):
        raise InvalidRequest(_("%(field)s: use printable ASCII characters only (no line breaks, no accents).") % {
            "field": label})
    if len(value) > limit:
        raise InvalidRequest(_("%(field)s: at most %(limit)s characters (this has %(count)s).") % {
            "field": label, "limit": limit, "count": len(value)})
    return value


def validate_metadata(metadata: Mapping[str, str] | None) -> dict[str, str]:
    """User metadata with names in lower case (a leading "x-amz-meta-" dropped), or InvalidRequest naming the
    first fault."""
    clean: dict[str, str] = {}
    for name, value in (metadata or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidRequest(_("User metadata names and values are text."))
        name = name.strip().lower().removeprefix(PREFIX)
        if not _META_NAME.fullmatch(name):
            raise InvalidRequest(_("Metadata name %(name)s: use letters, digits and - _ . only.") % {
                "name": repr(name[:40])})
        if name in clean:
            raise InvalidRequest(_("Metadata name %(name)s is given twice (names ignore letter case).") % {
                "name": repr(name)})
        clean[name] = header_value(_("Metadata %(name)s") % {"name": repr(name)}, value, limit=MAX_USER_METADATA)
        if not clean[name]:  # S3 servers differ (SeaweedFS drops it): what is read back would not be what was written
            raise InvalidRequest(_("Metadata %(name)s has no value; leave the name out instead.") % {
                "name": repr(name)})
    size = sum(len(n) + len(v) for n, v in clean.items())
    if size > MAX_USER_METADATA:
        raise InvalidRequest(_("User metadata: at most %(limit)s bytes of names and values together (this has "
                               "%(size)s).") % {"limit": MAX_USER_METADATA, "size": size})
    return clean


def as_headers(metadata: Mapping[str, str]) -> dict[str, str]:
    """{"owner": "ann"} -> {"x-amz-meta-owner": "ann"}: what a signed PUT carries."""
    return {PREFIX + name: value for name, value in metadata.items()}


def from_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The user metadata among HTTP headers (or query parameters named like them), names in lower case."""
    return {name.lower()[len(PREFIX):]: value for name, value in headers.items() if name.lower().startswith(PREFIX)}
