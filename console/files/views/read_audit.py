"""One audit row per signed-in download, preview or look at a file's page (issue #15: "who touched this")."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from console import audit

CONTINUED_WINDOW = timedelta(minutes=10)


def audited_read(kind: str, success: int, *, params: tuple[str, ...] = ()):
    """Record `kind` when the view answers `success` (the file's page, or the redirect to a presigned URL), with
    the request's `params` (a version id) beside the key.

    A request for a byte range past the first byte continues a read (a video seeking, a download resumed): it
    counts as a repeat of that person's row for the same read within CONTINUED_WINDOW, else it is a row of its
    own (the link it gets reads the whole file, whatever range was asked). When the row cannot be written, the
    DatabaseError reaches DatabaseBusyMiddleware and the person gets the busy answer instead of the file: no
    read goes unrecorded.
    """

    def decorate(view):
        @wraps(view)
        def read(request, connection: str, *args, **kwargs):
            response = view(request, connection, *args, **kwargs)
            if response.status_code == success and request.user.is_authenticated:
                detail = {name: request.GET.get(name, "") for name in params}
                record = audit.record if _first_read(request) else _continued
                record(request, kind, connection=connection, target=request.GET.get("key", ""), **detail)
            return response

        return read

    return decorate


def _continued(request, kind: str, *, connection: str, target: str, **detail) -> None:
    audit.record_repeat(request, kind, window=CONTINUED_WINDOW, connection=connection, target=target, **detail)


def _first_read(request) -> bool:
    """No Range header, or one that starts at the first byte."""
    asked = request.headers.get("Range", "").replace(" ", "")
    return not asked or asked.startswith("bytes=0-")
