"""console.recent.Recent: the bound of the per-process caches (previews, sorted readings)."""

from __future__ import annotations

from console.recent import Recent


def test_it_keeps_the_most_recently_set_entries():
    kept = Recent(3)
    for key in "abcd":
        kept[key] = key.upper()
    assert list(kept) == ["b", "c", "d"]
    kept["b"] = "again"  # set again: the newest, so "c" is the oldest now
    kept["e"] = "E"
    assert list(kept.items()) == [("d", "D"), ("b", "again"), ("e", "E")]
