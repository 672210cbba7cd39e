"""A job's page: its state and counts, refreshed by HTMX polling while it runs; cancel.

The Jobs panel and /jobs/ list come later on top of these models (console/jobs/services.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from console.jobs import services
from console.roles import VIEWER, role_required

POLL_SECONDS = 2


def _job(request, job_id: int):
    return get_object_or_404(services.visible_jobs(request.user), pk=job_id)


@require_GET
@role_required(VIEWER)
def detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    context = {"job": job, "poll": POLL_SECONDS, "can_control": services.can_control(request.user, job),
               "failures": job.failures.all()[:50]}
    template = "jobs/partials/_status.html" if request.htmx else "jobs/detail.html"
    return render(request, template, context)


@require_POST
@role_required(VIEWER)
def cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    services.cancel_job(request.user, job, request=request)
    if not job.is_finished:
        messages.info(request, "Cancelling: the job stops within a few seconds.")
    return HttpResponseRedirect(reverse("job_detail", args=[job.pk]))
