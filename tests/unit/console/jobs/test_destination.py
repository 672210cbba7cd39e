"""Where a copied folder's objects go: never outside the destination folder, whatever the source holds."""

from __future__ import annotations

import pytest

from console.jobs.operations.copy import destination
from storage.gateway import InvalidKey


def test_an_object_in_a_copied_folder_keeps_its_path_below_the_destination():
    assert destination("src/", "dst/", "src/a/b.txt") == "dst/a/b.txt"
    assert destination("src/one.txt", "dst/two.txt", "src/one.txt") == "dst/two.txt"


@pytest.mark.parametrize("name", ["src/../../outside.txt", "src/a/../../../x", "src/./x", "src/a//b"])
def test_a_source_name_that_a_storage_could_resolve_outside_the_destination_is_refused(name):
    with pytest.raises(InvalidKey):
        destination("src/", "team/dst/", name)
