"""Consistent hashing: keys spread evenly, and a new member takes about its share, from every member."""

from __future__ import annotations

from collections import Counter

from storage.groups.ring import Ring

KEYS = [f"photos/{i}.jpg" for i in range(20_000)]


def test_it_spreads_keys_evenly_over_the_members():
    counts = Counter(Ring(("a", "b", "c")).owner(key) for key in KEYS)
    assert set(counts) == {"a", "b", "c"}
    assert all(abs(n - len(KEYS) / 3) < 0.1 * len(KEYS) / 3 for n in counts.values()), counts


def test_adding_a_member_moves_about_one_key_in_n_and_only_to_it():
    before, after = Ring(("a", "b", "c")), Ring(("a", "b", "c", "d"))
    moved = [key for key in KEYS if before.owner(key) != after.owner(key)]
    assert abs(len(moved) / len(KEYS) - 1 / 4) < 0.04, len(moved)
    assert {after.owner(key) for key in moved} == {"d"}


def test_removing_a_member_moves_only_its_keys():
    before, after = Ring(("a", "b", "c")), Ring(("a", "c"))
    assert all(before.owner(key) == "b" for key in KEYS if before.owner(key) != after.owner(key))


def test_the_preference_order_names_every_member_once_the_owner_first():
    ring = Ring(("a", "b", "c"))
    for key in KEYS[:200]:
        order = ring.preference(key)
        assert sorted(order) == ["a", "b", "c"] and order[0] == ring.owner(key)
