"""S3 request bodies in XML (DeleteObjects, CompleteMultipartUpload), read safely.

At most `limit` bytes are read, through the checked body (`Call.body()`): a longer document is refused
(MaxMessageLengthExceeded) before it is parsed. defusedxml refuses entity expansion and external references.
Element names are matched without their namespace: SDKs send S3's (`http://s3.amazonaws.com/doc/2006-03-01/`),
some tools none.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from console.s3api.call import Call
from console.s3api.errors import S3Error

READ_CHUNK = 64 * 1024
MALFORMED = "The XML you provided was not well-formed or did not validate against our published schema."


def read_document(call: Call, *, limit: int, root: str) -> Element:
    """The request's XML document, whose top element must be named `root`."""
    data = _read_at_most(call, limit)
    if not data.strip():
        raise S3Error("MalformedXML", MALFORMED)
    try:
        document = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as e:
        raise S3Error("MalformedXML", MALFORMED) from e
    if local_name(document) != root:
        raise S3Error("MalformedXML", MALFORMED)
    return document


def _read_at_most(call: Call, limit: int) -> bytes:
    body = call.body()
    chunks, total = [], 0
    while True:
        chunk = body.read(min(READ_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise S3Error("MaxMessageLengthExceeded", f"Your request was too big: at most {limit} bytes of XML.")


def local_name(element: Element) -> str:
    return element.tag.rpartition("}")[2]


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local_name(child) == name]


def text_of(element: Element, name: str, default: str | None = None) -> str | None:
    """The text of the first child named `name` ("" when it is empty), or `default` when there is none."""
    found = children(element, name)
    return (found[0].text or "") if found else default
