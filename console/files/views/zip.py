"""Zip downloads: the entries of a folder or a selection, page by page, for the browser to zip (zip_entries.py)."""

from __future__ import annotations

import os

from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from console import audit
from console.access import rules
from console.access.decorators import connection_view
from console.errors import http_status
from console.files.common import HtmxHttpRequest, json_error, parent_prefix
from console.files.selection import selection_from
from console.files.zip_entries import Cursor, next_page, sources
from console.roles import VIEWER
from storage.factory import get_gateway
from storage.gateway import StorageError

# Sent by the console's own script (static/js/zip_pages.js). A link or form on another site cannot add a header,
# and another site's script adding one needs CORS the console does not grant: the entries, and their audit rows,
# come only for the console's own zip downloads.
FETCH_HEADER = "X-Zip-Entries"


def _cursor(request: HtmxHttpRequest) -> Cursor:
    try:
        item = max(0, int(request.GET.get("item") or 0))
    except ValueError:
        raise Http404(gettext("Not a place in the listing.")) from None
    return Cursor(item, request.GET.get("after") or None)


@require_GET
@connection_view(VIEWER)
def entries(request: HtmxHttpRequest, connection: str) -> JsonResponse:
    """One page of what the zip holds: `{"entries": [{path, size, modified, url}], "next": cursor | null}`.

    `key` (repeated) names the ticked files and folders in the folder `prefix`; without any, the folder `prefix`
    itself is zipped, its name the zip's top folder. `item` and `after` come from the last answer's `next`.
    """
    if not _own_fetch(request):
        return json_error(gettext("Zip downloads start from the folder's page in the console."), 403)
    selection = selection_from(request.GET)
    if selection.items:
        base, items = selection.folder, selection.items
        if any(not item.startswith(base) for item in items):
            raise Http404(gettext("Pick files and folders in the folder being zipped."))
    else:
        base, items = parent_prefix(selection.folder), [selection.folder]
    rules.listing_limits(request.user, connection, selection.folder)  # 404 where they may see nothing
    walk = sources(request.user, connection, items)
    cursor = _cursor(request)
    try:
        page = next_page(get_gateway(), request.user, connection, base, walk, cursor)
    except StorageError as e:
        return json_error(str(e), http_status(e))
    if page.keys:
        audit.record(request, "objects.zip_signed", connection=connection, target=_common_folder(page.keys),
                     objects=len(page.keys), bytes=page.bytes, first=page.keys[0], last=page.keys[-1])
    done = page.next is None or page.next.item >= len(walk)
    response = JsonResponse({"entries": page.entries, "skipped": page.skipped,
                             "next": None if done else page.next.as_dict()})
    response["Cache-Control"] = "no-store"
    return response


def _own_fetch(request: HtmxHttpRequest) -> bool:
    """The console's script asking, from the console's own pages (a browser says where a request comes from)."""
    site = request.headers.get("Sec-Fetch-Site", "same-origin")  # absent: an older browser, or plain HTTP
    return request.headers.get(FETCH_HEADER) == "1" and site == "same-origin"


def _common_folder(keys: list[str]) -> str:
    """The deepest folder holding every key signed (what "who touched this folder" finds), or the one key."""
    if len(keys) == 1:
        return keys[0]
    common = os.path.commonprefix(keys)
    return common[:common.rfind("/") + 1]
