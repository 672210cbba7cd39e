"""Searching file names below a folder: the NDJSON stream over a real SeaweedFS listing, its limits,
who may search where, and the audit row that says how far each search went."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from console.files import search
from console.files.views import search as views
from console.models import AuditEvent
from storage.factory import get_gateway

pytestmark = pytest.mark.usefixtures("seaweed_connection")


def put(*keys: str) -> None:
    for key in keys:
        get_gateway().simple_upload("primary", key, b"x")


def lines(client, prefix: str, term: str) -> list[dict]:
    response = client.get(f"/files/primary/search/stream/?prefix={quote(prefix, safe='')}&q={quote(term, safe='')}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


def found(got: list[dict]) -> list[str]:
    return sorted(row["key"] for line in got for row in line.get("rows", []))


def test_it_finds_names_holding_the_term_in_any_case_in_the_folder_and_below(as_viewer, key_prefix):
    put(key_prefix + "Report-2024.PDF", key_prefix + "a/b/annual report.txt", key_prefix + "a/notes.txt",
        key_prefix + "reports/readme.md", key_prefix + "Ünïcode RÉPORT.txt")
    got = lines(as_viewer, key_prefix, "RePoRt")
    assert found(got) == [key_prefix + "Report-2024.PDF", key_prefix + "a/b/annual report.txt"]
    assert got[-1] == {"scanned": 5, "found": 2, "end": "finished", "problem": ""}
    assert "readme.md" not in json.dumps(got), "a folder's name is not the file's name; RÉPORT is not REPORT"


def test_it_matches_beyond_ascii_case(as_viewer, key_prefix):
    put(key_prefix + "Straße.txt", key_prefix + "ÉTÉ.txt")
    assert found(lines(as_viewer, key_prefix, "été")) == [key_prefix + "ÉTÉ.txt"]
    assert found(lines(as_viewer, key_prefix, "STRASSE")) == [key_prefix + "Straße.txt"]


def test_each_listing_page_is_a_line_with_the_running_count(as_viewer, key_prefix, monkeypatch):
    monkeypatch.setattr(search, "PAGE", 2)
    put(*(f"{key_prefix}f{i}.txt" for i in range(5)))
    got = lines(as_viewer, key_prefix, "f")
    assert [line["scanned"] for line in got] == [2, 4, 5, 5]
    assert [line["found"] for line in got] == [2, 4, 5, 5]
    assert got[-1]["end"] == "finished"


def test_it_stops_at_the_scan_limit_and_says_so(as_viewer, key_prefix, monkeypatch):
    monkeypatch.setattr(search, "SCAN_LIMIT", 3)
    put(*(f"{key_prefix}f{i}.txt" for i in range(5)))
    got = lines(as_viewer, key_prefix, "nothing-like-it")
    assert got[-1] == {"scanned": 3, "found": 0, "end": "scan-limit", "problem": ""}


def test_it_stops_at_the_match_limit_and_says_so(as_viewer, key_prefix, monkeypatch):
    monkeypatch.setattr(search, "MATCH_LIMIT", 2)
    put(*(f"{key_prefix}f{i}.txt" for i in range(5)))
    got = lines(as_viewer, key_prefix, "F")
    assert len(found(got)) == 2
    assert got[-1]["end"] == "match-limit" and got[-1]["found"] == 2


def test_a_viewer_of_one_folder_scans_only_that_folder_from_above_it(seaweed_connection, key_prefix):
    from django.contrib.auth.models import User
    from django.test import Client

    from console.access.models import Grant

    put(key_prefix + "team/plan.txt", key_prefix + "team/deep/plan-b.txt", key_prefix + "secret/plan-x.txt",
        key_prefix + "team2/plan.txt", key_prefix + "top plan.txt")
    person = User.objects.create_user("teammate")
    Grant.objects.create(connection=seaweed_connection, user=person, prefix=key_prefix + "team/", role="viewer")
    client = Client()
    client.force_login(person)
    for where in ("", key_prefix, key_prefix + "team/"):
        got = lines(client, where, "plan")
        assert found(got) == [key_prefix + "team/deep/plan-b.txt", key_prefix + "team/plan.txt"]
        assert got[-1]["scanned"] == 2, "names outside the grant are not even counted"
    assert client.get(f"/files/primary/search/stream/?prefix={key_prefix}secret/&q=plan").status_code == 404
    assert client.get(f"/files/primary/search/?prefix={key_prefix}secret/").status_code == 404


def test_people_without_a_role_and_empty_terms_are_refused(as_outsider, as_viewer, client, key_prefix):
    assert as_outsider.get(f"/files/primary/search/stream/?prefix={key_prefix}&q=x").status_code == 404
    assert client.get("/files/primary/search/stream/?q=x").status_code == 302  # to the sign-in page
    assert as_viewer.get(f"/files/primary/search/stream/?prefix={key_prefix}&q=%20").status_code == 400
    assert AuditEvent.objects.filter(kind="folder.searched").count() == 0


def test_each_search_is_audited_with_how_far_it_went(as_viewer, key_prefix):
    put(key_prefix + "a.txt", key_prefix + "b.txt")
    lines(as_viewer, key_prefix, "A.")
    event = AuditEvent.objects.get(kind="folder.searched")
    assert (event.actor_name, event.connection, event.target) == ("viewer", "primary", key_prefix)
    assert event.detail == {"term": "A.", "scanned": 2, "found": 1, "end": "finished"}


def test_a_client_that_goes_away_stops_the_listing(users, key_prefix, monkeypatch):
    """The WSGI server closes the response's iterator when a write to the client fails: no page is listed after."""
    monkeypatch.setattr(search, "PAGE", 1)
    put(*(f"{key_prefix}f{i}.txt" for i in range(6)))
    listed = []
    gateway = get_gateway()
    original = gateway.list_objects
    monkeypatch.setattr(type(gateway), "list_objects", lambda self, *a, **kw: listed.append(a) or original(*a, **kw))
    event = AuditEvent.objects.create(kind="folder.searched", detail={"term": "f"})
    lines = views._lines(search.Search(gateway, users["viewer"], "primary", [key_prefix], "f"), event)
    next(lines), next(lines)
    lines.close()
    assert len(listed) == 2
    event.refresh_from_db()
    assert event.detail == {"term": "f", "scanned": 2, "found": 2, "end": "cancelled"}


def test_the_page_states_its_limits_and_links_its_folder(as_viewer, key_prefix):
    html = as_viewer.get(f"/files/primary/search/?prefix={key_prefix}&q=abc").content.decode()
    assert 'value="abc"' in html and f"?prefix={quote(key_prefix, safe='')}" in html
    assert "stops after listing 200,000 objects or finding 1,000" in html
    assert 'role="status"' in html and 'aria-live="polite"' in html
    browse = as_viewer.get(f"/files/primary/?prefix={key_prefix}").content.decode()
    assert f'/files/primary/search/?prefix={quote(key_prefix, safe="")}' in browse
