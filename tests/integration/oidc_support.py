"""Signing in through the real test provider: Django's test client for the console, HTTP for the provider.

The console's side (start, callback, the code exchange the callback makes over HTTP) runs in this
process; the provider's login page and authorization endpoint are driven like a browser would.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.test import Client

from tests.conftest import use_oidc_provider

CONSOLE = "http://testserver"
IDP_PASSWORD = "company password 123"


@pytest.fixture
def sso(settings, oidc_provider):
    """The console set up for single sign-on against the session's provider, groups in the `groups` claim."""
    use_oidc_provider(settings, oidc_provider, CONSOLE, OIDC_GROUP_MAP={"readers": ["viewer"]})
    return oidc_provider


def provider_answer(client: Client, username: str, password: str = IDP_PASSWORD, *, next_url: str = "/") -> str:
    """Start at the console, sign in at the provider; returns the callback URL the provider sends back."""
    start = client.get("/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302, start.content
    idp = requests.Session()
    login = idp.get(start["Location"], timeout=10)
    assert "Test IdP" in login.text, login.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    answer = idp.post(login.url, data={"username": username, "password": password, "csrfmiddlewaretoken": token},
                      headers={"Referer": login.url}, allow_redirects=False, timeout=10)
    location, at = answer.headers.get("Location", ""), login.url
    while location and not location.startswith(CONSOLE):  # the provider's own redirects (to /o/authorize/)
        at = urljoin(at, location)
        location = idp.get(at, allow_redirects=False, timeout=10).headers.get("Location", "")
    assert location.startswith(f"{CONSOLE}/oidc/callback/"), f"the provider did not send us back: {answer.text[:300]}"
    return location


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def sign_in(client: Client, username: str, password: str = IDP_PASSWORD, *, next_url: str = "/"):
    """The whole round trip; returns the console's answer to the provider's redirect."""
    return client.get(local_path(provider_answer(client, username, password, next_url=next_url)))
