"""Listing a local folder connection in S3's order (keys by their UTF-8 bytes), page by page.

A directory's entries are sorted by the key (or folder prefix) each stands for, so walking them depth first
yields keys in byte order: every key under `a/` sorts between `a/` and the next name. With the delimiter
`/`, a folder becomes one common prefix and is never walked; any other delimiter groups a flat walk.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from storage.gateway import ListPage, ObjectNotFound, ObjectSummary
from storage.local.files import describe, open_file
from storage.local.layout import META, OBJECTS, Layout, entry_kind, unescape


def _entries(layout: Layout, relative_dir: Path, dir_key: str) -> list[tuple[str, bool, Path]]:
    """(key or folder prefix, is a folder, relative path) of a directory's entries, in key order."""
    try:
        scanned = list(os.scandir(layout.area(OBJECTS) / relative_dir))
    except (FileNotFoundError, NotADirectoryError):
        return []
    entries = []
    for entry in scanned:
        kind = entry_kind(entry.name)
        if entry.is_symlink() or not kind:
            continue  # never followed, never listed: only what this layout writes is an object
        if kind == "folder" and entry.is_dir(follow_symlinks=False):
            entries.append((dir_key + unescape(entry.name[:-1]) + "/", True, relative_dir / entry.name))
        elif kind != "folder" and entry.is_file(follow_symlinks=False):
            key = dir_key if kind == "marker" else dir_key + unescape(entry.name)
            entries.append((key, False, relative_dir / entry.name))
    entries.sort(key=lambda e: e[0])
    return entries


def walk(layout: Layout, relative_dir: Path, dir_key: str, prefix: str, *, after: str | None,
         folders: bool) -> Iterator[tuple[str, bool, Path]]:
    """Keys starting with `prefix` from one directory down, after `after`; with `folders`, subfolders as prefixes."""
    for text, is_folder, relative in _entries(layout, relative_dir, dir_key):
        if not text.startswith(prefix) and not (is_folder and prefix.startswith(text)):
            continue
        if is_folder and folders and text.startswith(prefix):
            if (after is None or text > after) and _holds_an_object(layout.area(OBJECTS) / relative):
                yield text, True, relative
        elif is_folder:
            if after is None or text > after or after.startswith(text):
                yield from walk(layout, relative, text, prefix, after=after, folders=folders)
        elif after is None or text > after:
            yield text, False, relative


def _holds_an_object(directory: Path) -> bool:
    """Whether a folder holds a file anywhere below it: the first one found answers (no sorting, no reading)."""
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                kind = entry_kind(entry.name)
                if entry.is_symlink() or not kind:
                    continue
                if kind == "folder" and entry.is_dir(follow_symlinks=False):
                    if _holds_an_object(Path(entry.path)):
                        return True
                elif kind != "folder" and entry.is_file(follow_symlinks=False):
                    return True
    except (FileNotFoundError, NotADirectoryError):
        pass
    return False


def grouped(items: Iterator[tuple[str, bool, Path]], prefix: str, delimiter: str) -> Iterator[tuple[str, bool, Path]]:
    """A flat walk with any delimiter other than '/': keys holding it after the prefix become one common prefix."""
    last = None
    for text, _is_folder, relative in items:
        rest = text[len(prefix):]
        if delimiter in rest:
            common = prefix + rest[:rest.index(delimiter) + len(delimiter)]
            if common != last:
                last = common
                yield common, True, relative
        else:
            yield text, False, relative


def list_page(layout: Layout, prefix: str, *, token: str | None, delimiter: str, max_keys: int,
              start_after: str | None) -> ListPage:
    after = max(filter(None, [token, start_after]), default=None)
    relative_dir, dir_key, _start = layout.prefix_dir(prefix)
    layout.contained(layout.area(OBJECTS) / relative_dir / "entry")  # a link planted on the way out: refused
    slash = delimiter == "/"
    items = walk(layout, relative_dir, dir_key, prefix, after=after, folders=slash)
    if delimiter and not slash:
        items = (item for item in grouped(items, prefix, delimiter) if after is None or item[0] > after)
    limit = max(1, min(int(max_keys), 1000))
    page = list(islice(items, limit + 1))
    more = len(page) > limit
    page = page[:limit]
    objects, common = [], []
    for text, is_folder, relative in page:
        if is_folder:
            common.append(text)
        elif not (text == prefix and prefix.endswith("/")):  # a folder's own marker is not one of its files
            objects.append(_summary(layout, text, relative))
    return ListPage(prefix, common, [o for o in objects if o is not None], page[-1][0] if more else None)


def _summary(layout: Layout, key: str, relative: Path) -> ObjectSummary | None:
    try:
        with open_file(layout.area(OBJECTS) / relative, key) as f:
            meta = describe(layout, f, layout.area(META) / relative, key)
    except ObjectNotFound:  # deleted since the directory was read: not listed
        return None
    return ObjectSummary(key, meta.size, meta.etag, meta.last_modified)
