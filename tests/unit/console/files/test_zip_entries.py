"""The zip download's entries endpoint: who gets which names, page by page, each signed and audited.

The world (tests/unit/access_world.py): connection A holds docs/readme.txt, team/readme.txt,
team/sub/deep.txt, team2/readme.txt and a file named "team"; "team" is an editor limited to A:team/.
What the signed URLs are worth against a real S3 is the browser tests' part (tests/browser/.../test_zip_browser.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from console.files import zip_entries
from console.files.zip_entries import zip_path
from console.models import AuditEvent
from tests.unit.admin_support import BUCKET


def _ask(world, person: str, headers: dict | None = None, **query):
    """As the console's zip script asks (same-origin fetch, its header), unless `headers` says otherwise."""
    asked = {"X-Zip-Entries": "1", "Sec-Fetch-Site": "same-origin"} if headers is None else headers
    return world.client(person).get(reverse("files_zip_entries", args=["primary"]), query, headers=asked)


def _walk(world, person: str, **query) -> tuple[list[dict], int]:
    """Every entry, following `next` to the end; and how many calls that took."""
    entries, calls, cursor = [], 0, {}
    while True:
        response = _ask(world, person, **query, **cursor)
        assert response.status_code == 200, response.content
        calls += 1
        body = response.json()
        entries += body["entries"]
        if body["next"] is None:
            return entries, calls
        cursor = {k: v for k, v in body["next"].items() if v is not None}


def _paths(entries) -> list[str]:
    return sorted(e["path"] for e in entries)


def test_it_zips_a_folder_under_its_own_name_with_sizes_and_signed_urls(world):
    entries, _ = _walk(world, "viewer", prefix="team/")
    assert _paths(entries) == ["team/readme.txt", "team/sub/deep.txt"]
    readme = next(e for e in entries if e["path"] == "team/readme.txt")
    assert readme["size"] == len(b"team/readme.txt")
    url = urlsplit(readme["url"])
    assert url.path.endswith("/team/readme.txt") and "X-Amz-Signature=" in url.query
    assert "X-Amz-Expires=900" in url.query


def test_a_person_limited_to_team_zipping_the_top_folder_gets_team_only(world):
    entries, _ = _walk(world, "team", prefix="")
    assert _paths(entries) == ["team/readme.txt", "team/sub/deep.txt"]  # not docs/, team2/, nor the file "team"


def test_a_selection_outside_the_grant_yields_nothing_of_it(world):
    entries, _ = _walk(world, "team", prefix="", key=["docs/", "docs/readme.txt", "team2/", "team", "team/sub/"])
    assert _paths(entries) == ["team/sub/deep.txt"]


def test_a_selection_keeps_its_structure_below_the_folder_it_was_picked_in(world):
    entries, _ = _walk(world, "viewer", prefix="", key=["docs/readme.txt", "team/", "team"])
    assert _paths(entries) == ["docs/readme.txt", "team", "team/readme.txt", "team/sub/deep.txt"]


def test_a_selection_from_elsewhere_than_the_folder_is_refused(world):
    assert _ask(world, "viewer", prefix="docs/", key=["team/readme.txt"]).status_code == 404


def test_nobody_without_a_role_there_is_told_anything(world):
    assert _ask(world, "team", prefix="docs/").status_code == 404
    assert _ask(world, "nogrant", prefix="team/").status_code == 404


def test_it_pages_a_large_folder_one_listing_call_at_a_time(world, moto_world_s3, monkeypatch):
    for n in range(45):
        moto_world_s3.put_object(Bucket=BUCKET, Key=f"many/f{n:03}.bin", Body=b"x" * n)
    monkeypatch.setattr(zip_entries, "PAGE_OBJECTS", 10)
    calls = []
    from storage.s3.gateway import S3Gateway

    listing = S3Gateway.list_objects
    monkeypatch.setattr(S3Gateway, "list_objects", lambda self, *a, **k: calls.append(k) or listing(self, *a, **k))
    entries, asked = _walk(world, "viewer", prefix="many/")
    assert _paths(entries) == [f"many/f{n:03}.bin" for n in range(45)]
    assert asked == 5 and len(calls) == 5 and all(c["max_keys"] == 10 for c in calls)


def test_a_page_stops_once_its_bytes_would_outlast_its_urls(world, moto_world_s3, monkeypatch):
    for n in range(6):
        moto_world_s3.put_object(Bucket=BUCKET, Key=f"big/f{n}.bin", Body=b"x" * 100)
    monkeypatch.setattr(zip_entries, "PAGE_BYTES", 250)
    first = _ask(world, "viewer", prefix="big/").json()
    assert len(first["entries"]) == 3 and first["next"] == {"item": 0, "after": "big/f2.bin"}
    entries, _ = _walk(world, "viewer", prefix="big/")
    assert len(entries) == 6


def test_each_page_that_signs_is_audited_once(world):
    _walk(world, "viewer", prefix="team/")
    rows = list(AuditEvent.objects.filter(kind="objects.zip_signed").values("actor_name", "target", "detail"))
    assert rows == [{"actor_name": "viewer", "target": "team/", "detail": {
        "objects": 2, "bytes": 32, "first": "team/readme.txt", "last": "team/sub/deep.txt"}}]


@pytest.mark.parametrize("headers", [
    {},  # a link on another site, followed with the person's Lax cookies
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"},
    {"X-Zip-Entries": "1", "Sec-Fetch-Site": "same-site"},  # a sibling subdomain's script
])
def test_only_the_consoles_own_zip_script_gets_entries_and_adds_audit_rows(world, headers):
    response = _ask(world, "viewer", headers=headers, prefix="team/")
    assert response.status_code == 403 and "entries" not in response.json()
    assert not AuditEvent.objects.filter(kind="objects.zip_signed").exists()


def test_a_ticked_file_deleted_since_is_left_out(world, moto_world_s3):
    moto_world_s3.delete_object(Bucket=BUCKET, Key="docs/readme.txt")
    entries, _ = _walk(world, "viewer", prefix="docs/", key=["docs/readme.txt"])
    assert entries == []
    assert not AuditEvent.objects.filter(kind="objects.zip_signed").exists()


def test_folder_markers_become_empty_folders(world, moto_world_s3):
    moto_world_s3.put_object(Bucket=BUCKET, Key="team/empty/", Body=b"")
    entries, _ = _walk(world, "viewer", prefix="team/")
    assert {"path": "team/empty/", "modified": entries[0]["modified"]} in [
        {k: e[k] for k in ("path", "modified")} for e in entries if "url" not in e]


def test_hostile_names_stay_inside_the_extraction_folder(world, moto_world_s3):
    for key in ("docs/../../etc/passwd", "docs/a\\..\\..\\b.txt", "docs//x.txt", "docs/./y.txt",
                "docs/c\x01d.txt", "docs/C:/win.txt"):
        moto_world_s3.put_object(Bucket=BUCKET, Key=key, Body=b"!")
    entries, _ = _walk(world, "admin", prefix="docs/")
    # The storage interface signs no key with "..", ".", "//", "\\" or control characters (storage.keys): such
    # files are left out and counted; zip_path would clean them all the same (below). A drive is harmless
    # past the first segment.
    assert _paths(entries) == ["docs/C:/win.txt", "docs/readme.txt"]
    assert _ask(world, "admin", prefix="docs/").json()["skipped"] == 5


def test_a_viewer_of_a_folder_gets_no_key_with_dot_segments_below_it(world, moto_world_s3):
    moto_world_s3.put_object(Bucket=BUCKET, Key="team/../docs/secret.txt", Body=b"!")
    entries, _ = _walk(world, "team", prefix="team/")
    assert _paths(entries) == ["team/readme.txt", "team/sub/deep.txt"]  # the grant on team/ covers no ".."


@pytest.mark.parametrize(("relative", "cleaned"), [
    ("../x", "x"), ("/etc/passwd", "etc/passwd"), ("a\\b\\c.txt", "a/b/c.txt"), ("a//b", "a/b"),
    ("./a/./b", "a/b"), ("a/../../b", "a/b"), ("..", ""), ("tab\there", "tab_here"), ("bell\x07", "bell_"),
    ("C:\\Windows\\x", "C_/Windows/x"), ("d:x", "d_x"), ("folder/", "folder/"), ("../", ""),
    ("naïve/résumé ✓.txt", "naïve/résumé ✓.txt"), ("del\x7f\x85", "del__"),
])
def test_zip_path_cleans_each_kind_of_hostile_name(relative, cleaned):
    assert zip_path(relative) == cleaned


@pytest.mark.parametrize(("relative", "cleaned"), [
    # Windows tools that read names through a code page map these "best fit" to '.', '/' and '\' (WorstFit)
    ("\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fx", "x"), ("a\uff3c\uff0e\uff0e\uff3cb", "a/b"),
    ("\u2215..\u2215x", "x"), ("\ufe68..\ufe68x", "x"), ("\uff23\uff1a\uff0fWindows", "\uff23_/Windows"),
    # Windows drops a name's trailing dots and spaces: ". ." and ".. " are ".." or nothing there
    ("a/.. /b", "a/b"), ("a/. ./b", "a/b"), ("a/.../b", "a/b"),
    ("ａｂｃ/report．pdf", "ａｂｃ/report．pdf"),  # full-width letters and dots in a name stay as they are
])
def test_zip_path_cleans_names_that_windows_reads_as_dots_or_slashes(relative, cleaned):
    assert zip_path(relative) == cleaned
