"""A person's page (admins): their role on every connection, their groups, and their grants."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from console.access.models import Grant
from console.roles import ADMIN, ROLES, role_of, role_required
from console.teams.forms import GrantForm
from console.teams.views.grants import added, grants_context


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def user_detail(request, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    form = GrantForm(request.POST or None, by=request.user, holder=person)
    if done := added(request, form, reverse("user_detail", args=[pk])):
        return done
    context = grants_context(request, person.grants.select_related("connection", "user", "group"), form)
    context.update(person=person, everywhere=role_of(person) if person.is_active else None,
                   groups=person.groups.exclude(name__in=ROLES).order_by("name"),
                   group_grants=_through_groups(person), show_connection=True)
    return render(request, "teams/user.html", context)


def _through_groups(person: User) -> list:
    """The grants a person holds through their groups (changed on each group's page)."""
    return list(Grant.objects.filter(group__user=person).select_related("connection", "group"))
