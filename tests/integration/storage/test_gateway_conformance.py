"""One suite, every gateway: the seed's "same interface, seamless switch"."""

from __future__ import annotations

import hashlib
import io
import os
import re

import pytest
import requests

from storage.gateway import InvalidKey, ObjectNotFound
from tests.integration.special_keys import REFUSED_KEYS, SPECIAL_NAMES

MiB = 1024 * 1024


def test_simple_upload_download_and_meta(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    key = key_prefix + "hello.txt"
    g.simple_upload(oss, key, b"hello world", content_type="text/plain")
    assert g.download_file(oss, key) == b"hello world"
    meta = g.get_object_meta(oss, key)
    assert meta.size == 11 and meta.content_type == "text/plain"
    assert meta.etag == hashlib.md5(b"hello world").hexdigest()


def test_delete_then_the_object_is_gone(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    key = key_prefix + "doomed.txt"
    g.simple_upload(oss, key, b"x")
    g.delete_file(oss, key)
    with pytest.raises(ObjectNotFound):
        g.get_object_meta(oss, key)


def test_upload_file_streams_small_files_in_one_request(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    data = os.urandom(100_000)
    g.upload_file(oss, key_prefix + "small.bin", io.BytesIO(data), len(data))
    assert "-" not in g.get_object_meta(oss, key_prefix + "small.bin").etag
    assert g.download_file(oss, key_prefix + "small.bin") == data


def test_a_40_mib_upload_goes_multipart(case, key_prefix, tmp_path):
    g, oss = case.gateway, case.oss_id
    path = tmp_path / "forty.bin"
    path.write_bytes(os.urandom(40 * MiB))
    with open(path, "rb") as f:
        g.upload_file(oss, key_prefix + "forty.bin", f, 40 * MiB)
    meta = g.get_object_meta(oss, key_prefix + "forty.bin")
    assert meta.size == 40 * MiB
    assert "-" in meta.etag, "a multipart object's ETag ends with -<parts>"
    target = tmp_path / "back.bin"
    assert g.download_file_to_local(oss, key_prefix + "forty.bin", target) == 40 * MiB
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(path.read_bytes()).digest()


def test_presigned_urls_round_trip_over_plain_http(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    key = key_prefix + "signed.png"
    upload = g.get_upload_request(oss, key, 60, content_type="image/png", size=4)
    response = requests.request(upload.method, upload.url, data=b"\x89PNG", headers=upload.headers, timeout=10)
    assert response.status_code == 200, response.text
    download = requests.get(g.get_download_url(oss, key, 60, filename="picture.png"), timeout=10)
    assert download.content == b"\x89PNG"
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_browser_style_multipart_with_signed_parts(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    key = key_prefix + "parts.bin"
    chunks = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(1234)]
    upload_id = g.create_multipart_upload(oss, key, content_type="application/octet-stream")
    etags = []
    for number, chunk in enumerate(chunks, start=1):
        signed = g.sign_upload_part(oss, key, upload_id, number, 300)
        answer = requests.put(signed.url, data=chunk, headers=signed.headers, timeout=30)
        assert answer.status_code == 200, answer.text
        etags.append((number, answer.headers["ETag"]))
    assert [p.part_number for p in g.list_parts(oss, key, upload_id)] == [1, 2, 3]
    assert any(u.upload_id == upload_id for u in g.list_multipart_uploads(oss, key_prefix))
    g.complete_multipart_upload(oss, key, upload_id, etags)
    assert g.download_file(oss, key) == b"".join(chunks)


def test_abort_removes_an_upload_in_progress(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    upload_id = g.create_multipart_upload(oss, key_prefix + "aborted.bin")
    g.abort_multipart_upload(oss, key_prefix + "aborted.bin", upload_id)
    assert all(u.upload_id != upload_id for u in g.list_multipart_uploads(oss, key_prefix))


def test_listing_copy_and_bulk_delete(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    for name in ["a.txt", "b.txt", "sub/c.txt"]:
        g.simple_upload(oss, key_prefix + name, name.encode())
    page = g.list_objects(oss, key_prefix)
    assert [o.name for o in page.objects] == ["a.txt", "b.txt"]
    assert page.folders == [key_prefix + "sub/"]
    g.copy_object(oss, key_prefix + "a.txt", key_prefix + "sub/a2.txt")
    assert g.download_file(oss, key_prefix + "sub/a2.txt") == b"a.txt"
    result = g.delete_objects(oss, [key_prefix + n for n in ["a.txt", "b.txt", "sub/c.txt", "sub/a2.txt"]])
    assert result.errors == {} and len(result.deleted) == 4
    assert g.list_objects(oss, key_prefix).objects == []


@pytest.mark.parametrize("name", SPECIAL_NAMES)
def test_special_keys_round_trip_and_list_back_exactly(case, key_prefix, name):
    g, oss = case.gateway, case.oss_id
    key = key_prefix + name
    body = name.encode("utf-8")
    upload = g.get_upload_request(oss, key, 60)
    assert requests.put(upload.url, data=body, headers=upload.headers, timeout=10).status_code == 200
    assert requests.get(g.get_download_url(oss, key, 60), timeout=10).content == body
    assert g.download_file(oss, key) == body
    folder = key.rsplit("/", 1)[0] + "/" if "/" in name else key_prefix
    assert key in [o.key for o in g.list_objects(oss, folder).objects]
    g.delete_file(oss, key)
    assert key not in [o.key for o in g.list_objects(oss, folder).objects]


@pytest.mark.parametrize("key", REFUSED_KEYS)
def test_keys_breaking_the_rules_never_reach_storage(case, key):
    with pytest.raises(InvalidKey):
        case.gateway.simple_upload(case.oss_id, key, b"x")
    with pytest.raises(InvalidKey):
        case.gateway.get_upload_request(case.oss_id, key, 60)


def test_available_oss_is_the_default(case):
    assert case.gateway.get_available_oss() == case.oss_id


def test_listing_by_an_objects_full_key_shows_that_object(case, key_prefix):
    """Issue #11 item 14: only a folder's own marker (a prefix ending in '/') is left out of its listing."""
    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "report.txt", b"x")
    g.simple_upload(oss, key_prefix + "report.txt.bak", b"y")
    g.simple_upload(oss, key_prefix + "box/", b"")
    exact = g.list_objects(oss, key_prefix + "report.txt")
    assert [o.key for o in exact.objects] == [key_prefix + "report.txt", key_prefix + "report.txt.bak"]
    assert [o.key for o in g.list_objects(oss, key_prefix + "report.txt", delimiter="").objects] == [
        key_prefix + "report.txt", key_prefix + "report.txt.bak"]
    assert g.list_objects(oss, key_prefix + "box/").objects == []


def test_delete_prefix_removes_a_folder_its_subfolders_and_what_earlier_deletes_left(case, key_prefix):
    """Issue #11 item 11: SeaweedFS lists a folder until the folder's own key is deleted, once it is empty."""
    g, oss = case.gateway, case.oss_id
    box = key_prefix + "box/"
    for key in ("a.txt", "sub/b.txt", "sub/deeper/c.txt", "left/over/d.txt"):
        g.simple_upload(oss, box + key, b"x")
    for marker in ("empty/", "empty/inner/"):
        g.simple_upload(oss, box + marker, b"")
    g.simple_upload(oss, key_prefix + "keep.txt", b"k")
    g.delete_objects(oss, [box + "left/over/d.txt"])  # what a delete of files alone leaves: empty folders
    result = g.delete_prefix(oss, box)
    assert result.errors == {}
    assert sorted(k for k in result.deleted if not k.endswith("/")) == [box + "a.txt", box + "sub/b.txt",
                                                                         box + "sub/deeper/c.txt"]
    parent = g.list_objects(oss, key_prefix)
    assert parent.folders == [] and [o.key for o in parent.objects] == [key_prefix + "keep.txt"]
    for folder in (box, box + "sub/", box + "empty/", box + "left/"):
        page = g.list_objects(oss, folder)
        assert (page.folders, page.objects) == ([], []), folder


FOLDER_HOLDS_NO_DATA = "A key ending in '/' is a folder; it cannot hold data."


def test_a_folder_key_holds_no_data(case, key_prefix):
    """Issue #11 item 12: SeaweedFS stores a body sent to `a/b/` as a 0-byte marker (<= 1 KiB) or as `a/b/b`."""
    g, oss = case.gateway, case.oss_id
    folder = key_prefix + "a/b/"
    refused = [
        lambda: g.simple_upload(oss, folder, b"data"),
        lambda: g.simple_upload(oss, folder, io.BytesIO(b"x" * 5000)),
        lambda: g.upload_file(oss, folder, io.BytesIO(b"data"), 4),
        lambda: g.upload_file(oss, folder, io.BytesIO(b"x" * 5000)),
        lambda: g.get_upload_request(oss, folder, 60, size=5000),
        lambda: g.create_multipart_upload(oss, folder),
    ]
    for call in refused:
        with pytest.raises(InvalidKey, match=re.escape(FOLDER_HOLDS_NO_DATA)):
            call()
    assert g.list_objects(oss, key_prefix, delimiter="").objects == []
    signed = g.get_upload_request(oss, folder, 60)  # no size given: 0 bytes are signed in
    for body in (b"data", b"x" * 5000):
        refused_put = requests.put(signed.url, data=body, headers=signed.headers, timeout=10)
        assert refused_put.status_code == 403 and "SignatureDoesNotMatch" in refused_put.text
    assert g.list_objects(oss, key_prefix, delimiter="").objects == []
    assert requests.put(signed.url, data=b"", headers=signed.headers, timeout=10).status_code == 200
    g.simple_upload(oss, key_prefix + "c/", b"")
    g.upload_file(oss, key_prefix + "d/", io.BytesIO(b""), 0)
    assert [(o.key, o.size) for o in g.list_objects(oss, key_prefix, delimiter="").objects] == [
        (folder, 0), (key_prefix + "c/", 0), (key_prefix + "d/", 0)]


def test_a_name_longer_than_the_storage_takes_is_refused_before_signing(case, key_prefix):
    """Issue #11 item 13: SeaweedFS refuses names over 255 bytes (KeyTooLongError) after the console signed them."""
    g, oss = case.gateway, case.oss_id
    long_name = key_prefix + "a" * 904
    for call in (lambda: g.get_upload_request(oss, long_name, 60, size=1),
                 lambda: g.simple_upload(oss, long_name, b"x"),
                 lambda: g.create_multipart_upload(oss, long_name)):
        with pytest.raises(InvalidKey, match="is 904 bytes long in UTF-8; this storage accepts file and folder "
                                             "names of at most 255 bytes"):
            call()
    g.simple_upload(oss, key_prefix + "a" * 255, b"x")
    assert [o.key for o in g.list_objects(oss, key_prefix).objects] == [key_prefix + "a" * 255]


def test_a_copy_never_puts_a_files_bytes_on_a_folder_key(case, key_prefix):
    """Found by the second attack pass: ext/copy into `x/` answered 204 and kept 0 bytes."""
    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "data.bin", b"precious")
    with pytest.raises(InvalidKey, match=re.escape(FOLDER_HOLDS_NO_DATA)):
        g.copy_object(oss, key_prefix + "data.bin", key_prefix + "into/")
    assert [o.key for o in g.list_objects(oss, key_prefix, delimiter="").objects] == [key_prefix + "data.bin"]


def test_a_listing_resumes_after_a_key(case, key_prefix):
    """What a job resuming from its checkpoint asks: the page after the last key it handled."""
    g, oss = case.gateway, case.oss_id
    for name in ("a.txt", "b.txt", "c/d.txt", "e.txt"):
        g.simple_upload(oss, key_prefix + name, b"x")
    everything = [o.key for o in g.list_objects(oss, key_prefix, delimiter="").objects]
    after = [o.key for o in g.list_objects(oss, key_prefix, delimiter="", start_after=everything[1]).objects]
    assert after == everything[2:]


def test_a_server_copy_keeps_type_and_reports_the_etag_a_head_shows(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "a.csv", b"1,2,3", content_type="text/csv")
    source = g.get_object_meta(oss, key_prefix + "a.csv")
    etag = g.server_copy(oss, key_prefix + "a.csv", key_prefix + "b/a.csv", if_match=source.etag)
    copy = g.get_object_meta(oss, key_prefix + "b/a.csv")
    assert (copy.etag, copy.size, copy.content_type) == (etag, 5, "text/csv")


def test_a_server_copy_on_condition_refuses_a_changed_source(case, key_prefix):
    from storage.gateway import IntegrityFailure

    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "a.txt", b"old")
    with pytest.raises(IntegrityFailure):
        g.server_copy(oss, key_prefix + "a.txt", key_prefix + "b.txt", if_match=hashlib.md5(b"new").hexdigest())
    with pytest.raises(ObjectNotFound):
        g.get_object_meta(oss, key_prefix + "b.txt")


def test_delete_empty_folders_leaves_folders_that_still_hold_a_file(case, key_prefix):
    g, oss = case.gateway, case.oss_id
    box = key_prefix + "box/"
    g.simple_upload(oss, box + "kept/deep/skipped.txt", b"x")
    for marker in ("empty/", "empty/inner/", "kept/", "kept/other/"):
        g.simple_upload(oss, box + marker, b"")
    g.simple_upload(oss, box + "gone/a.txt", b"x")
    g.delete_file(oss, box + "gone/a.txt")
    result = g.delete_empty_folders(oss, box)
    assert result.errors == {}
    assert g.list_objects(oss, box).folders == [box + "kept/"]
    assert g.list_objects(oss, box + "kept/").folders == [box + "kept/deep/"]
    assert g.download_file(oss, box + "kept/deep/skipped.txt") == b"x"


def test_a_delete_on_condition_refuses_another_version(case, key_prefix):
    """What a move's source delete asks: only the version it copied (a replaced source stays)."""
    from storage.gateway import IntegrityFailure

    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "x.txt", b"one")
    first = g.get_object_meta(oss, key_prefix + "x.txt").etag
    g.simple_upload(oss, key_prefix + "x.txt", b"two")
    with pytest.raises(IntegrityFailure):
        g.delete_file(oss, key_prefix + "x.txt", if_match=first)
    assert g.download_file(oss, key_prefix + "x.txt") == b"two"
    g.delete_file(oss, key_prefix + "x.txt", if_match=g.get_object_meta(oss, key_prefix + "x.txt").etag)
    with pytest.raises(ObjectNotFound):
        g.get_object_meta(oss, key_prefix + "x.txt")


def test_a_server_copy_into_a_free_name_never_overwrites(case, key_prefix):
    """What a copy job asks for a destination it found free: an object saved there since stays."""
    from storage.gateway import IntegrityFailure

    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "a.txt", b"source")
    g.simple_upload(oss, key_prefix + "b.txt", b"saved meanwhile")
    with pytest.raises(IntegrityFailure):
        g.server_copy(oss, key_prefix + "a.txt", key_prefix + "b.txt", dest_absent=True)
    assert g.download_file(oss, key_prefix + "b.txt") == b"saved meanwhile"
    g.server_copy(oss, key_prefix + "a.txt", key_prefix + "c.txt", dest_absent=True)
    assert g.download_file(oss, key_prefix + "c.txt") == b"source"
