"""Attack pass (s27-atkfm) on the gallery's thumbnail route and the kept sorted readings: each test is a finding,
failing on main."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from console.files import sorted_listing, sorted_snapshots
from console.files.views import browse
from console.models import AuditEvent
from tests.unit.admin_support import BUCKET


def _put(moto_s3, folder: str, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        moto_s3.put_object(Bucket=BUCKET, Key=folder + name, Body=b"x" * size)


def test_the_gap_between_readings_holds_when_the_next_request_reaches_another_server_process(
        world, moto_world_s3, reads, monkeypatch):
    """README: "a person reads a whole folder at most once every 30 seconds". The gap lives in one process's
    memory, and the chart runs 2 pods x 3 gunicorn workers: a reload (or "load more") that the load balancer
    sends to another worker reads up to 10,000 keys again, so a person reads six times per gap, not once."""
    sorted_snapshots.clear()
    _put(moto_world_s3, "docs/pics/", {"a.txt": 10, "b.txt": 30, "c.txt": 20})
    client = world.client("viewer")
    client.get("/files/primary/?prefix=docs/pics/&sort=size")
    assert len(reads) == 1
    # The next request lands on another worker process: its modules are its own (the database is shared).
    spec = importlib.util.spec_from_file_location("snapshots_of_another_process", sorted_snapshots.__file__)
    another = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, another)
    spec.loader.exec_module(another)
    monkeypatch.setattr(browse, "sorted_snapshots", another)
    client.get("/files/primary/?prefix=docs/pics/&sort=size")
    assert len(reads) == 1  # within the person's gap: shown by name in one call, not read whole again


def test_a_gallery_page_filtered_into_a_subfolder_is_audited_under_the_folder_its_thumbnails_come_from(
        world, moto_world_s3):
    """`q` may hold a "/": prefix=docs/ with q=pics/ lists (and shows thumbnails of) docs/pics/, but the one
    audit row for those reads names "docs/" as its target. The audit page's folder filter (target_under) for
    docs/pics/ then finds nothing: the images were read without a trace where an auditor looks for them."""
    _put(moto_world_s3, "docs/pics/", {"secret.png": 10, "other.png": 10})
    html = world.client("viewer").get("/files/primary/?prefix=docs/&q=pics/&view=gallery").content.decode()
    assert "secret.png" in html and "thumbnail/?t=" in html  # the thumbnails were shown
    rows = list(AuditEvent.objects.filter(kind="objects.thumbnails_shown").values_list("target", flat=True))
    assert len(rows) == 1 and rows[0].startswith("docs/pics/")


@pytest.mark.parametrize("period", ["\u00b2", "9" * 5000])  # a superscript two: isdigit() but not int()
def test_a_malformed_thumbnail_link_is_a_not_found_not_a_server_error(world, moto_world_s3, period):
    """vouched() takes `period.isdigit()` as "int() will read it": "²" and a number of 5,000 digits (above
    Python's int() limit) pass that test and raise ValueError, a 500 and a logged traceback per request, for
    anyone signed in with a role, at a URL any page can make them load (<img src>)."""
    _put(moto_world_s3, "docs/pics/", {"cat.png": 10})
    answer = world.client("viewer").get("/files/primary/thumbnail/", {"key": "docs/pics/cat.png", "t": f"{period}.x"})
    assert answer.status_code == 404


def test_the_kept_readings_of_one_process_stay_near_what_the_module_says_whatever_the_names_length():
    """MAX_SNAPSHOTS (8) is sized on "a sorted folder of 10,000 entries holds some 3 MB": true of short names.
    S3 names run to 1,024 bytes, so a folder an editor fills with 10,000 long names is ~12 MB a reading, kept
    once per person who sorts it: eight people ~100 MB in each gunicorn worker, x3 workers against the chart's
    512 MiB pod limit. The bound should count bytes held, not readings."""
    import datetime as dt
    import tracemalloc

    from console.files.sorted_listing import SortedFolder
    from storage.gateway import ObjectSummary

    sorted_snapshots.clear()
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
        sorted_snapshots.clear()
    assert held < 8 * 3 * 2**20  # what eight "some 3 MB" readings would hold
