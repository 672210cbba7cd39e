"""Change what a folder holds: delete (one, several, a whole folder), new folder, rename/move.

Every change is a confirmation page with a form (works without JavaScript), then a POST
that redirects back to the folder with a message, and an audit entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from console import audit
from console.errors import http_status
from console.files.common import (
    HtmxHttpRequest,
    breadcrumbs,
    browse_url,
    folder_name,
    object_url,
    parent_prefix,
)
from console.jobs.models import Job
from console.jobs.services import start_job
from console.roles import EDITOR, role_required
from storage.factory import get_gateway
from storage.gateway import InvalidKey, ObjectNotFound, StorageError
from storage.keys import join_key, validate_key, validate_prefix

COUNT_LIMIT = 100_000  # counting a folder stops here ("at least ...")


def _key(value: str) -> str:
    try:
        return validate_key(value, allow_folder_marker=False)
    except InvalidKey as e:
        raise Http404(str(e))


def _folder(value: str) -> str:
    if value and not value.endswith("/"):
        value += "/"
    try:
        return validate_prefix(value)
    except InvalidKey as e:
        raise Http404(str(e))


def _page(request, template: str, connection: str, status: int = 200, **context) -> HttpResponse:
    return render(request, template, {"connection": connection, **context}, status=status)


@require_http_methods(["GET", "POST"])
@role_required(EDITOR)
def delete_one(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    key = _key(request.POST.get("key", "") if request.method == "POST" else request.GET.get("key", ""))
    folder = parent_prefix(key)
    context = {"key": key, "name": key.rsplit("/", 1)[-1], "folder": folder, "crumbs": breadcrumbs(connection, folder)}
    if request.method == "GET":
        return _page(request, "files/confirm_delete.html", connection, **context)
    try:
        get_gateway().delete_file(connection, key)
    except StorageError as e:
        return _page(request, "files/confirm_delete.html", connection, http_status(e), problem=str(e), **context)
    audit.record(request, "object.deleted", connection=connection, target=key)
    messages.success(request, f"Deleted {context['name']}.")
    return HttpResponseRedirect(browse_url(connection, folder))


@require_POST
@role_required(EDITOR)
def delete_selected(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """First POST (from the listing's checkboxes) asks to confirm; the second deletes in batches."""
    folder = _folder(request.POST.get("prefix", ""))
    keys = [_key(k) for k in dict.fromkeys(request.POST.getlist("key"))]
    context = {"keys": keys, "folder": folder, "crumbs": breadcrumbs(connection, folder)}
    if not keys or request.POST.get("confirm") != "yes":
        return _page(request, "files/confirm_delete_selected.html", connection, **context)
    try:
        result = get_gateway().delete_objects(connection, keys)
    except StorageError as e:
        return _page(request, "files/confirm_delete_selected.html", connection, http_status(e), problem=str(e),
                     **context)
    audit.record(request, "objects.deleted", connection=connection, target=folder, count=len(result.deleted),
                 keys=result.deleted[:100], failed=len(result.errors))
    if result.errors:
        messages.error(request, f"{len(result.errors)} could not be deleted: "
                       + "; ".join(f"{k}: {why}" for k, why in list(result.errors.items())[:5]))
    messages.success(request, f"Deleted {len(result.deleted)} file{'s' if len(result.deleted) != 1 else ''}.")
    return HttpResponseRedirect(browse_url(connection, folder))


def _count(connection: str, prefix: str) -> tuple[int, bool]:
    """How many objects a folder holds (everything below it), up to COUNT_LIMIT."""
    gateway, count, token = get_gateway(), 0, None
    while True:
        page = gateway.list_objects(connection, prefix, token=token, delimiter="")
        count += len(page.objects)
        token = page.next_token
        if not token or count >= COUNT_LIMIT:
            return count, bool(token)


@require_http_methods(["GET", "POST"])
@role_required(EDITOR)
def delete_folder(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """GET: how many objects the folder holds, and a confirmation; POST: a job deletes it (any size)."""
    data = request.POST if request.method == "POST" else request.GET
    prefix = _folder(data.get("prefix", ""))
    if not prefix:
        raise Http404("The bucket's root is not a folder that can be deleted here.")
    parent = parent_prefix(prefix)
    context = {"prefix": prefix, "name": folder_name(prefix), "folder": parent, "crumbs": breadcrumbs(connection, prefix)}
    if request.method == "POST":
        try:
            job = start_job(request.user, Job.Kind.DELETE, connection, items=[prefix], request=request,
                            objects_total=_counted(data.get("count")))
        except StorageError as e:  # no such connection, or it is disabled; InvalidKey, a 400
            return _page(request, "files/confirm_delete_folder.html", connection, http_status(e), problem=str(e),
                         **context)
        messages.success(request, f"Deleting the folder {context['name']}: the job runs in the background.")
        return HttpResponseRedirect(reverse("job_detail", args=[job.pk]))
    try:
        count, more = _count(connection, prefix)
    except StorageError as e:
        return _page(request, "files/confirm_delete_folder.html", connection, http_status(e), problem=str(e),
                     **context)
    return _page(request, "files/confirm_delete_folder.html", connection, count=count, more=more, **context)


def _counted(value: str | None) -> int | None:
    """The count the confirmation page showed (a progress bar's total until the job knows better)."""
    try:
        count = int(value or "")
    except ValueError:
        return None
    return count if 0 <= count < COUNT_LIMIT else None


@require_http_methods(["GET", "POST"])
@role_required(EDITOR)
def new_folder(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """A folder is a zero-byte object named `prefix/name/`."""
    data = request.POST if request.method == "POST" else request.GET
    prefix = _folder(data.get("prefix", ""))
    name = data.get("name", "").strip().strip("/")
    context = {"prefix": prefix, "folder_name": name, "crumbs": breadcrumbs(connection, prefix)}
    if request.method == "GET":
        return _page(request, "files/new_folder.html", connection, **context)
    try:
        if not name:
            raise InvalidKey("Give the folder a name.")
        marker = validate_key(join_key(prefix, name) + "/")
        get_gateway().simple_upload(connection, marker, b"")
    except StorageError as e:
        status = 200 if isinstance(e, InvalidKey) else http_status(e)
        return _page(request, "files/new_folder.html", connection, status, problem=str(e), **context)
    audit.record(request, "folder.created", connection=connection, target=marker)
    messages.success(request, f"Created the folder {name}.")
    return HttpResponseRedirect(browse_url(connection, marker))


def _exists(connection: str, key: str) -> bool:
    try:
        get_gateway().get_object_meta(connection, key)
    except ObjectNotFound:
        return False
    return True


@require_http_methods(["GET", "POST"])
@role_required(EDITOR)
def rename(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Rename or move a file: a server-side copy, then the old key is deleted."""
    data = request.POST if request.method == "POST" else request.GET
    key = _key(data.get("key", ""))
    target = data.get("new_key", key).strip()
    context = {"key": key, "new_key": target, "name": key.rsplit("/", 1)[-1],
               "crumbs": breadcrumbs(connection, parent_prefix(key))}
    if request.method == "GET":
        return _page(request, "files/rename.html", connection, **context)
    gateway = get_gateway()
    try:
        target = validate_key(target, allow_folder_marker=False)
        if target == key:
            raise InvalidKey("The new key is the same as the old one.")
        if _exists(connection, target) and data.get("overwrite") != "yes":
            return _page(request, "files/rename.html", connection, ask_overwrite=True, **context)
        gateway.copy_object(connection, key, target)
        gateway.delete_file(connection, key)
    except StorageError as e:
        status = 200 if isinstance(e, InvalidKey) else http_status(e)
        return _page(request, "files/rename.html", connection, status, problem=str(e), **context)
    audit.record(request, "object.renamed", connection=connection, target=key, to=target)
    messages.success(request, f"Moved {context['name']} to {target}.")
    return HttpResponseRedirect(object_url("files_object", connection, target))
