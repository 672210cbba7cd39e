"""Where a key lives on disk: a layout in which every key has its own path and no user key can reach another.

The connection's folder holds four areas: `objects/` (the files, under their own names), `meta/` (one sidecar
per file, at the same relative path), `uploads/` (multipart uploads in progress) and `tmp/` (files being
written, renamed into place when complete). Keys live in `objects/` only, so none can name a sidecar, a part
or a half-written file.

Inside `objects/`, a key's folders are directories whose names end in `%`, and its own name is a file; `%` in
a name is written `%25`. So `a` (a file named `a`) and `a/b` (a file `b` in a directory `a%`) both exist,
and an entry whose name has any other `%` (`%marker`, a folder's own key such as `photos/`) is never a name
a key can take. The key rules (storage.keys) already refuse `.`, `..`, empty segments, backslashes and
control characters (NUL among them), so a segment is never a path of its own.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from storage.gateway import InvalidKey, StorageUnreachable
from storage.keys import validate_key, validate_name_length

OBJECTS, META, UPLOADS, TMP = "objects", "meta", "uploads", "tmp"
FOLDER_MARK = "%"  # the end of a directory's name: what makes `a%` a folder and `a` a file
MARKER_FILE = "%marker"  # a folder's own key (`photos/`, an empty object), kept in its directory
NAME_MAX = 255  # bytes in one file or directory name, on the file systems Linux servers use
_ESCAPED = re.compile(r"(?:[^%]|%25)*")


def escape(name: str) -> str:
    return name.replace("%", "%25")


def unescape(entry: str) -> str:
    return entry.replace("%25", "%")


def entry_kind(entry: str) -> str:
    """"file", "folder", "marker" or "" (not an entry this layout writes: ignored) for a directory entry's name."""
    if entry == MARKER_FILE:
        return "marker"
    if entry.endswith(FOLDER_MARK) and len(entry) > 1 and _ESCAPED.fullmatch(entry[:-1]):
        return "folder"
    return "file" if _ESCAPED.fullmatch(entry) else ""


@dataclass(frozen=True)
class Layout:
    """One connection's folder (its `root`, resolved: symlinks in the root's own path are the admin's choice)."""

    root: Path

    @classmethod
    def of(cls, local_root: str) -> Layout:
        if not local_root or not os.path.isabs(local_root):
            raise StorageUnreachable(_("A local folder connection needs an absolute folder path (found '%(path)s').")
                                     % {"path": local_root})
        return cls(Path(os.path.realpath(local_root)))

    def area(self, name: str) -> Path:
        return self.root / name

    def relative(self, key: str, *, allow_folder_marker: bool = True) -> Path:
        """The key's path inside `objects/` (and `meta/`): InvalidKey when the rules or the disk refuse it."""
        validate_key(key, allow_folder_marker=allow_folder_marker)
        validate_name_length(key, NAME_MAX)
        *folders, name = key.split("/")
        parts = [escape(folder) + FOLDER_MARK for folder in folders] + [escape(name) if name else MARKER_FILE]
        for part, segment in zip(parts, [*folders, name], strict=True):
            if len(part.encode("utf-8")) > NAME_MAX:
                raise InvalidKey(_("The name '%(name)s' takes %(size)s bytes on disk (a '%%' takes three, and a "
                                   "folder one more); a local folder accepts names of at most %(limit)s bytes. "
                                   "Choose a shorter name.") % {"name": segment[:40], "size": len(part.encode()),
                                                                "limit": NAME_MAX})
        return Path(*parts)

    def prefix_dir(self, prefix: str) -> tuple[Path, str, str]:
        """Where a listing under `prefix` starts: (the directory inside `objects/`, the key prefix of that
        directory's entries, the start of a name that entries must have)."""
        folder, _slash, start = prefix.rpartition("/")
        if not folder and not _slash:
            return Path(), "", start
        return Path(*[escape(f) + FOLDER_MARK for f in folder.split("/")]), folder + "/", start

    def object_path(self, relative: Path) -> Path:
        return self.contained(self.area(OBJECTS) / relative)

    def meta_path(self, relative: Path) -> Path:
        return self.contained(self.area(META) / relative)

    def contained(self, path: Path) -> Path:
        """`path` unless a symlink on the way leads out of the root (someone put one there): then refuse."""
        parent = os.path.realpath(path.parent)
        if parent != str(self.root) and not parent.startswith(str(self.root) + os.sep):
            raise InvalidKey(_("'%(path)s' leads out of the connection's folder (a symbolic link); refused.")
                             % {"path": path.relative_to(self.root)})
        return path

    def key_of(self, relative_dir: Path, entry: str) -> str:
        """The key of `entry` (a file or a marker) in a directory inside `objects/`."""
        folders = "".join(unescape(part[:-1]) + "/" for part in relative_dir.parts)
        return folders if entry == MARKER_FILE else folders + unescape(entry)
