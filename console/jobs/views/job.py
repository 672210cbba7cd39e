"""A job's page (state, progress, failures, refreshed by HTMX while it runs) and its actions.

Cancel, Resume and "Retry the failed ones" are POST forms that work without JavaScript (back to the
page they came from); with htmx they answer with the region they were pressed in: the Jobs panel, or
the job's status on its page. Only the person who started a job, or an admin, may use them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from console.access.decorators import role_anywhere
from console.jobs import services
from console.jobs.limits import TooManyJobs
from console.jobs.models import Job
from console.jobs.panel import POLL_SECONDS, panel_context, safe_back
from console.jobs.presenting import announcement, card, conflict, dest_folder, folder
from console.roles import VIEWER
from console.visible_text import visible
from storage.gateway import StorageError

FAILURES_SHOWN = 200


def _job(request, job_id: int) -> Job:
    """A job the person may see; others' jobs are not found (admins see every job)."""
    return get_object_or_404(services.visible_jobs(request.user), pk=job_id)


def _status_context(request, job: Job, *, announce: str = "") -> dict:
    return {"card": card(job, request.user, failures=FAILURES_SHOWN), "job": job,
            "poll": None if job.is_finished else POLL_SECONDS, "announce": announce,
            "back": reverse("job_detail", args=[job.pk])}


@require_GET
@role_anywhere(VIEWER)
def detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if request.htmx:
        seen = request.GET.get("seen")  # the state the page showed: announce a change
        announce = announcement(job) if seen and seen != job.state and job.is_finished else ""
        return render(request, "jobs/partials/_status.html", _status_context(request, job, announce=announce))
    where, there = folder(job), dest_folder(job)
    context = {**_status_context(request, job), "folder_url": _browse_url(job.connection, where),
               "source_label": _place_label(job.connection, where), "conflict": conflict(job),
               "dest_label": _place_label(job.dest_connection, there),
               "dest_url": _browse_url(job.dest_connection, there) if job.dest_connection else ""}
    return render(request, "jobs/detail.html", context)


def _place_label(connection: str, prefix: str) -> str:
    """"primary / photos/": a connection, and a folder in it (its invisible characters written out)."""
    return f"{connection} / {visible(prefix)}" if prefix else connection


def _browse_url(connection: str, prefix: str) -> str:
    return reverse("files_browse", args=[connection]) + (f"?{urlencode({'prefix': prefix})}" if prefix else "")


def _answer(request, job: Job, notice: str) -> HttpResponse:
    """After an action: the region it was pressed in (htmx), or back where the person was."""
    back = safe_back(request, request.POST.get("back"), reverse("job_detail", args=[job.pk]))
    where = request.POST.get("from")
    if request.htmx and where == "panel":  # the panel of the connection it was pressed in: either end's
        shown = request.POST.get("panel") if request.POST.get("panel") == job.dest_connection else job.connection
        return render(request, "jobs/partials/_panel.html", panel_context(request, shown, back=back, notice=notice))
    if request.htmx and where == "page":
        job.refresh_from_db()
        return render(request, "jobs/partials/_status.html", _status_context(request, job, announce=notice))
    messages.info(request, notice)
    return HttpResponseRedirect(back)


@require_POST
@role_anywhere(VIEWER)
def cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)  # the service refuses (403) anyone but its starter or an admin
    services.cancel_job(request.user, job, request=request)
    notice = _("Cancelled.") if job.is_finished else _("Cancelling: the job stops within a few seconds.")
    return _answer(request, job, notice)


@require_POST
@role_anywhere(VIEWER)
def resume(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)  # the service refuses (403) anyone but its starter or an admin
    try:
        services.resume_job(request.user, job, request=request)
    except TooManyJobs as e:
        return _answer(request, job, str(e))
    notice = _("Resumed: the job carries on from its last checkpoint.") if not job.is_finished else \
        _("This job cannot be resumed.")
    return _answer(request, job, notice)


@require_POST
@role_anywhere(VIEWER)
def retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)  # the service refuses (403) anyone but its starter or an admin
    try:
        again = services.retry_failed(request.user, job, request=request)
    except (StorageError, TooManyJobs) as e:  # InvalidKey; a connection disabled since
        return _answer(request, job, _("The failed objects cannot be tried again: %(error)s") % {"error": e})
    if again is None:
        return _answer(request, job, _("Nothing failed: there is nothing to retry."))
    notice = ngettext("Retrying the %(count)s failed as job %(job)s.", "Retrying the %(count)s failed as job %(job)s.",
                      again.objects_total) % {"count": f"{again.objects_total:,}", "job": again.pk}
    if request.POST.get("from") == "panel":
        return _answer(request, again, notice)
    messages.info(request, notice)  # from the job's page: on to the new job's page
    return HttpResponseRedirect(reverse("job_detail", args=[again.pk]))
