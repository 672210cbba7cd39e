"""What sorting a whole folder costs a person who reloads it (issue #16): one reading kept, a gap between readings."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
import tracemalloc

import pytest

from console.files import sorted_listing, sorted_snapshots
from console.files.sorted_listing import SortedFolder
from console.files.views import browse
from storage.gateway import ObjectSummary, StorageUnreachable
from tests.unit.admin_support import BUCKET
from tests.unit.gateway_calls import recorded

PICS = "/files/primary/?prefix=docs/pics/"


def _names(html: str) -> list[str]:
    return re.findall(r'data-full="([^"]+)"', html)


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """Listing calls sent to the storage (their prefix each)."""
    return recorded(monkeypatch, "list_objects")


def _put(moto_s3, folder: str, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        moto_s3.put_object(Bucket=BUCKET, Key=folder + name, Body=b"x" * size)


def test_reloading_a_sorted_first_page_and_its_other_orders_read_the_folder_once(world, moto_world_s3, reads):
    _put(moto_world_s3, "docs/pics/", {"a.txt": 10, "b.txt": 30, "c.txt": 20, "z.txt": 999})
    client = world.client("viewer")
    first = client.get(PICS + "&sort=size").content.decode()
    assert _names(first) == ["z.txt", "b.txt", "c.txt", "a.txt"] and "This reading is from" not in first
    for _ in range(5):
        again = client.get(PICS + "&sort=size").content.decode()
    smallest = client.get(PICS + "&sort=size&order=asc").content.decode()
    newest = client.get(PICS + "&sort=modified&view=gallery").content.decode()
    assert len(reads) == 1
    assert _names(again) == ["z.txt", "b.txt", "c.txt", "a.txt"] and _names(smallest)[0] == "a.txt"
    assert "Sorted by date, newest first: read 4 entries in 2 listing calls." in newest
    assert re.search(r"This reading is from <time datetime=\"[^\"]+\">\d\d:\d\d:\d\d</time> \(\d+ seconds? ago\); "
                     r"it can be read again in \d+ seconds?: "
                     r"<a href=\"[^\"]*fresh=1[^\"]*\"[^>]*>Read the folder again",
                     again)


def test_another_folder_sorted_within_the_gap_is_shown_by_name_in_one_call_and_says_when(world, moto_world_s3, reads,
                                                                                         calls):
    _put(moto_world_s3, "docs/pics/", {"a.txt": 10, "b.txt": 30, "c.txt": 20})
    _put(moto_world_s3, "docs/more/", {"x.txt": 1, "y.txt": 50, "z.txt": 5})
    client = world.client("viewer")
    client.get(PICS + "&sort=size")
    sent = len(calls)
    held = client.get("/files/primary/?prefix=docs/more/&sort=size").content.decode()
    assert len(reads) == 1 and len(calls) == sent + 1  # one listing call, as for any first page by name
    assert _names(held) == ["x.txt", "y.txt", "z.txt"]
    assert re.search(r"Shown by name, A to Z: sorting by size, largest first reads the whole folder, and each person "
                     r"reads a whole folder at most once every 30 seconds\. <a href=\"[^\"]*prefix=docs%2Fmore%2F&amp;"
                     r"sort=size&amp;order=desc\"[^>]*>Sort by size, largest first</a> in \d+ seconds?\.", held)
    assert 'aria-sort="ascending"' in held  # the header says the order shown: name
    world.client("editor").get("/files/primary/?prefix=docs/more/&sort=size")  # the gap is each person's own
    assert len(reads) == 2


def test_read_again_waits_for_the_gap_then_reads_what_changed(world, moto_world_s3, reads, monkeypatch):
    _put(moto_world_s3, "docs/pics/", {"a.txt": 10, "b.txt": 30, "c.txt": 20})
    client = world.client("viewer")
    client.get(PICS + "&sort=size")
    _put(moto_world_s3, "docs/pics/", {"huge.bin": 5000})
    early = client.get(PICS + "&sort=size&fresh=1").content.decode()
    assert len(reads) == 1 and "huge.bin" not in early and "it can be read again in" in early
    monkeypatch.setattr(sorted_snapshots, "READ_GAP_SECONDS", 0)  # the gap has passed
    later = client.get(PICS + "&sort=size&fresh=1").content.decode()
    assert len(reads) == 2 and _names(later)[0] == "huge.bin"


def test_a_claim_made_waits_for_the_next_and_a_short_or_failed_reading_leaves_no_gap(world, moto_world_s3, reads,
                                                                                       monkeypatch):
    someone = world.people["editor"].pk
    assert sorted_snapshots.claim_reading(someone) == 0
    assert sorted_snapshots.claim_reading(someone) > 0  # the second of two at once waits
    _put(moto_world_s3, "docs/pics/", {"a.txt": 1})
    client, viewer = world.client("viewer"), world.people["viewer"].pk
    client.get(PICS + "&sort=size")  # one listing call: no gap after it
    assert len(reads) == 1 and sorted_snapshots.wait_before_reading(viewer) == 0

    def unreachable(*args, **kwargs):
        raise StorageUnreachable("The storage did not answer.")

    monkeypatch.setattr(browse, "read_sorted", unreachable)
    assert "The storage did not answer." in client.get("/files/primary/?prefix=docs/&sort=modified").content.decode()
    assert sorted_snapshots.wait_before_reading(viewer) == 0


def test_the_filter_keeps_the_order_and_filters_the_folders_reading_without_reading_again(world, moto_world_s3, reads):
    _put(moto_world_s3, "docs/pics/", {"a-small.txt": 1, "a-big.txt": 90, "b.txt": 500, "a-zzz.txt": 200})
    client = world.client("viewer")
    page = client.get(PICS + "&sort=size").content.decode()
    assert '<input type="hidden" name="sort" value="size" form="filter">' in page  # sent with the filter form
    assert '<input type="hidden" name="order" value="desc" form="filter">' in page and 'id="filter"' in page
    filtered = client.get(PICS + "&sort=size&order=desc&q=a-").content.decode()
    assert _names(filtered) == ["a-zzz.txt", "a-big.txt", "a-small.txt"] and len(reads) == 1
    assert 'form="filter"' not in client.get(PICS).content.decode()  # by name: nothing to keep


def test_the_gap_between_readings_holds_whichever_server_process_answers(world, moto_world_s3, reads, monkeypatch):
    """gunicorn runs several processes (the chart, 2 pods of 3): the time of a person's last reading is shared."""
    _put(moto_world_s3, "docs/pics/", {"a.txt": 10, "b.txt": 30, "c.txt": 20})
    client = world.client("viewer")
    client.get(PICS + "&sort=size")
    assert len(reads) == 1
    spec = importlib.util.spec_from_file_location("snapshots_of_another_process", sorted_snapshots.__file__)
    another = importlib.util.module_from_spec(spec)  # the next request reaches a process with its own memory
    monkeypatch.setitem(sys.modules, spec.name, another)
    spec.loader.exec_module(another)
    monkeypatch.setattr(browse, "sorted_snapshots", another)
    client.get(PICS + "&sort=size")
    assert len(reads) == 1  # within the person's gap: shown by name in one call, not read whole again


def test_the_kept_readings_are_bounded_by_what_they_hold_whatever_the_names_length():
    """S3 names run to 1,024 bytes: 10,000 of them are some 13 MB a reading, not the 3 MB of short names."""
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    tracemalloc.start()
    try:
        for person in range(sorted_snapshots.MAX_SNAPSHOTS + 2):
            names = [f"docs/{person}-{i:05d}-" + "n" * 1000 for i in range(sorted_listing.MAX_SORTED_ENTRIES)]
            objects = [ObjectSummary(name, 1, '"etag"', when) for name in names]
            sorted_snapshots.keep(person, ("primary", "docs/", None), SortedFolder([], objects, 10, True))
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < sorted_snapshots.MAX_KEPT_BYTES
