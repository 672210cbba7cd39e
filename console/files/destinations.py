"""Where copied or moved things go, worked out from what a person typed: a folder, and for one item a name.

People write folders as they see them: "photos/2024", "/photos/2024/", " photos ". Those mean the
same folder. What cannot work (a folder into itself, a move onto itself, names S3 refuses) is
refused with a sentence naming the field to change, before any job starts.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from storage.gateway import InvalidKey
from storage.keys import validate_key, validate_prefix

COPY, MOVE = "copy", "move"
KEEP_BOTH = "keep_both"


class DestinationError(ValueError):
    """What is wrong, and which field (`folder`, `name` or `conflict`) a person should change."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _basename(item: str) -> str:
    return item.rstrip("/").rsplit("/", 1)[-1]


def clean_folder(text: str) -> str:
    """"photos/2024", "/photos/2024/" -> "photos/2024/"; "", "/" -> "" (the top folder)."""
    folder = text.strip().lstrip("/")
    if folder and not folder.endswith("/"):
        folder += "/"
    if "\\" in folder:
        raise DestinationError("folder", _("Separate folders with '/', not '\\'."))
    if "//" in folder:
        raise DestinationError("folder", _("The folder path has an empty folder name ('//')."))
    if any(part in (".", "..") for part in folder.split("/")):
        raise DestinationError("folder", _("'.' and '..' are not folder names here: write the whole path from "
                                           "the top folder, for example photos/2024/."))
    try:
        return validate_prefix(folder)
    except InvalidKey as e:
        raise DestinationError("folder", str(e))


def clean_name(text: str) -> str:
    name = text.strip()
    if not name:
        raise DestinationError("name", _("Give a name."))
    if "/" in name:
        raise DestinationError("name", _("A name cannot contain '/'. To put it in another folder, change the "
                                         "destination folder."))
    if name in (".", ".."):
        raise DestinationError("name", _("'%(name)s' cannot be a name.") % {"name": name})
    return name


def _destination(item: str, folder: str, name: str | None) -> str:
    dest = folder + (name or _basename(item)) + ("/" if item.endswith("/") else "")
    try:
        return validate_key(dest, allow_folder_marker=item.endswith("/"))
    except InvalidKey as e:
        raise DestinationError("name" if name else "folder",
                               _("'%(dest)s' cannot be a key: %(problem)s") % {"dest": dest, "problem": e})


def _check(item: str, dest: str, op: str, conflict: str, field: str) -> None:
    """Within one connection: a folder into itself, a move onto itself (another connection has other objects)."""
    if dest == item:
        if op == MOVE or item.endswith("/"):
            raise DestinationError(field, _("'%(item)s' is there already: choose another folder or name.")
                                   % {"item": item})
        if conflict != KEEP_BOTH:
            raise DestinationError("conflict", _("Copying '%(item)s' onto itself only makes sense with “keep both” "
                                                 "(a copy beside it), or choose another folder or name.")
                                   % {"item": item})
    elif item.endswith("/") and dest.startswith(item):
        raise DestinationError("folder", _("A folder cannot go inside itself: '%(item)s' into '%(dest)s'.")
                               % {"item": item, "dest": dest})
    elif item.endswith("/") and item.startswith(dest):
        raise DestinationError(field, _("'%(item)s' cannot become '%(dest)s': that folder holds it.")
                               % {"item": item, "dest": dest})


def plan(items: list[str], op: str, folder_text: str, name_text: str | None, conflict: str, *,
         across: bool = False) -> list[list[str]]:
    """[[source, destination], ...] for a copy or move; `name_text` only for a single item (None keeps names).
    `across`: the destinations are in another connection."""
    folder = clean_folder(folder_text)
    name = clean_name(name_text) if name_text is not None else None
    pairs = []
    for item in items:
        dest = _destination(item, folder, name)
        if not across:
            _check(item, dest, op, conflict, "name" if name else "folder")
        pairs.append([item, dest])
    return pairs
