"""A connection's grants (admins, and its managers for the folders they manage); change or remove one grant."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from console.access import changes, rules
from console.access.decorators import connection_view, role_anywhere
from console.access.models import Grant
from console.jobs.panel import safe_back
from console.roles import MANAGER, role_name
from console.teams.forms import GrantForm, GrantRoleForm, managed_folders
from storage.factory import get_gateway
from storage.gateway import StorageError
from storage.keys import as_folder
from storage.models import Connection

SUGGESTED_FOLDERS = 200  # per folder listed for the folder field's suggestions: one listing call each


def folder_suggestions(connection: str, folders: list[str]) -> list[str]:
    """Existing folders to offer in the folder field: each of `folders` and the folders right inside it."""
    found = list(folders)
    for folder in folders:
        try:
            found += get_gateway().list_objects(connection, folder, max_keys=SUGGESTED_FOLDERS).folders
        except StorageError:
            continue  # no suggestions; a folder can still be typed
    return sorted(set(found) - {""})


def grants_context(request, grants, form: GrantForm, *, connection: str | None = None, here: str = "") -> dict:
    """What the grants region (teams/_grants.html) and the add form need on any of the three pages."""
    shown = [g for g in grants if rules.allows(request.user, MANAGER, g.connection.name, g.prefix)]
    for grant in shown:
        grant.role_form = GrantRoleForm(initial={"role": grant.role}, auto_id=f"grant-{grant.pk}-%s")
    folders = managed_folders(request.user, connection) if connection else [""]
    if here and here not in folders and rules.allows(request.user, MANAGER, connection, here):
        folders.append(here)  # only a folder they manage: the suggestions list what it holds
    return {"grants": shown, "form": form, "back": request.get_full_path(), "role_choices": Grant.Role.choices,
            "folder_choices": folder_suggestions(connection, folders) if connection else []}


def added(request, form: GrantForm, to: str) -> HttpResponse | None:
    """After a valid add form: the grant made and audited, then `to` (the page again, without the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    grant = changes.add_grant(request, form.new_grant())
    messages.success(request, _("%(whom)s now holds %(role)s on %(place)s.") % _words(grant))
    return redirect(to)


def _words(grant: Grant) -> dict:
    """A grant's parts as its messages name them."""
    return {"whom": grant.holder_label, "role": role_name(grant.role), "place": grant.place}


def _here(request) -> str:
    """The folder the page was opened for (?folder=team/), when it is one; else the whole bucket."""
    try:
        return as_folder(request.GET.get("folder", ""))
    except StorageError:
        return ""


@connection_view(MANAGER, argument="name")
@require_http_methods(["GET", "POST"])
def connection_access(request, name: str) -> HttpResponse:
    """The grants on one connection, and a form to add one."""
    connection = get_object_or_404(Connection, name=name)
    here = _here(request)
    form = GrantForm(request.POST or None, by=request.user, connection=name, initial={"folder": here})
    if done := added(request, form, request.get_full_path()):
        return done
    grants = connection.grants.select_related("connection", "user", "group")
    context = grants_context(request, grants, form, connection=name, here=here)
    context.update(connection=connection, here=here, show_holder=True)
    return render(request, "teams/connection.html", context)


def _grant_for(request, pk: int) -> Grant:
    """The grant, when the person manages its place: 404 when they see nothing there, 403 when they only see it."""
    grant = get_object_or_404(Grant.objects.select_related("connection", "user", "group"), pk=pk)
    rules.require(request.user, MANAGER, grant.connection.name, grant.prefix)
    return grant


def _back(request, grant: Grant) -> HttpResponse:
    return redirect(safe_back(request, request.POST.get("back"),
                              reverse("connection_access", args=[grant.connection.name])))


@role_anywhere(MANAGER)
@require_POST
def grant_role(request, grant_id: int) -> HttpResponse:
    grant = _grant_for(request, grant_id)
    form = GrantRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose viewer, editor or manager."))
    elif changes.change_role(request, grant, form.cleaned_data["role"]):
        messages.success(request, _("%(whom)s now holds %(role)s on %(place)s.") % _words(grant))
    else:
        messages.info(request, _("%(whom)s already holds %(role)s on %(place)s.") % _words(grant))
    return _back(request, grant)


@role_anywhere(MANAGER)
@require_POST
def grant_remove(request, grant_id: int) -> HttpResponse:
    grant = _grant_for(request, grant_id)
    changes.remove_grant(request, grant)
    messages.success(request, _("%(whom)s no longer holds %(role)s on %(place)s.") % _words(grant))
    return _back(request, grant)
