"""S3's XML answers, written as S3 writes them: its namespace, escaped text, UTC times with milliseconds.

    xml_response("ListBucketResult", {"Name": "photos", "Contents": [{"Key": "a.txt", ...}, ...]})

A document is a root name and a dict of elements, in order: a value is text (a str, int, bool or datetime),
a dict (nested elements), a list (the element repeated, once per item), or None (no element at all).
"""

from __future__ import annotations

import datetime as dt
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


def element(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "".join(element(name, item) for item in value)
    inner = elements(value) if isinstance(value, dict) else text_of(value)
    return f"<{name}>{inner}</{name}>"


def elements(mapping: dict) -> str:
    return "".join(element(name, value) for name, value in mapping.items())


def document(root: str, mapping: dict) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NAMESPACE}">{elements(mapping)}</{root}>'


def xml_response(root: str, mapping: dict, *, status: int = 200) -> HttpResponse:
    return HttpResponse(document(root, mapping).encode(), status=status, content_type="application/xml")
