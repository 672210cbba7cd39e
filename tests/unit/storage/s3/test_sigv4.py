"""The direct copy's signature is the one botocore's own S3 signer makes for the same request."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode
from hypothesis import given
from hypothesis import strategies as st

from storage.s3 import sigv4
from storage.s3.direct_copy import copy_source
from tests.fuzz import fuzz

tricky = st.sampled_from(list("/. %+#?&=;:@$!'\"()[]{}<>^`|~*,é\u0301日\U0001f600"))
keys = st.lists(st.one_of(tricky, st.characters(blacklist_categories=("Cs", "Cc"))), min_size=1, max_size=30).map("".join)
NOW = dt.datetime(2026, 11, 26, 23, 59, 58, tzinfo=dt.UTC)


def botocore_authorization(url: str, headers: dict[str, str], secret: str, region: str) -> str:
    request = AWSRequest(method="PUT", url=url, headers=dict(headers), data=b"")
    with mock.patch("botocore.auth.get_current_datetime", return_value=NOW.replace(tzinfo=None)):
        S3SigV4Auth(Credentials("AKID", secret), "s3", region).add_auth(request)
    return request.headers["Authorization"]


@fuzz
@given(key=keys, source=keys, etag=st.text(alphabet="0123456789abcdef", min_size=32, max_size=32))
def test_a_copy_is_signed_as_botocore_signs_it(key, source, etag):
    url = "http://storage.example:8333" + sigv4.object_path("/base", "my-bucket", key)
    headers = {"x-amz-copy-source": copy_source("src-bucket", source),
               "x-amz-copy-source-if-match": f'"{etag}"', "If-None-Match": "*",
               "x-amz-metadata-directive": "COPY"}
    ours = sigv4.sign("PUT", url, headers, access_key="AKID", secret_key="s3cr/et+", region="eu-west-3", now=NOW)
    expected = {**headers, "X-Amz-Date": ours["X-Amz-Date"], "X-Amz-Content-SHA256": sigv4.EMPTY_SHA256}
    assert ours["Authorization"] == botocore_authorization(url, expected, "s3cr/et+", "eu-west-3")


@pytest.mark.parametrize(("url", "host"), [
    ("http://storage.example:80/b/k", "storage.example"),
    ("https://storage.example:443/b/k", "storage.example"),
    ("https://storage.example:8443/b/k", "storage.example:8443"),
    ("http://[::1]:8333/b/k", "[::1]:8333"),
])
def test_the_host_header_leaves_out_only_the_default_port(url, host):
    assert sigv4.host_header(url) == host


def test_a_path_keeps_slashes_and_dots_as_written_and_encodes_the_rest():
    assert sigv4.object_path("", "b", "a//./../é x+y~") == "/b/a//./../%C3%A9%20x%2By~"


@fuzz
@given(source=keys)
def test_the_copy_source_is_encoded_as_botocore_encodes_it(source):
    assert copy_source("src-bucket", source) == percent_encode(f"src-bucket/{source}", safe="-._~/")
