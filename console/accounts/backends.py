"""Password sign-in: Django's own check, turned off by LOCAL_LOGIN=false."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    """Refuses every password when LOCAL_LOGIN is false; sessions it began (break-glass ones too) stay readable."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
