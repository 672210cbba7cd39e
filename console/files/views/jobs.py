"""File manager operations that run as background jobs: delete a selection or a folder, copy or move, folder size.

Each asks first (a form or a confirmation page that works without JavaScript, with the count when one
listing page tells it), then starts a job and goes back to the folder, whose Jobs panel follows it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from console.access import rules
from console.access.decorators import connection_view
from console.errors import http_status
from console.files.common import HtmxHttpRequest, breadcrumbs, browse_url, folder_name, parent_prefix
from console.files.forms import TransferForm
from console.files.selection import (
    Selection,
    count_objects,
    counted_param,
    folder_param,
    selection_from,
    total_params,
)
from console.jobs import presenting, services
from console.jobs.access import require_access
from console.jobs.limits import TooManyJobs
from console.jobs.models import Job
from console.roles import EDITOR, VIEWER
from storage.factory import get_gateway
from storage.gateway import InvalidKey, StorageError
from storage.keys import SHORTEST_NAME_LIMIT, name_bytes


def _started(request: HtmxHttpRequest, job: Job, folder: str) -> HttpResponseRedirect:
    messages.success(request, gettext("Started: %(job)s. The Jobs panel shows its progress.")
                     % {"job": presenting.title(job)})
    return HttpResponseRedirect(browse_url(job.connection, folder))


def _page(request, template: str, connection: str, selection: Selection, status: int = 200, **context):
    context = {"connection": connection, "selection": selection, "folder": selection.folder,
               "crumbs": breadcrumbs(connection, selection.folder), **context}
    return render(request, template, context, status=status)


def _count_or_problem(connection: str, selection: Selection) -> dict:
    try:
        return {"count": count_objects(connection, selection.items)}
    except StorageError as e:
        return {"problem": str(e), "status": http_status(e)}


@require_POST
@connection_view(EDITOR)
def delete_selected(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """The listing's ticked files and folders: a confirmation with the count, then a delete job."""
    selection = selection_from(request.POST)
    require_access(request.user, Job.Kind.DELETE, connection, selection.items)  # before anything is counted
    if selection.items and request.POST.get("confirm") == "yes":
        try:
            job = services.start_job(request.user, Job.Kind.DELETE, connection, items=selection.items,
                                     request=request, **total_params(request.POST))
        except (StorageError, TooManyJobs) as e:  # no such connection, or it is disabled; InvalidKey: a 400
            return _page(request, "files/confirm_delete_selected.html", connection, selection, http_status(e),
                         problem=str(e))
        return _started(request, job, selection.folder)
    counted = _count_or_problem(connection, selection) if selection.items else {}
    return _page(request, "files/confirm_delete_selected.html", connection, selection,
                 counted.pop("status", 200), **counted)


@require_http_methods(["GET", "POST"])
@connection_view(EDITOR)
def delete_folder(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """GET: what the folder holds (one listing page: "at least 1,000") and a confirmation; POST: a delete job."""
    data = request.POST if request.method == "POST" else request.GET
    prefix = folder_param(data.get("prefix", ""))
    if not prefix:
        raise Http404(gettext("The bucket's root is not a folder that can be deleted here."))
    require_access(request.user, Job.Kind.DELETE, connection, [prefix])
    selection = Selection(parent_prefix(prefix), [prefix])
    if request.method == "POST":
        try:
            job = services.start_job(request.user, Job.Kind.DELETE, connection, items=[prefix], request=request,
                                     **total_params(data))
        except (StorageError, TooManyJobs) as e:  # no such connection, or it is disabled
            return _page(request, "files/confirm_delete_folder.html", connection, selection, http_status(e),
                         prefix=prefix, name=folder_name(prefix), problem=str(e))
        return _started(request, job, selection.folder)
    counted = _count_or_problem(connection, selection)
    return _page(request, "files/confirm_delete_folder.html", connection, selection, counted.pop("status", 200),
                 prefix=prefix, name=folder_name(prefix), **counted)


def _transfer_form(request: HtmxHttpRequest, connection: str, selection: Selection, data, op: str) -> TransferForm:
    """The form as posted (the person pressed Start), or filled in from the link or button that led here."""
    places = {"items": selection.items, "connection": connection, "connections": _writable_connections(request.user)}
    if request.method == "POST" and data.get("confirm") == "yes":
        return TransferForm(data, **places)
    single = selection.items[0].rstrip("/").rsplit("/", 1)[-1] if len(selection.items) == 1 else ""
    op = data.get("op") if data.get("op") in ("copy", "move") else op
    return TransferForm(initial={"op": op, "to": connection, "folder": selection.folder, "name": single,
                                 "conflict": "keep_both"}, **places)


def _writable_connections(user) -> list[str]:
    """The connections a copy may go to: the enabled ones where the person may write somewhere."""
    try:
        enabled = [s.id for s in get_gateway().list_storages() if s.enabled]
    except StorageError:
        return []
    return [name for name in enabled if rules.at_least(rules.strongest_on(user, name), EDITOR)]


def _check_names(connection: str, pairs: list[list[str]]) -> None:
    """Refuse a destination name longer than the storage accepts (InvalidKey), as uploads are refused.

    The gateway learns a storage's name limit when asked to sign a write; only names longer than the
    shortest limit known are asked about, so ordinary names cost nothing.
    """
    for _, dest in pairs:
        if name_bytes(dest) > SHORTEST_NAME_LIMIT:
            get_gateway().get_upload_request(connection, dest, 60)


@require_http_methods(["GET", "POST"])
@connection_view(VIEWER)  # a copy only reads here; require_access asks what the operation needs of each item
def transfer(request: HtmxHttpRequest, connection: str, op: str = "copy") -> HttpResponse:
    """Copy or move (rename) a file, a folder or the ticked items to a folder the person names, here or in another
    connection."""
    data = request.POST if request.method == "POST" else request.GET
    selection = selection_from(data)
    if not _writable_connections(request.user):
        raise PermissionDenied(gettext("A copy or a move needs the editor role on a connection to write to."))
    form = _transfer_form(request, connection, selection, data, op)
    kind = Job.Kind.MOVE if (form.data if form.is_bound else form.initial).get("op") == "move" else Job.Kind.COPY
    require_access(request.user, kind, connection, selection.items)  # the sources; the job checks where they go
    if form.is_bound and form.is_valid():
        to = form.cleaned_data["to"]
        try:
            _check_names(to, form.cleaned_data["pairs"])
            job = services.start_job(request.user, kind, connection, items=form.cleaned_data["pairs"],
                                     conflict=form.cleaned_data["conflict"], request=request, dest_connection=to,
                                     objects_total=counted_param(data.get("count")))
        except InvalidKey as e:
            form.add_error(None, str(e))
        except (StorageError, TooManyJobs) as e:  # no such connection, or it is disabled
            return _page(request, "files/transfer.html", connection, selection, http_status(e), form=form,
                         problem=str(e))
        else:
            return _started(request, job, selection.folder)
    counted = _count_or_problem(connection, selection)
    return _page(request, "files/transfer.html", connection, selection, counted.pop("status", 200), form=form,
                 **counted)


@require_POST
@connection_view(VIEWER)
def folder_size(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Count what a folder holds (read-only: no confirmation); one job per folder at a time."""
    prefix = folder_param(request.POST.get("prefix", ""))
    running = services.active_jobs(request.user).filter(kind=Job.Kind.FOLDER_SIZE, connection=connection)
    if any(job.params.get("items") == [prefix] for job in running):
        messages.info(request, gettext("The size of this folder is being computed already."))
        return HttpResponseRedirect(browse_url(connection, prefix))
    try:
        job = services.start_job(request.user, Job.Kind.FOLDER_SIZE, connection, prefix=prefix, request=request)
    except TooManyJobs as e:
        messages.error(request, str(e))
        return HttpResponseRedirect(browse_url(connection, prefix))
    except StorageError as e:  # no such connection, or it is disabled
        raise Http404(str(e)) from e
    return _started(request, job, prefix)
