"""What a person picked in a folder (files and folders), and how many objects that is, when cheap to know."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from storage.factory import get_gateway
from storage.gateway import InvalidKey
from storage.keys import validate_key, validate_prefix

COUNT_PAGE = 1000  # one listing call per folder: S3's most per call
MAX_FOLDERS_COUNTED = 20  # beyond these, the count says "at least"


def _item(value: str) -> str:
    try:
        return validate_prefix(value) if value.endswith("/") else validate_key(value, allow_folder_marker=False)
    except InvalidKey as e:
        raise Http404(str(e))


def folder_param(value: str) -> str:
    """A folder from a query or form ("a/b" means "a/b/"); 404 when it cannot be one."""
    if value and not value.endswith("/"):
        value += "/"
    try:
        return validate_prefix(value)
    except InvalidKey as e:
        raise Http404(str(e))


@dataclass(frozen=True)
class Selection:
    """Keys and folders (ending in '/') picked in `folder`."""

    folder: str
    items: list[str]

    @property
    def files(self) -> list[str]:
        return [item for item in self.items if not item.endswith("/")]

    @property
    def folders(self) -> list[str]:
        return [item for item in self.items if item.endswith("/")]

    def describe(self) -> str:
        """"2 files and 1 folder", "photos/", "a.txt"."""
        if len(self.items) == 1:
            return self.items[0]
        files, folders = len(self.files), len(self.folders)
        counted = {"files": files, "folders": folders}
        if files and folders:
            return gettext("%(files)s and %(folders)s") % {
                "files": ngettext("%(files)s file", "%(files)s files", files) % counted,
                "folders": ngettext("%(folders)s folder", "%(folders)s folders", folders) % counted}
        if folders:
            return ngettext("%(folders)s folder", "%(folders)s folders", folders) % counted
        return ngettext("%(files)s file", "%(files)s files", files) % counted


def _parent(item: str) -> str:
    trimmed = item.rstrip("/")
    return trimmed.rsplit("/", 1)[0] + "/" if "/" in trimmed else ""


def selection_from(data: QueryDict) -> Selection:
    """The `key` values (each a file or a folder) and the `prefix` they were picked in (else the first's folder)."""
    items = [_item(value) for value in dict.fromkeys(data.getlist("key")) if value]
    if "prefix" not in data and items:
        return Selection(_parent(items[0]), items)
    return Selection(folder_param(data.get("prefix", "")), items)


@dataclass(frozen=True)
class Count:
    objects: int
    at_least: bool  # some folder held more than one listing page, or too many folders to list

    @property
    def exact(self) -> int | None:
        return None if self.at_least else self.objects

    def __str__(self) -> str:
        """"at least 1,000 files", "3 files", "1 file"."""
        number = {"n": number_format(self.objects, force_grouping=True)}
        if self.at_least:
            return ngettext("at least %(n)s file", "at least %(n)s files", self.objects) % number
        return ngettext("%(n)s file", "%(n)s files", self.objects) % number


def count_objects(connection: str, items: list[str]) -> Count:
    """Files among `items` plus the files under each folder, one listing page each (folder markers not counted).

    Costs at most MAX_FOLDERS_COUNTED listing calls, whatever the folders hold.
    """
    gateway = get_gateway()
    folders = [item for item in items if item.endswith("/")]
    objects, at_least = len(items) - len(folders), len(folders) > MAX_FOLDERS_COUNTED
    for prefix in folders[:MAX_FOLDERS_COUNTED]:
        page = gateway.list_objects(connection, prefix, delimiter="", max_keys=COUNT_PAGE)
        objects += sum(1 for o in page.objects if not o.key.endswith("/"))
        at_least = at_least or page.is_truncated
    return Count(objects, at_least)


def counted_param(value: str | None) -> int | None:
    """A count a confirmation page sent back (the progress bar's total until the job knows better)."""
    try:
        count = int(value or "")
    except ValueError:
        return None
    return count if 0 <= count <= 10_000_000 else None


def total_params(data: QueryDict) -> dict:
    """What a delete's confirmation counted, for `start_job`: `count` when exact, `at_least` when a lower bound."""
    exact = counted_param(data.get("count"))
    if exact is not None:
        return {"objects_total": exact}
    lower = counted_param(data.get("at_least"))
    return {"objects_total": lower, "total_at_least": lower is not None}
