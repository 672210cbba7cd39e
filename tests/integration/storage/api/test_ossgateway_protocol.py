"""The raw protocol, called the way existing clients call it, with SeaweedFS checking every signature.

Existing clients send keys unescaped with their slashes, `internal_request=True`
capitalised, `Expires` as a query parameter, and send the signed request as given
(adding `Range` to its headers).
"""

from __future__ import annotations

import hashlib
import os
import time
from urllib.parse import quote

import pytest
import requests

from storage.dev.seaweedfs import free_port
from storage.service_tokens import issue_token
from tests.conftest import seaweed_spec
from tests.integration.ossgateway_support import add_connection, start_api_server

pytestmark = pytest.mark.django_db(transaction=True)
MiB = 1024 * 1024


@pytest.fixture
def server(request, seaweedfs):
    return start_api_server(request, seaweedfs)


def sign(server, verb: str, key: str, *, storage: str = "primary", method: str = "GET", token: str | None = None,
         **params):
    """Ask the API to sign, as a client with an unescaped key would."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return requests.request(method, f"{server.api}/{verb}/{storage}/{key}?{query}", headers=server.headers(token),
                            timeout=10, json=params.pop("_json", None))


def send(signed: dict, data: bytes | None = None, extra: dict | None = None) -> requests.Response:
    headers = {**signed["headers"], **(extra or {})}
    return requests.request(signed["method"], signed["url"], headers=headers, data=data or signed.get("request_body"),
                            timeout=30)


def test_single_upload_head_download_delete_with_an_unescaped_key(server, key_prefix):
    key = key_prefix + "reports/2026/q1 summary.txt"
    upload = sign(server, "upload", key, request_method="PUT", internal_request="True", Expires=60).json()
    assert send(upload, b"quarterly numbers").status_code == 200

    head = send(sign(server, "head", key, internal_request="True").json())
    assert head.status_code == 200 and head.headers["Content-Length"] == "17"

    download = sign(server, "download", key, internal_request="True", type="query_string", Expires=60).json()
    assert requests.get(download["url"], timeout=10).content == b"quarterly numbers", "url alone is a link"
    ranged = send(download, extra={"Range": "bytes=10-16"})
    assert ranged.status_code == 206 and ranged.content == b"numbers"

    assert send(sign(server, "delete", key, internal_request="False").json()).status_code == 204
    assert send(sign(server, "head", key, internal_request="True").json()).status_code == 404


def test_save_name_reaches_the_browser_as_content_disposition(server, key_prefix):
    key = key_prefix + "r.pdf"
    send(sign(server, "upload", key, request_method="PUT", internal_request="true").json(), b"%PDF")
    name = quote("报告 “final”.pdf")
    download = sign(server, "download", key, internal_request="true", save_name=name).json()
    disposition = requests.get(download["url"], timeout=10).headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote("报告 “final”.pdf", safe="") in disposition


def test_a_signature_dies_with_its_expiry(server, key_prefix):
    key = key_prefix + "short.txt"
    send(sign(server, "upload", key, request_method="PUT", internal_request="true").json(), b"x")
    download = sign(server, "download", key, internal_request="true", Expires=1).json()
    time.sleep(2.1)
    assert requests.get(download["url"], timeout=10).status_code == 403


def test_multipart_from_init_to_complete_with_unquoted_etags(server, key_prefix):
    key = key_prefix + "big/parts.bin"
    chunks = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(4321)]
    init = sign(server, "initmultiupload", key, size=sum(map(len, chunks)), internal_request="True").json()
    assert init["part_size"] == 8 * MiB and init["upload_id"]
    signed = sign(server, "uploadpart", key, part_id=1, part_num=3, upload_id=quote(init["upload_id"]),
                  internal_request="True").json()
    assert sorted(signed) == ["1", "2", "3"]
    etags = {}
    for number, chunk in enumerate(chunks, start=1):
        answer = send(signed[str(number)], chunk)
        assert answer.status_code == 200, answer.text
        etags[str(number)] = answer.headers["ETag"].strip('"')
    complete = requests.post(f"{server.api}/completeupload/primary/{key}",
                             params={"upload_id": init["upload_id"], "internal_request": "True"},
                             json=etags, headers=server.headers(), timeout=10).json()
    assert "<CompleteMultipartUpload" in complete["request_body"]
    done = send(complete)
    assert done.status_code == 200 and "<Error>" not in done.text
    download = sign(server, "download", key, internal_request="True").json()
    assert hashlib.sha256(requests.get(download["url"], timeout=30).content).digest() == \
        hashlib.sha256(b"".join(chunks)).digest()


def test_literal_percent_and_question_mark_need_escaping(server, key_prefix):
    key = key_prefix + "100%?.txt"
    escaped = key_prefix + "100%25%3F.txt"
    send(sign(server, "upload", escaped, request_method="PUT", internal_request="true").json(), b"odd")
    listed = requests.get(f"{server.api}/ext/list/primary", params={"prefix": key_prefix},
                          headers=server.headers(), timeout=10).json()
    assert [o["key"] for o in listed["objects"]] == [key]


def test_errors_are_json_with_the_right_status(server, key_prefix):
    unknown = sign(server, "download", "a.txt", storage="nope")
    assert unknown.status_code == 404 and unknown.json()["code"] == 404031001
    bad_key = sign(server, "download", key_prefix + "a/%2E%2E/b.txt")
    assert bad_key.status_code == 400 and bad_key.json()["code"] == 400031002
    too_long = sign(server, "download", key_prefix + "a.txt", Expires=7 * 24 * 3600 + 1)
    assert too_long.status_code == 400 and "7 days" in too_long.json()["message"]


def test_missing_object_via_the_extension_listing_parts_is_a_404(server, key_prefix):
    response = requests.get(f"{server.api}/ext/parts/primary/{key_prefix}none.bin", params={"upload_id": "nope"},
                            headers=server.headers(), timeout=10)
    assert response.status_code == 404 and response.json()["cause"] == "object_not_found"


def test_a_storage_that_does_not_answer_is_a_503_within_the_timeout(server, seaweedfs, key_prefix):
    add_connection(seaweed_spec(seaweedfs, name="dead", endpoint=f"http://127.0.0.1:{free_port()}",
                                is_default=False))
    started = time.monotonic()
    init = sign(server, "initmultiupload", key_prefix + "a.bin", storage="dead", size=10, internal_request="true")
    listing = requests.get(f"{server.api}/ext/list/dead", headers=server.headers(), timeout=30)
    assert time.monotonic() - started < 20
    for response in (init, listing):
        assert response.status_code == 503
        assert response.json()["code"] == 503031001 and "unreachable" in response.json()["message"]


def test_tokens_bad_expired_and_scoped_elsewhere(server, seaweedfs, key_prefix):
    import datetime as dt

    from django.utils import timezone

    from storage.models import ServiceToken

    second = add_connection(seaweed_spec(seaweedfs, name="second", is_default=False))
    assert sign(server, "download", "a.txt", token="osc_bad").status_code == 401
    no_token = requests.get(f"{server.api}/download/primary/a.txt", timeout=10)
    assert no_token.status_code == 401
    expired = issue_token("old", expires_days=1)
    ServiceToken.objects.filter(pk=expired.record.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert sign(server, "download", "a.txt", token=expired.raw).status_code == 403
    scoped = issue_token("second only", connections=[second]).raw
    assert sign(server, "download", "a.txt", token=scoped).status_code == 403
    assert sign(server, "download", "a.txt", storage="second", token=scoped).status_code == 200


FOLDER_HOLDS_NO_DATA = "A key ending in '/' is a folder; it cannot hold data."


def test_a_folder_key_is_signed_for_zero_bytes_and_seaweedfs_refuses_a_body(server, key_prefix):
    """Issue #11 item 12: unsigned, a body to `a/b/` became a 0-byte marker (<= 1 KiB) or `a/b/b` (larger)."""
    from storage.factory import get_gateway

    folder = key_prefix + "a/b/"
    with_size = sign(server, "upload", folder, request_method="PUT", internal_request="true", size=5)
    assert with_size.status_code == 400 and with_size.json()["message"] == FOLDER_HOLDS_NO_DATA
    multipart = sign(server, "initmultiupload", folder, internal_request="true", size=20 * MiB)
    assert multipart.status_code == 400 and multipart.json()["message"] == FOLDER_HOLDS_NO_DATA
    signed = sign(server, "upload", folder, request_method="PUT", internal_request="true").json()
    for body in (b"lost bytes", os.urandom(5000)):
        assert send(signed, body).status_code == 403
    assert get_gateway().list_objects("primary", key_prefix, delimiter="").objects == []
    assert send(signed, b"").status_code == 200
    assert get_gateway().get_object_meta("primary", folder).size == 0


def test_parts_under_a_cap_take_exactly_the_declared_bytes(server, key_prefix):
    """The attack pass stored 18 MiB on a 1 MiB connection: small parts checked, big ones sent later."""
    from storage.models import Connection

    Connection.objects.filter(name="primary").update(max_upload_size=1000)
    key = key_prefix + "too-big.bin"
    assert sign(server, "initmultiupload", key, internal_request="true").status_code == 400  # no size
    started = sign(server, "initmultiupload", key, size=500, internal_request="true").json()
    beyond = sign(server, "uploadpart", key, part_id=1, part_num=3, upload_id=started["upload_id"])
    assert beyond.status_code == 400 and "beyond the 500 bytes" in beyond.json()["message"]
    part = sign(server, "uploadpart", key, part_id=1, upload_id=started["upload_id"], internal_request="true",
                Expires=604800).json()["1"]
    assert send(part, b"x" * 2000).status_code == 403  # SeaweedFS holds the caller to the signed length
    assert send(part, b"x" * 499).status_code == 403
    sent = send(part, b"x" * 500)
    assert sent.status_code == 200
    completed = sign(server, "completeupload", key, method="POST", upload_id=started["upload_id"],
                     internal_request="true", _json={"1": sent.headers["ETag"]}).json()
    assert send(completed).status_code == 200
    assert send(part, b"y" * 2000).status_code in (403, 404)  # nor after completing


def test_a_part_of_an_upload_the_api_did_not_start_is_not_signed_under_a_cap(server, key_prefix):
    from storage.factory import get_gateway
    from storage.models import Connection

    Connection.objects.filter(name="primary").update(max_upload_size=1000)
    upload_id = get_gateway().create_multipart_upload("primary", key_prefix + "side.bin")
    refused = sign(server, "uploadpart", key_prefix + "side.bin", part_id=1, upload_id=upload_id)
    assert refused.status_code == 400 and "initmultiupload" in refused.json()["message"]
