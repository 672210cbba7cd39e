"""Break-glass sign-in: a one-time link for a superuser, made by `manage.py break_glass` on the server.

For when single sign-on is down and password sign-in is off (LOCAL_LOGIN=false). Whoever can run
manage.py on the server can already do anything, so the link adds no power; it works once (it is
bound to the account's last sign-in, which signing in changes) and for BREAK_GLASS_MINUTES.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.urls import reverse

SALT = "console.accounts.break_glass"


def _state(user: User) -> str:
    return user.last_login.isoformat() if user.last_login else "never"


def link_path(user: User) -> str:
    token = signing.dumps({"user": user.pk, "last": _state(user)}, salt=SALT, compress=True)
    return reverse("break_glass", args=[token])


def user_for(token: str) -> User | None:
    """The active superuser the token is for, while it is fresh and unused; else None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.BREAK_GLASS_MINUTES * 60)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True, is_superuser=True).first()
    return user if user is not None and data.get("last") == _state(user) else None
