"""An editor limited to A:team/ works in team/ and can read, list, sign, share, copy or move nothing else.

The matrix (test_permission_matrix.py) asks every URL about docs/; here the same URLs are asked about
team/ (where the person is an editor) and about every way of naming something beside it: a folder that only
starts like it (team2/), a file named like it (team), a way out of it (team/../), and the same written with
percent-encoding. Above team/ the person sees only the way down to it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import quote, unquote

import pytest
from django.urls import reverse

from tests.unit.console.test_permission_matrix import ASKS, EXPECTED, MATRIX, Ask, answers

FILE_ROUTES = [r for r in MATRIX if r.name.startswith(("files_", "share_new")) and r.name != "files_index"]


def _moved(ask: Ask, old: str, new: str) -> Ask:
    """The same request about another place: every "docs/..." in it becomes `new` + the rest."""
    def move(value):
        if isinstance(value, str):
            return new + value[len(old):] if value.startswith(old) else value
        if isinstance(value, list):
            return [move(v) for v in value]
        if isinstance(value, dict):
            return {k: move(v) for k, v in value.items()}
        return value

    return replace(ask, query=move(ask.query), form=move(ask.form), json=move(ask.json))


@pytest.mark.parametrize("route", FILE_ROUTES, ids=str)
def test_inside_team_the_team_editor_gets_what_an_editor_gets(route, matrix_world):
    """Asked about team/, the team editor's answer is the full editor's answer about docs/."""
    matrix_world.values["upload_id"] = matrix_world.uploads["team/big.bin"]
    ask = _moved(ASKS.get(route.name, Ask()), "docs/", "team/")
    if route.name == "files_incomplete_abort":
        ask = Ask("POST", form={"key": "team/big.bin", "upload_id": matrix_world.uploads["team/big.bin"]})
    editor = EXPECTED[route.name].split()[4]
    if route.name.startswith("files_incomplete"):
        editor = "403"  # incomplete uploads are a manager's, not an editor's
    assert answers(route, matrix_world, ask)["team"] == int(editor), str(route)


# Ways to name something beside team/, as sent in a query string (percent-encoded where it says so).
BESIDE = {
    "a folder that only starts like it": ("team2/readme.txt", "team2/"),
    "a name that starts the folder's": ("team", "tea"),
    "a way out through ..": ("team%2F..%2Fdocs%2Freadme.txt", "team%2F..%2Fdocs%2F"),
    "percent-encoded letters": ("%74eam2%2Freadme.txt", "%74eam2%2F"),
    "percent-encoded dots": ("team/%2E%2E/docs/readme.txt", "team/%2E%2E/docs/"),
    "another folder": ("docs/readme.txt", "docs/"),
}
QUERY_ROUTES = [r for r in FILE_ROUTES if not r.name.startswith("files_incomplete")  # a manager's: 403 anywhere
                and ({*ASKS.get(r.name, Ask()).query, *(ASKS.get(r.name, Ask()).form or {})} & {"key", "prefix"})]


@pytest.mark.parametrize("way", BESIDE)
@pytest.mark.parametrize("route", QUERY_ROUTES, ids=str)
def test_beside_team_the_team_editor_is_told_nothing_exists(route, way, matrix_world):
    key, folder = BESIDE[way]
    ask = ASKS[route.name]
    place = {"key": key, "prefix": folder}
    if ask.form:  # a form value is not percent-decoded: name the place as the form would
        ask = replace(ask, form={k: unquote(place[k]) if k in place else v for k, v in ask.form.items()})
    else:
        ask = replace(ask, query={k: place.get(k, v) for k, v in ask.query.items()})
    # A signing endpoint checks a key's form first: a key with '..' is refused as no key can be (400).
    refused = 400 if route.name.startswith("files_s3") and ".." in unquote(key) else 404
    assert answers(route, matrix_world, ask)["team"] == refused, f"{route} {way}"


JSON_PLACES = {
    "a folder that only starts like it": {"prefix": "team2/"},
    "a file named like the folder": {"prefix": "", "filename": "team"},
    "a way out through ..": {"prefix": "team/", "relativePath": "../docs/new.txt"},
    "a prefix with ..": {"prefix": "team/../docs/"},
    "percent-encoding (a literal name in JSON: stays inside)": None,
}


@pytest.mark.parametrize("route_name", ["files_s3_params", "files_s3_multipart", "files_s3_instant"])
@pytest.mark.parametrize("way", [w for w, v in JSON_PLACES.items() if v])
def test_the_team_editor_cannot_sign_an_upload_beside_team(route_name, way, matrix_world):
    body = {**ASKS[route_name].json, "filename": "new.txt", **JSON_PLACES[way]}
    client = matrix_world.client("team")
    response = client.post(reverse(route_name, args=["primary"]), json.dumps(body), content_type="application/json")
    # Refused before anything is signed: 404 outside team/, 400 for a key with '..' (no such key can exist)
    assert response.status_code == (400 if ".." in json.dumps(body) else 404), response.content
    assert "url" not in response.json() and "uploadId" not in response.json()


def test_a_percent_sign_in_an_upload_name_is_a_literal_name_inside_team(matrix_world):
    body = {"prefix": "team/", "filename": "%2E%2E%2Fdocs%2Fx.txt", "size": 1}
    response = matrix_world.client("team").post(reverse("files_s3_params", args=["primary"]), json.dumps(body),
                                                content_type="application/json")
    assert response.status_code == 200 and response.json()["key"] == "team/%2E%2E%2Fdocs%2Fx.txt"


def test_the_team_editor_cannot_list_the_parts_of_an_upload_beside_team(matrix_world):
    client, docs = matrix_world.client("team"), matrix_world.uploads["docs/big.bin"]
    url = reverse("files_s3_upload", args=["primary", docs])
    assert client.get(url, {"key": "docs/big.bin"}).status_code == 404
    assert client.delete(f"{url}?key=docs/big.bin").status_code == 404  # nor abort it
    team = reverse("files_s3_upload", args=["primary", matrix_world.uploads["team/big.bin"]])
    assert client.get(team, {"key": "team/big.bin"}).status_code == 200


def test_above_team_the_team_editor_sees_only_the_way_down(matrix_world):
    client = matrix_world.client("team")
    root = client.get(reverse("files_browse", args=["primary"]))
    page = root.content.decode()
    assert root.status_code == 200 and "team/" in page
    for hidden in ("docs", "team2", "readme.txt", "big.bin"):
        assert hidden not in page, hidden
    assert 'name="key"' not in page and "uploader.js" not in page  # nothing to change up here
    filtered = client.get(reverse("files_browse", args=["primary"]), {"q": "team2"}).content.decode()
    assert "team2/" not in filtered and "readme" not in filtered
    inside = client.get(reverse("files_browse", args=["primary"]), {"prefix": "team/"}).content.decode()
    assert "readme.txt" in inside and "sub/" in inside and "uploader.js" in inside


def test_the_team_editor_starts_at_team_and_sees_only_connection_a(matrix_world):
    from storage.models import Connection

    Connection.objects.create(name="secret-b", bucket="b", access_key_id="k", secret_access_key="s")
    client = matrix_world.client("team")
    start = reverse("files_browse", args=["primary"]) + "?prefix=" + quote("team/", safe="")
    for page in (client.get(reverse("files_index")), client.get(reverse("home"))):
        html = page.content.decode()
        assert start.replace("&", "&amp;") in html and "secret-b" not in html
    viewer = matrix_world.client("viewer").get(reverse("home")).content.decode()
    assert "secret-b" not in viewer and reverse("files_browse", args=["primary"]) in viewer
    assert "secret-b" in matrix_world.client("admin").get(reverse("home")).content.decode()
    assert "primary" not in matrix_world.client("nogrant").get(reverse("home")).content.decode()


@pytest.mark.parametrize(("op", "items", "folder", "status"), [
    ("copy", ["team/readme.txt"], "team/sub/", 302),  # inside: the job starts
    ("move", ["team/readme.txt"], "team/sub/", 302),
    ("copy", ["team/readme.txt"], "docs/", 404),  # out of team/
    ("copy", ["team/readme.txt"], "team2/", 404),
    ("copy", ["team/readme.txt"], "", 404),  # readme.txt at the top, beside the way down to team/
    ("move", ["team/sub/"], "team2/", 404),
    ("copy", ["docs/readme.txt"], "team/", 404),  # into team/, from beside it
    ("move", ["team2/readme.txt"], "team/", 404),
    ("copy", ["team/readme.txt", "team2/readme.txt"], "team/sub/", 404),  # one item beside is enough
])
def test_the_team_editor_copies_and_moves_only_within_team(matrix_world, op, items, folder, status):
    from console.jobs.models import Job

    before = Job.objects.count()
    data = {"op": op, "key": items, "folder": folder, "conflict": "keep_both", "confirm": "yes"}
    if len(items) == 1:
        data["name"] = items[0].rstrip("/").rsplit("/", 1)[-1]
    response = matrix_world.client("team").post(reverse("files_transfer", args=["primary"]), data)
    assert response.status_code == status, response.content[:300]
    assert Job.objects.count() == before + (status == 302)


def test_the_team_editor_shares_only_inside_team(matrix_world):
    from console.shares.models import ShareLink

    client = matrix_world.client("team")
    for key, status in (("team/readme.txt", 200), ("team/", 200), ("docs/readme.txt", 404), ("team2/", 404),
                        ("team", 404), ("team/../docs/readme.txt", 404), ("", 403)):
        response = client.post(reverse("share_new"), {"connection": "primary", "key": key, "kind": "managed",
                                                      "expires": "604800"})
        assert response.status_code == status, key
        assert ShareLink.objects.filter(key=key).exists() == (status == 200), key
