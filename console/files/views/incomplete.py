"""Multipart uploads still in progress on a connection: see them, abort one, or abort the old ones."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from console import audit
from console.errors import http_status
from console.files.common import HtmxHttpRequest, breadcrumbs, can_edit, failure_page
from console.roles import EDITOR, VIEWER, role_required
from storage.factory import get_gateway
from storage.gateway import StorageError

PARTS_SHOWN_FOR = 200  # listing parts costs a call per upload: only for the first ones


@require_GET
@role_required(VIEWER)
def incomplete(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    gateway = get_gateway()
    try:
        uploads = sorted(gateway.list_multipart_uploads(connection),
                         key=lambda u: u.initiated or timezone.now())
        rows = []
        for index, upload in enumerate(uploads):
            parts = gateway.list_parts(connection, upload.key, upload.upload_id) if index < PARTS_SHOWN_FOR else None
            rows.append({"upload": upload, "parts": None if parts is None else len(parts),
                         "bytes": None if parts is None else sum(p.size for p in parts)})
    except StorageError as e:
        return failure_page(request, e, connection, title="Incomplete uploads")
    return render(request, "files/incomplete.html", {"connection": connection, "rows": rows,
                                                     "crumbs": breadcrumbs(connection, ""),
                                                     "can_edit": can_edit(request)})


def _back(connection: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("files_incomplete", args=[connection]))


@require_POST
@role_required(EDITOR)
def abort(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    key, upload_id = request.POST.get("key", ""), request.POST.get("upload_id", "")
    try:
        get_gateway().abort_multipart_upload(connection, key, upload_id)
    except StorageError as e:
        messages.error(request, f"Could not abort the upload of {key}: {e}")
        return _back(connection)
    audit.record(request, "upload.aborted", connection=connection, target=key)
    messages.success(request, f"Aborted the upload of {key}.")
    return _back(connection)


@require_POST
@role_required(EDITOR)
def abort_old(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Abort every upload started more than N days ago (N = 0 aborts them all)."""
    try:
        days = int(request.POST.get("days", ""))
        if not 0 <= days <= 36_500:
            raise ValueError
    except ValueError:
        messages.error(request, "Give the age in whole days (0 or more).")
        return _back(connection)
    cutoff = timezone.now() - dt.timedelta(days=days)
    gateway, aborted = get_gateway(), []
    try:
        for upload in gateway.list_multipart_uploads(connection):
            if upload.initiated is None or upload.initiated <= cutoff:
                gateway.abort_multipart_upload(connection, upload.key, upload.upload_id)
                aborted.append(upload.key)
    except StorageError as e:
        messages.error(request, f"Stopped after {len(aborted)} uploads: {e}")
        return HttpResponseRedirect(reverse("files_incomplete", args=[connection])) if aborted else \
            render(request, "files/problem.html", {"connection": connection, "problem": str(e),
                                                   "title": "Incomplete uploads"}, status=http_status(e))
    audit.record(request, "uploads.aborted", connection=connection, count=len(aborted), days=days, keys=aborted[:100])
    messages.success(request, f"Aborted {len(aborted)} upload{'s' if len(aborted) != 1 else ''} older than {days} days.")
    return _back(connection)
