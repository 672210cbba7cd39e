"""Where a group puts a new key: by its hash, or on the member with the most free space."""

from __future__ import annotations

from storage.connections import ConnectionSpec, StaticRegistry
from storage.gateway import ObjectMeta, ObjectNotFound
from storage.groups.gateway import join_groups
from storage.groups.ring import ring_of
from storage.routing import KindRouter


class Shelves:
    """Stands in for the members' gateway: objects in dicts, and the free space each member says it has."""

    def __init__(self, free: dict[str, int | None]):
        self.free, self.objects = free, {name: {} for name in free}

    def get_object_meta(self, oss_id, key, **options):
        if key not in self.objects[oss_id]:
            raise ObjectNotFound(key)
        return ObjectMeta(key, len(self.objects[oss_id][key]), "", "", None)

    def simple_upload(self, oss_id, key, body, **options):
        self.objects[oss_id][key] = body

    def free_space(self, oss_id):
        return self.free[oss_id]

    def holders(self, key):
        return [name for name, objects in self.objects.items() if key in objects]


def _group(placement, free):
    shelves = Shelves(free)
    specs = [ConnectionSpec(name, f"bucket-{name}") for name in free]
    specs.append(ConnectionSpec("g", kind="group", members=tuple(free), placement=placement))
    return join_groups(KindRouter(StaticRegistry(specs), {"s3": shelves})), shelves


def test_free_space_placement_picks_the_member_with_the_most_room():
    gateway, shelves = _group("free_space", {"a": 10, "b": 500, "c": None})
    for i in range(5):
        gateway.simple_upload("g", f"{i}.txt", b"x")
    assert [shelves.holders(f"{i}.txt") for i in range(5)] == [["b"]] * 5


def test_free_space_placement_hashes_when_no_member_says():
    gateway, shelves = _group("free_space", {"a": None, "b": None, "c": None})
    keys = [f"{i}.txt" for i in range(30)]
    for key in keys:
        gateway.simple_upload("g", key, b"x")
    assert all(shelves.holders(key) == [ring_of(("a", "b", "c")).owner(key)] for key in keys)
    assert {shelves.holders(key)[0] for key in keys} == {"a", "b", "c"}


def test_an_overwrite_stays_where_the_key_is_whatever_the_free_space():
    gateway, shelves = _group("free_space", {"a": 10, "b": 500, "c": 1})
    shelves.simple_upload("c", "old.txt", b"old")
    gateway.simple_upload("g", "old.txt", b"new")
    assert shelves.holders("old.txt") == ["c"] and shelves.objects["c"]["old.txt"] == b"new"


def test_a_groups_free_space_is_its_members_added_up_when_all_say():
    assert _group("hash", {"a": 10, "b": 5})[0].free_space("g") == 15
    assert _group("hash", {"a": 10, "b": None})[0].free_space("g") is None
