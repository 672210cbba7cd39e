"""Who may open these pages: console admins everywhere; a connection's managers for what they manage.

Each decorator sends anonymous people to the sign-in page and sets `required_role`, which the
permission matrix reads. The place itself (a folder, a grant's folder) is checked in the view with
`rules.require`: 404 to who sees nothing there, 403 to who sees it without managing it.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login

from console.access import rules
from console.roles import MANAGER


def _guard(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request.user, kwargs)
            return view(request, *args, **kwargs)

        wrapped.required_role = MANAGER
        return wrapped

    return decorator


# A page of one connection (the URL's `name`): 404 to who holds nothing on it, 403 to who manages nothing there.
manager_of_connection = _guard(lambda user, kwargs: rules.require_somewhere(user, MANAGER, kwargs["name"]))
# An action on one grant: the view asks `rules.require` at the grant's place (404 when the person sees nothing
# there, whoever they are; 403 when they see it without managing it), so only signing in is checked here.
manager_of_the_grant = _guard(lambda user, kwargs: None)
