"""The file manager's pure helpers: breadcrumbs, folders, previews, keys built from uploads."""

from __future__ import annotations

import pytest

from console.files.common import breadcrumbs, folder_name, icon_for, parent_prefix, preview_kind
from console.files.views.uploads import Refused, _claimed_parts, _upload_key
from storage.gateway import InvalidKey


def test_breadcrumbs_walk_the_prefix_from_the_connection():
    assert [(c.label, c.prefix) for c in breadcrumbs("main", "a/b c/")] == [
        ("main", ""), ("a", "a/"), ("b c", "a/b c/")]
    assert [(c.label, c.prefix) for c in breadcrumbs("main", "")] == [("main", "")]


@pytest.mark.parametrize(("key", "parent"), [("a/b/c.txt", "a/b/"), ("a/b/", "a/"), ("top.txt", ""), ("a/", "")])
def test_parent_prefix(key, parent):
    assert parent_prefix(key) == parent


def test_folder_name_is_the_last_segment():
    assert folder_name("a/b c/") == "b c" and folder_name("") == ""


@pytest.mark.parametrize(("content_type", "name", "kind"), [
    ("image/png", "x", "image"), ("video/mp4", "x", "video"), ("audio/mpeg", "x", "audio"),
    ("application/pdf", "x", "pdf"), ("text/plain", "x", "text"), ("application/json", "x", "json"),
    ("application/octet-stream", "notes.md", "markdown"), ("binary/octet-stream", "a.jpg", "image"),
    ("application/zip", "a.zip", None), ("text/plain", "README.md", "markdown"), ("text/csv; charset=utf-8", "x", "csv"),
    ("", "t.tsv", "csv"), ("application/geo+json", "x", "json"), ("text/x-python", "a.py", "code"),
    ("application/octet-stream", "main.go", "code"), ("text/html", "page.html", "code"),
    ("image/svg+xml", "logo.svg", "image"), ("application/octet-stream", "x.bin", None),
])
def test_preview_kind_trusts_the_stored_type_then_the_name(content_type, name, kind):
    assert preview_kind(content_type, name) == kind


def test_icons_name_the_kind_for_screen_readers():
    assert icon_for("photo.JPG") == ("IMG", "image")
    assert icon_for("report.pdf") == ("PDF", "PDF")
    assert icon_for("mystery") == ("BIN", "file")


def test_upload_keys_join_the_prefix_and_the_relative_path():
    assert _upload_key({"prefix": "a/b", "relativePath": "/dir/file.txt"}) == "a/b/dir/file.txt"
    assert _upload_key({"prefix": "", "filename": "x.txt"}) == "x.txt"


@pytest.mark.parametrize("body", [{"prefix": "a/", "relativePath": "../x"}, {"prefix": "/abs/", "relativePath": "x"},
                                  {"prefix": "a/", "relativePath": "b//c"}])
def test_upload_keys_that_break_the_rules_are_refused(body):
    with pytest.raises(InvalidKey):
        _upload_key(body)


def test_an_upload_without_a_name_is_refused():
    with pytest.raises(Refused):
        _upload_key({"prefix": "a/"})


def test_claimed_parts_need_numbers_and_etags_once_each():
    assert _claimed_parts({"parts": [{"PartNumber": 2, "ETag": '"b"'}, {"PartNumber": "1", "ETag": "a"}]}) == \
        {2: "b", 1: "a"}
    for bad in ({}, {"parts": []}, {"parts": [{"PartNumber": 1}]},
                {"parts": [{"PartNumber": 1, "ETag": "a"}, {"PartNumber": 1, "ETag": "b"}]}):
        with pytest.raises(Refused):
            _claimed_parts(bad)
