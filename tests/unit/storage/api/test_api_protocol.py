"""The OSS Gateway Manager protocol as existing clients call it: shapes, parameters, keys, errors.

Signing is offline, so these run without S3; the signed requests are proven against the
real SeaweedFS in tests/integration/storage/api/test_ossgateway_protocol.py.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.unit import api_fixtures

api = api_fixtures.api
connection = api_fixtures.connection
other_connection = api_fixtures.other_connection
token = api_fixtures.token

pytestmark = pytest.mark.django_db


def signed_key(url: str) -> str:
    """The key a presigned path-style URL points at (/bucket/key)."""
    return unquote(urlsplit(url).path.split("/", 2)[2])


def test_it_answers_the_default_storage(api, connection):
    response = api("GET", "/default-storage")
    assert response.status_code == 200
    assert response.json() == {"storage_id": "primary"}


def test_without_a_default_the_answer_is_404_with_code_404031002(api, db):
    response = api("GET", "/default-storage")
    assert response.status_code == 404
    assert response.json()["code"] == 404031002
    assert "default" in response.json()["message"]


def test_it_lists_storages_in_the_shape_clients_parse(api, other_connection):
    response = api("GET", "/objectstorageinfo?app=as")
    assert response.json() == [
        {"id": "primary", "name": "primary", "default": True, "enabled": True},
        {"id": "archive", "name": "archive", "default": False, "enabled": True},
    ]


def test_a_signed_upload_is_method_url_headers(api, connection):
    response = api("GET", "/upload/primary/reports/2026/a b.txt?request_method=PUT&internal_request=True&Expires=60")
    body = response.json()
    assert response.status_code == 200, body
    assert set(body) == {"method", "url", "headers"}
    assert body["method"] == "PUT" and body["headers"] == {}
    assert body["url"].startswith("http://s3.internal:9000/unit-bucket/")
    assert signed_key(body["url"]) == "reports/2026/a b.txt"
    assert parse_qs(urlsplit(body["url"]).query)["X-Amz-Expires"] == ["60"]


@pytest.mark.parametrize("value, host", [("true", "s3.internal:9000"), ("True", "s3.internal:9000"),
                                         ("1", "s3.internal:9000"), ("false", "s3.example.com"),
                                         ("False", "s3.example.com"), ("0", "s3.example.com")])
def test_internal_request_picks_the_endpoint(api, connection, value, host):
    body = api("GET", f"/download/primary/a.txt?internal_request={value}").json()
    assert urlsplit(body["url"]).netloc == host


def test_a_nonsense_internal_request_is_a_400(api, connection):
    response = api("GET", "/download/primary/a.txt?internal_request=maybe")
    assert response.status_code == 400
    assert "internal_request" in response.json()["message"]


@pytest.mark.parametrize("expires", ["0", "604801", "-5", "soon"])
def test_expires_beyond_1_second_to_7_days_is_a_clear_400(api, connection, expires):
    response = api("GET", f"/download/primary/a.txt?Expires={expires}")
    assert response.status_code == 400
    assert "Expires" in response.json()["message"]


def test_expires_at_the_bounds_is_accepted(api, connection):
    for expires in ("1", "604800"):
        body = api("GET", f"/download/primary/a.txt?Expires={expires}").json()
        assert parse_qs(urlsplit(body["url"]).query)["X-Amz-Expires"] == [expires]


def test_save_name_becomes_a_utf8_safe_content_disposition(api, connection):
    body = api("GET", "/download/primary/r.pdf?type=query_string&save_name=%E6%8A%A5%E5%91%8A%202026.pdf").json()
    disposition = parse_qs(urlsplit(body["url"]).query)["response-content-disposition"][0]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E6%8A%A5%E5%91%8A%202026.pdf" in disposition


@pytest.mark.parametrize("path, key", [
    ("a/b/c.txt", "a/b/c.txt"),                  # raw slashes separate segments
    ("a%2Fb.txt", "a/b.txt"),                    # so does an escaped one
    ("percent%2520literal.txt", "percent%20literal.txt"),  # decoded exactly once
    ("plus+sign.txt", "plus+sign.txt"),          # + is a plus in a path
    ("question%3Fmark%23frag.txt", "question?mark#frag.txt"),
    ("caf%C3%A9.txt", "café.txt"),               # UTF-8
    ("amp&ersand=eq;semi.txt", "amp&ersand=eq;semi.txt"),
    ("folder/", "folder/"),
])
def test_the_path_is_decoded_once_into_the_key(api, connection, path, key):
    body = api("GET", f"/head/primary/{path}").json()
    assert body["method"] == "HEAD"
    assert signed_key(body["url"]) == key


@pytest.mark.parametrize("path", ["a//b.txt", "a/%2E%2E/b.txt", "a/./b.txt", "x%00y", "%2Fleading.txt",
                                  "back%5Cslash.txt"])
def test_keys_breaking_the_rules_are_a_400(api, connection, path):
    response = api("GET", f"/download/primary/{path}")
    assert response.status_code == 400
    assert response.json()["code"] == 400031002


def test_it_signs_several_parts_at_once(api, connection):
    body = api("GET", "/uploadpart/primary/big.bin?part_id=3&part_num=2&upload_id=U1&internal_request=false").json()
    assert sorted(body) == ["3", "4"]
    for number, signed in body.items():
        query = parse_qs(urlsplit(signed["url"]).query)
        assert signed["method"] == "PUT" and signed["headers"] == {}
        assert query["partNumber"] == [number] and query["uploadId"] == ["U1"]


def test_uploadpart_needs_an_upload_id_and_a_part_number(api, connection):
    assert api("GET", "/uploadpart/primary/big.bin?part_id=1").status_code == 400
    assert api("GET", "/uploadpart/primary/big.bin?upload_id=U1").status_code == 400
    assert api("GET", "/uploadpart/primary/big.bin?upload_id=U1&part_id=10000&part_num=2").status_code == 400


def test_completeupload_builds_the_xml_from_the_part_map_quotes_optional(api, connection):
    response = api("POST", "/completeupload/primary/big.bin?upload_id=U1&internal_request=true",
                   data=json.dumps({"2": '"bbb"', "1": "aaa"}), content_type="application/json")
    body = response.json()
    assert response.status_code == 200, body
    assert body["method"] == "POST" and "uploadId=U1" in body["url"]
    assert body["request_body"].endswith(
        '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        "<Part><PartNumber>1</PartNumber><ETag>&quot;aaa&quot;</ETag></Part>"
        "<Part><PartNumber>2</PartNumber><ETag>&quot;bbb&quot;</ETag></Part></CompleteMultipartUpload>")


@pytest.mark.parametrize("body", ["", "not json", "[]", "{}", '{"x": "e"}', '{"1": ""}', '{"1": 5}', '{"0": "e"}'])
def test_a_bad_part_map_is_a_400_not_a_500(api, connection, body):
    response = api("POST", "/completeupload/primary/big.bin?upload_id=U1", data=body,
                   content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) >= {"code", "message"}


def test_signed_delete_and_head(api, connection):
    assert api("GET", "/delete/primary/a.txt?internal_request=true").json()["method"] == "DELETE"
    assert api("GET", "/head/primary/a.txt?internal_request=true").json()["method"] == "HEAD"


def test_an_unknown_storage_is_a_json_404(api, connection):
    response = api("GET", "/download/nope/a.txt")
    assert response.status_code == 404
    assert response.json()["code"] == 404031001
    assert "nope" in response.json()["message"]


def test_a_disabled_storage_is_a_404_too(api, other_connection):
    other_connection.enabled = False
    other_connection.save()
    assert api("GET", "/download/archive/a.txt").status_code == 404


def test_unknown_paths_and_methods_answer_json(api, connection):
    missing = api("GET", "/no-such-thing")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    wrong = api("POST", "/download/primary/a.txt")
    assert wrong.status_code == 405 and wrong.json()["code"] == 405031001
    assert wrong["Allow"] == "GET"


def test_only_put_uploads_are_signed(api, connection):
    response = api("GET", "/upload/primary/a.txt?request_method=POST")
    assert response.status_code == 400


def test_it_needs_no_csrf_token_nor_session(client, token, connection):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/api/ossgateway/v1/completeupload/primary/a.bin?upload_id=U",
                           data='{"1": "e"}', content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_a_key_with_a_line_break_is_a_json_400(api, connection):
    response = api("GET", "/upload/primary/a%0Ab.txt?request_method=PUT")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == 400031002
    unknown = api("GET", "/no-such-verb/%0A")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/json"


FOLDER_HOLDS_NO_DATA = "A key ending in '/' is a folder; it cannot hold data."


def test_an_upload_to_a_folder_key_is_signed_for_zero_bytes(api, connection):
    """Issue #11 item 12: a body sent to `a/b/` would be lost; SeaweedFS refuses it once 0 bytes are signed in."""
    body = api("GET", "/upload/primary/a/b/?request_method=PUT&internal_request=true").json()
    assert signed_key(body["url"]) == "a/b/"
    assert "content-length" in parse_qs(urlsplit(body["url"]).query)["X-Amz-SignedHeaders"][0].split(";")


@pytest.mark.parametrize("path", ["/upload/primary/a/b/?request_method=PUT&size=5",
                                  "/initmultiupload/primary/a/b/?size=20000000",
                                  "/uploadpart/primary/a/b/?part_id=1&upload_id=U1"])
def test_data_for_a_folder_key_is_a_400_in_plain_words(api, connection, path):
    response = api("GET", path)
    assert response.status_code == 400
    assert response.json()["code"] == 400031002 and response.json()["message"] == FOLDER_HOLDS_NO_DATA


def test_a_signed_upload_carries_the_metadata_asked_for_among_the_headers_to_send(api, connection):
    response = api("GET", "/upload/primary/a.txt?request_method=PUT&x-amz-meta-Owner=ann&x-amz-meta-team=ops")
    body = response.json()
    assert response.status_code == 200, body
    assert body["headers"] == {"x-amz-meta-owner": "ann", "x-amz-meta-team": "ops"}
    assert "x-amz-meta-owner" in parse_qs(urlsplit(body["url"]).query)["X-Amz-SignedHeaders"][0]


@pytest.mark.parametrize("query, words", [
    ("x-amz-meta-owner=ann&x-amz-meta-owner=eve", "more than once"),
    ("x-amz-meta-Owner=ann&x-amz-meta-owner=eve", "given twice"),
    ("x-amz-meta-owner=caf%C3%A9", "printable ASCII"),
])
def test_metadata_s3_would_refuse_is_a_400_naming_the_fault(api, connection, query, words):
    for path in ("/upload/primary/a.txt?", "/initmultiupload/primary/a.txt?"):
        response = api("GET", path + query)
        assert response.status_code == 400 and words in response.json()["message"], response.json()
