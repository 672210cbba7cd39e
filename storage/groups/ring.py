"""Consistent hashing: each member holds many points ("virtual nodes") on a ring of 64-bit hashes.

A key belongs to the member owning the first point at or after the key's hash. Adding a member
moves only the keys that now fall before its points (about 1/n of them); removing one moves only
its own keys. Walking on from the key's point gives every member once: the order reads try them in.
"""

from __future__ import annotations

import bisect
import hashlib
from functools import lru_cache

VIRTUAL_NODES = 256


def point(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


class Ring:
    def __init__(self, members: tuple[str, ...], virtual_nodes: int = VIRTUAL_NODES):
        pairs = sorted((point(f"{member}#{i}"), member) for member in members for i in range(virtual_nodes))
        self._points = [p for p, _member in pairs]
        self._owners = [member for _p, member in pairs]
        self.members = members

    def owner(self, key: str) -> str:
        return self.preference(key)[0]

    def preference(self, key: str) -> list[str]:
        """Every member once, the key's owner first, then the next distinct owners round the ring."""
        start = bisect.bisect_left(self._points, point(key))
        order: list[str] = []
        for i in range(len(self._owners)):
            owner = self._owners[(start + i) % len(self._owners)]
            if owner not in order:
                order.append(owner)
                if len(order) == len(self.members):
                    break
        return order


@lru_cache(maxsize=64)
def ring_of(members: tuple[str, ...]) -> Ring:
    """Rings are built once per member list (256 hashes per member)."""
    return Ring(members)
