"""The Jobs panel (polled by a connection's pages) and /jobs/: a person's jobs, or everyone's for admins."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from console.access.decorators import connection_view, role_anywhere
from console.jobs import services
from console.jobs.models import Job
from console.jobs.panel import POLL_SECONDS, ids_param, panel_context, safe_back
from console.jobs.presenting import card
from console.roles import ADMIN, VIEWER, has_role

PAGE_SIZE = 25
ACTIVE = "active"
STATE_FILTERS = [("", pgettext_lazy("jobs in any state", "All")), (ACTIVE, gettext_lazy("Queued or running")),
                 (Job.State.DONE, Job.State.DONE.label), (Job.State.FAILED, Job.State.FAILED.label),
                 (Job.State.CANCELLED, Job.State.CANCELLED.label)]


@require_GET
@connection_view(VIEWER)
def panel(request: HttpRequest, connection: str) -> HttpResponse:
    """The panel alone, for its polling; tells the page's listing to refresh when a job it saw running ended."""
    back = safe_back(request, request.GET.get("back"), reverse("files_browse", args=[connection]))
    context = panel_context(request, connection, back=back, seen_running=ids_param(request.GET.get("running")))
    response = render(request, "jobs/partials/_panel.html", context)
    if context["panel"]["ended"]:
        trigger_client_event(response, "files-changed")
    return response


def _filtered(request: HttpRequest, state: str):
    jobs = services.visible_jobs(request.user).select_related("created_by")
    if state == ACTIVE:
        return jobs.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])
    return jobs.filter(state=state) if state in Job.State.values else jobs


@require_GET
@role_anywhere(VIEWER)
def job_list(request: HttpRequest) -> HttpResponse:
    """Newest first, 25 a page, filtered by state; the list refreshes itself while a job on it runs."""
    state = request.GET.get("state", "")
    state = state if state in dict(STATE_FILTERS) else ""
    page = Paginator(_filtered(request, state), PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [card(job, request.user) for job in page.object_list]
    context = {"page": page, "cards": cards, "state": state, "filters": STATE_FILTERS,
               "everyone": has_role(request.user, ADMIN),
               "poll": POLL_SECONDS if any(not c.job.is_finished for c in cards) else None}
    template = "jobs/partials/_list.html" if request.htmx else "jobs/list.html"
    return render(request, template, context)
