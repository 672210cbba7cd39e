"""The provider's endpoints: each from its setting when given, else from the discovery document (cached).

A provider that does not answer (no connection, or none within OIDC_TIMEOUT) is not asked again for
RETRY_SECONDS: meanwhile single sign-on says at once that it cannot be reached. Otherwise every click,
and anyone's scripted requests, would hold a server thread for OIDC_TIMEOUT, and a few of them would
take the whole console down, break-glass sign-in included, just when the provider is down.
"""

from __future__ import annotations

import math
import threading
import time

import requests
from django.conf import settings
from django.utils.translation import gettext_noop

from console.accounts.oidc.refusal import words

DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
RETRY_SECONDS = 15
_documents: dict[str, tuple[float, dict]] = {}
_silent_until: dict[str, float] = {}  # issuer -> when it may be asked again
_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The provider cannot be reached or answers nonsense; the message says which, in plain words."""


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def name() -> str:
    return settings.OIDC_PROVIDER_NAME


def endpoint(setting: str) -> str:
    """The URL for one of DISCOVERED's settings; raises ProviderUnavailable when there is none.

    A discovered address must keep the issuer's https: the client secret and the codes go to the
    token endpoint, and the person's browser to the authorization endpoint.
    """
    url = getattr(settings, setting, "")
    if url:
        return url
    url = discovery().get(DISCOVERED[setting], "")
    schemes = ("https://",) if settings.OIDC_ISSUER.startswith("https://") else ("https://", "http://")
    if not isinstance(url, str) or not url.startswith(schemes):
        message = (gettext_noop("the provider's discovery document names no https:// %(endpoint)s") if len(schemes) == 1
                   else gettext_noop("the provider's discovery document names no https:// or http:// %(endpoint)s"))
        raise ProviderUnavailable(words(message, endpoint=DISCOVERED[setting]))
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
    answering()
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as e:
        if isinstance(e, SILENCE):
            not_answering()
        raise ProviderUnavailable(words(gettext_noop("the provider's discovery document (%(url)s) could not be read: "
                                                     "%(error)s"), url=url, error=type(e).__name__))
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise ProviderUnavailable(words(gettext_noop("the discovery document at %(url)s is for another issuer than "
                                                     "OIDC_ISSUER"), url=url))
    with _lock:
        _documents[issuer] = (time.monotonic(), document)
    return document


SILENCE = (requests.ConnectionError, requests.Timeout)  # what not_answering() is for; a refusal is an answer


def answering() -> None:
    """Raises ProviderUnavailable while the provider counts as not answering (RETRY_SECONDS after it did not)."""
    wait = _silent_until.get(settings.OIDC_ISSUER, 0.0) - time.monotonic()
    if wait > 0:
        raise ProviderUnavailable(words(gettext_noop("it did not answer a moment ago; it is asked again in %(seconds)s s"),
                                        seconds=math.ceil(wait)))


def not_answering() -> None:
    with _lock:
        _silent_until[settings.OIDC_ISSUER] = time.monotonic() + RETRY_SECONDS


def forget() -> None:
    """Drop cached discovery documents and silences (tests; a provider that moved)."""
    with _lock:
        _documents.clear()
        _silent_until.clear()
