from __future__ import annotations

import pytest

from console.jobs.operations.copy import destination
from console.jobs.operations.naming import keep_both_name, numbered
from storage.gateway import InvalidKey


@pytest.mark.parametrize("key, expected", [
    ("a/report.pdf", "a/report (2).pdf"),
    ("report", "report (2)"),
    ("a/.env", "a/.env (2)"),
    ("a/archive.tar.gz", "a/archive.tar (2).gz"),
    ("a.b/c", "a.b/c (2)"),
])
def test_it_numbers_the_name_before_its_extension(key, expected):
    assert numbered(key, 2) == expected


def test_it_takes_the_first_free_number():
    taken = {"x/a (2).txt", "x/a (3).txt"}
    assert keep_both_name("x/a.txt", taken.__contains__) == "x/a (4).txt"


def test_it_gives_up_when_every_number_is_taken():
    with pytest.raises(InvalidKey):
        keep_both_name("x/a.txt", lambda name: True)


def test_a_folder_source_maps_what_it_holds_and_a_key_maps_to_its_new_name():
    assert destination("a/photos/", "b/photos/", "a/photos/2026/x.jpg") == "b/photos/2026/x.jpg"
    assert destination("a/x.jpg", "a/y.jpg", "a/x.jpg") == "a/y.jpg"
