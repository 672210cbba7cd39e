"""A dict that keeps only its most recently set entries: the small per-process caches' one bound."""

from __future__ import annotations

from collections import OrderedDict


class Recent(OrderedDict):
    """At most `size` entries; setting one makes it the newest, and the oldest beyond `size` go.

    Not locked: the caches that use it hold their own lock around each use."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def __setitem__(self, key, value) -> None:
        super().pop(key, None)
        super().__setitem__(key, value)
        while len(self) > self.size:
            self.popitem(last=False)
