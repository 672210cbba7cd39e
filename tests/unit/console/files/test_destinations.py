"""What a person types as a destination, and what cannot work (console/files/destinations.py)."""

from __future__ import annotations

import pytest

from console.files.destinations import DestinationError, clean_folder, plan


@pytest.mark.parametrize("typed, folder", [
    ("photos/2024", "photos/2024/"), ("/photos/2024/", "photos/2024/"), ("  photos ", "photos/"),
    ("", ""), ("/", ""), ("été/📷", "été/📷/"),
])
def test_a_folder_is_understood_as_people_write_it(typed, folder):
    assert clean_folder(typed) == folder


@pytest.mark.parametrize("typed, words", [
    ("a//b", "empty folder name"), ("../x", "'..' are not folder names"), ("a/./b", "'..' are not folder names"),
    ("a\\b", "not '\\'"), ("a\x00b", "control characters"),
])
def test_a_folder_that_cannot_be_is_refused_with_a_reason(typed, words):
    with pytest.raises(DestinationError, match=None) as refused:
        clean_folder(typed)
    assert refused.value.field == "folder" and words in str(refused.value)


def test_one_item_goes_to_the_folder_under_the_name_given():
    assert plan(["a/x.txt"], "move", "b", "y.txt", "skip") == [["a/x.txt", "b/y.txt"]]
    assert plan(["a/photos/"], "move", "a", "pictures", "skip") == [["a/photos/", "a/pictures/"]]


def test_several_items_keep_their_names_in_the_folder():
    assert plan(["a/x.txt", "a/sub/"], "copy", "/b/", None, "skip") == [["a/x.txt", "b/x.txt"], ["a/sub/", "b/sub/"]]


@pytest.mark.parametrize("items, op, folder, name, conflict, field, words", [
    (["a/"], "move", "a/b", "a", "skip", "folder", "cannot go inside itself"),
    (["a/a/"], "copy", "", "a", "keep_both", "name", "that folder holds it"),
    (["a/x.txt"], "move", "a", "x.txt", "keep_both", "name", "is there already"),
    (["a/"], "copy", "", "a", "keep_both", "name", "is there already"),
    (["a/x.txt"], "copy", "a", "x.txt", "overwrite", "conflict", "only makes sense with “keep both”"),
    (["a/x.txt", "a/y/"], "move", "a", None, "skip", "folder", "is there already"),
    (["x.txt"], "copy", "", "a/b", "skip", "name", "cannot contain '/'"),
    (["x.txt"], "copy", "", "..", "skip", "name", "cannot be a name"),
    (["x.txt"], "copy", "d" * 1020, "x.txt", "skip", "name", "the limit is 1024"),
])
def test_what_cannot_work_names_the_field_to_change(items, op, folder, name, conflict, field, words):
    with pytest.raises(DestinationError) as refused:
        plan(items, op, folder, name, conflict)
    assert refused.value.field == field and words in str(refused.value)


def test_a_file_may_be_copied_beside_itself_by_keeping_both():
    assert plan(["a/x.txt"], "copy", "a/", "x.txt", "keep_both") == [["a/x.txt", "a/x.txt"]]
