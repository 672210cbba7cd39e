"""A search's work is bounded by what it lists, not by what it may show (console/files/search.py)."""

from __future__ import annotations

from console.files import search
from console.files.search import Search
from storage.gateway import ListPage, ObjectSummary


class Markers:
    """A storage whose folder holds nothing but folder markers ("x/1/", "x/2/", …), a page at a time, for ever."""

    def __init__(self):
        self.calls = 0

    def list_objects(self, connection, prefix, *, token=None, delimiter="/", max_keys=1000, start_after=None):
        self.calls += 1
        start = int(token or 0)
        objects = [ObjectSummary(f"{prefix}{n}/", 0, "", None) for n in range(start, start + max_keys)]
        return ListPage(prefix, [], objects, str(start + max_keys))


def test_a_folder_of_folder_markers_only_is_not_listed_without_end(users, monkeypatch):
    monkeypatch.setattr(search, "SCAN_LIMIT", 5000)
    storage = Markers()
    run = Search(storage, users["admin"], "primary", ["x/"], "report")
    for _, _page in zip(range(50), run.pages(), strict=False):  # 50 pages: 50,000 markers, ten times the limit
        pass
    assert run.progress.state == "scan-limit" and storage.calls <= 5
