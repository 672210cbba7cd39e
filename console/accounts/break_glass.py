"""Break-glass sign-in: a one-time link for a superuser, made by `manage.py break_glass` on the server.

For when single sign-on is down and password sign-in is off (LOCAL_LOGIN=false). Whoever can run
manage.py on the server can already do anything, so the link adds no power; it works once (it is
bound to the account's last sign-in, which spending it changes) and for BREAK_GLASS_MINUTES.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "console.accounts.break_glass"


def _state(user: User) -> str:
    return user.last_login.isoformat() if user.last_login else "never"


def link_path(user: User) -> str:
    """The sign-in page, with the code after "#": a browser never sends that part, so no log holds it."""
    token = signing.dumps({"user": user.pk, "last": _state(user)}, salt=SALT, compress=True)
    return f"{reverse('break_glass')}#{token}"


def user_for(token: str) -> User | None:
    """The active superuser the token is for, while it is fresh and unused; else None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.BREAK_GLASS_MINUTES * 60)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True, is_superuser=True).first()
    return user if user is not None and data.get("last") == _state(user) else None


def spend(user: User) -> bool:
    """Mark the link used, if nobody did since `user` was read: of requests racing with one link, one wins."""
    unchanged = {"last_login": user.last_login} if user.last_login else {"last_login__isnull": True}
    return User.objects.filter(pk=user.pk, **unchanged).update(last_login=timezone.now()) == 1
