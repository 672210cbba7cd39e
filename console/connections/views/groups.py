"""Groups of connections (admins): create one, change its members or placement."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from console import audit
from console.connections.group_forms import GroupForm
from console.roles import ADMIN, role_required
from storage.groups.members import GROUP
from storage.models import Connection


def _handle(request, instance: Connection | None) -> HttpResponse:
    form = GroupForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        group = form.save()
        kind = "connection.updated" if instance else "connection.created"
        audit.record(request, kind, connection=group.name, target=group.name, members=group.members,
                     placement=group.placement, changed=changed)
        message = _("Group '%(name)s' was saved.") if instance else _("Group '%(name)s' was created.")
        messages.success(request, message % {"name": group.name})
        return redirect("connection_list")
    return render(request, "connections/group_form.html", {"form": form, "group": instance})


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def group_create(request) -> HttpResponse:
    return _handle(request, None)


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def group_edit(request, name: str) -> HttpResponse:
    group = get_object_or_404(Connection, name=name)
    if group.kind != GROUP:
        raise Http404(_("'%(name)s' is not a group.") % {"name": name})
    return _handle(request, group)
