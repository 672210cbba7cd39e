"""Groups (admins): list and create, a group's page (members, grants), rename, delete.

The role groups (admin, editor, viewer) are a role on every connection: they are listed apart, cannot be
renamed, deleted or given grants, and their members are set where roles are set, on the users page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import Group
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from console.access import changes
from console.i18n.sentences import joined
from console.roles import ADMIN, ROLES, role_required
from console.teams.forms import GrantForm, GroupNameForm, MemberForm
from console.teams.views.grants import added, grants_context

ROLE_MEANING = {ADMIN: gettext_lazy("console admin: everything, on every connection"),
                "editor": gettext_lazy("editor on every connection"), "viewer": gettext_lazy("viewer on every connection")}


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def group_list(request) -> HttpResponse:
    form = GroupNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = changes.create_group(request, form.cleaned_data["name"])
        messages.success(request, _("The group %(name)s was created: add its members and grants.") % {"name": group.name})
        return redirect("group_detail", group_id=group.pk)
    counted = Group.objects.annotate(members=Count("user", distinct=True), grant_count=Count("grants", distinct=True))
    role_groups = sorted(counted.filter(name__in=ROLES), key=lambda g: ROLES.index(g.name))
    for group in role_groups:
        group.meaning = ROLE_MEANING[group.name]
    return render(request, "teams/groups.html", {"form": form, "role_groups": role_groups,
                                                 "groups": counted.exclude(name__in=ROLES).order_by("name")})


def _team(pk: int) -> Group:
    """A group other than the role groups (those change on the users page)."""
    group = get_object_or_404(Group, pk=pk)
    if group.name in ROLES:
        raise Http404(_("The role groups change on the users page."))
    return group


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def group_detail(request, group_id: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=group_id)
    members = group.user_set.order_by("username")
    if group.name in ROLES:
        return render(request, "teams/role_group.html", {"group": group, "members": members,
                                                         "meaning": ROLE_MEANING[group.name]})
    form = GrantForm(request.POST or None, by=request.user, holder=group)
    if done := added(request, form, reverse("group_detail", args=[group_id])):
        return done
    context = grants_context(request, group.grants.select_related("connection", "user", "group"), form)
    context.update(group=group, members=members, member_form=MemberForm(group=group),
                   name_form=GroupNameForm(initial={"name": group.name}, group=group), show_connection=True)
    return render(request, "teams/group.html", context)


@role_required(ADMIN)
@require_POST
def group_rename(request, group_id: int) -> HttpResponse:
    group = _team(group_id)
    form = GroupNameForm(request.POST, group=group)
    if not form.is_valid():
        messages.error(request, joined(form.errors["name"]))
    elif changes.rename_group(request, group, form.cleaned_data["name"]):
        messages.success(request, _("The group is now called %(name)s.") % {"name": group.name})
    return redirect("group_detail", group_id=group_id)


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def group_delete(request, group_id: int) -> HttpResponse:
    group = _team(group_id)
    if request.method == "POST":
        count = changes.delete_group(request, group)
        messages.success(request, ngettext("The group %(name)s was deleted, with its %(count)s grant.",
                                           "The group %(name)s was deleted, with its %(count)s grants.", count) % {
            "name": group.name, "count": count})
        return redirect("group_list")
    return render(request, "teams/group_delete.html", {"group": group, "members": group.user_set.count(),
                                                       "grants": group.grants.select_related("connection")})


@role_required(ADMIN)
@require_POST
def group_member_add(request, group_id: int) -> HttpResponse:
    group = _team(group_id)
    form = MemberForm(request.POST, group=group)
    if form.is_valid():
        changes.add_member(request, group, form.cleaned_data["user"])
        messages.success(request, _("%(name)s is now in %(group)s.") % {
            "name": form.cleaned_data["user"].get_username(), "group": group.name})
    else:
        messages.error(request, _("Choose a person who is not in the group yet."))
    return redirect("group_detail", group_id=group_id)


@role_required(ADMIN)
@require_POST
def group_member_remove(request, group_id: int) -> HttpResponse:
    group = _team(group_id)
    raw = request.POST.get("user", "")
    person = group.user_set.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() else None
    if person is None:
        messages.error(request, _("That person is not in the group."))
    else:
        changes.remove_member(request, group, person)
        messages.success(request, _("%(name)s is no longer in %(group)s.") % {"name": person.get_username(),
                                                                              "group": group.name})
    return redirect("group_detail", group_id=group_id)

