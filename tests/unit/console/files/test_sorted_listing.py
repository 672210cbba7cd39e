"""Sorting the whole folder: bounded reads, the order, folders first, continuation, and grants in every order."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from console.files import sorted_listing
from console.files.sorted_listing import Sort, read_sorted
from console.files.views import browse
from storage.gateway import ListPage, ObjectSummary
from tests.unit.admin_support import BUCKET

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def summary(key: str, size: int, day: int = 0) -> ObjectSummary:
    return ObjectSummary(key, size, "etag", T0 + dt.timedelta(days=day))


class Pages:
    """A folder served `per_call` entries a call (S3's name order), counting calls and what each asked for."""

    def __init__(self, folders: list[str], objects: list[ObjectSummary], per_call: int):
        self.entries = [("f", f) for f in folders] + [("o", o) for o in objects]
        self.per_call, self.asked = per_call, []

    def __call__(self, token: str | None, max_keys: int) -> ListPage:
        self.asked.append(max_keys)
        start = int(token or 0)
        end = start + min(self.per_call, max_keys)
        chunk = self.entries[start:end]
        return ListPage("", [v for k, v in chunk if k == "f"], [v for k, v in chunk if k == "o"],
                        str(end) if end < len(self.entries) else None)


def test_it_sorts_by_size_across_every_page_read_biggest_first_folders_first():
    pages = Pages(["a/", "z/"], [summary(f"f{i:02}", size) for i, size in enumerate([5, 1, 9, 3, 7])], per_call=2)
    read = read_sorted(pages, Sort("size", "desc"))
    assert read.folders == ["a/", "z/"]
    assert [o.size for o in read.objects] == [9, 7, 5, 3, 1]  # 9 came with the second call, 7 with the third
    assert (read.calls, read.entries, read.complete) == (4, 7, True)


def test_date_order_and_name_z_to_a_reverse_the_folders_only_for_names():
    objects = [summary("b", 1, day=2), summary("a", 1, day=5), summary("c", 1, day=1)]
    newest = read_sorted(Pages(["x/", "y/"], objects, 10), Sort("modified", "desc"))
    assert [o.key for o in newest.objects] == ["a", "b", "c"] and newest.folders == ["x/", "y/"]
    oldest = read_sorted(Pages([], objects, 10), Sort("modified", "asc"))
    assert [o.key for o in oldest.objects] == ["c", "b", "a"]
    z_to_a = read_sorted(Pages(["x/", "y/"], objects, 10), Sort("name", "desc"))
    assert [o.key for o in z_to_a.objects] == ["c", "b", "a"] and z_to_a.folders == ["y/", "x/"]


def test_it_stops_at_the_bound_never_asking_for_more_and_says_it_is_incomplete():
    pages = Pages([], [summary(f"k{i:03}", i) for i in range(50)], per_call=8)
    read = read_sorted(pages, Sort("size", "desc"), bound=20)
    assert read.entries == 20 and not read.complete
    assert pages.asked == [20, 12, 4]  # each call asks only for what is left below the bound
    assert read.objects[0].size == 19  # the biggest of what was read, in name order: the first 20


def test_a_folder_exactly_as_large_as_the_bound_is_complete():
    read = read_sorted(Pages([], [summary(f"k{i}", i) for i in range(5)], per_call=5), Sort("size"), bound=5)
    assert read.complete and read.calls == 1


def test_pages_continue_the_same_order_with_no_entry_twice_or_missed():
    read = read_sorted(Pages(["d1/", "d2/", "d3/"], [summary(f"k{i}", i) for i in range(6)], 100),
                       Sort("size", "desc"))
    seen, at = [], 0
    while at is not None:
        folders, objects, at = read.page(at, 4)
        seen += folders + [o.key for o in objects]
    assert seen == ["d1/", "d2/", "d3/", "k5", "k4", "k3", "k2", "k1", "k0"]


@pytest.mark.parametrize(("query", "expected"), [
    ({}, Sort("name", "asc")), ({"sort": "size"}, Sort("size", "desc")), ({"sort": "modified"}, Sort("modified", "desc")),
    ({"sort": "size", "order": "asc"}, Sort("size", "asc")), ({"sort": "owner"}, Sort()),
    ({"sort": "name", "order": "sideways"}, Sort("name", "asc")),
])
def test_the_url_names_the_order_and_nonsense_means_name_a_to_z(query, expected):
    assert Sort.of(query) == expected


def test_a_header_link_reverses_its_own_column_and_starts_others_in_their_first_order():
    assert Sort("size", "desc").toggled("size") == Sort("size", "asc")
    assert Sort("size", "desc").toggled("name") == Sort("name", "asc")
    assert Sort().toggled("name") == Sort("name", "desc")
    assert Sort().toggled("modified") == Sort("modified", "desc")


# --- the page, against moto (one bucket, the access world's people) ---

def _put_sizes(moto_s3, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        moto_s3.put_object(Bucket=BUCKET, Key="docs/pics/" + name, Body=b"x" * size)


def _names(html: str) -> list[str]:
    return re.findall(r'data-full="([^"]+)"', html)


def test_sorting_by_size_puts_the_biggest_file_first_though_s3_lists_it_last(world, moto_world_s3, monkeypatch):
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    _put_sizes(moto_world_s3, {"a.txt": 10, "b.txt": 30, "c.txt": 20, "z.txt": 999})
    client = world.client("viewer")
    by_name = client.get("/files/primary/?prefix=docs/pics/").content.decode()
    assert _names(by_name) == ["a.txt", "b.txt"] and "Sorted by" not in by_name  # S3's order, one page
    first = client.get("/files/primary/?prefix=docs/pics/&sort=size&order=desc").content.decode()
    assert _names(first) == ["z.txt", "b.txt"]
    assert "Sorted by size, largest first: read 4 entries in 1 listing call." in first
    more = re.search(r'hx-get="([^"]*at=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "sort=size" in more and "order=desc" in more
    rest = client.get(more, HTTP_HX_REQUEST="true").content.decode()
    assert _names(rest) == ["c.txt", "a.txt"] and "<table" not in rest and "Load more" not in rest


def test_the_header_says_which_order_and_links_to_the_other(world, moto_world_s3):
    html = world.client("viewer").get("/files/primary/?prefix=docs/&sort=size&order=desc").content.decode()
    assert re.search(r'<th scope="col" class="size" aria-sort="descending"><a class="sort" href="[^"]*sort=size&amp;order=asc', html)
    assert 'class="name"><a class="sort" href="/files/primary/?prefix=docs%2F"' in html  # name: S3's own order


def test_it_states_the_bound_when_the_folder_holds_more(world, moto_world_s3, monkeypatch):
    monkeypatch.setattr(sorted_listing, "MAX_SORTED_ENTRIES", 3)
    _put_sizes(moto_world_s3, {"a.txt": 1, "b.txt": 2, "c.txt": 3, "d.txt": 400})
    html = world.client("viewer").get("/files/primary/?prefix=docs/pics/&sort=size").content.decode()
    assert "read 3 entries in 1 listing call, the most this console reads to sort. The folder holds more" in html
    assert _names(html) == ["c.txt", "b.txt", "a.txt"]  # d.txt was never read


@pytest.mark.parametrize("sort", ["name&order=desc", "size", "modified&order=asc"])
def test_a_viewer_of_team_sees_only_the_way_to_team_in_every_order(world, sort):
    client = world.client("team")
    top = client.get(f"/files/primary/?sort={sort}").content.decode()
    assert _names(top) == ["team/"]
    inside = client.get(f"/files/primary/?prefix=team/&sort={sort}").content.decode()
    assert set(_names(inside)) == {"sub/", "readme.txt"}
    assert client.get(f"/files/primary/?prefix=docs/&sort={sort}").status_code == 404


def test_load_more_pages_through_the_first_pages_reading_and_only_for_who_read_it(world, moto_world_s3, monkeypatch):
    from console.files import sorted_snapshots

    sorted_snapshots.clear()
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    reads = []
    monkeypatch.setattr(browse, "read_sorted", lambda *a, **k: reads.append(1) or read_sorted(*a, **k))
    _put_sizes(moto_world_s3, {"a.txt": 10, "b.txt": 30, "c.txt": 20, "z.txt": 999})
    first = world.client("viewer").get("/files/primary/?prefix=docs/pics/&sort=size").content.decode()
    more = re.search(r'hx-get="([^"]*at=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "snap=" in more and len(reads) == 1
    moto_world_s3.put_object(Bucket=BUCKET, Key="docs/pics/new-and-huge.bin", Body=b"x" * 5000)
    rest = world.client("viewer").get(more, HTTP_HX_REQUEST="true").content.decode()
    assert _names(rest) == ["c.txt", "a.txt"] and len(reads) == 1  # the same reading: nothing listed again
    other = world.client("editor").get(more, HTTP_HX_REQUEST="true").content.decode()
    assert len(reads) == 2 and _names(other) == ["b.txt", "c.txt"]  # not theirs: read afresh, the new file first
