import io
import re

import pytest

from storage.gateway import InvalidKey
from storage.keys import folder_marker_body, folder_upload_size, join_key, validate_key


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
