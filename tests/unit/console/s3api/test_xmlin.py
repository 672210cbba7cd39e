"""Request XML is read size-capped, parsed without entity tricks, and matched without its namespace."""

from __future__ import annotations

import io

import pytest

from console.s3api.errors import S3Error
from console.s3api.xmlin import children, read_document, text_of

NS = "http://s3.amazonaws.com/doc/2006-03-01/"


class FakeCall:
    def __init__(self, data: bytes):
        self.stream = io.BytesIO(data)
        self.read_sizes: list[int] = []

    def body(self):
        return self

    def read(self, size: int) -> bytes:
        self.read_sizes.append(size)
        return self.stream.read(size)


def code_of(data: bytes, *, limit: int = 1000, root: str = "Delete") -> str:
    with pytest.raises(S3Error) as raised:
        read_document(FakeCall(data), limit=limit, root=root)
    return raised.value.code


def test_it_reads_a_document_with_or_without_s3s_namespace():
    for xmlns in (f' xmlns="{NS}"', ""):
        document = read_document(FakeCall(
            f"<Delete{xmlns}><Quiet>true</Quiet><Object><Key>a &amp; b</Key></Object><Object><Key/></Object>"
            "</Delete>".encode()), limit=1000, root="Delete")
        assert text_of(document, "Quiet") == "true"
        assert [text_of(o, "Key") for o in children(document, "Object")] == ["a & b", ""]


def test_it_refuses_a_document_over_the_limit_without_reading_it_all():
    call = FakeCall(b"<Delete>" + b" " * 10_000_000 + b"</Delete>")
    with pytest.raises(S3Error) as raised:
        read_document(call, limit=100_000, root="Delete")
    assert raised.value.code == "MaxMessageLengthExceeded"
    assert sum(call.read_sizes) <= 100_001


def test_it_refuses_what_is_not_the_expected_document():
    assert code_of(b"") == "MalformedXML"
    assert code_of(b"<Delete><Object>") == "MalformedXML"
    assert code_of(b"<Other/>") == "MalformedXML"


def test_it_refuses_entities_and_external_references():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<Delete><Object><Key>&b;</Key></Object></Delete>")
    external = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b"<Delete><Object><Key>&x;</Key></Object></Delete>")
    assert code_of(bomb) == "MalformedXML"
    assert code_of(external) == "MalformedXML"
