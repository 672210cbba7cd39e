"""Files of a local folder connection: written whole or not at all, each with its metadata sidecar.

A write goes to `tmp/`, then is renamed into place (a reader never sees half a file), then its sidecar is
written the same way. The sidecar names the inode of the file it describes: a reader that finds another
(a write between its two renames, or a file someone copied into `objects/` by hand) waits for the writer, and
failing that works the metadata out from the file itself and keeps it.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from storage.gateway import STREAM_CHUNK, IntegrityFailure, ObjectMeta, ObjectNotFound, StorageUnreachable
from storage.local.layout import TMP, Layout

DEFAULT_TYPE = "application/octet-stream"
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class Written:
    """What a write stored: its size and the MD5 digests of its parts (one part unless written as several)."""

    size: int = 0
    part_digests: list[bytes] = field(default_factory=list)
    whole: object = field(default_factory=hashlib.md5)

    def etag(self, *, multipart: bool) -> str:
        if not multipart:
            return self.whole.hexdigest()
        return hashlib.md5(b"".join(self.part_digests)).hexdigest() + f"-{len(self.part_digests)}"


def temp_path(layout: Layout) -> Path:
    folder = layout.area(TMP)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / secrets.token_hex(16)


def write_temp(layout: Layout, chunks: Iterable[bytes], *, part_size: int = 0, limit: int | None = None) -> tuple[Path, Written]:
    """Write `chunks` to a new file in `tmp/`; with `part_size`, the MD5 of each part too (a multipart ETag)."""
    path, written = temp_path(layout), Written()
    part = hashlib.md5()
    in_part = 0
    try:
        with open(path, "wb") as f:
            for chunk in chunks:
                written.size += len(chunk)
                if limit is not None and written.size > limit:
                    raise IntegrityFailure(_("More bytes came than were announced (%(limit)s).") % {"limit": limit})
                f.write(chunk)
                written.whole.update(chunk)
                while part_size and chunk:
                    take = chunk[:part_size - in_part]
                    part.update(take)
                    in_part += len(take)
                    chunk = chunk[len(take):]
                    if in_part == part_size:
                        written.part_digests.append(part.digest())
                        part, in_part = hashlib.md5(), 0
            f.flush()
            os.fsync(f.fileno())
        if part_size and (in_part or not written.part_digests):
            written.part_digests.append(part.digest())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, written


def chunks_of(read: Callable[[int], bytes], size: int | None = None) -> Iterable[bytes]:
    """Chunks from a `read(n)` (a file, a request), `size` bytes when given, else to the end."""
    left = size
    while left is None or left > 0:
        chunk = read(STREAM_CHUNK if left is None else min(STREAM_CHUNK, left))
        if not chunk:
            if left:
                raise IntegrityFailure(_("The data ended after %(got)s of %(size)s bytes.") % {
                    "got": size - left, "size": size})
            return
        if left is not None:
            left -= len(chunk)
        yield chunk


def place(layout: Layout, temp: Path, target: Path, *, exclusive: bool = False) -> bool:
    """Rename a finished file into place, making its directories (which a delete may be removing meanwhile).

    `exclusive`: only where nothing is (a hard link fails on an existing name, atomically); False if something was.
    """
    for _attempt in range(5):
        target.parent.mkdir(parents=True, exist_ok=True)
        layout.contained(target)
        try:
            if exclusive:
                os.link(temp, target)
                temp.unlink()
            else:
                os.replace(temp, target)
            return True
        except FileExistsError:
            return False
        except FileNotFoundError:  # a delete pruned the empty directory between the mkdir and the rename
            continue
        except IsADirectoryError:
            raise IntegrityFailure(_("A folder is in the way of this file.")) from None
    raise StorageUnreachable(_("The folder kept disappearing while a file was being saved into it."))


def write_sidecar(layout: Layout, meta_path: Path, inode: int, etag: str, content_type: str,
                  metadata: dict[str, str], *, headers: dict[str, str] | None = None) -> None:
    """`headers`: the object's other stored headers (cache_control, ...: ObjectHeaders' names), when it has any."""
    document = {"inode": inode, "etag": etag, "content_type": content_type or DEFAULT_TYPE,
                "metadata": dict(metadata or {}), **({"headers": headers} if headers else {})}
    temp = temp_path(layout)
    temp.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    place(layout, temp, meta_path)


def read_sidecar(meta_path: Path) -> dict | None:
    try:
        fd = os.open(meta_path, _OPEN_FLAGS)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        try:
            return json.loads(f.read(1024 * 1024))
        except ValueError:
            return None


def open_file(path: Path, where: str):
    """The file, open for reading (never through a symlink); ObjectNotFound when there is none."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EISDIR):
            raise ObjectNotFound(_("There is no object %(what)s.") % {"what": where}) from None
        raise StorageUnreachable(_("The file for %(what)s cannot be read: %(error)s") % {
            "what": where, "error": e.strerror}) from None
    f = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a directory named like a file: not an object
        f.close()
        raise ObjectNotFound(_("There is no object %(what)s.") % {"what": where})
    return f


def describe(layout: Layout, f, meta_path: Path, key: str) -> ObjectMeta:
    """The metadata of the open file `f` (its sidecar when it describes this very file)."""
    status = os.fstat(f.fileno())
    sidecar = None
    for _attempt in range(20):
        sidecar = read_sidecar(meta_path)
        if sidecar and sidecar.get("inode") == status.st_ino:
            break
        time.sleep(0.005)  # a writer between its two renames
    else:
        sidecar = _worked_out(layout, f, meta_path, status.st_ino, sidecar)
    modified = dt.datetime.fromtimestamp(status.st_mtime, tz=dt.UTC).replace(microsecond=0)
    return ObjectMeta(key=key, size=status.st_size, etag=sidecar["etag"], content_type=sidecar["content_type"],
                      last_modified=modified, metadata=dict(sidecar.get("metadata") or {}))


def _worked_out(layout: Layout, f, meta_path: Path, inode: int, old: dict | None) -> dict:
    """The metadata of a file whose sidecar is not its own: its MD5. Kept for the next reader only when the file
    has no sidecar at all (put there by hand), and never over one that appears meanwhile: a sidecar of another
    file may be a writer's that has just replaced the file this reader opened, and must not be overwritten."""
    position, digest = f.tell(), hashlib.md5()
    f.seek(0)
    while chunk := f.read(STREAM_CHUNK):
        digest.update(chunk)
    f.seek(position)
    document = {"inode": inode, "etag": digest.hexdigest(), "content_type": DEFAULT_TYPE, "metadata": {}}
    if old is None:
        temp = temp_path(layout)
        temp.write_text(json.dumps(document), encoding="utf-8")
        place(layout, temp, meta_path, exclusive=True)
        temp.unlink(missing_ok=True)
    return document


def remove_empty_dirs(start: Path, stop: Path) -> None:
    """Remove `start` and its parents up to (not including) `stop` while they are empty (S3 has no empty folders)."""
    current = start
    while current != stop and stop in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent
