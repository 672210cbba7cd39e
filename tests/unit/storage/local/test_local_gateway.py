"""The local folder gateway's own promises: symlinks, atomic writes, staging, refusal, health and space."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from storage.gateway import IntegrityFailure, InvalidKey, NotSupported, ObjectNotFound

MiB = 1024 * 1024


def test_a_symlink_inside_the_folder_that_points_outside_is_never_followed(local, folder, tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.txt").write_text("hunter2")
    objects = folder / "objects"
    objects.mkdir(exist_ok=True)
    os.symlink(secret, objects / "escape%")  # a folder "escape/" planted as a link
    os.symlink(secret / "passwords.txt", objects / "link.txt")  # a file planted as a link
    with pytest.raises(InvalidKey, match="leads out of the connection's folder"):
        local.download_file("disk", "escape/passwords.txt")
    with pytest.raises(InvalidKey, match="leads out of the connection's folder"):
        local.simple_upload("disk", "escape/new.txt", b"x")
    with pytest.raises(ObjectNotFound):
        local.download_file("disk", "link.txt")
    assert local.list_objects("disk", "", delimiter="").objects == []
    assert sorted(p.name for p in secret.iterdir()) == ["passwords.txt"]


def test_a_write_that_breaks_off_leaves_the_old_file_whole_and_nothing_behind(local, folder):
    local.simple_upload("disk", "report.txt", b"old report")

    class Broken(io.RawIOBase):
        def __init__(self):
            self.sent = 0

        def readable(self):
            return True

        def read(self, n=-1):
            self.sent += 1
            if self.sent > 3:
                raise ConnectionResetError("the client went away")
            return b"n" * MiB

    with pytest.raises(ConnectionResetError):
        local.upload_file("disk", "report.txt", Broken(), 10 * MiB)
    assert local.download_file("disk", "report.txt") == b"old report"
    assert local.get_object_meta("disk", "report.txt").etag == hashlib.md5(b"old report").hexdigest()
    assert list((folder / "tmp").iterdir()) == []


def test_a_short_stream_is_refused_not_stored_short(local):
    with pytest.raises(IntegrityFailure, match="ended after 5 of 10 bytes"):
        local.upload_file("disk", "short.bin", io.BytesIO(b"12345"), 10)
    with pytest.raises(ObjectNotFound):
        local.get_object_meta("disk", "short.bin")


def test_multipart_parts_wait_outside_the_key_space_and_are_cleaned_when_done(local, folder):
    upload_id = local.create_multipart_upload("disk", "big.bin", content_type="text/csv", metadata={"team": "a"})
    one, two = os.urandom(5 * MiB), b"tail"
    etags = [(1, local.upload_part("disk", "big.bin", upload_id, 1, one)),
             (2, local.upload_part("disk", "big.bin", upload_id, 2, two))]
    assert local.list_objects("disk", "", delimiter="").objects == []
    with pytest.raises(IntegrityFailure):
        local.complete_multipart_upload("disk", "big.bin", upload_id, [(1, etags[1][1]), (2, etags[1][1])])
    etag = local.complete_multipart_upload("disk", "big.bin", upload_id, etags)
    digests = hashlib.md5(one).digest() + hashlib.md5(two).digest()
    assert etag == hashlib.md5(digests).hexdigest() + "-2"
    meta = local.get_object_meta("disk", "big.bin")
    assert (meta.etag, meta.size, meta.content_type, meta.metadata) == (etag, 5 * MiB + 4, "text/csv", {"team": "a"})
    aborted = local.create_multipart_upload("disk", "gone.bin")
    local.upload_part("disk", "gone.bin", aborted, 1, b"x")
    local.abort_multipart_upload("disk", "gone.bin", aborted)
    assert list((folder / "uploads").iterdir()) == [] and local.list_multipart_uploads("disk") == []


def test_a_part_number_or_upload_id_cannot_name_a_path(local):
    upload_id = local.create_multipart_upload("disk", "a.bin")
    for bad_id in ("../../objects", upload_id + "/..", ""):
        with pytest.raises(ObjectNotFound):
            local.upload_part("disk", "a.bin", bad_id, 1, b"x")
    with pytest.raises(ObjectNotFound):
        local.upload_part("disk", "other.bin", upload_id, 1, b"x")


def test_ranges_and_if_match_on_open_object(local):
    local.simple_upload("disk", "digits.txt", b"0123456789")
    etag = local.get_object_meta("disk", "digits.txt").etag
    with local.open_object("disk", "digits.txt", range=(2, 5), if_match=etag) as stream:
        assert (stream.read(), stream.meta.size) == (b"2345", 10)
    with local.open_object("disk", "digits.txt", range=(7, None)) as stream:
        assert stream.read() == b"789"
    with pytest.raises(IntegrityFailure):
        local.open_object("disk", "digits.txt", if_match=hashlib.md5(b"other").hexdigest())


def test_a_file_put_there_by_hand_is_listed_with_its_md5(local, folder):
    (folder / "objects" / "notes%").mkdir(parents=True)
    (folder / "objects" / "notes%" / "by hand.txt").write_bytes(b"typed")
    [summary] = local.list_objects("disk", "notes/").objects
    assert (summary.key, summary.size, summary.etag) == ("notes/by hand.txt", 5, hashlib.md5(b"typed").hexdigest())


def test_listing_pages_follow_key_order_across_files_and_folders(local):
    keys = ["a", "a-b", "a/x", "a/y/z", "a0", "b", "é"]
    for key in keys:
        local.simple_upload("disk", key, b"x")
    seen, token = [], None
    while True:
        page = local.list_objects("disk", "", delimiter="", max_keys=2, token=token)
        seen += [o.key for o in page.objects]
        if not (token := page.next_token):
            break
    assert seen == sorted(keys, key=lambda k: k.encode())
    page = local.list_objects("disk", "", max_keys=3)
    assert ([o.key for o in page.objects], page.folders) == (["a", "a-b"], ["a/"])
    rest = local.list_objects("disk", "", token=page.next_token)
    assert [o.key for o in rest.objects] == ["a0", "b", "é"] and rest.folders == []


def test_refused_unless_allowed_with_clear_words(local, settings):
    settings.ALLOW_LOCAL_FOLDERS = False
    with pytest.raises(NotSupported, match="ALLOW_LOCAL_FOLDERS=true"):
        local.download_file("disk", "a.txt")
    with pytest.raises(NotSupported, match="ALLOW_LOCAL_FOLDERS=true"):
        local.get_download_url("disk", "a.txt")


def test_health_free_space_and_bucket_features(local, folder, tmp_path, settings):
    assert local.check_health("disk").ok
    assert local.free_space("disk") > 0
    assert "one version of each file" in local.bucket_support("disk").why_not("versioning")
    from storage.connections import ConnectionSpec, StaticRegistry
    from storage.local.gateway import LocalFolderGateway

    missing = LocalFolderGateway(StaticRegistry([ConnectionSpec("gone", kind="local",
                                                                local_root=str(tmp_path / "nowhere"))]))
    report = missing.check_health("gone")
    assert not report.ok and "does not exist" in report.detail


def test_an_empty_directory_left_behind_is_no_folder(local, folder):
    """S3 has no empty folders: a directory holding nothing (a crash between a delete and its clean-up) is not one."""
    (folder / "objects" / "ghost%" / "inner%").mkdir(parents=True)
    local.simple_upload("disk", "real/a.txt", b"x")
    assert local.list_objects("disk", "").folders == ["real/"]
