"""What a zip download holds, page by page: the files a person may read under a folder or a selection.

The browser builds the zip (static/js/zip_worker.js); the console only hands out, per call, a bounded
page of entries, each with its path inside the zip, its size and a short-lived presigned GET. The walk is
stateless: the cursor (which source, and the last key handed out in it) comes back with the next call.

Paths inside the zip are relative to the folder the person picked in, cleaned so that no entry can leave
the folder it is extracted into (see `zip_path`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from console.access import rules
from console.roles import VIEWER
from storage.gateway import InvalidKey, ObjectNotFound, ObjectSummary

PAGE_OBJECTS = 200  # entries per call at most: one listing call, or this many HEADs for ticked files
PAGE_FILES = 50  # ticked files are looked up one HEAD each: fewer per call
# A page's URLs must all be followed before they expire: its bytes are bounded too, so that the last GET of a
# page starts within URL_SECONDS even at a slow ~1 MB/s (a GET that has started may outlast its URL).
PAGE_BYTES = 1 << 30
URL_SECONDS = 900

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


def zip_path(relative: str) -> str:
    """A key's path below the zipped folder, made safe to extract; "" when nothing of it is left.

    Backslashes separate folders like slashes (Windows tools read them so); empty, "." and ".." segments are
    dropped, so neither "../x" nor "/x" nor "a//b" leaves the extraction folder or makes an empty name;
    control characters become "_"; a leading drive ("C:") becomes "C_". A folder marker keeps its "/".
    """
    folder = relative.endswith(("/", "\\"))
    parts = [_CONTROL.sub("_", part) for part in re.split(r"[/\\]", relative)]
    parts = [part for part in parts if part not in ("", ".", "..")]
    if parts:
        parts[0] = _DRIVE.sub(lambda m: m.group(0)[0] + "_", parts[0])
    path = "/".join(parts)
    return path + "/" if path and folder else path


@dataclass(frozen=True)
class Cursor:
    """Where the next call continues: source `item`, after the key `after` (None: from its start)."""

    item: int = 0
    after: str | None = None

    def as_dict(self) -> dict:
        return {"item": self.item, "after": self.after}


@dataclass
class Page:
    entries: list[dict] = field(default_factory=list)
    next: Cursor | None = None
    bytes: int = 0
    keys: list[str] = field(default_factory=list)  # what was signed, for the audit
    skipped: int = 0  # names the storage interface refuses to sign ("a/../b"): no URL, so not in the zip


def sources(user, connection: str, items: list[str]) -> list[str]:
    """The files and folders to walk: each item the person may read; for a folder above theirs (a viewer of
    team/ zipping the top folder), their own folders below it instead. Never a name outside their grants."""
    found: list[str] = []
    for item in items:
        if rules.allows(user, VIEWER, connection, item):
            found.append(item)
        elif item == "" or item.endswith("/"):
            found += [root for root in rules.roots(user, connection) if root.startswith(item) and root != item]
    return list(dict.fromkeys(found))


def next_page(gateway, user, connection: str, base: str, walk: list[str], cursor: Cursor) -> Page:
    """One bounded page of entries from `cursor` on: one listing call for a folder, a few HEADs for files."""
    page = Page()
    if cursor.item >= len(walk):
        return page
    source = walk[cursor.item]
    if source == "" or source.endswith("/"):
        _folder_page(gateway, user, connection, base, source, cursor, page)
    else:
        _files_page(gateway, user, connection, base, walk, cursor.item, page)
    return page


def _folder_page(gateway, user, connection, base, folder, cursor, page) -> None:
    listing = gateway.list_objects(connection, folder, delimiter="", max_keys=PAGE_OBJECTS, start_after=cursor.after)
    last = None
    for summary in listing.objects:
        last = summary.key
        if rules.allows(user, VIEWER, connection, summary.key):  # a grant covers no key with ".." in it
            _add(gateway, connection, base, summary, page)
        if page.bytes >= PAGE_BYTES:
            break
    more = listing.next_token is not None or (last is not None and last != listing.objects[-1].key)
    page.next = Cursor(cursor.item, last) if more else Cursor(cursor.item + 1)


def _files_page(gateway, user, connection, base, walk, index, page) -> None:
    end = index
    while end < len(walk) and not walk[end].endswith("/") and end - index < PAGE_FILES and page.bytes < PAGE_BYTES:
        try:
            meta = gateway.get_object_meta(connection, walk[end])
        except ObjectNotFound:  # deleted since it was ticked: nothing to zip
            meta = None
        if meta is not None:
            _add(gateway, connection, base, ObjectSummary(walk[end], meta.size, meta.etag, meta.last_modified), page)
        end += 1
    page.next = Cursor(end)


def _add(gateway, connection: str, base: str, summary: ObjectSummary, page: Page) -> None:
    path = zip_path(summary.key[len(base):])
    if not path:
        return
    entry = {"path": path, "modified": summary.last_modified.isoformat() if summary.last_modified else None}
    if not path.endswith("/"):
        try:
            entry["url"] = gateway.get_download_url(connection, summary.key, URL_SECONDS, internal=False)
        except InvalidKey:
            page.skipped += 1
            return
        entry["size"] = summary.size
        page.bytes += summary.size
        page.keys.append(summary.key)
    page.entries.append(entry)
