"""Browser uploads through the console's signing endpoints, with the bytes sent to real SeaweedFS."""

from __future__ import annotations

import hashlib
import os

import pytest
import requests

from console.models import AuditEvent
from storage.factory import get_gateway
from storage.gateway import ObjectNotFound
from tests.integration.files_support import (
    complete,
    list_parts,
    post_json,
    put_part,
    start_multipart,
    upload_small,
    url,
    with_key,
)

MiB = 1024 * 1024
pytestmark = pytest.mark.usefixtures("seaweed_connection")


def test_it_signs_a_single_put_with_type_and_length(as_editor, key_prefix):
    data = b"hello from the browser"
    key = upload_small(as_editor, key_prefix, "docs/hello.txt", data)
    assert key == key_prefix + "docs/hello.txt"
    meta = get_gateway().get_object_meta("primary", key)
    assert (meta.size, meta.content_type) == (len(data), "text/plain")
    event = AuditEvent.objects.get(kind="upload.completed", target=key)
    assert event.detail["size"] == len(data) and event.actor.username == "editor"


def test_a_signed_put_refuses_another_length(as_editor, key_prefix):
    signed = post_json(as_editor, "s3/params", {"prefix": key_prefix, "relativePath": "a.txt", "type": "text/plain",
                                                "size": 5}).json()
    put = requests.put(signed["url"], data=b"longer than five", headers=signed["headers"], timeout=10)
    assert put.status_code in (400, 403)
    with pytest.raises(ObjectNotFound):
        get_gateway().get_object_meta("primary", key_prefix + "a.txt")


def test_signed_urls_live_at_most_fifteen_minutes(as_editor, key_prefix):
    signed = post_json(as_editor, "s3/params", {"prefix": key_prefix, "relativePath": "a.txt", "size": 1}).json()
    assert 0 < signed["expires"] <= 900
    expires = int(signed["url"].split("X-Amz-Expires=")[1].split("&")[0])
    assert expires <= 900


def test_a_three_part_upload_completes_and_is_recorded(as_editor, key_prefix):
    chunks = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(1234)]
    upload_id, key = start_multipart(as_editor, key_prefix, "big/three.bin", sum(map(len, chunks)))
    etags = [(n, put_part(as_editor, upload_id, key, n, chunk)) for n, chunk in enumerate(chunks, start=1)]
    answer = complete(as_editor, upload_id, key, etags)
    assert answer.status_code == 200, answer.content
    assert answer.json()["etag"].endswith("-3")
    assert get_gateway().download_file("primary", key) == b"".join(chunks)
    event = AuditEvent.objects.get(kind="upload.completed", target=key)
    assert event.detail["size"] == sum(map(len, chunks)) and event.detail["parts"] == 3


def test_an_upload_resumes_after_a_reload_sending_only_the_missing_parts(as_editor, key_prefix):
    chunks = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(999)]
    upload_id, key = start_multipart(as_editor, key_prefix, "resume.bin", sum(map(len, chunks)))
    first = [put_part(as_editor, upload_id, key, n, chunks[n - 1]) for n in (1, 2)]
    # "reload": the page kept only the upload id and key; it asks S3 what arrived
    stored = list_parts(as_editor, upload_id, key)
    assert [(p["PartNumber"], p["ETag"]) for p in stored] == [(1, first[0]), (2, first[1])]
    assert [p["Size"] for p in stored] == [5 * MiB, 5 * MiB]
    rest = [(n, put_part(as_editor, upload_id, key, n, chunks[n - 1])) for n in (3, 4)]
    answer = complete(as_editor, upload_id, key, [(p["PartNumber"], p["ETag"]) for p in stored] + rest)
    assert answer.status_code == 200, answer.content
    stored_bytes = get_gateway().download_file("primary", key)
    assert hashlib.sha256(stored_bytes).hexdigest() == hashlib.sha256(b"".join(chunks)).hexdigest()


def test_abort_removes_the_upload_from_s3(as_editor, key_prefix):
    upload_id, key = start_multipart(as_editor, key_prefix, "cancelled.bin", 10 * MiB)
    put_part(as_editor, upload_id, key, 1, os.urandom(5 * MiB))
    answer = as_editor.delete(url(with_key(f"s3/multipart/{upload_id}", key)))
    assert answer.status_code == 200
    assert [u for u in get_gateway().list_multipart_uploads("primary", key_prefix)] == []
    assert AuditEvent.objects.filter(kind="upload.aborted", target=key).exists()


def test_completion_with_a_wrong_etag_is_refused(as_editor, key_prefix):
    upload_id, key = start_multipart(as_editor, key_prefix, "forged.bin", 5 * MiB + 10)
    good = put_part(as_editor, upload_id, key, 1, os.urandom(5 * MiB))
    put_part(as_editor, upload_id, key, 2, os.urandom(10))
    answer = complete(as_editor, upload_id, key, [(1, good), (2, '"0123456789abcdef0123456789abcdef"')])
    assert answer.status_code == 409
    assert "ETag of part 2" in answer.json()["error"]
    with pytest.raises(ObjectNotFound):
        get_gateway().get_object_meta("primary", key)


def test_completion_with_missing_or_extra_parts_is_refused(as_editor, key_prefix):
    upload_id, key = start_multipart(as_editor, key_prefix, "partial.bin", 5 * MiB + 10)
    one = put_part(as_editor, upload_id, key, 1, os.urandom(5 * MiB))
    put_part(as_editor, upload_id, key, 2, os.urandom(10))
    assert complete(as_editor, upload_id, key, [(1, one)]).status_code == 409
    assert complete(as_editor, upload_id, key, [(1, one), (2, "x"), (3, "y")]).status_code == 409


def test_sizes_above_the_connections_cap_are_refused(as_editor, key_prefix, seaweed_connection):
    seaweed_connection.max_upload_size = 1000
    seaweed_connection.save()
    for path in ("s3/params", "s3/multipart"):
        answer = post_json(as_editor, path, {"prefix": key_prefix, "relativePath": "huge.bin", "size": 1001})
        assert answer.status_code == 413
        assert "at most 1,000" in answer.json()["error"]


def test_a_multipart_upload_that_grew_past_the_cap_is_aborted_not_completed(as_editor, key_prefix,
                                                                             seaweed_connection):
    upload_id, key = start_multipart(as_editor, key_prefix, "grown.bin", 100)
    seaweed_connection.max_upload_size = 5 * MiB
    seaweed_connection.save()
    parts = [(1, put_part(as_editor, upload_id, key, 1, os.urandom(5 * MiB))),
             (2, put_part(as_editor, upload_id, key, 2, os.urandom(10)))]
    assert complete(as_editor, upload_id, key, parts).status_code == 413
    assert get_gateway().list_multipart_uploads("primary", key_prefix) == []


@pytest.mark.parametrize("relative", ["../escape.txt", "a//b.txt", "back\\slash.txt", "ctrl\x01.txt", ""])
def test_keys_are_built_and_checked_on_the_server(as_editor, key_prefix, relative):
    answer = post_json(as_editor, "s3/params", {"prefix": key_prefix, "relativePath": relative, "size": 1})
    assert answer.status_code == 400
    assert answer.json()["error"]


def test_folders_dropped_keep_their_relative_paths(as_editor, key_prefix):
    key = upload_small(as_editor, key_prefix, "/photos/2024/summer/beach.txt", b"sand")
    assert key == key_prefix + "photos/2024/summer/beach.txt"


def test_viewers_and_strangers_cannot_sign(as_viewer, as_outsider, client, key_prefix):
    body = {"prefix": key_prefix, "relativePath": "x.txt", "size": 1}
    assert post_json(as_viewer, "s3/params", body).status_code == 403
    assert post_json(as_outsider, "s3/multipart", body).status_code == 404  # no role on it: as if it did not exist
    assert post_json(client, "s3/params", body).status_code == 302  # to the sign-in page


def test_signing_needs_the_csrf_token(users, key_prefix):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["editor"])
    answer = post_json(strict, "s3/params", {"prefix": key_prefix, "relativePath": "x.txt", "size": 1})
    assert answer.status_code == 403


def test_it_says_which_files_exist_already(as_editor, key_prefix):
    upload_small(as_editor, key_prefix, "there.txt", b"1")
    answer = post_json(as_editor, "s3/exists", {"prefix": key_prefix, "paths": ["there.txt", "new.txt"]})
    assert answer.json()["existing"] == ["there.txt"]
    assert answer.json()["maxSize"] == 5 * 1024**4  # the widget learns the connection's cap here


def test_the_uploaded_endpoint_refuses_keys_that_are_not_there(as_editor, key_prefix):
    answer = post_json(as_editor, "s3/uploaded", {"key": key_prefix + "never-sent.txt"})
    assert answer.status_code == 404
    assert not AuditEvent.objects.filter(kind="upload.completed").exists()


def test_cors_status_reports_whether_the_bucket_lets_this_origin_upload(as_admin, as_editor, seaweedfs,
                                                                       seaweed_connection):
    from storage import cors
    from storage.dev.bootstrap import ensure_bucket
    from storage.gateway import CorsRule
    from tests.conftest import seaweed_spec

    seaweed_connection.bucket = "files-cors-status"
    seaweed_connection.save()
    ensure_bucket(seaweed_spec(seaweedfs, bucket="files-cors-status"))
    gateway = get_gateway()
    gateway.put_bucket_cors("primary", [CorsRule(["https://elsewhere.example"], ["PUT"], ["*"], ["ETag"])])
    answer = as_admin.get(url("s3/cors")).json()  # a manager's (issue #15); an editor is refused
    assert (answer["origin"], answer["ok"]) == ("http://testserver", False)
    assert "PUT from http://testserver is not allowed" in answer["detail"]
    assert as_editor.get(url("s3/cors")).status_code == 403
    gateway.put_bucket_cors("primary", [cors.needed_rule(["http://testserver"])])
    assert as_admin.get(url("s3/cors")).json()["ok"] is True


def test_parts_can_be_signed_in_batches_and_at_creation(as_editor, key_prefix):
    answer = post_json(as_editor, "s3/multipart", {"prefix": key_prefix, "relativePath": "batched.bin",
                                                   "size": 10 * MiB + 5, "signParts": 2}).json()
    upload_id, key = answer["uploadId"], answer["key"]
    assert sorted(answer["presignedUrls"]) == ["1", "2"]
    batch = post_json(as_editor, with_key(f"s3/multipart/{upload_id}/batch", key), {"parts": [3]}).json()
    signed = {**answer["presignedUrls"], **batch["presignedUrls"]}
    chunks = [os.urandom(5 * MiB), os.urandom(5 * MiB), b"tail!"]
    etags = []
    for number, chunk in enumerate(chunks, start=1):
        put = requests.put(signed[str(number)]["url"], data=chunk, timeout=30)
        assert put.status_code == 200, put.text
        etags.append((number, put.headers["ETag"]))
    assert complete(as_editor, upload_id, key, etags).status_code == 200
    assert get_gateway().download_file("primary", key) == b"".join(chunks)


def test_a_batch_is_bounded(as_editor, key_prefix):
    upload_id, key = start_multipart(as_editor, key_prefix, "bounded.bin", 10 * MiB)
    for parts in ([], list(range(1, 102)), ["x"], [0]):
        answer = post_json(as_editor, with_key(f"s3/multipart/{upload_id}/batch", key), {"parts": parts})
        assert answer.status_code == 400, parts
        assert answer.json()["error"]


def test_a_key_ending_in_a_slash_is_refused_before_signing(as_editor, key_prefix):
    """Issue #11 item 12: the body of a PUT to `a/b/` would be lost (SeaweedFS keeps a folder there)."""
    for path, size in (("s3/params", 5), ("s3/params", 5000), ("s3/multipart", 20 * MiB)):
        answer = post_json(as_editor, path, {"prefix": key_prefix, "relativePath": "a/b/", "size": size})
        assert answer.status_code == 400
        assert answer.json() == {"error": "A key ending in '/' is a folder; it cannot hold data."}
    assert get_gateway().list_objects("primary", key_prefix, delimiter="").objects == []
