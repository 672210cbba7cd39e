"""The users page: create people with a role, change roles, deactivate.

New people get a one-time set-password link rather than a password chosen by the admin:
the admin never knows the password, the link works once (Django's reset tokens die when
the password changes) and expires after PASSWORD_RESET_TIMEOUT, and no email set-up is needed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console import audit
from console.accounts.forms import ROLE_CHOICES_WITH_NONE, RoleForm, UserCreateForm
from console.roles import ADMIN, ROLES, role_name, role_of, role_required

# What an admin may not do to their own account, and what only a superuser may do to a superuser's.
NOT_YOURSELF = {
    "role": gettext_lazy("You cannot change the role of yourself; ask another admin."),
    "deactivate": gettext_lazy("You cannot deactivate yourself; ask another admin."),
}
SUPERUSERS_ONLY = {
    "role": gettext_lazy("Only a superuser can change the role of a superuser."),
    "activate": gettext_lazy("Only a superuser can activate a superuser."),
    "deactivate": gettext_lazy("Only a superuser can deactivate a superuser."),
    "link": gettext_lazy("Only a superuser can issue a set-password link for a superuser."),
}


def set_password_link(request, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("set_password", args=[uid, default_token_generator.make_token(user)])
    return request.build_absolute_uri(path)


def link_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def _set_role(user: User, role: str) -> None:
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=ROLES))
        if role:
            user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("_role_names", None)


def _rows() -> list[dict]:
    users = User.objects.order_by("username").prefetch_related("groups")
    return [{"user": u, "role": role_of(u) if u.is_active else _held_role(u)} for u in users]


def _held_role(user: User) -> str | None:
    """The role a deactivated person would have again if reactivated."""
    if user.is_superuser:
        return ADMIN
    names = {g.name for g in user.groups.all()}
    return next((r for r in ROLES if r in names), None)


def _list(request, *, link: str = "", link_for: User | None = None, notice: str = "",
          error: bool = False) -> HttpResponse:
    context = {"rows": _rows(), "role_choices": ROLE_CHOICES_WITH_NONE, "link": link, "link_for": link_for,
               "notice": notice, "notice_is_error": error, "link_days": link_days()}
    if request.htmx:
        return render(request, "users/_table.html", context)
    return render(request, "users/list.html", context)


@role_required(ADMIN)
@require_GET
def user_list(request) -> HttpResponse:
    return _list(request)


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = User.objects.create_user(data["username"], data["email"])  # no usable password yet
            _set_role(user, data["role"])
        audit.record(request, "user.created", target=user.username, role=data["role"])
        return render(request, "users/created.html", {"new_user": user, "role": data["role"],
                                                      "link": set_password_link(request, user),
                                                      "link_days": link_days()})
    return render(request, "users/create.html", {"form": form})


def _refuse_self(request, user: User, what: str) -> HttpResponse | None:
    if user.pk == request.user.pk:
        return _after(request, str(NOT_YOURSELF[what]), error=True)
    return _refuse_superuser(request, user, what)


def _refuse_superuser(request, user: User, what: str) -> HttpResponse | None:
    """A superuser reaches Django's admin too: only another superuser may act on their account."""
    if user.is_superuser and not request.user.is_superuser:
        return _after(request, str(SUPERUSERS_ONLY[what]), error=True)
    return None


def _after(request, notice: str, *, error: bool = False) -> HttpResponse:
    if request.htmx:
        return _list(request, notice=notice, error=error)
    (messages.error if error else messages.success)(request, notice)
    return redirect("user_list")


@role_required(ADMIN)
@require_POST
def user_role(request, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _after(request, _("Choose one of the roles."), error=True)
    refused = _refuse_self(request, user, "role")
    if refused:
        return refused
    role = form.cleaned_data["role"]
    _set_role(user, role)
    audit.record(request, "user.role", target=user.username, role=role or "none")
    if user.is_superuser:
        notice = _("%(name)s's role is now: %(role)s (a superuser stays an admin whatever the role).")
    else:
        notice = _("%(name)s's role is now: %(role)s.")
    return _after(request, notice % {"name": user.username, "role": role_name(role)})


@role_required(ADMIN)
@require_POST
def user_active(request, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    activate = request.POST.get("active") == "true"
    refused = _refuse_superuser(request, user, "activate") if activate else _refuse_self(request, user, "deactivate")
    if refused:
        return refused
    if user.is_active != activate:
        user.is_active = activate
        user.save(update_fields=["is_active"])
        audit.record(request, "user.activated" if activate else "user.deactivated", target=user.username)
    notice = _("%(name)s is active.") if activate else _("%(name)s is deactivated: they cannot sign in.")
    return _after(request, notice % {"name": user.username})


@role_required(ADMIN)
@require_POST
def user_link(request, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk, is_active=True)
    refused = _refuse_superuser(request, user, "link")
    if refused:
        return refused
    audit.record(request, "user.link_issued", target=user.username)
    return _list(request, link=set_password_link(request, user), link_for=user,
                 notice=_("A new set-password link for %(name)s is below; it works once.") % {"name": user.username})
