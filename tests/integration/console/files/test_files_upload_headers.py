"""Uploads with a content type and Cache-Control chosen for the batch, signed in by the console (#17 item 3)."""

from __future__ import annotations

import pytest
import requests

from storage.factory import get_gateway
from tests.integration.files_support import complete, post_json, put_part

pytestmark = pytest.mark.usefixtures("seaweed_connection")


def test_a_small_file_with_cache_control_goes_as_one_part_and_keeps_both_headers(as_editor, key_prefix):
    answer = post_json(as_editor, "s3/multipart", {"prefix": key_prefix, "relativePath": "notes.txt", "size": 5,
                                                   "type": "text/plain", "contentType": "text/csv",
                                                   "cacheControl": "max-age=86400"})
    assert answer.status_code == 200, answer.content
    upload_id, key = answer.json()["uploadId"], answer.json()["key"]
    etag = put_part(as_editor, upload_id, key, 1, b"a,b\n1")
    assert complete(as_editor, upload_id, key, [(1, etag)]).status_code == 200

    headers = get_gateway().get_object_headers("primary", key)
    assert (headers.content_type, headers.cache_control) == ("text/csv", "max-age=86400")


def test_a_chosen_type_is_signed_into_a_single_put(as_editor, key_prefix):
    answer = post_json(as_editor, "s3/params", {"prefix": key_prefix, "relativePath": "data.bin", "size": 3,
                                                "type": "application/octet-stream", "contentType": "application/json"})
    signed = answer.json()
    assert requests.put(signed["url"], data=b"{}\n", headers=signed["headers"], timeout=30).status_code == 200
    assert get_gateway().get_object_meta("primary", signed["key"]).content_type == "application/json"
    wrong = requests.put(signed["url"], data=b"{}\n", headers={**signed["headers"], "Content-Type": "text/html"},
                         timeout=30)
    assert wrong.status_code == 403  # the type is part of the signature


@pytest.mark.parametrize("chosen", ["text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript",
                                    "TEXT/HTML; charset=utf-8"])
def test_a_type_a_browser_runs_as_a_page_is_refused_for_a_batch(as_editor, key_prefix, chosen):
    for endpoint in ("s3/params", "s3/multipart"):
        answer = post_json(as_editor, endpoint, {"prefix": key_prefix, "relativePath": "page.txt", "size": 3,
                                                 "type": "text/plain", "contentType": chosen})
        assert answer.status_code == 400 and "as a page" in answer.json()["error"], (endpoint, answer.content)


def test_cache_control_that_could_split_a_header_is_refused(as_editor, key_prefix):
    answer = post_json(as_editor, "s3/multipart", {"prefix": key_prefix, "relativePath": "x.txt", "size": 3,
                                                   "cacheControl": "max-age=1\r\nX-Evil: 1"})
    assert answer.status_code == 400 and "Cache-Control" in answer.json()["error"]
