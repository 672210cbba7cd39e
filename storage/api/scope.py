"""What a service token lets its caller reach: a folder of each connection, and reads or also writes.

Each handler declares what it does (api_view's `access`): reads keys, writes keys, touches the bucket's
own settings, or none of these. A token limited to a folder ("team/") reaches the keys that start with
it, so never "team2/x" nor "team"; anything else is answered 404, as if it did not exist. A read-only
token asking to write is answered 403 with its own code. Keys reach these checks percent-decoded and
validated (storage.keys: no "." or ".." segments).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.api.errors import FORBIDDEN, OBJECT_NOT_FOUND, READ_ONLY_TOKEN, ApiError

READ, WRITE, BUCKET, NONE = "read", "write", "bucket", "none"
SAFE_METHODS = ("GET", "HEAD")
OUT_OF_REACH = gettext_lazy("There is no such object, or this token may not reach it.")


def writes(access: str, method: str) -> bool:
    """Whether a call changes something: a write of keys, or a change to the bucket's settings."""
    return access == WRITE or (access == BUCKET and method not in SAFE_METHODS)


def reach(prefix: str, key: str) -> str:
    """`key` when a token limited to `prefix` may reach it, else the 404 it gets."""
    if not key.startswith(prefix):
        raise ApiError(404, OBJECT_NOT_FOUND, str(OUT_OF_REACH))
    return key


def allow(prefix: str, read_only: bool, access: str, method: str, key: str | None) -> None:
    """Refuse what the token's folder or its read-only flag rules out: 404 outside the folder, then 403."""
    if key is not None:
        reach(prefix, key)
    if access == BUCKET and prefix:
        raise ApiError(403, FORBIDDEN, _("This token is limited to the folder '%(folder)s'; the bucket's own "
                                         "settings need a token for the whole bucket.") % {"folder": prefix})
    if read_only and writes(access, method):
        raise ApiError(403, READ_ONLY_TOKEN, _("This token is read-only: it may download, head and list, "
                                               "not upload, delete, copy or change settings."))


def listing_prefix(prefix: str, asked: str, delimiter: str) -> str | list[str]:
    """What a listing of `asked` becomes for a token limited to `prefix`.

    A prefix to list instead (inside the folder: `asked` itself; above it: the folder, so nothing outside
    is listed), or, above the folder with a delimiter that the way down contains, the one entry on the
    way down (["team/"] when listing "" by "/"). 404 when `asked` is beside the folder.
    """
    if asked.startswith(prefix):
        return asked
    if not prefix.startswith(asked):
        raise ApiError(404, OBJECT_NOT_FOUND, str(OUT_OF_REACH))
    rest = prefix[len(asked):]
    if delimiter and delimiter in rest:
        return [asked + rest[:rest.index(delimiter) + len(delimiter)]]
    return prefix
