"""S3's rules for headers, user metadata and tags, checked before anything is sent (storage/object_headers.py)."""

from __future__ import annotations

import pytest

from storage.gateway import InvalidRequest, ObjectHeaders
from storage.object_headers import validate_chosen_type, validate_headers, validate_metadata, validate_tags


def test_it_lowers_metadata_names_and_drops_the_header_prefix():
    assert validate_metadata({"X-Amz-Meta-Owner": " ann ", "Team": "ops"}) == {"owner": "ann", "team": "ops"}


@pytest.mark.parametrize("metadata, words", [
    ({"bad name": "x"}, "letters, digits"),
    ({"owner": "line\r\nX-Evil: 1"}, "printable ASCII"),
    ({"owner": "café"}, "printable ASCII"),
    ({"Owner": "a", "owner": "b"}, "given twice"),
    ({"a": "x" * 1000, "b": "x" * 1000, "c": "x" * 46}, "at most 2048 bytes"),
])
def test_it_refuses_metadata_s3_would_refuse_or_mangle(metadata, words):
    with pytest.raises(InvalidRequest, match=words):
        validate_metadata(metadata)


def test_it_refuses_a_header_that_could_split_a_request_and_a_disposition_of_no_known_kind():
    with pytest.raises(InvalidRequest, match="Cache-Control"):
        validate_headers(ObjectHeaders(content_type="text/plain", cache_control="max-age=1\nSet-Cookie: a"))
    with pytest.raises(InvalidRequest, match="Content-Disposition: start with"):
        validate_headers(ObjectHeaders(content_type="text/plain", content_disposition="evil; filename=x"))
    with pytest.raises(InvalidRequest, match="not a content type"):
        validate_headers(ObjectHeaders(content_type="text/html\r\nX: 1"))


def test_an_empty_content_type_is_a_download():
    assert validate_headers(ObjectHeaders(content_type="")).content_type == "application/octet-stream"


def test_tags_follow_s3s_rules():
    assert validate_tags({" team ": " ops ", "stage": "", "ünïcode": "ok @ 1+1=2 a/b:c"}) == {
        "team": "ops", "stage": "", "ünïcode": "ok @ 1+1=2 a/b:c"}
    for tags, words in [({f"k{i}": "" for i in range(11)}, "at most 10"), ({"": "x"}, "between 1 and 128"),
                        ({"k" * 129: "x"}, "between 1 and 128"), ({"k": "v" * 257}, "at most 256"),
                        ({"aws:x": "y"}, "reserved"), ({"k": "a<b>"}, "letters, digits")]:
        with pytest.raises(InvalidRequest, match=words):
            validate_tags(tags)



# Each of these made Chromium run the file's <script> when served with that Content-Type (checked by hand:
# text/xsl is parsed as XML, the "unknown" types and */* are sniffed as HTML): no less a page than text/html.
@pytest.mark.parametrize("content_type", ["text/xsl", "unknown/unknown", "application/unknown", "*/*",
                                          "Unknown/Unknown; charset=utf-8"])
def test_a_chosen_type_a_browser_runs_or_sniffs_as_a_page_is_refused(content_type):
    with pytest.raises(InvalidRequest, match="cannot be chosen"):
        validate_chosen_type(content_type)
