"""Multipart uploads still in progress on a connection: see them, abort one, or abort the old ones (a job).

A manager's pages: a manager of some folders sees and aborts only the uploads to keys in those folders.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from console import audit
from console.access import rules
from console.access.decorators import connection_view
from console.connections.bucket_proposal import abort_rule_proposal
from console.errors import http_status
from console.files.common import HtmxHttpRequest, breadcrumbs, failure_page
from console.files.forms import AbortOldForm
from console.jobs import presenting
from console.jobs.access import require_access
from console.jobs.limits import TooManyJobs
from console.jobs.models import Job
from console.jobs.panel import panel_context
from console.jobs.services import start_job
from console.roles import MANAGER
from storage.factory import get_gateway
from storage.gateway import StorageError

PARTS_SHOWN_FOR = 200  # listing parts costs a call per upload: only for the first ones


@require_GET
@connection_view(MANAGER)
def incomplete(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    gateway = get_gateway()
    try:
        uploads = sorted((u for u in gateway.list_multipart_uploads(connection)
                          if rules.allows(request.user, MANAGER, connection, u.key)),
                         key=lambda u: u.initiated or timezone.now())
        rows = []
        for index, upload in enumerate(uploads):
            parts = gateway.list_parts(connection, upload.key, upload.upload_id) if index < PARTS_SHOWN_FOR else None
            rows.append({"upload": upload, "parts": None if parts is None else len(parts),
                         "bytes": None if parts is None else sum(p.size for p in parts)})
    except StorageError as e:
        return failure_page(request, e, connection, title=_("Incomplete uploads"))
    context = {"connection": connection, "rows": rows, "crumbs": breadcrumbs(connection, ""),
               "can_edit": True, "abort_form": AbortOldForm()}  # every row shown is this manager's to abort
    context.update(panel_context(request, connection, back=request.get_full_path()))
    context.update(abort_rule_proposal(request.user, connection, uploads))
    return render(request, "files/incomplete.html", context)


def _back(connection: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("files_incomplete", args=[connection]))


@require_POST
@connection_view(MANAGER)
def abort(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    key, upload_id = request.POST.get("key", ""), request.POST.get("upload_id", "")
    rules.require(request.user, MANAGER, connection, key)
    try:
        get_gateway().abort_multipart_upload(connection, key, upload_id)
    except StorageError as e:
        messages.error(request, _("Could not abort the upload of %(key)s: %(problem)s") % {"key": key, "problem": e})
        return _back(connection)
    audit.record_storage_change(request, "upload.aborted", connection=connection, target=key)
    messages.success(request, _("Aborted the upload of %(key)s.") % {"key": key})
    return _back(connection)


def _old_uploads(connection: str, prefix: str, days: int) -> int:
    """How many uploads under `prefix` started more than `days` days ago (one listing)."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    uploads = get_gateway().list_multipart_uploads(connection, prefix)
    return sum(1 for upload in uploads if upload.initiated is None or upload.initiated <= cutoff)


@require_POST
@connection_view(MANAGER)
def abort_old(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Abort the uploads under a prefix older than N days: a confirmation with how many, then a job."""
    form = AbortOldForm(request.POST)
    context = {"connection": connection, "form": form, "crumbs": breadcrumbs(connection, "")}
    valid = form.is_valid()
    if "prefix" in form.cleaned_data:  # whose folder it is, before anything is said of the rest of the form
        require_access(request.user, Job.Kind.ABORT_UPLOADS, connection, [form.cleaned_data["prefix"]])
    if not valid:
        return render(request, "files/confirm_abort_old.html", context)
    prefix, days = form.cleaned_data["prefix"], form.cleaned_data["days"]
    if request.POST.get("confirm") == "yes":
        try:
            job = start_job(request.user, Job.Kind.ABORT_UPLOADS, connection, prefix=prefix, older_than_days=days,
                            request=request)
        except (StorageError, TooManyJobs) as e:  # no such connection, or it is disabled
            context["problem"] = str(e)
            return render(request, "files/confirm_abort_old.html", context, status=http_status(e))
        messages.success(request, _("Started: %(job)s. The Jobs panel shows its progress.")
                         % {"job": presenting.title(job)})
        return _back(connection)
    try:
        context["count"] = _old_uploads(connection, prefix, days)
    except StorageError as e:
        context["problem"] = str(e)
        return render(request, "files/confirm_abort_old.html", context, status=http_status(e))
    return render(request, "files/confirm_abort_old.html", context)
