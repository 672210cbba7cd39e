"""The folder's two views (a list, a gallery of thumbnails) and which files the gallery shows as pictures."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from console.files.common import FileRow
from storage.media_types import attachment_type, inline_type

VIEWS = ("list", "gallery")
SESSION_KEY = "files_view"
# Thumbnails are the images themselves (presigned GETs, no resizing service): above this size a tile shows a
# placeholder instead, so a folder of camera originals does not pull gigabytes into the page.
THUMBNAIL_MAX_BYTES = 5 * 1024 * 1024


def view_mode(request: HttpRequest) -> str:
    """The view asked for in the URL (`view=`), remembered for this person's session; else the one remembered."""
    asked = request.GET.get("view")
    if asked in VIEWS:
        if request.session.get(SESSION_KEY, "list") != asked:
            request.session[SESSION_KEY] = asked
        return asked
    remembered = request.session.get(SESSION_KEY)
    return remembered if remembered in VIEWS else "list"


def is_image(name: str) -> bool:
    """A picture the storage's signed link sends as one (not every image/ type Python knows of)."""
    return (inline_type(name) or attachment_type(name)).startswith("image/")


def shows_thumbnail(row: FileRow) -> bool:
    """Whether the gallery loads this file as its own thumbnail: an image, small enough."""
    return is_image(row.summary.name) and row.summary.size <= THUMBNAIL_MAX_BYTES


def tiles(rows: list[FileRow], thumbnail: Callable[[str], str]) -> list[tuple[FileRow, str, str]]:
    """Each file with what its tile shows ("thumbnail", "large": an image above the cap, or "file") and, for a
    thumbnail, its link (`thumbnail(key)`)."""
    shown = []
    for row in rows:
        kind = ("thumbnail" if shows_thumbnail(row) else "large") if is_image(row.summary.name) else "file"
        shown.append((row, kind, thumbnail(row.summary.key) if kind == "thumbnail" else ""))
    return shown
