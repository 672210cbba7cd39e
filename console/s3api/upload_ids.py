"""An upload id from the query, and the proof that it is an upload in progress of this bucket and key."""

from __future__ import annotations

from console.s3api.call import Call
from console.s3api.errors import S3Error
from storage import gateway as g
from storage.factory import get_gateway


def no_such_upload(upload: str) -> S3Error:
    return S3Error("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the "
                   "upload may have been aborted or completed.", UploadId=upload)


def upload_id(call: Call) -> str:
    upload = call.query.get("uploadId", "").strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in upload):  # no storage issues one; XML cannot carry it back
        raise no_such_upload("")
    if not upload:
        raise no_such_upload(upload)
    return upload


def existing_parts(call: Call, upload: str) -> dict[int, g.PartInfo]:
    """The parts stored so far, by number; NoSuchUpload when the id is not an upload of this bucket and key."""
    try:
        parts = get_gateway().list_parts(call.bucket, call.key, upload)
    except g.ObjectNotFound as e:
        raise no_such_upload(upload) from e
    return {part.part_number: part for part in parts}
