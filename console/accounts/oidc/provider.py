"""The provider's endpoints: each from its setting when given, else from the discovery document (cached)."""

from __future__ import annotations

import threading
import time

import requests
from django.conf import settings

DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
_documents: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The provider cannot be reached or answers nonsense; the message says which, in plain words."""


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def name() -> str:
    return settings.OIDC_PROVIDER_NAME


def endpoint(setting: str) -> str:
    """The URL for one of DISCOVERED's settings; raises ProviderUnavailable when there is none."""
    url = getattr(settings, setting, "") or discovery().get(DISCOVERED[setting], "")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise ProviderUnavailable(f"the provider's discovery document names no {DISCOVERED[setting]}")
    return url


def logout_endpoint() -> str:
    """Where to send a person to sign out at the provider too; empty when it offers none or is unreachable."""
    try:
        return endpoint("OIDC_OP_LOGOUT_ENDPOINT")
    except ProviderUnavailable:
        return ""


def discovery() -> dict:
    """<issuer>/.well-known/openid-configuration, kept OIDC_DISCOVERY_CACHE_SECONDS; its issuer must be ours."""
    issuer = settings.OIDC_ISSUER
    with _lock:
        cached = _documents.get(issuer)
        if cached and time.monotonic() - cached[0] < settings.OIDC_DISCOVERY_CACHE_SECONDS:
            return cached[1]
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as e:
        raise ProviderUnavailable(f"the provider's discovery document ({url}) could not be read: {type(e).__name__}")
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise ProviderUnavailable(f"the discovery document at {url} is for another issuer than OIDC_ISSUER")
    with _lock:
        _documents[issuer] = (time.monotonic(), document)
    return document


def forget() -> None:
    """Drop cached discovery documents (tests; a provider that moved)."""
    with _lock:
        _documents.clear()
