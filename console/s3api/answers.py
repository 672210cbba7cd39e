"""Small XML answers of the write operations (CopyObjectResult, InitiateMultipartUploadResult, ...).

Merge note: the reads' XML writer (xmlout.py) may take these over; the documents are S3's, namespace included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from xml.sax.saxutils import escape

from django.http import HttpResponse

NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"

Fields = Iterable[tuple[str, "str | int | bool | dt.datetime | None | Fields"]]


def timestamp(when: dt.datetime | None) -> str:
    when = when or dt.datetime.now(dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return timestamp(value)
    if isinstance(value, (str, int)):
        return escape(str(value))
    return elements(value)


def elements(fields: Fields) -> str:
    """`<Name>value</Name>` for each pair (None left out); a list of pairs as a value nests."""
    return "".join(f"<{name}>{_value(value)}</{name}>" for name, value in fields if value is not None)


def xml_answer(root: str, fields: Fields, *, status: int = 200) -> HttpResponse:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NAMESPACE}">{elements(fields)}</{root}>'
    return HttpResponse(body.encode(), status=status, content_type="application/xml")
