import re

import pytest

from storage.gateway import InvalidKey
from storage.keys import join_key, validate_key


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
    with pytest.raises(InvalidKey, match="end with '/'"):
        validate_key("folder/", allow_folder_marker=False)


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
