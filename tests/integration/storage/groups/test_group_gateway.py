"""A group of three SeaweedFS buckets: where its writes land, how it reads and lists, and a member down."""

from __future__ import annotations

import pytest
import requests

from storage.connections import StaticRegistry
from storage.dev.seaweedfs import free_port
from storage.factory import community_gateway
from storage.gateway import InvalidRequest, ObjectNotFound, StorageUnreachable
from storage.groups.ring import ring_of
from tests.integration.conftest import group_specs

MEMBERS = ("member-0", "member-1", "member-2")


def group_gateway(seaweedfs, **member_overrides):
    return community_gateway(StaticRegistry(group_specs(seaweedfs, **member_overrides)))


def holders(g, key: str) -> list[str]:
    """The members that hold `key`, asked one by one."""
    found = []
    for member in MEMBERS:
        try:
            g.get_object_meta(member, key)
            found.append(member)
        except ObjectNotFound:
            pass
    return found


def key_owned_by(member: str, prefix: str) -> str:
    return next(f"{prefix}{i}.txt" for i in range(1000) if ring_of(MEMBERS).owner(f"{prefix}{i}.txt") == member)


def test_it_spreads_keys_over_its_members_and_lists_them_as_one_in_pages(seaweedfs, key_prefix):
    g = group_gateway(seaweedfs)
    keys = sorted(f"{key_prefix}f{i:02}.txt" for i in range(30)) + [f"{key_prefix}sub{i}/x.txt" for i in range(3)]
    for key in keys:
        g.simple_upload("group", key, b"x")
    where = {key: holders(g, key) for key in keys}
    assert all(len(found) == 1 for found in where.values()), where
    assert {found[0] for found in where.values()} == set(MEMBERS), "every member holds some keys"
    seen, token, pages = [], None, 0
    for _ in range(9):  # 33 entries, 7 a page: 5 pages (a listing that never ends fails here)
        page = g.list_objects("group", key_prefix, token=token, max_keys=7)
        pages += 1
        seen += page.folders + [o.key for o in page.objects]
        token = page.next_token
        assert len(page.folders) + len(page.objects) <= 7
        if token is None:
            break
    assert sorted(seen) == sorted(keys[:30] + [f"{key_prefix}sub{i}/" for i in range(3)])
    assert len(seen) == len(set(seen)) and pages == 5


def test_a_folder_on_several_members_is_listed_once(seaweedfs, key_prefix):
    g = group_gateway(seaweedfs)
    for member in MEMBERS:
        g.simple_upload(member, f"{key_prefix}shared/{member}.txt", b"x")
    page = g.list_objects("group", key_prefix)
    assert page.folders == [f"{key_prefix}shared/"] and page.next_token is None
    assert [o.name for o in g.list_objects("group", f"{key_prefix}shared/").objects] == [f"{m}.txt" for m in MEMBERS]


def test_an_overwrite_lands_where_the_key_already_is(seaweedfs, key_prefix):
    g = group_gateway(seaweedfs)
    key = key_owned_by("member-0", key_prefix)
    g.simple_upload("member-2", key, b"old")  # placed there before (another placement, or before a member joined)
    g.simple_upload("group", key, b"new")
    assert holders(g, key) == ["member-2"]
    assert g.download_file("group", key) == b"new"
    upload = g.get_upload_request("group", key, 60, size=5)
    assert requests.put(upload.url, data=b"newer", headers=upload.headers, timeout=10).status_code == 200
    assert holders(g, key) == ["member-2"] and g.download_file("member-2", key) == b"newer"


def test_a_key_on_two_members_is_listed_once_and_read_from_its_owner(seaweedfs, key_prefix):
    g = group_gateway(seaweedfs)
    key = key_owned_by("member-1", key_prefix)
    g.simple_upload("member-1", key, b"owner's")
    g.simple_upload("member-0", key, b"stray")
    assert [(o.key, o.size) for o in g.list_objects("group", key_prefix).objects] == [(key, 7)]  # the owner's copy
    assert g.download_file("group", key) == b"owner's"
    g.delete_file("group", key)
    assert holders(g, key) == []


def test_a_multipart_upload_stays_on_one_member_and_its_id_cannot_be_redirected(seaweedfs, key_prefix):
    g = group_gateway(seaweedfs)
    key = key_owned_by("member-2", key_prefix)
    upload_id = g.create_multipart_upload("group", key)
    on_members = {m: [u.upload_id for u in g.list_multipart_uploads(m, key_prefix)] for m in MEMBERS}
    assert [m for m, ids in on_members.items() if ids] == ["member-2"]
    assert on_members["member-2"][0] in upload_id
    forged = upload_id.replace(upload_id.split(".")[1], "bWVtYmVyLTA", 1)  # "member-0", base64
    for call in (lambda: g.sign_upload_part("group", key, forged, 1), lambda: g.list_parts("group", key, forged),
                 lambda: g.abort_multipart_upload("group", key + "x", upload_id)):
        with pytest.raises(InvalidRequest, match="not issued by the group 'group'"):
            call()
    signed = g.sign_upload_part("group", key, upload_id, 1, 60)
    answer = requests.put(signed.url, data=b"last part", headers=signed.headers, timeout=10)
    g.complete_multipart_upload("group", key, upload_id, [(1, answer.headers["ETag"])])
    assert holders(g, key) == ["member-2"] and g.download_file("group", key) == b"last part"


def test_with_a_member_down_reads_fall_back_and_writes_to_it_fail_naming_it(seaweedfs, key_prefix):
    healthy = group_gateway(seaweedfs)
    on_1 = key_owned_by("member-2", key_prefix + "a")
    healthy.simple_upload("member-1", on_1, b"still here")  # owned by member-2, held by member-1
    on_2 = key_owned_by("member-2", key_prefix + "b")
    healthy.simple_upload("group", on_2, b"out of reach")
    down = group_gateway(seaweedfs, **{"member-2": {"endpoint": f"127.0.0.1:{free_port()}"}})

    assert down.download_file("group", on_1) == b"still here"
    assert down.get_object_meta("group", on_1).size == 10
    named = "'member-2' in group 'group' is unreachable"
    with pytest.raises(StorageUnreachable, match=named):
        down.download_file("group", on_2)  # not "not found": the member that may hold it cannot say
    with pytest.raises(StorageUnreachable, match=named):
        down.simple_upload("group", key_owned_by("member-2", key_prefix + "c"), b"x")
    down.simple_upload("group", key_owned_by("member-0", key_prefix + "d"), b"x")  # other members take writes
    with pytest.raises(StorageUnreachable, match=named):
        down.list_objects("group", key_prefix)  # a listing missing a member's keys would mislead
    health = down.check_health("group", timeout=2)
    assert not health.ok and "degraded: 1 of 3 members failing" in health.detail and "'member-2'" in health.detail
    assert healthy.check_health("group").ok


def test_copies_between_members_on_two_storages_stream_and_report_the_copys_etag(seaweedfs, other_seaweedfs,
                                                                                 key_prefix):
    from storage.connections import ConnectionSpec
    from storage.gateway import IntegrityFailure
    from tests.conftest import seaweed_spec

    near = seaweed_spec(seaweedfs, name="near", is_default=False)
    far = seaweed_spec(other_seaweedfs, name="far", is_default=False)
    g = community_gateway(StaticRegistry([near, far, ConnectionSpec("mixed", kind="group", members=("near", "far"))]))
    ring = ring_of(("near", "far"))
    source, dest, other = (next(f"{key_prefix}{name}{i}.csv" for i in range(1000)
                                if ring.owner(f"{key_prefix}{name}{i}.csv") == member)
                           for name, member in (("s", "near"), ("d", "far"), ("o", "far")))
    g.simple_upload("mixed", source, b"1,2,3", content_type="text/csv", metadata={"sha256": "ab" * 32})
    etag = g.server_copy("mixed", source, dest, if_match=g.get_object_meta("mixed", source).etag)
    copied = g.get_object_meta("far", dest)
    assert (copied.etag, copied.size, copied.content_type) == (etag, 5, "text/csv")
    assert copied.metadata == {"sha256": "ab" * 32}, "a copy keeps the user metadata, as S3's own copy does"
    with pytest.raises(IntegrityFailure):
        g.server_copy("mixed", source, dest + ".2", if_match="0" * 32)
    g.copy_object("mixed", source, other)
    assert g.download_file("far", other) == b"1,2,3"
