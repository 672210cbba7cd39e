"""The audit log: who changed what, when, from where; filtered by a GET form (bookmarkable)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.adminpages.audit_text import sentence
from console.adminpages.forms.audit import AuditFilterForm
from console.models import AuditEvent
from console.roles import ADMIN, role_required

PAGE_SIZE = 50


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


@role_required(ADMIN)
@require_GET
def audit_log(request) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if request.GET:
        events = form.filter(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.sentence = sentence(event.kind, event.detail or {})
        event.job_id = (event.detail or {}).get("job") if event.kind.startswith("job.") and event.sentence else None
        event.detail_items = [] if event.sentence else [(k, _text(v)) for k, v in (event.detail or {}).items()]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(query)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "audit/_results.html", context)
    return render(request, "audit/log.html", context)
