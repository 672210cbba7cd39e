"""Searching file names below a folder: a flat listing through the gateway, page by page, as events.

A search lists every object below the folder (delimiter "", S3's 1,000 keys per call) and keeps the
files whose name (the key's last segment) holds the term, ignoring case. Each listing page becomes one
event, so whoever sends the events stops the listing by no longer asking for the next one (a client
that went away). A person whose grants lie below the folder has only their own folders listed: no name
outside their grants is listed, matched or counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from console.access import rules
from storage.gateway import ObjectSummary, StorageError

SCAN_LIMIT = 200_000  # objects listed per search: about 200 listing calls, some seconds of storage time
MATCH_LIMIT = 1_000  # results sent per search: more than a person reads; a longer term narrows it
TERM_LIMIT = 1024  # characters: no key is longer
PAGE = 1000  # keys per listing call: S3's maximum


@dataclass
class Progress:
    """How far a search went: files scanned, names found, and how it ended (or "scanning")."""

    scanned: int = 0
    found: int = 0
    listed: int = 0  # every object listed, theirs or not, folder markers too: what SCAN_LIMIT bounds
    state: str = "scanning"  # then "finished", "scan-limit", "match-limit" or "failed"
    problem: str = ""


def scan_roots(user, connection: str, prefix: str) -> list[str]:
    """The folders a person's search below `prefix` lists: `prefix` itself when they hold a role there,
    else their own folders below it (Http404 when they may see nothing there)."""
    if rules.listing_limits(user, connection, prefix) is None:
        return [prefix]
    return [root for root in rules.roots(user, connection) if root.startswith(prefix)]


def match_row(summary: ObjectSummary) -> dict:
    """What the page shows of one found file (its links are built by the page from the key)."""
    modified = timezone.localtime(summary.last_modified) if summary.last_modified else None
    return {"key": summary.key, "size": filesizeformat(summary.size),
            "modified": modified.strftime("%Y-%m-%d %H:%M") if modified else ""}


@dataclass
class Search:
    """One search, run by iterating `pages()`; `progress` says how far it went at any time."""

    gateway: object
    user: object
    connection: str
    roots: list[str]
    term: str
    progress: Progress = field(default_factory=Progress)

    def pages(self) -> Iterator[list[dict]]:
        """The matches of each listing page (often none), until every root is listed or a limit is hit."""
        needle = self.term.casefold()
        try:
            for root in self.roots:
                held_here = rules.role_on(self.user, self.connection, root) is not None
                token = None
                while True:
                    page = self.gateway.list_objects(self.connection, root, token=token, delimiter="",
                                                     max_keys=min(PAGE, SCAN_LIMIT - self.progress.listed))
                    yield self._matches(page.objects, needle, root if held_here else None)
                    if self.progress.state != "scanning":
                        return
                    token = page.next_token
                    if not token:
                        break
        except StorageError as e:
            self.progress.state, self.progress.problem = "failed", str(e)
            return
        self.progress.state = "finished"

    def _matches(self, objects: list[ObjectSummary], needle: str, held_root: str | None) -> list[dict]:
        progress, found = self.progress, []
        progress.listed += len(objects)
        for summary in objects:
            if summary.key.endswith("/") or not self._theirs(summary.key, held_root):
                continue  # a folder marker is no file; a key outside the person's grants is not theirs to count
            progress.scanned += 1
            if needle in summary.name.casefold():
                if progress.found >= MATCH_LIMIT:
                    progress.state = "match-limit"
                    break
                progress.found += 1
                found.append(match_row(summary))
        if progress.state == "scanning" and progress.listed >= SCAN_LIMIT:
            progress.state = "scan-limit"
        return found

    def _theirs(self, key: str, held_root: str | None) -> bool:
        """Whether the person holds a role at `key`. Below a folder they hold, only a `..` or `.` step can take a
        key out of their grants, so the full check (a few microseconds a key) runs only for those."""
        if held_root is not None and rules.covers(held_root, key):
            return True
        return rules.role_on(self.user, self.connection, key) is not None
