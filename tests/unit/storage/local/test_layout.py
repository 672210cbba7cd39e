"""Keys to paths: every key has its own path inside objects/, and no key reaches anything else."""

from __future__ import annotations

import pytest

from storage.gateway import InvalidKey
from storage.local.layout import Layout

ENCODED_AND_RAW_ESCAPES = ["../etc/passwd", "a/../../b", "/etc/passwd", "a\\..\\b", "a\x00b", "./a", "a/./b", "a//b"]


def test_a_file_and_a_folder_of_the_same_name_both_exist(local, folder):
    local.simple_upload("disk", "a", b"file a")
    local.simple_upload("disk", "a/b", b"file a/b")
    local.simple_upload("disk", "a/", b"")
    assert (local.download_file("disk", "a"), local.download_file("disk", "a/b")) == (b"file a", b"file a/b")
    assert [o.key for o in local.list_objects("disk", "", delimiter="").objects] == ["a", "a/", "a/b"]
    page = local.list_objects("disk", "")
    assert ([o.key for o in page.objects], page.folders) == (["a"], ["a/"])


def test_percent_signs_and_lookalikes_of_the_layouts_own_names_are_plain_keys(local):
    keys = ["%", "100%", "x%marker", "%marker", "a%/b", "a%25", "meta", "tmp", "uploads", "objects"]
    for key in keys:
        local.simple_upload("disk", key, key.encode())
    for key in keys:
        assert local.download_file("disk", key) == key.encode()
    assert sorted(o.key for o in local.list_objects("disk", "", delimiter="").objects) == sorted(keys)


def test_sidecars_parts_and_temporary_files_are_never_listed(local, folder):
    local.simple_upload("disk", "photo.jpg", b"x", content_type="image/jpeg")
    local.create_multipart_upload("disk", "big.bin")
    assert {p.name for p in folder.iterdir()} == {"objects", "meta", "uploads", "tmp"}
    assert [o.key for o in local.list_objects("disk", "", delimiter="").objects] == ["photo.jpg"]
    assert local.get_object_meta("disk", "photo.jpg").content_type == "image/jpeg"


@pytest.mark.parametrize("key", ENCODED_AND_RAW_ESCAPES)
def test_keys_that_would_leave_the_folder_are_refused(local, folder, key):
    with pytest.raises(InvalidKey):
        local.simple_upload("disk", key, b"x")
    assert not (folder.parent / "etc").exists()


def test_a_name_too_long_for_the_disk_is_refused_in_words(local):
    with pytest.raises(InvalidKey, match="accepts file and folder names of at most 255 bytes"):
        local.simple_upload("disk", "a" * 256, b"x")
    with pytest.raises(InvalidKey, match="takes 259 bytes on disk"):
        local.simple_upload("disk", "%%%" + "a" * 250, b"x")
    with pytest.raises(InvalidKey, match="takes 256 bytes on disk"):
        local.simple_upload("disk", "f" * 255 + "/x", b"x")
    local.simple_upload("disk", "a" * 255, b"x")
    local.simple_upload("disk", "f" * 254 + "/x", b"x")


def test_a_relative_or_missing_folder_path_is_refused():
    from storage.gateway import StorageUnreachable

    for root in ("", "relative/path"):
        with pytest.raises(StorageUnreachable, match="absolute folder path"):
            Layout.of(root)
