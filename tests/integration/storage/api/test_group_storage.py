"""A group served by the OSS Gateway Manager protocol: each signed request goes to the member that holds the key."""

from __future__ import annotations

import pytest
import requests

from storage.connections import StaticRegistry
from storage.factory import community_gateway
from storage.groups.ring import ring_of
from storage.models import Connection
from tests.integration.conftest import GROUP_BUCKETS, group_specs
from tests.integration.ossgateway_support import add_connection, start_api_server
from tests.integration.storage.api.test_ossgateway_protocol import send, sign

pytestmark = pytest.mark.django_db(transaction=True)
MEMBERS = ("member-0", "member-1", "member-2")


@pytest.fixture
def server(request, seaweedfs):
    server = start_api_server(request, seaweedfs)
    group, *members = group_specs(seaweedfs)
    for member in members:
        add_connection(member, is_default=False)
    Connection.objects.create(name="group", kind="group", members=list(group.members))
    server.members = community_gateway(StaticRegistry(members))
    return server


def owned_by(member: str, prefix: str) -> str:
    return next(f"{prefix}{i}.txt" for i in range(1000) if ring_of(MEMBERS).owner(f"{prefix}{i}.txt") == member)


def test_the_group_is_a_storage_id_and_its_signed_requests_reach_the_right_member(server, key_prefix):
    listed = requests.get(f"{server.api}/objectstorageinfo?app=as", headers=server.headers(), timeout=10).json()
    assert "group" in [s["id"] for s in listed]
    key = owned_by("member-0", key_prefix)
    server.members.simple_upload("member-2", key, b"old")  # the key is on member-2 already
    upload = sign(server, "upload", key, storage="group", request_method="PUT", internal_request="True").json()
    assert f"/{GROUP_BUCKETS[2]}/" in upload["url"]
    assert send(upload, b"new").status_code == 200
    head = send(sign(server, "head", key, storage="group", internal_request="True").json())
    assert head.status_code == 200 and head.headers["Content-Length"] == "3"
    assert server.members.download_file("member-2", key) == b"new"
    fresh = owned_by("member-1", key_prefix + "fresh-")
    upload = sign(server, "upload", fresh, storage="group", request_method="PUT", internal_request="True").json()
    assert f"/{GROUP_BUCKETS[1]}/" in upload["url"]


def test_a_multipart_upload_through_the_protocol_stays_on_its_member(server, key_prefix):
    key = owned_by("member-2", key_prefix)
    started = sign(server, "initmultiupload", key, storage="group", size=9, internal_request="True").json()
    upload_id = started["upload_id"]
    forged = sign(server, "uploadpart", key, storage="group", part_id=1, upload_id=upload_id.replace(
        upload_id.split(".")[1], "bWVtYmVyLTA", 1), internal_request="True")
    assert forged.status_code == 400 and "not issued by the group 'group'" in forged.text
    part = sign(server, "uploadpart", key, storage="group", part_id=1, upload_id=upload_id,
                internal_request="True").json()["1"]
    etag = send(part, b"last part").headers["ETag"]
    complete = requests.post(f"{server.api}/completeupload/group/{key}?upload_id={upload_id}&internal_request=True",
                             json={"1": etag}, headers=server.headers(), timeout=10).json()
    assert send(complete).status_code == 200
    assert server.members.download_file("member-2", key) == b"last part"
    listing = requests.get(f"{server.api}/ext/list/group?prefix={key_prefix}", headers=server.headers(),
                           timeout=10).json()
    assert [o["key"] for o in listing["objects"]] == [key]
