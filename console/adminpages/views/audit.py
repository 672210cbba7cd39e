"""The audit log: who changed what, when, from where; filtered by a GET form (bookmarkable).

Admins read all of it; a manager reads the entries of the connections (or folders) they manage.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from console.access import rules
from console.access.decorators import role_anywhere
from console.adminpages.audit_names import stored_words
from console.adminpages.audit_text import sentence
from console.adminpages.forms.audit import AuditFilterForm
from console.audit import target_under
from console.i18n.sentences import joined
from console.models import AuditEvent
from console.roles import MANAGER

PAGE_SIZE = 50


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return stored_words(str(value))


def _problem(form: AuditFilterForm) -> str:
    """What the filter needs, as one text: "The filter needs fixing: From: Enter a valid date." """
    if not form.errors:
        return ""
    colon = pgettext("before a reason", ": ")
    return joined([_("The filter needs fixing:"), *(f"{field.label}{colon}{error}" for field in form
                                                      for error in field.errors)])


def _visible_events(user):
    """Every entry for an admin; for a manager, those on what they manage (None from `scopes`: everything)."""
    events = AuditEvent.objects.all()
    managed = rules.scopes(user, MANAGER)
    if managed is None:
        return events
    where = Q(pk__in=[])
    for connection, prefix in managed:
        where |= Q(connection=connection) & target_under(prefix)
    return events.filter(where)


@role_anywhere(MANAGER)
@require_GET
def audit_log(request) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = _visible_events(request.user)
    if request.GET:
        events = form.filter(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.sentence = sentence(event.kind, event.detail or {})
        event.job_id = (event.detail or {}).get("job") if event.kind.startswith("job.") and event.sentence else None
        event.detail_items = [] if event.sentence else [(k, _text(v)) for k, v in (event.detail or {}).items()]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "problem": _problem(form), "page": page, "query": query.urlencode(),
               "filtered": bool(query)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "audit/_results.html", context)
    return render(request, "audit/log.html", context)
