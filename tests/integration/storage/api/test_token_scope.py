"""Service tokens limited to a folder, or to reading (issue #15 item 4), on every verb, with SeaweedFS behind.

The token here reaches `<test folder>/team/`: "team2/" and "team" only look like it as strings. Keys
outside answer 404 with the object-not-found code, as if nothing were there; writes with a read-only
token answer 403 with their own code (403031002).
"""

from __future__ import annotations

import pytest
import requests

from storage.models import Connection
from storage.service_tokens import issue_token
from tests.integration.ossgateway_support import start_api_server

pytestmark = pytest.mark.django_db(transaction=True)
OUT_OF_REACH, READ_ONLY = 404031003, 403031002


@pytest.fixture
def server(request, seaweedfs):
    return start_api_server(request, seaweedfs)


@pytest.fixture
def team(key_prefix) -> str:
    return key_prefix + "team/"


@pytest.fixture
def scoped(server, team) -> str:
    return issue_token("team service", prefix=team, connections=Connection.objects.filter(name="primary")).raw


@pytest.fixture
def reader() -> str:
    return issue_token("reporting", read_only=True).raw


def call(server, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
    return requests.request(method, f"{server.api}/{path}", headers=server.headers(token), timeout=15, **kwargs)


def put(server, key: str, body: bytes = b"x") -> None:
    """Store `key` with the unlimited token (the test's own set-up)."""
    signed = call(server, "GET", f"upload/primary/{key}").json()
    assert requests.put(signed["url"], data=body, headers=signed["headers"], timeout=15).status_code == 200


def send(signed: dict, data: bytes | None = None) -> requests.Response:
    return requests.request(signed["method"], signed["url"], headers=signed["headers"],
                            data=data if data is not None else signed.get("request_body"), timeout=15)


def refused_as_missing(response: requests.Response) -> bool:
    return response.status_code == 404 and response.json()["code"] == OUT_OF_REACH


def keys_listed(answer: dict) -> list[str]:
    return [o["key"] for o in answer["objects"]]


def test_a_folder_token_signs_reads_and_writes_inside_its_folder_and_storage_obeys(server, team, scoped):
    key = team + "reports/q1.txt"
    assert send(call(server, "GET", f"upload/primary/{key}", scoped).json(), b"numbers").status_code == 200
    assert send(call(server, "GET", f"head/primary/{key}", scoped).json()).headers["Content-Length"] == "7"
    download = call(server, "GET", f"download/primary/{key}", scoped).json()
    assert requests.get(download["url"], timeout=15).content == b"numbers"
    assert send(call(server, "GET", f"delete/primary/{key}", scoped).json()).status_code == 204


@pytest.mark.parametrize("outside", ["team2/a.txt", "team", "teamwork.txt", "other/team/a.txt", "TEAM/a.txt"])
def test_every_key_verb_answers_404_outside_the_folder(server, key_prefix, scoped, outside):
    key = key_prefix + outside
    for path in (f"upload/primary/{key}", f"head/primary/{key}", f"download/primary/{key}",
                 f"delete/primary/{key}", f"initmultiupload/primary/{key}?size=10",
                 f"uploadpart/primary/{key}?part_id=1&upload_id=u", f"ext/parts/primary/{key}?upload_id=u"):
        assert refused_as_missing(call(server, "GET", path, scoped)), path
    for path in (f"completeupload/primary/{key}?upload_id=u", f"ext/abort/primary/{key}?upload_id=u"):
        assert refused_as_missing(call(server, "POST", path, scoped, json={"1": "etag"})), path


def test_percent_encoding_reaches_the_same_key_and_cannot_climb_out(server, team, scoped):
    encoded_slash = call(server, "GET", f"upload/primary/{team[:-1]}%2Fa%20b.txt", scoped)
    assert encoded_slash.status_code == 200 and send(encoded_slash.json(), b"in").status_code == 200
    head = call(server, "GET", f"head/primary/{team}a b.txt", scoped)
    assert send(head.json()).status_code == 200, "%2F and %20 named the key inside the folder"
    for climb in (f"{team}..%2Fteam2%2Fx", f"{team}%2E%2E/team2/x", f"{team}%2e%2e%2Fx"):
        answer = call(server, "GET", f"download/primary/{climb}", scoped)
        assert answer.status_code == 400 and answer.json()["code"] == 400031002, climb
    escaped_team = team[:-len("team/")] + "%74eam2/x"  # "team2/x" with an escaped "t"
    assert refused_as_missing(call(server, "GET", f"download/primary/{escaped_team}", scoped))


def test_a_listing_is_clipped_to_the_folder(server, key_prefix, team, scoped):
    for key in ("team/a.txt", "team/sub/b.txt", "team2/secret.txt", "teamwork.txt", "top.txt"):
        put(server, key_prefix + key)

    def listing(token=None, **params):
        answer = call(server, "GET", "ext/list/primary", token, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    above = listing(scoped, prefix=key_prefix, delimiter="/")
    assert above["folders"] == [team] and above["objects"] == [], "above the folder: only the way down"
    root = listing(scoped, delimiter="/")
    assert root["folders"] == [key_prefix] and root["objects"] == []
    assert keys_listed(listing(scoped, prefix=key_prefix)) == [team + "a.txt", team + "sub/b.txt"]
    assert keys_listed(listing(scoped, prefix=key_prefix + "team")) == [team + "a.txt", team + "sub/b.txt"]
    inside = listing(scoped, prefix=team, delimiter="/")
    assert keys_listed(inside) == [team + "a.txt"] and inside["folders"] == [team + "sub/"]
    assert len(keys_listed(listing(prefix=key_prefix))) == 5, "an unlimited token lists everything"
    for beside in (key_prefix + "team2/", key_prefix + "teamwork", key_prefix + "top"):
        assert refused_as_missing(call(server, "GET", "ext/list/primary", scoped, params={"prefix": beside}))


def test_incomplete_uploads_are_listed_only_inside_the_folder(server, key_prefix, team, scoped):
    started = [call(server, "GET", f"initmultiupload/primary/{key}?size=10").json()["upload_id"]
               for key in (team + "in.bin", key_prefix + "team2/out.bin")]
    listed = call(server, "GET", "ext/uploads/primary", scoped, params={"prefix": key_prefix}).json()
    assert [u["key"] for u in listed] == [team + "in.bin"]
    assert refused_as_missing(call(server, "GET", "ext/uploads/primary", scoped,
                                   params={"prefix": key_prefix + "team2/"}))
    assert call(server, "POST", f"ext/abort/primary/{team}in.bin?upload_id={started[0]}", scoped).status_code == 204
    call(server, "POST", f"ext/abort/primary/{key_prefix}team2/out.bin?upload_id={started[1]}")


def test_copy_and_bulk_delete_need_every_key_inside_and_delete_nothing_otherwise(server, key_prefix, team, scoped):
    put(server, team + "a.txt", b"a")
    put(server, key_prefix + "team2/b.txt", b"b")
    copies = [({"source": team + "a.txt", "dest": key_prefix + "team2/stolen.txt"}, 404),
              ({"source": key_prefix + "team2/b.txt", "dest": team + "b.txt"}, 404),
              ({"source": team + "a.txt", "dest": team + "copy.txt"}, 204)]
    for body, status in copies:
        assert call(server, "POST", "ext/copy/primary", scoped, json=body).status_code == status, body
    mixed = call(server, "POST", "ext/delete/primary", scoped, json={"keys": [team + "a.txt", key_prefix + "team2/b.txt"]})
    assert refused_as_missing(mixed)
    everything = call(server, "GET", "ext/list/primary", params={"prefix": key_prefix}).json()
    assert keys_listed(everything) == [team + "a.txt", team + "copy.txt", key_prefix + "team2/b.txt"]
    done = call(server, "POST", "ext/delete/primary", scoped, json={"keys": [team + "a.txt"]}).json()
    assert done["deleted"] == [team + "a.txt"]


def test_bucket_settings_need_a_token_for_the_whole_bucket(server, scoped):
    for method in ("GET", "PUT"):
        answer = call(server, method, "ext/cors/primary", scoped, json=[{"allowed_origins": ["https://a.example"],
                                                                        "allowed_methods": ["GET"]}])
        assert answer.status_code == 403 and "whole bucket" in answer.json()["message"], method
    assert call(server, "GET", "ext/health/primary", scoped).json()["ok"] is True
    assert call(server, "GET", "default-storage", scoped).json() == {"storage_id": "primary"}


def test_a_read_only_token_reads_and_lists_but_every_write_is_403_with_its_code(server, key_prefix, reader):
    key = key_prefix + "ro/a.txt"
    put(server, key, b"read me")
    download = call(server, "GET", f"download/primary/{key}", reader).json()
    assert requests.get(download["url"], timeout=15).content == b"read me"
    assert send(call(server, "GET", f"head/primary/{key}", reader).json()).status_code == 200
    assert keys_listed(call(server, "GET", "ext/list/primary", reader, params={"prefix": key_prefix}).json()) == [key]
    assert call(server, "GET", "ext/uploads/primary", reader, params={"prefix": key_prefix}).status_code == 200
    writes = [("GET", f"upload/primary/{key}", None), ("GET", f"initmultiupload/primary/{key}?size=10", None),
              ("GET", f"uploadpart/primary/{key}?part_id=1&upload_id=u", None),
              ("POST", f"completeupload/primary/{key}?upload_id=u", {"1": "e"}),
              ("GET", f"delete/primary/{key}", None), ("POST", f"ext/abort/primary/{key}?upload_id=u", None),
              ("POST", "ext/copy/primary", {"source": key, "dest": key + ".copy"}),
              ("POST", "ext/delete/primary", {"keys": [key]}),
              ("PUT", "ext/cors/primary", [{"allowed_origins": ["https://a.example"], "allowed_methods": ["GET"]}])]
    for method, path, body in writes:
        answer = call(server, method, path, reader, json=body)
        assert answer.status_code == 403 and answer.json()["code"] == READ_ONLY, path
    assert send(call(server, "GET", f"head/primary/{key}", reader).json()).status_code == 200, "still there"


def test_a_read_only_folder_token_is_404_outside_before_it_is_403_inside(server, key_prefix, team):
    token = issue_token("both", prefix=team, read_only=True, connections=Connection.objects.filter(name="primary")).raw
    assert refused_as_missing(call(server, "GET", f"upload/primary/{key_prefix}team2/x", token))
    inside = call(server, "GET", f"upload/primary/{team}x", token)
    assert inside.status_code == 403 and inside.json()["code"] == READ_ONLY
