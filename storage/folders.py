"""Deleting a folder one storage request at a time, so whoever drives it can stop between two requests.

`OssGateway.delete_prefix` runs a `FolderDeletion` to its end; a background job steps it itself and
looks for a cancel between steps (a deep tree has many folders to list and delete, one by one).
Only the gateway's public listing and bulk delete are used, so this holds for every edition.
"""

from __future__ import annotations

from typing import Any, Protocol


class Storage(Protocol):
    """What a folder deletion asks of a gateway (storage.gateway.OssGateway, which this module must not import:
    the gateway imports it)."""

    def list_objects(self, oss_id: str, prefix: str, **kwargs: Any) -> Any: ...

    def delete_objects(self, oss_id: str, keys: list[str]) -> Any: ...

BATCH = 1000  # keys per DeleteObjects: S3's limit
ROUNDS = 3  # walks after the first pass: folders without a marker, objects that arrived meanwhile


def deepest_first(folders) -> list[str]:
    """Folder keys, children before their parents (a folder can go only once it is empty)."""
    return sorted(set(folders), key=lambda f: (-f.count("/"), f))


class TreeWalk:
    """Every object and every folder listed under `prefix`, one listing page (delimiter '/') per `step()`."""

    def __init__(self, gateway: Storage, oss_id: str, prefix: str):
        self.gateway, self.oss_id = gateway, oss_id
        self.files: list[str] = []
        self.folders: list[str] = []
        self.pending = [prefix]  # folders not listed yet
        self.current: str | None = None  # the folder whose next page is `token`
        self.token: str | None = None

    @property
    def finished(self) -> bool:
        return self.current is None and not self.pending

    def step(self) -> None:
        """One listing page. A step that raises changed nothing: calling it again asks for the same page."""
        folder = self.current if self.current is not None else self.pending[-1]
        page = self.gateway.list_objects(self.oss_id, folder, token=self.token, delimiter="/")
        if self.current is None:
            self.pending.pop()
            self.folders.append(folder)
        self.files.extend(o.key for o in page.objects if not o.key.endswith("/"))
        self.folders.extend(o.key for o in page.objects if o.key.endswith("/") and o.key != folder)
        self.pending.extend(page.folders)
        self.token = page.next_token
        self.current = folder if self.token else None

    def run(self) -> tuple[list[str], list[str]]:
        while not self.finished:
            self.step()
        return self.files, self.folders


class FolderDeletion:
    """What `OssGateway.delete_prefix` does, one storage request per `step()`.

    First pass: the objects under the folder, listed flat a page at a time, each page's files deleted
    before the next page is asked for, and the folders their keys imply noted; then those folders,
    deepest first. Then up to ROUNDS walks, folder by folder, for what a flat listing cannot show
    (folders without a marker, left by an earlier delete) and for late arrivals, each followed by
    their deletion. A step that raises changed nothing here: calling it again repeats the same
    request (a listing, or a delete, which may safely be sent twice).
    """

    def __init__(self, gateway: Storage, oss_id: str, prefix: str):
        self.gateway, self.oss_id, self.prefix = gateway, oss_id, prefix
        self.batches: list[list[str]] = []  # deletes still to send, in order
        self.implied = {prefix}  # folders the first pass's keys live in
        self.token: str | None = None
        self.listing = True  # the first pass's flat listing is not over
        self.walk: TreeWalk | None = None
        self.rounds = 0  # walks that found something to delete
        self.clean = False  # the last walk found nothing

    @property
    def finished(self) -> bool:
        return not self.batches and not self.listing and self.walk is None and (self.clean or self.rounds >= ROUNDS)

    @property
    def queued(self) -> list[str]:
        """The keys known to be still to delete (folders end in '/'); more may be found by listings to come."""
        return [key for batch in self.batches for key in batch]

    def step(self) -> Any:
        """One request: a delete of up to BATCH keys (its DeleteResult), or a listing (None)."""
        if self.batches:
            result = self.gateway.delete_objects(self.oss_id, self.batches[0])
            self.batches.pop(0)
            return result
        if self.listing:
            self._list_page()
        elif not self.finished:
            self._walk_step()
        return None

    def _queue(self, keys: list[str]) -> None:
        self.batches.extend(keys[start:start + BATCH] for start in range(0, len(keys), BATCH))

    def _list_page(self) -> None:
        page = self.gateway.list_objects(self.oss_id, self.prefix, token=self.token, delimiter="")
        for key in (o.key for o in page.objects):
            parts = key[len(self.prefix):].split("/")
            self.implied.update(self.prefix + "/".join(parts[:i]) + "/" for i in range(1, len(parts)))
        self._queue([o.key for o in page.objects if not o.key.endswith("/")])
        self.token = page.next_token
        if not self.token:
            self.listing = False
            self._queue(deepest_first(self.implied))

    def _walk_step(self) -> None:
        walk = self.walk or TreeWalk(self.gateway, self.oss_id, self.prefix)
        walk.step()
        self.walk = None if walk.finished else walk
        if walk.finished:
            self.clean = not walk.files and walk.folders == [self.prefix]
            if not self.clean:
                self.rounds += 1
                self._queue(walk.files)
                self._queue(deepest_first(walk.folders))
