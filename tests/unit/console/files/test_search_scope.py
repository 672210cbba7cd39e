"""Whose names a search below a folder may list, match and count (console/files/search.py), over moto."""

from __future__ import annotations

from console.files.search import Search, scan_roots
from storage.factory import get_gateway
from tests.unit.admin_support import BUCKET


def run(person, prefix: str, term: str) -> tuple[list[str], int]:
    search = Search(get_gateway(), person, "primary", scan_roots(person, "primary", prefix), term)
    found = [row["key"] for rows in search.pages() for row in rows]
    return found, search.progress.scanned


def test_a_key_that_leaves_the_grant_through_dot_segments_is_neither_found_nor_counted(world, moto_world_s3):
    for key in ("team/../docs/readme-leak.txt", "team/./readme-dot.txt"):
        moto_world_s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    team = world.people["team"]
    for prefix in ("", "team/"):
        assert run(team, prefix, "readme") == (["team/readme.txt"], 2), prefix  # and team/sub/deep.txt scanned
    viewer = world.people["viewer"]  # a role on the whole bucket: the key is theirs from any folder it is listed in
    assert run(viewer, "", "readme-leak") == (["team/../docs/readme-leak.txt"], 7)
    assert run(viewer, "team/", "readme-leak") == (["team/../docs/readme-leak.txt"], 4)


def test_a_storage_failure_ends_the_search_saying_why_and_how_far_it_got(world):
    from storage.gateway import StorageUnreachable

    class Failing:
        def list_objects(self, *args, **kwargs):
            raise StorageUnreachable("The storage at s3.example did not answer.")

    search = Search(Failing(), world.people["viewer"], "primary", ["docs/"], "readme")
    assert list(search.pages()) == []
    assert (search.progress.state, search.progress.problem, search.progress.scanned) == (
        "failed", "The storage at s3.example did not answer.", 0)
