"""Usage: a job counts the whole bucket and each top-level folder, and the bucket page shows when."""

from __future__ import annotations

import secrets

import pytest

from console.jobs import services
from console.jobs.models import FolderSize, Job
from tests.conftest import add_connection, seaweed_spec
from tests.integration.console.jobs.support import put_all, run

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def own_bucket(seaweedfs):
    """The connection "usage" on a bucket of its own: its totals are this test's files only."""
    from storage.dev.bootstrap import ensure_bucket

    spec = seaweed_spec(seaweedfs, name="usage", bucket=f"use-{secrets.token_hex(4)}")
    ensure_bucket(spec)
    return add_connection(spec)


def test_usage_counts_each_top_level_folder_across_batches(users, own_bucket, as_admin):
    put_all({**{f"a/{n % 3}/f{n}": b"x" * 2 for n in range(1500)}, "b/one.txt": b"12345", "top.txt": b"1"},
            connection="usage")
    FolderSize.objects.create(connection="usage", prefix="gone/", object_count=9, byte_count=9,
                              computed_at="2026-01-01T00:00:00Z")
    started = as_admin.post("/connections/usage/bucket/usage/")
    job = run(Job.objects.get(pk=int(started["Location"].strip("/").rsplit("/", 1)[-1])))

    assert job.state == Job.State.DONE and job.result == {"objects": 1502, "bytes": 3006}
    sizes = {row.prefix: (row.object_count, row.byte_count) for row in FolderSize.objects.filter(connection="usage")}
    assert sizes == {"": (1502, 3006), "a/": (1500, 3000), "b/": (1, 5)}  # "gone/" is gone
    page = as_admin.get("/connections/usage/bucket/").content.decode()
    assert "1502 files, 2.9\xa0KB in all, computed" in page and "<code>a/</code>" in page


def test_a_folder_size_of_one_folder_keeps_no_breakdown(users, own_bucket):
    put_all({"a/x": b"1", "b/y": b"2"}, connection="usage")
    run(services.start_job(users["admin"], Job.Kind.FOLDER_SIZE, "usage", prefix="", by_folder="yes"))
    assert list(FolderSize.objects.values_list("prefix", flat=True)) == [""]


def test_a_usage_job_past_its_folder_limit_keeps_the_sizes_of_folders_it_did_not_count(own_bucket, as_admin,
                                                                                        monkeypatch):
    monkeypatch.setattr("console.jobs.operations.size.MAX_TOP_FOLDERS", 2)
    put_all({"a/x": b"1", "c/x": b"22", "e/x": b"333"}, connection="usage")
    for prefix in ("b/", "z/"):  # b/ is gone (before the last folder counted); z/ was not reached, measured apart
        FolderSize.objects.create(connection="usage", prefix=prefix, object_count=9, byte_count=9,
                                  computed_at="2026-01-01T00:00:00Z")

    started = as_admin.post("/connections/usage/bucket/usage/")
    run(Job.objects.get(pk=int(started["Location"].strip("/").rsplit("/", 1)[-1])))

    prefixes = set(FolderSize.objects.filter(connection="usage").values_list("prefix", flat=True))
    assert prefixes == {"", "a/", "c/", "z/"}
