"""What a write request says about its object: headers as stored, digests, conditions."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from console.s3api.errors import S3Error
from console.s3api.object_input import content_encoding, content_md5, dest_absent, object_headers


class FakeCall:
    def __init__(self, **headers):
        self.request = RequestFactory().put("/s3/b/k", headers=headers)

    def header(self, name: str, default: str = "") -> str:
        return self.request.headers.get(name, default)


def test_aws_chunked_is_how_the_body_came_not_how_the_object_is_stored():
    assert content_encoding(FakeCall(content_encoding="aws-chunked")) == ""
    assert content_encoding(FakeCall(content_encoding="aws-chunked,gzip")) == "gzip"
    assert content_encoding(FakeCall(content_encoding="gzip")) == "gzip"


def test_headers_and_metadata_are_read_as_s3_sends_them():
    headers = object_headers(FakeCall(content_type="text/csv", cache_control="no-cache", x_amz_meta_Owner="ann"))
    assert (headers.content_type, headers.cache_control, headers.metadata) == ("text/csv", "no-cache",
                                                                               {"owner": "ann"})
    assert object_headers(FakeCall()).content_type == "application/octet-stream"


def test_metadata_over_2_kb_is_too_large_and_accents_are_refused():
    with pytest.raises(S3Error) as raised:
        object_headers(FakeCall(x_amz_meta_big="v" * 2100))
    assert raised.value.code == "MetadataTooLarge"
    with pytest.raises(S3Error) as raised:
        object_headers(FakeCall(x_amz_meta_name="café"))
    assert raised.value.code == "InvalidArgument"


def test_a_content_md5_is_16_bytes_in_base64():
    assert content_md5(FakeCall(content_md5="1B2M2Y8AsgTpgAmY7PhCfg==")) == bytes.fromhex(
        "d41d8cd98f00b204e9800998ecf8427e")
    assert content_md5(FakeCall()) is None
    for wrong in ("not base64!", "AAAA"):
        with pytest.raises(S3Error) as raised:
            content_md5(FakeCall(content_md5=wrong))
        assert raised.value.code == "InvalidDigest"


def test_only_if_none_match_star_is_a_write_condition():
    assert dest_absent(FakeCall(if_none_match="*")) is True
    assert dest_absent(FakeCall()) is False
    for headers in ({"if_none_match": '"abc"'}, {"if_match": '"abc"'}):
        with pytest.raises(S3Error) as raised:
            dest_absent(FakeCall(**headers))
        assert raised.value.code == "NotImplemented"
