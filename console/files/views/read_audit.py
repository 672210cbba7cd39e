"""One audit row per signed-in download, preview or look at a file's page (issue #15: "who touched this")."""

from __future__ import annotations

from functools import wraps

from console import audit


def audited_read(kind: str, success: int):
    """Record `kind` when the view answers `success` (the file's page, or the redirect to a presigned URL).

    A request for a byte range past the first byte continues a read already recorded (a video seeking, a
    download resumed) and adds no row. When the row cannot be written, the DatabaseError reaches
    DatabaseBusyMiddleware and the person gets the busy answer instead of the file: no read goes unrecorded.
    """

    def decorate(view):
        @wraps(view)
        def read(request, connection: str, *args, **kwargs):
            response = view(request, connection, *args, **kwargs)
            if response.status_code == success and request.user.is_authenticated and _first_read(request):
                audit.record(request, kind, connection=connection, target=request.GET.get("key", ""))
            return response

        return read

    return decorate


def _first_read(request) -> bool:
    """No Range header, or one that starts at the first byte."""
    asked = request.headers.get("Range", "").replace(" ", "")
    return not asked or asked.startswith("bytes=0-")
