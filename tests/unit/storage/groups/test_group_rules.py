"""What a group may name, and the upload ids it hands out."""

from __future__ import annotations

import pytest

from storage.connections import ConnectionSpec, StaticRegistry
from storage.factory import community_gateway
from storage.gateway import InvalidRequest
from storage.groups import upload_ids
from storage.groups.members import GroupMisconfigured


def _gateway(*specs):
    return community_gateway(StaticRegistry([ConnectionSpec("a", "bucket-a"), ConnectionSpec("b", "bucket-b"),
                                             ConnectionSpec("off", "bucket-off", enabled=False),
                                             ConnectionSpec("inner", kind="group", members=("a",)), *specs]))


@pytest.mark.parametrize(("members", "words"), [
    (("a", "g"), "The group 'g' names itself as a member."),
    (("a", "inner"), "The group 'g' names the group 'inner'; a group's members cannot be groups."),
    (("a", "nowhere"), "The group 'g' names 'nowhere', which does not exist or is disabled."),
    (("a", "off"), "The group 'g' names 'off', which does not exist or is disabled."),
    (("a", "a"), "The group 'g' names a member twice."),
    ((), "The group 'g' has no members."),
])
def test_it_refuses_a_group_it_cannot_be_made_of_saying_why(members, words):
    gateway = _gateway(ConnectionSpec("g", kind="group", members=members))
    with pytest.raises(GroupMisconfigured) as refused:
        gateway.download_file("g", "x.txt")
    assert str(refused.value) == words


def test_an_upload_id_names_its_member_and_holds_only_for_its_group_and_key():
    wrapped = upload_ids.wrap("g", "b", "big.bin", "abc.def-123")
    assert upload_ids.unwrap("g", "big.bin", wrapped) == ("b", "abc.def-123")
    forged = upload_ids.wrap("g", "b", "big.bin", "abc.def-123").replace("grp1.Yg", "grp1.YQ")  # "b" -> "a"
    for group, key, upload_id in [("g", "big.bin", forged), ("h", "big.bin", wrapped), ("g", "other.bin", wrapped),
                                  ("g", "big.bin", "abc.def-123"), ("g", "big.bin", "grp1.%%%.x.y")]:
        with pytest.raises(InvalidRequest, match="not issued by the group"):
            upload_ids.unwrap(group, key, upload_id)
