"""The last text previews rendered, by object version, in this process.

Hostile Markdown of 128 KiB takes seconds to render (emphasis and image syntax nested to the limit), and
nothing in a view's request otherwise stops a few people reloading it from tying up every worker: each
version of a file is rendered once here. The cache is small and bounded (a rendered page is at most
~2 MB); its key names the connection, the key and the version (ETag, size, time), so a changed file is
rendered again, and a page reaches it only after its own access check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from console.recent import Recent

MAX_ENTRIES = 32
T = TypeVar("T")

_entries: Recent = Recent(MAX_ENTRIES)
_lock = threading.Lock()


def rendered(key: Hashable, render: Callable[[], T], *, keep: Callable[[T], bool]) -> T:
    """The value cached under `key`, else `render()`, cached when `keep` says so (not a passing failure)."""
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]  # type: ignore[return-value]
    value = render()
    if keep(value):
        with _lock:
            _entries[key] = value
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
