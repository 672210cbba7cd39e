"""The access checks views wear, built on console/access/rules.py.

    @connection_view(EDITOR)   # a view of one connection: 404 to who sees nothing on it, 403 to who is never an editor on it
    @connection_settings_view()  # the connection's own settings (its bucket's CORS): a manager of all of it
    @role_anywhere(EDITOR)     # a page about no one connection (shares, jobs): 403 to who is an editor nowhere

Anonymous people go to the sign-in page. Each sets `required_role` (what the permission matrix reads).
A view acting on keys checks each with `rules.require` as well: these only let in who may act somewhere.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from console.access import rules
from console.roles import MANAGER, role_name


def _signed_in(check, role: str, scope: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request, kwargs)
            return view(request, *args, **kwargs)

        wrapped.required_role = role
        wrapped.access_scope = scope
        return wrapped

    return decorator


def connection_view(role: str, *, argument: str = "connection"):
    """For views of the connection named by the URL argument `argument`."""
    return _signed_in(lambda request, kwargs: rules.require_somewhere(request.user, role, kwargs[argument]),
                      role, "connection")


def connection_settings_view(*, argument: str = "connection"):
    """For reading or changing a connection's own settings: a bucket has one set, so a manager of one of its
    folders may not (403), only a manager of the whole connection."""
    return _signed_in(lambda request, kwargs: rules.require(request.user, MANAGER, kwargs[argument]),
                      MANAGER, "whole connection")  # i18n: not shown


def role_anywhere(role: str):
    """For pages about no one connection: the person must hold `role` on some connection."""
    def check(request, kwargs) -> None:
        if not rules.holds_anywhere(request.user, role):
            raise PermissionDenied(_("This needs the %(role)s role on some connection.") % {"role": role_name(role)})

    return _signed_in(check, role, "anywhere")
