import io
import re

import pytest

from storage.gateway import InvalidKey
from storage.keys import (
    as_folder,
    folder_marker_body,
    folder_upload_size,
    join_key,
    name_bytes,
    name_limit_for,
    validate_key,
    validate_name_length,
)


@pytest.mark.parametrize("key", [
    "a.txt", "folder/sub/file name.pdf", "reports/", "a+b%20c#d?e&f'g\"h", "caf\u00e9", "cafe\u0301",
    "..hidden", "a/.config", "x" * 1024, "日本語/ファイル.txt", "a/b/c/d/e/f/g/h",
])
def test_it_accepts_keys_s3_can_hold(key):
    assert validate_key(key) == key


@pytest.mark.parametrize(("key", "rule"), [
    ("", "empty"),
    ("/a", "start with '/'"),
    ("a//b", "'//'"),
    ("a/./b", "'.' path segment"),
    ("a/../b", "'..' path segment"),
    ("..", "'..' path segment"),
    ("a\x00b", "control characters"),
    ("a\nb", "control characters"),
    ("a\x7fb", "control characters"),
    ("x" * 1025, "1025 bytes"),
    ("back\\slash", "'\\'"),
    ("é" * 513, "1026 bytes"),
])
def test_it_refuses_bad_keys_naming_the_rule(key, rule):
    with pytest.raises(InvalidKey, match=re.escape(rule)):
        validate_key(key)


def test_it_can_refuse_folder_markers():
    with pytest.raises(InvalidKey, match=re.escape("A key ending in '/' is a folder; it cannot hold data.")):
        validate_key("folder/", allow_folder_marker=False)


@pytest.mark.parametrize(("key", "size", "signed"), [
    ("a/b/", None, 0), ("a/b/", 0, 0), ("a/b.txt", 5, 5), ("a/b.txt", None, None), ("a/b.txt", 0, 0),
])
def test_a_folder_key_is_signed_for_zero_bytes(key, size, signed):
    assert folder_upload_size(key, size) == signed


@pytest.mark.parametrize("size", [1, 1024, 1025, 5 * 2**30])
def test_a_folder_key_with_a_size_is_refused_in_plain_words(size):
    with pytest.raises(InvalidKey, match=re.escape("A key ending in '/' is a folder; it cannot hold data.")):
        folder_upload_size("a/b/", size)


@pytest.mark.parametrize("body", [b"", bytearray(), memoryview(b""), io.BytesIO(b"")])
def test_a_folder_marker_body_is_empty(body):
    assert folder_marker_body("a/b/", body) == b""


@pytest.mark.parametrize("body", [b"x", bytearray(b"data"), memoryview(b"d"), io.BytesIO(b"x" * 5000)])
def test_a_folder_marker_with_a_body_is_refused(body):
    with pytest.raises(InvalidKey, match="is a folder; it cannot hold data"):
        folder_marker_body("a/b/", body)


def test_joining_a_relative_path_that_ends_in_a_slash_names_the_rule():
    with pytest.raises(InvalidKey, match="is a folder; it cannot hold data"):
        join_key("x/y/", "z/")


def test_it_joins_a_prefix_and_a_relative_path():
    assert join_key("photos", "2024/a.jpg") == "photos/2024/a.jpg"
    assert join_key("photos/", "a.jpg") == "photos/a.jpg"
    assert join_key("", "a.jpg") == "a.jpg"
    with pytest.raises(InvalidKey):
        join_key("photos/", "../etc/passwd")


@pytest.mark.parametrize("value", ["image/png", "text/plain; charset=utf-8", 'multipart/form-data; boundary="a b"',
                                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document"])
def test_media_types_pass(value):
    from storage.media_types import validate_content_type

    assert validate_content_type(value) == value


@pytest.mark.parametrize("value", ["", "png", "text/plain\r\nX-Evil: 1", "text/plain; charset", "a/b" + "c" * 300,
                                   "日本/語"])
def test_anything_else_is_not_a_content_type(value):
    from storage.gateway import InvalidRequest
    from storage.media_types import validate_content_type

    with pytest.raises(InvalidRequest, match="is not a content type"):
        validate_content_type(value)


@pytest.mark.parametrize(("key", "size"), [
    ("a.txt", 5), ("x/" + "a" * 300 + "/b.txt", 5), ("docs/" + "é" * 10, 20), ("docs/" + "n" * 12 + "/", 12),
    ("📈" * 3, 12),
])
def test_a_name_is_the_last_segment_in_utf8(key, size):
    assert name_bytes(key) == size


@pytest.mark.parametrize(("server", "limit"), [
    ("SeaweedFS 8000GB 4.48", 255), ("seaweedfs", 255), ("AmazonS3", None), ("MinIO", None), ("", None), (None, None),
])
def test_the_name_limit_comes_from_the_storage_product(server, limit):
    assert name_limit_for(server) == limit


@pytest.mark.parametrize("key", ["a" * 255, "d/" + "é" * 127, "d/" + "中" * 85, "d/" + "📈" * 63, "d/" + "m" * 255 + "/",
                                 "f" * 600 + "/short.txt"])
def test_names_up_to_255_bytes_pass(key):
    assert validate_name_length(key, 255) == key


@pytest.mark.parametrize(("key", "what", "size"), [
    ("a" * 256, "file", "256"), ("d/" + "é" * 128, "file", "256"), ("d/" + "📈" * 64, "file", "256"),
    ("d/" + "m" * 256 + "/", "folder", "256"), ("up/" + "a" * 904, "file", "904"),
])
def test_a_longer_name_is_refused_in_plain_words(key, what, size):
    with pytest.raises(InvalidKey, match=rf"^The {what} name '.+' is {size} bytes long in UTF-8; this storage accepts "
                                         r"file and folder names of at most 255 bytes\. Choose a shorter name\.$"):
        validate_name_length(key, 255)


def test_without_a_known_limit_any_name_passes():
    assert validate_name_length("a" * 904, None) == "a" * 904


@pytest.mark.parametrize(("typed", "folder"), [
    ("", ""), ("/", ""), ("  ", ""), ("team", "team/"), ("team/", "team/"), ("/team/a", "team/a/"),
    (" reports/2026 ", "reports/2026/"),
])
def test_a_folder_as_typed_becomes_a_folder_prefix(typed, folder):
    assert as_folder(typed) == folder


@pytest.mark.parametrize("typed", ["a//b", "a/../b", "./a", "a\\b", "a\x00b"])
def test_a_folder_that_cannot_be_one_is_refused(typed):
    with pytest.raises(InvalidKey):
        as_folder(typed)
