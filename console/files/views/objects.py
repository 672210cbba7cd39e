"""Small changes done within the request: delete one file, make a folder.

Each is a confirmation page or form (works without JavaScript), then a POST that redirects
back to the folder with a message, and an audit entry. What may take longer (deleting a
selection or a folder, copy, move, rename) runs as a job: views/jobs.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from console import audit
from console.access import rules
from console.access.decorators import connection_view
from console.errors import http_status
from console.files.common import (
    HtmxHttpRequest,
    breadcrumbs,
    browse_url,
    checked_key,
    parent_prefix,
)
from console.files.selection import folder_param
from console.roles import EDITOR
from storage.factory import get_gateway
from storage.gateway import InvalidKey, StorageError
from storage.keys import join_key, validate_key


def _key(request, connection: str, value: str) -> str:
    """A file the person may change (else 404 when they do not see it, 403 when they only look)."""
    return checked_key(request, connection, value, EDITOR)


def _page(request, template: str, connection: str, status: int = 200, **context) -> HttpResponse:
    return render(request, template, {"connection": connection, **context}, status=status)


@require_http_methods(["GET", "POST"])
@connection_view(EDITOR)
def delete_one(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    key = _key(request, connection, data.get("key", ""))
    folder = parent_prefix(key)
    context = {"key": key, "name": key.rsplit("/", 1)[-1], "folder": folder, "crumbs": breadcrumbs(connection, folder)}
    if request.method == "GET":
        return _page(request, "files/confirm_delete.html", connection, **context)
    try:
        get_gateway().delete_file(connection, key)
    except StorageError as e:
        return _page(request, "files/confirm_delete.html", connection, http_status(e), problem=str(e), **context)
    audit.record_storage_change(request, "object.deleted", connection=connection, target=key)
    messages.success(request, _("Deleted %(name)s.") % {"name": context["name"]})
    return HttpResponseRedirect(browse_url(connection, folder))


@require_http_methods(["GET", "POST"])
@connection_view(EDITOR)
def new_folder(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """A folder is a zero-byte object named `prefix/name/`."""
    data = request.POST if request.method == "POST" else request.GET
    prefix = folder_param(data.get("prefix", ""))
    name = data.get("name", "").strip().strip("/")
    context = {"prefix": prefix, "folder_name": name, "crumbs": breadcrumbs(connection, prefix)}
    if request.method == "GET":
        rules.require(request.user, EDITOR, connection, prefix)
        return _page(request, "files/new_folder.html", connection, **context)
    try:
        if not name:
            raise InvalidKey(_("Give the folder a name."))
        marker = validate_key(join_key(prefix, name) + "/")
        rules.require(request.user, EDITOR, connection, marker)  # the folder made, wherever its name points
        get_gateway().simple_upload(connection, marker, b"")
    except StorageError as e:
        status = 200 if isinstance(e, InvalidKey) else http_status(e)
        return _page(request, "files/new_folder.html", connection, status, problem=str(e), **context)
    audit.record_storage_change(request, "folder.created", connection=connection, target=marker)
    messages.success(request, _("Created the folder %(name)s.") % {"name": name})
    return HttpResponseRedirect(browse_url(connection, marker))
