"""S3's XML answers, written as S3 writes them: its namespace, escaped text, UTC times with milliseconds.

    xml_response("ListBucketResult", [("Name", "photos"), ("Contents", [("Key", "a.txt"), ...])])

A document is a root name and a list of (name, value) pairs: a value is text (a str, int, bool or datetime),
None (an empty element), or another list of pairs (nested elements). Pairs keep their order and may repeat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from xml.sax.saxutils import escape

from django.http import HttpResponse

NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"

def iso_time(moment: dt.datetime | None) -> str:
    """2026-01-02T03:04:05.678Z, as S3 writes its XML times; a naive time is taken as UTC."""
    moment = moment or dt.datetime.fromtimestamp(0, dt.UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def text_of(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return iso_time(value)
    return escape(str(value))


def elements(pairs: Iterable[tuple[str, object]]) -> str:
    parts = []
    for name, value in pairs:
        if value is None:
            parts.append(f"<{name}/>")
        elif isinstance(value, list):
            parts.append(f"<{name}>{elements(value)}</{name}>")
        else:
            parts.append(f"<{name}>{text_of(value)}</{name}>")
    return "".join(parts)


def document(root: str, pairs: Iterable[tuple[str, object]]) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NAMESPACE}">{elements(pairs)}</{root}>'


def xml_response(root: str, pairs: Iterable[tuple[str, object]], *, status: int = 200) -> HttpResponse:
    return HttpResponse(document(root, pairs).encode(), status=status, content_type="application/xml")
