"""People signed in to the live server over real HTTP, each with a session of their own."""

from __future__ import annotations

import requests
from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string


def signed_in(user) -> requests.Session:
    """A requests session signed in as `user`, sending the CSRF token as the console's pages do."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    csrf_secret = get_random_string(32)
    session.cookies.set(settings.CSRF_COOKIE_NAME, csrf_secret)
    session.headers["X-CSRFToken"] = csrf_secret
    return session
