"""One listing over several members: their pages merged in key order, each entry shown once.

The continuation token holds, for each member, where its own listing stands: the member's token for
the page being read (or the `start_after` the listing began with) and how many entries of that page
were already handed out. Re-reading that page and skipping them resumes exactly, whatever order the
member lists in (S3 lists bytes in order, SeaweedFS walks folders depth first).

Order: by path segments (`a/x/` before `a/x (2).txt`), which is SeaweedFS's order and S3's for most
keys; if two members' orders disagree the merge still hands out every entry once. A key on two
members (or a folder on several) is shown once: the copy on the member earliest in the key's
preference order (the member reads go to first) wins.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from storage.gateway import InvalidRequest, ListPage, ObjectSummary


def order(key: str) -> tuple[str, ...]:
    return tuple(key.split("/"))


@dataclass
class Cursor:
    """Where one member's listing stands."""

    member: str
    token: str | None = None  # the member's token for the page being read (None: its first page)
    start_after: str | None = None  # for its first page only
    skip: int = 0  # entries of that page already handed out
    done: bool = False
    entries: list = field(default_factory=list)  # the page's entries not handed out: (order, key, summary|None)
    next_token: str | None = None
    loaded: bool = False

    def as_json(self) -> list:
        return [self.member, self.token, self.start_after, self.skip, self.done]


def encode(cursors: list[Cursor]) -> str:
    raw = json.dumps([c.as_json() for c in cursors], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str, members: tuple[str, ...]) -> list[Cursor]:
    refused = InvalidRequest(_("This listing token is not one this group handed out."))
    try:
        rows = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        cursors = [Cursor(str(m), t, a, int(s), bool(d)) for m, t, a, s, d in rows]
    except (ValueError, TypeError):
        raise refused from None
    if [c.member for c in cursors] != list(members) or not all(
            isinstance(v, (str, type(None))) for c in cursors for v in (c.token, c.start_after)):
        raise refused
    return cursors


class MergedListing:
    """`list_page(member, token, start_after)` lists one member; `rank(key)` orders members per key."""

    def __init__(self, members: tuple[str, ...], list_page, rank):
        self.members, self.list_page, self.rank = members, list_page, rank

    def page(self, prefix: str, token: str | None, start_after: str | None, max_keys: int) -> ListPage:
        cursors = decode(token, self.members) if token else [Cursor(m, start_after=start_after) for m in self.members]
        folders: list[str] = []
        objects: list[ObjectSummary] = []
        while len(folders) + len(objects) < max_keys:
            heads = [c for c in cursors if self._head(c) is not None]
            if not heads:
                break
            first = min(c.entries[0][0] for c in heads)
            tied = [c for c in heads if c.entries[0][0] == first]
            winner = min(tied, key=lambda c: self.rank(c.entries[0][1]).index(c.member))
            _order, key, summary = winner.entries[0]
            for cursor in tied:
                self._consume(cursor)
            if summary is None:
                folders.append(key)
            else:
                objects.append(summary)
        more = any(self._head(c) is not None for c in cursors)
        return ListPage(prefix, folders, objects, encode(cursors) if more else None)

    def _head(self, cursor: Cursor):
        """The member's next entry, reading its next page when this one is used up; None at its end."""
        while not cursor.done:
            if not cursor.loaded:
                self._load(cursor)
            if cursor.entries:
                return cursor.entries[0]
            if cursor.next_token is None:
                cursor.done = True
            else:
                cursor.token, cursor.start_after, cursor.skip, cursor.loaded = cursor.next_token, None, 0, False
        return None

    def _load(self, cursor: Cursor) -> None:
        page = self.list_page(cursor.member, cursor.token, cursor.start_after)
        entries = [(order(f), f, None) for f in page.folders] + [(order(o.key), o.key, o) for o in page.objects]
        entries.sort(key=lambda e: e[0])
        cursor.entries, cursor.next_token, cursor.loaded = entries[cursor.skip:], page.next_token, True

    @staticmethod
    def _consume(cursor: Cursor) -> None:
        cursor.entries.pop(0)
        cursor.skip += 1
