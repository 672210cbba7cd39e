"""Multipart uploads to a local folder: each upload a directory in `uploads/`, outside the key space.

`uploads/<id>/upload.json` says which key and metadata; each part is a file `NNNNN` with `NNNNN.json`
beside it (its ETag and size). Completing joins the parts into a temporary file and renames it into place;
completing or aborting removes the directory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _

from storage.gateway import (
    STREAM_CHUNK,
    IntegrityFailure,
    InvalidRequest,
    MultipartUploadInfo,
    ObjectNotFound,
    PartInfo,
)
from storage.local.files import Written, place, temp_path, write_temp
from storage.local.layout import UPLOADS, Layout

MIN_PART_SIZE = 5 * 1024 * 1024  # S3's: every part but the last
MAX_PARTS = 10_000
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


def start(layout: Layout, key: str, content_type: str | None, metadata: dict[str, str] | None) -> str:
    upload_id = secrets.token_hex(16)
    folder = layout.area(UPLOADS) / upload_id
    folder.mkdir(parents=True)
    document = {"key": key, "content_type": content_type or "", "metadata": dict(metadata or {}),
                "initiated": dt.datetime.now(dt.UTC).isoformat()}
    (folder / "upload.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return upload_id


def upload(layout: Layout, key: str, upload_id: str) -> tuple[Path, dict]:
    """The upload's directory and document; ObjectNotFound unless it is an upload of `key` in progress."""
    folder = layout.area(UPLOADS) / upload_id
    try:
        document = json.loads((folder / "upload.json").read_text(encoding="utf-8")) if _UPLOAD_ID.fullmatch(
            upload_id or "") else None
    except (OSError, ValueError):
        document = None
    if not document or document.get("key") != key:
        raise ObjectNotFound(_("There is no upload %(id)s of '%(key)s' in progress.") % {"id": upload_id, "key": key})
    return folder, document


def check_part_number(part_number: int) -> int:
    if not 1 <= int(part_number) <= MAX_PARTS:
        raise InvalidRequest(_("A part number is between 1 and %(max)s.") % {"max": MAX_PARTS})
    return int(part_number)


def store_part(layout: Layout, key: str, upload_id: str, part_number: int, chunks: Iterable[bytes], *,
               limit: int | None = None, md5: bytes | None = None) -> str:
    folder, _document = upload(layout, key, upload_id)
    number = check_part_number(part_number)
    temp, written = write_temp(layout, chunks, limit=limit)
    if md5 is not None and written.whole.digest() != md5:
        temp.unlink(missing_ok=True)
        raise IntegrityFailure(_("Part %(n)s arrived damaged (its MD5 differs).") % {"n": number})
    etag = written.whole.hexdigest()
    place(layout, temp, folder / f"{number:05d}")
    note = temp_path(layout)
    note.write_text(json.dumps({"etag": etag, "size": written.size}), encoding="utf-8")
    place(layout, note, folder / f"{number:05d}.json")
    return etag


def parts(layout: Layout, key: str, upload_id: str) -> list[PartInfo]:
    folder, _document = upload(layout, key, upload_id)
    found = []
    for note in sorted(folder.glob("[0-9][0-9][0-9][0-9][0-9].json")):
        try:
            document = json.loads(note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append(PartInfo(int(note.stem), document["etag"], document["size"]))
    return found


def join(layout: Layout, key: str, upload_id: str, claimed: Iterable[tuple[int, str]]) -> tuple[Path, Written, dict]:
    """The claimed parts, checked against those stored and joined into a temporary file: (file, what it holds,
    the upload's document)."""
    folder, document = upload(layout, key, upload_id)
    stored = {p.part_number: p for p in parts(layout, key, upload_id)}
    chosen = [(int(n), str(etag).strip().strip('"')) for n, etag in claimed]
    numbers = [n for n, _etag in chosen]
    if not chosen or numbers != sorted(set(numbers)):
        raise InvalidRequest(_("The parts must be listed once each, in ascending order."))
    for index, (number, etag) in enumerate(chosen):
        part = stored.get(number)
        if part is None or part.etag != etag:
            raise IntegrityFailure(_("Part %(n)s is not stored with the ETag given.") % {"n": number})
        if part.size < MIN_PART_SIZE and index < len(chosen) - 1:
            raise IntegrityFailure(_("Part %(n)s is smaller than 5 MiB and is not the last one.") % {"n": number})
    temp, written = temp_path(layout), Written()
    try:
        with open(temp, "wb") as out:
            for number, etag in chosen:
                written.part_digests.append(_copy_part(folder / f"{number:05d}", out, written, number, etag))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, written, document


def _copy_part(path: Path, out, written: Written, number: int, etag: str) -> bytes:
    """The part's bytes appended to `out`; its MD5. IntegrityFailure when they are not the ones its note names:
    two uploads of one part number raced, and the other's bytes landed before this one's note."""
    digest = hashlib.md5()
    with open(path, "rb") as source:
        while chunk := source.read(STREAM_CHUNK):
            out.write(chunk)
            digest.update(chunk)
            written.size += len(chunk)
    if digest.hexdigest() != etag:
        raise IntegrityFailure(_("Part %(n)s is not stored with the ETag given.") % {"n": number})
    return digest.digest()


def finish(layout: Layout, upload_id: str) -> None:
    if _UPLOAD_ID.fullmatch(upload_id or ""):
        shutil.rmtree(layout.area(UPLOADS) / upload_id, ignore_errors=True)


def in_progress(layout: Layout, prefix: str) -> list[MultipartUploadInfo]:
    found = []
    for document_path in sorted((layout.area(UPLOADS)).glob("*/upload.json")):
        try:
            document = json.loads(document_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if document.get("key", "").startswith(prefix):
            initiated = dt.datetime.fromisoformat(document["initiated"]) if document.get("initiated") else None
            found.append(MultipartUploadInfo(document["key"], document_path.parent.name, initiated))
    return sorted(found, key=lambda u: (u.key, u.initiated or dt.datetime.min.replace(tzinfo=dt.UTC)))
