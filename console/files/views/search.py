"""Search file names below a folder: the page, and the stream of results its script reads (NDJSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from console import audit
from console.access.decorators import connection_view
from console.files.common import HtmxHttpRequest, breadcrumbs, browse_url, folder_name
from console.files.search import MATCH_LIMIT, SCAN_LIMIT, TERM_LIMIT, Search, scan_roots
from console.files.selection import folder_param
from console.models import AuditEvent
from console.roles import VIEWER
from storage.factory import get_gateway


def _asked(request: HtmxHttpRequest, connection: str) -> tuple[str, str, list[str]]:
    """The folder and the term asked for, and the folders the person's search may list (404: none)."""
    prefix = folder_param(request.GET.get("prefix", ""))
    return prefix, request.GET.get("q", "").strip()[:TERM_LIMIT], scan_roots(request.user, connection, prefix)


@require_GET
@connection_view(VIEWER)
def search(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """The search page: its form, and the place where the script shows results as they stream in."""
    prefix, term, _ = _asked(request, connection)
    context = {
        "connection": connection, "prefix": prefix, "term": term, "title": folder_name(prefix) or connection,
        "crumbs": breadcrumbs(connection, prefix), "folder_url": browse_url(connection, prefix),
        "scan_limit": SCAN_LIMIT, "match_limit": MATCH_LIMIT, "term_limit": TERM_LIMIT,
        "urls": {"stream": reverse("files_search_stream", args=[connection]),
                 "object": reverse("files_object", args=[connection]),
                 "folder": reverse("files_browse", args=[connection])},
    }
    return render(request, "files/search.html", context)


@require_GET
@connection_view(VIEWER)
def stream(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """One line of JSON per listing page ({"scanned", "found", "rows"}), then one saying how the scan ended.

    The listing stops when the client goes away: the server's next write fails and closes this iterator,
    whose audit row then says "cancelled" and how far it got.
    """
    prefix, term, roots = _asked(request, connection)
    if not term:
        return HttpResponse(gettext("Say what to search for (q)."), status=400, content_type="text/plain")
    event = audit.record(request, "folder.searched", connection=connection, target=prefix, term=term)
    run = Search(get_gateway(), request.user, connection, roots, term)
    response = StreamingHttpResponse(_lines(run, event), content_type="application/x-ndjson; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # a proxy (nginx) passes each line on at once
    return response


def _lines(run: Search, event: AuditEvent) -> Iterator[bytes]:
    progress = run.progress
    try:
        for rows in run.pages():
            yield _line({"scanned": progress.scanned, "found": progress.found, "rows": rows})
        yield _line({"scanned": progress.scanned, "found": progress.found, "end": progress.state,
                     "problem": progress.problem})
    finally:
        if progress.state == "scanning":
            progress.state = "cancelled"
        AuditEvent.objects.filter(pk=event.pk).update(detail={
            **event.detail, "scanned": progress.scanned, "found": progress.found, "end": progress.state})


def _line(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
