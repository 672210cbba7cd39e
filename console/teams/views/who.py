"""Who can do what here: every person and group with their role at a connection or a folder, and why."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.access import explain, rules
from console.access.decorators import connection_view
from console.roles import MANAGER
from storage.gateway import InvalidKey
from storage.keys import as_folder
from storage.models import Connection


def _folder(request) -> str:
    try:
        return as_folder(request.GET.get("folder", ""))
    except InvalidKey as e:
        raise Http404(str(e))


@connection_view(MANAGER, argument="name")
@require_GET
def connection_who(request, name: str) -> HttpResponse:
    """For the connection (?folder= for one of its folders): admins, and who manages that place."""
    folder = _folder(request)
    rules.require(request.user, MANAGER, name, folder)
    if not Connection.objects.filter(name=name).exists():
        raise Http404(str(rules.NOT_FOUND))
    people = explain.people(name, folder)
    groups = explain.groups(name, folder)
    return render(request, "teams/who.html", {
        "connection": name, "folder": folder,
        "people": [s for s in people if s.role], "people_below": [s for s in people if not s.role and s.below],
        "groups": [s for s in groups if s.role], "groups_below": [s for s in groups if not s.role and s.below],
    })
