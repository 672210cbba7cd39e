"""Roles (Django groups made by a migration) and the checks views use.

The groups `admin`, `editor` and `viewer` hold their role on every connection; a `manager` is only ever
granted on a connection (console/access). Ranks: viewer < editor < manager < admin.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

ADMIN, MANAGER, EDITOR, VIEWER = "admin", "manager", "editor", "viewer"
ROLES = (ADMIN, EDITOR, VIEWER)  # the role groups
RANK = {VIEWER: 1, EDITOR: 2, MANAGER: 3, ADMIN: 4}
# How a page names a role; the value itself ("viewer") is stored, posted and audited as it is.
ROLE_NAMES = {ADMIN: pgettext_lazy("role", "admin"), MANAGER: pgettext_lazy("role", "manager"),
              EDITOR: pgettext_lazy("role", "editor"), VIEWER: pgettext_lazy("role", "viewer")}


def role_name(role: str | None) -> str:
    """A role as the page's language names it ("none" when there is none); an unknown value as it is."""
    if not role:
        return pgettext("role", "none")
    return str(ROLE_NAMES.get(role, role))


def role_of(user) -> str | None:
    """The strongest role a user holds; a superuser is an admin."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._role_names = names
    return max(names, key=RANK.__getitem__, default=None)


def remember_roles(user, group_names) -> None:
    """The person's role groups, read with something else (console.access reads them with the grants)."""
    user._role_names = set(group_names) & set(ROLES)


def has_role(user, role: str) -> bool:
    held = role_of(user)
    return held is not None and RANK[held] >= RANK[role]


def role_required(role: str):
    """Anonymous people go to the sign-in page; signed-in people without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, role):
                raise PermissionDenied(_("This needs the %(role)s role.") % {"role": role_name(role)})
            return view(request, *args, **kwargs)

        wrapped.required_role = role
        return wrapped

    return decorator
