"""Downloads that survive an interruption: the bytes so far in `<path>.part`, the object they belong to beside it.

`download_file_to_local(..., resume=True)` on either edition comes here. The sidecar `<path>.part.json` names
the connection, key, ETag and size the partial file holds the first bytes of. A call with the same object
and ETag asks the storage for the rest only (a range from the partial file's length, pinned with If-Match);
anything else (another ETag: the object was replaced; another object; no sidecar; a partial file longer than
the object) starts again from byte 0, so a finished file never mixes two versions. The rest is read as one
stream (`open_object`): memory stays flat, and what arrived stays on disk if the call is interrupted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.utils.translation import gettext as _

from storage.gateway import IntegrityFailure, OssGateway

WRITE_CHUNK = 1024 * 1024


def partial_paths(path: str | Path) -> tuple[Path, Path]:
    """Where a resumable download of `path` keeps its bytes so far, and what they are of."""
    target = Path(path)
    return target.with_name(target.name + ".part"), target.with_name(target.name + ".part.json")


def _resumable_length(part: Path, sidecar: Path, wanted: dict) -> int:
    """How many bytes of the partial file belong to `wanted`; 0 (the file emptied) when none can be kept."""
    try:
        held = json.loads(sidecar.read_text())
        length = part.stat().st_size
    except (OSError, ValueError):
        held, length = None, 0
    if held == wanted and length <= wanted["size"]:
        return length
    sidecar.unlink(missing_ok=True)
    part.write_bytes(b"")
    sidecar.write_text(json.dumps(wanted))
    return 0


def resume_download(gateway: OssGateway, oss_id: str, key: str, path: str | Path, *, internal: bool = True) -> int:
    """Download `key` to `path`, continuing the partial file a call before left; returns the object's size."""
    target = Path(path)
    part, sidecar = partial_paths(target)
    meta = gateway.get_object_meta(oss_id, key, internal=internal)
    wanted = {"connection": oss_id, "key": key, "etag": meta.etag, "size": meta.size}
    offset = _resumable_length(part, sidecar, wanted)
    if offset < meta.size:
        with gateway.open_object(oss_id, key, range=(offset, None), if_match=meta.etag) as stream, \
                open(part, "ab") as out:
            for chunk in stream:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    received = part.stat().st_size
    if received != meta.size:
        raise IntegrityFailure(_("Received %(received)s of %(size)s bytes of '%(key)s'.") % {
            "received": received, "size": meta.size, "key": key})
    os.replace(part, target)
    sidecar.unlink(missing_ok=True)
    return received
